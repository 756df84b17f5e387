// The shipped ECB day in rates/, and days made from it, for the tests that feed or store rates.
#pragma once

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "app/rates_store.h"
#include "app/service.h"
#include "support.h"

namespace landed::test {

inline const std::string shipped_day = "2026-04-13";  // the newest file in rates/

// The shipped day's XML as another day, with USD at `usd_rate` when one is given.
inline std::string ecb_day(const std::string& day, const std::string& usd_rate = "") {
  std::string xml = read_text(home() / "rates" / ("eurofxref-" + shipped_day + ".xml"));
  const auto at = xml.find("time='" + shipped_day + "'");
  REQUIRE(at != std::string::npos);
  xml.replace(at + 6, 10, day);
  if (!usd_rate.empty()) {
    const auto usd = xml.find("currency='USD' rate='");
    REQUIRE(usd != std::string::npos);
    const auto start = usd + std::string("currency='USD' rate='").size();
    xml.replace(start, xml.find('\'', start) - start, usd_rate);
  }
  return xml;
}

inline std::string shipped_usd() {
  const std::string xml = read_text(home() / "rates" / ("eurofxref-" + shipped_day + ".xml"));
  const auto start = xml.find("currency='USD' rate='") + std::string("currency='USD' rate='").size();
  return xml.substr(start, xml.find('\'', start) - start);
}

// Feed options for tests: no proxy, one attempt, short timeouts (a failure is final at once).
inline void fast_feed(app::ServiceOptions& o, const std::string& spec) {
  auto feed = app::parse_rate_feed(spec);
  REQUIRE(feed.ok());
  o.rate_feeds = {*feed};
  o.rates_refresh_interval = std::chrono::milliseconds(20);
  o.rates_fetch.proxy = "";
  o.rates_fetch.attempts_max = 1;
  o.rates_fetch.connect_timeout_ms = 1000;
  o.rates_fetch.total_timeout_ms = 2000;
}

}  // namespace landed::test
