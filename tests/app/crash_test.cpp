// The real binary under real failures: kill -9 during a load run loses no order that got a 2xx
// (process-crash durability: kill -9 leaves the OS page cache intact, so this says nothing about
// a power cut, for which see store_test's synchronous test), and a full disk neither stalls the
// service nor its shutdown.
#include <catch2/catch.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "core/limits.h"
#include "http_client.h"
#include "support.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;

// The landed binary serving on a free port, its stdout read for the port it printed. With
// `file_size_max`, the child runs under RLIMIT_FSIZE: a disk that fills at that size.
struct Process {
  pid_t pid = -1;
  std::string base;

  explicit Process(const fs::path& db, std::vector<std::string> extra = {}, rlim_t file_size_max = 0) {
    int out[2];
    REQUIRE(pipe(out) == 0);
    const std::string keys = (landed::test::home() / "tools/dev-keys.json").string();
    const std::string dbs = db.string();
    // The real clock, and the shipped rates are of 2026-04-13: warn-only, or every quote would be a
    // stale_rates 503 and there would be no order to lose.
    std::vector<std::string> args = {LANDED_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", dbs, "--keys", keys,
                                     "--threads", "2", "--stale-rates", "warn"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (file_size_max == 0) {
      posix_spawn_file_actions_t actions;
      posix_spawn_file_actions_init(&actions);
      posix_spawn_file_actions_adddup2(&actions, out[1], 1);
      posix_spawn_file_actions_addclose(&actions, out[0]);
      REQUIRE(posix_spawn(&pid, LANDED_BINARY, &actions, nullptr, argv.data(), environ) == 0);
      posix_spawn_file_actions_destroy(&actions);
    } else {
      const rlimit limit{file_size_max, file_size_max};
      pid = fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {  // only async-signal-safe calls until exec
        setrlimit(RLIMIT_FSIZE, &limit);
        dup2(out[1], 1);
        close(out[0]);
        execv(LANDED_BINARY, argv.data());
        _exit(127);
      }
    }
    close(out[1]);
    std::string line;
    char ch;
    while (read(out[0], &ch, 1) == 1 && ch != '\n') line += ch;
    close(out[0]);
    const auto at = line.find("http://");
    REQUIRE(at != std::string::npos);
    base = line.substr(at);
  }

  void kill9() {
    ::kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
  }

  // SIGTERM, and how long until the process has exited (its status in `status`).
  double terminate(int& status) {
    const auto started = std::chrono::steady_clock::now();
    ::kill(pid, SIGTERM);
    waitpid(pid, &status, 0);
    pid = -1;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }

  ~Process() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      int status = 0;
      waitpid(pid, &status, 0);
    }
  }
};

}  // namespace

TEST_CASE("kill -9 during a load run loses no order that got a 2xx") {
  const fs::path dir = fs::temp_directory_path() / ("landed-crash-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path db = dir / "landed.db";
  const std::string cart = landed::test::read_text(landed::test::home() / "tools/examples/cart-us-hr.json");

  std::mutex mu;
  std::vector<std::string> ordered;  // order ids that got a 201
  std::atomic<int> transport_errors{0};
  {
    Process server(db);
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t)
      clients.emplace_back([&] {
        landed::test::HttpClient c(server.base);
        while (!stop) {
          const auto q = c.request("POST", "/v1/quotes", "dev-checkout-token", cart);
          if (q.status != 201) { ++transport_errors; continue; }
          const std::string id = nlohmann::json::parse(q.body)["quote_id"];
          const auto o = c.request("POST", "/v1/orders", "dev-checkout-token", nlohmann::json{{"quote_id", id}}.dump());
          if (o.status == 201) {
            std::lock_guard lock(mu);
            ordered.push_back(nlohmann::json::parse(o.body)["order_id"]);
          } else {
            ++transport_errors;  // expected once the server is gone
          }
        }
      });
    // Kill the server while the clients are mid-flight, once enough orders are acknowledged (up
    // to 60 s: under a parallel test's disk load an order's fsync can pass db_write_wait_ms, and
    // those orders get 503 instead of a 2xx; a sanitizer build beside the reload-under-load test
    // once acknowledged none in 10 s).
    for (int i = 0; i < 3000; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      std::lock_guard lock(mu);
      if (ordered.size() >= 100) break;
    }
    server.kill9();
    stop = true;
    for (auto& t : clients) t.join();
  }
  INFO("requests that got no 201 before the kill: " << transport_errors);
  REQUIRE(ordered.size() > 20);

  Process restarted(db);
  landed::test::HttpClient c(restarted.base);
  std::size_t found = 0;
  for (const auto& id : ordered) found += c.request("GET", "/v1/orders/" + id, "dev-checkout-token").status == 200;
  CHECK(found == ordered.size());
  WARN("kill -9: " << ordered.size() << " orders acknowledged before the crash, " << found << " found after restart");
  fs::remove_all(dir);
}

TEST_CASE("A full disk: the service keeps answering with 503 where it cannot write and SIGTERM ends it in time") {
  const fs::path dir = fs::temp_directory_path() / ("landed-full-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string cart = landed::test::read_text(landed::test::home() / "tools/examples/cart-us-hr.json");
  // 3 MiB per file: room for the schema and a few batches of the WAL, then every write fails
  // with EFBIG (the server ignores SIGXFSZ). A small queue so that it fills in a few requests.
  Process server(dir / "landed.db", {"--quote-queue-max", "100"}, 3 << 20);
  landed::test::HttpClient c(server.base);
  std::vector<std::string> accepted;
  landed::test::HttpResult refused;
  for (int i = 0; i < 20000; ++i) {
    const auto q = c.request("POST", "/v1/quotes", "dev-checkout-token", cart);
    REQUIRE(q.error.empty());
    if (q.status == 503) {
      refused = q;
      break;
    }
    REQUIRE(q.status == 201);
    accepted.push_back(nlohmann::json::parse(q.body)["quote_id"]);
  }
  REQUIRE(refused.status == 503);  // the queue is full: refused at once, never a wait
  CHECK(refused.headers["retry-after"] == std::to_string(landed::limits::store_retry_after_seconds));
  CHECK(refused.headers["content-type"] == "application/problem+json");
  CHECK(nlohmann::json::parse(refused.body)["type"] == "/problems/store_unavailable");

  // A batch no longer fits, but a small order may still squeeze into the log: order queued
  // quotes until the disk takes no more, as a near-full disk does.
  landed::test::HttpResult order;
  double order_ms = 0;
  int ordered = 0;
  for (auto it = accepted.rbegin(); it != accepted.rend() && ordered < 200; ++it) {
    const auto t = std::chrono::steady_clock::now();
    order = c.request("POST", "/v1/orders", "dev-checkout-token", nlohmann::json{{"quote_id", *it}}.dump());
    order_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
    if (order.status != 201) break;
    ++ordered;
  }
  CHECK(order.status == 503);
  CHECK(order.headers["retry-after"] == std::to_string(landed::limits::store_retry_after_seconds));
  CHECK(nlohmann::json::parse(order.body)["type"] == "/problems/store_unavailable");
  CHECK(order_ms < 4 * landed::limits::db_write_wait_ms + 1000);

  // Still answering: liveness, readiness (not ready, and why), reads.
  CHECK(c.request("GET", "/healthz").status == 200);
  const auto ready = c.request("GET", "/readyz");
  CHECK(ready.status == 503);
  CHECK(nlohmann::json::parse(ready.body)["status"] == "not ready");
  CHECK(nlohmann::json::parse(ready.body)["reason"].is_string());
  CHECK(c.request("GET", "/v1/quotes/" + accepted.back(), "dev-checkout-token").status == 200);
  const auto metrics = c.request("GET", "/metrics").body;
  CHECK(metrics.find("landed_quotes_refused_total 1\n") != std::string::npos);

  int status = 0;
  const double seconds = server.terminate(status);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  // The flush deadline and one last attempt, plus room for exit (ASan's leak check included).
  const double bound = (landed::limits::db_shutdown_flush_ms + landed::limits::db_write_wait_ms) / 1000.0 + 3.0;
  CHECK(seconds < bound);
  WARN("full disk: " << accepted.size() << " quotes accepted, then 503; " << ordered
                     << " orders fitted, then 503 in " << order_ms
                     << " ms; SIGTERM to exit took " << seconds << " s (bound " << bound << " s)");
  fs::remove_all(dir);
}
