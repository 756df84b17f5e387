// The real service on a free loopback port, for end-to-end tests: its own database (and, if
// asked, its own copy of the rules), time from a ManualClock so expiry needs no waiting.
#pragma once

#include <catch2/catch.hpp>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>

#include "app/service.h"
#include "support.h"

namespace landed::test {

struct Running {
  std::filesystem::path dir;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(*Timestamp::parse("2026-11-23T16:00:00Z"));
  std::unique_ptr<app::Service> service;
  std::string base;
  int port = 0;

  // `setup` may change the options (keys, rules, catalogs, limits) before the service is created.
  explicit Running(bool own_rules = false,
                   const std::function<void(app::ServiceOptions&, const std::filesystem::path&)>& setup = {}) {
    namespace fs = std::filesystem;
    static std::atomic<int> n{0};
    dir = fs::temp_directory_path() / ("landed-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    app::ServiceOptions o;
    o.paths = app::DataPaths{home() / "rules", home() / "rates", home() / "locales"};
    if (own_rules) {
      fs::copy(home() / "rules", dir / "rules", fs::copy_options::recursive);
      o.paths.rules = dir / "rules";
    }
    o.db_path = (dir / "landed.db").string();
    o.keys_path = (home() / "tools/dev-keys.json").string();
    o.threads = 2;
    // The clock stands at 2026-11-23 and the shipped rates are of 2026-04-13: tests of other
    // things price in warn-only mode; staleness tests set refuse in `setup`.
    o.stale_rates = StaleRatesMode::warn;
    if (setup) setup(o, dir);
    auto s = app::Service::create(o, clock);
    for (const auto& e : s.ok() ? Errors{} : s.errors()) UNSCOPED_INFO(e.message);
    REQUIRE(s.ok());
    service = std::move(s).value();
    const auto bound = service->listen("127.0.0.1", 0);
    REQUIRE(bound.ok());
    port = *bound;
    service->start();
    base = "http://127.0.0.1:" + std::to_string(port);
  }
  ~Running() {
    service.reset();
    std::filesystem::remove_all(dir);
  }
};

inline double millis_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace landed::test
