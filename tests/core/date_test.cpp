#include <catch2/catch.hpp>

#include "core/date.h"

using landed::Date;
using landed::Timestamp;

TEST_CASE("Date parses real calendar days and prints them back") {
  REQUIRE(Date::parse("2026-11-23")->to_string() == "2026-11-23");
  REQUIRE(Date::parse("2024-02-29").has_value());
  REQUIRE(*Date::parse("2025-07-01") < *Date::parse("2025-07-02"));
}

TEST_CASE("Date refuses malformed and impossible days") {
  for (const char* bad : {"", "2026-1-23", "2026/11/23", "2025-02-29", "2026-13-01", "2026-11-31", "20261123",
                          "2026-11-23T00:00:00Z", "abcd-ef-gh", " 2026-11-23"})
    CHECK_FALSE(Date::parse(bad).has_value());
}

TEST_CASE("Timestamp parses RFC 3339 UTC and prints with Z") {
  const auto t = Timestamp::parse("2026-11-23T16:00:00Z");
  REQUIRE(t);
  CHECK(t->to_string() == "2026-11-23T16:00:00Z");
  CHECK(t->date().to_string() == "2026-11-23");
  CHECK(t->plus_seconds(30 * 60).to_string() == "2026-11-23T16:30:00Z");
  CHECK(Timestamp::parse("2026-11-23T23:59:59.123Z")->to_string() == "2026-11-23T23:59:59Z");
  CHECK(Timestamp::parse("2026-11-23T10:00:00+00:00")->to_string() == "2026-11-23T10:00:00Z");
  CHECK(Timestamp::parse("2026-11-23")->to_string() == "2026-11-23T00:00:00Z");
  CHECK(Timestamp::parse("1970-01-01T00:00:00Z")->seconds() == 0);
}

TEST_CASE("Timestamp refuses other offsets and malformed times") {
  for (const char* bad : {"2026-11-23T16:00:00", "2026-11-23T16:00:00+01:00", "2026-11-23T24:00:00Z",
                          "2026-11-23T16:60:00Z", "2026-11-23 16:00:00Z", "2026-11-23T16:00:00.Z", "now"})
    CHECK_FALSE(Timestamp::parse(bad).has_value());
}
