#include <catch2/catch.hpp>

#include "core/time_zone.h"

using landed::Timestamp;

namespace {
Timestamp at(const char* t) { return *Timestamp::parse(t); }
}  // namespace

TEST_CASE("A destination's local date comes from its ICU time zone, not UTC") {
  // 21:30Z on 30 June is 00:30 on 1 July in Tallinn (EEST, UTC+3).
  const auto ee = landed::local_date("EE", at("2025-06-30T21:30:00Z"));
  REQUIRE(ee.ok());
  CHECK(ee->zone == "Europe/Tallinn");
  CHECK(ee->date.to_string() == "2025-07-01");
  CHECK(landed::local_date("EE", at("2025-06-30T20:59:59Z"))->date.to_string() == "2025-06-30");
  // Sofia in winter is UTC+2: the euro day begins at 22:00Z on 31 December.
  CHECK(landed::local_date("BG", at("2025-12-31T22:00:00Z"))->date.to_string() == "2026-01-01");
  CHECK(landed::local_date("BG", at("2025-12-31T21:59:59Z"))->date.to_string() == "2025-12-31");
  CHECK(landed::local_date("HR", at("2026-11-23T23:30:00Z"))->date.to_string() == "2026-11-24");
  CHECK(landed::local_date("GB", at("2026-11-23T23:30:00Z"))->date.to_string() == "2026-11-23");
}

TEST_CASE("A country with several zones uses CLDR's primary zone") {
  CHECK(landed::local_date("ES", at("2026-01-01T00:00:00Z"))->zone == "Europe/Madrid");  // not Atlantic/Canary
  CHECK(landed::local_date("PT", at("2026-01-01T00:00:00Z"))->zone == "Europe/Lisbon");
  CHECK(landed::local_date("DE", at("2026-01-01T00:00:00Z"))->zone == "Europe/Berlin");
  CHECK(landed::local_date("CN", at("2026-01-01T00:00:00Z"))->zone == "Asia/Shanghai");
}

TEST_CASE("A country whose zones disagree on the date takes the latest of them") {
  // A moment when New York has passed midnight and Los Angeles has not.
  const auto us = landed::local_date("US", at("2026-11-24T06:00:00Z"));  // 01:00 New York, 22:00 LA
  REQUIRE(us.ok());
  CHECK(us->date.to_string() == "2026-11-24");
  const auto au = landed::local_date("AU", at("2026-11-23T13:30:00Z"));  // 00:30 Sydney (UTC+11), 21:30 Perth
  CHECK(au->date.to_string() == "2026-11-24");
}

TEST_CASE("local_date refuses what is not a country ICU has a zone for") {
  CHECK_FALSE(landed::local_date("hr", at("2026-01-01T00:00:00Z")).ok());
  CHECK_FALSE(landed::local_date("HRV", at("2026-01-01T00:00:00Z")).ok());
  CHECK_FALSE(landed::local_date("", at("2026-01-01T00:00:00Z")).ok());
  CHECK(landed::local_date("ZZ", at("2026-01-01T00:00:00Z")).error().code == landed::ErrorCode::not_found);
  CHECK_FALSE(landed::local_date_in("Mars/Olympus_Mons", at("2026-01-01T00:00:00Z")).ok());
  CHECK(landed::utc_offset_seconds("Europe/Tallinn", at("2026-01-15T12:00:00Z")).value() == 2 * 3600);
}

// Each thread remembers the offset span of the last instant asked about per country; asking
// across a daylight-saving change, and back again, must still give each instant its own offset.
TEST_CASE("Local dates stay right across daylight-saving changes whatever order they are asked in") {
  // Tallinn: EET (UTC+2) until 01:00Z on 29 March 2026, EEST (UTC+3) after.
  CHECK(landed::local_date("EE", at("2026-03-29T00:59:59Z"))->utc_offset_seconds == 2 * 3600);
  CHECK(landed::local_date("EE", at("2026-03-29T01:00:00Z"))->utc_offset_seconds == 3 * 3600);
  CHECK(landed::local_date("EE", at("2026-03-29T00:59:59Z"))->utc_offset_seconds == 2 * 3600);
  CHECK(landed::local_date("EE", at("2026-10-25T00:59:59Z"))->utc_offset_seconds == 3 * 3600);
  CHECK(landed::local_date("EE", at("2026-10-25T01:00:00Z"))->utc_offset_seconds == 2 * 3600);
  // 21:30Z is the next day in summer (UTC+3) but not in winter (UTC+2 gives 23:30).
  CHECK(landed::local_date("EE", at("2026-07-10T21:30:00Z"))->date.to_string() == "2026-07-11");
  CHECK(landed::local_date("EE", at("2026-01-10T21:30:00Z"))->date.to_string() == "2026-01-10");
  CHECK(landed::local_date("EE", at("1999-07-10T21:30:00Z"))->date.to_string() == "1999-07-11");
}
