#include "fx/target_calendar.h"

#include <catch2/catch.hpp>

#include "fx/rate_history.h"

using namespace landed;

namespace {
Date day(const char* s) { return *Date::parse(s); }
std::string next(const char* s) { return target::next_business_day(day(s)).to_string(); }
}  // namespace

TEST_CASE("Easter Sunday by the Gregorian computus matches the published dates") {
  CHECK(target::easter_sunday(2024).to_string() == "2024-03-31");
  CHECK(target::easter_sunday(2025).to_string() == "2025-04-20");
  CHECK(target::easter_sunday(2026).to_string() == "2026-04-05");
  CHECK(target::easter_sunday(2019).to_string() == "2019-04-21");  // the latest case of the decade
  CHECK(target::easter_sunday(2008).to_string() == "2008-03-23");  // an early one
  CHECK(target::easter_sunday(2000).to_string() == "2000-04-23");  // a century leap year
  CHECK(target::easter_sunday(2285).to_string() == "2285-03-22");  // the earliest possible date
  CHECK(target::easter_sunday(2038).to_string() == "2038-04-25");  // the latest possible date
}

TEST_CASE("Good Friday and Easter Monday are TARGET closing days") {
  for (const char* d : {"2024-03-29", "2024-04-01", "2025-04-18", "2025-04-21", "2026-04-03", "2026-04-06"}) {
    INFO(d);
    CHECK_FALSE(target::is_business_day(day(d)));
  }
  CHECK(target::is_business_day(day("2026-04-02")));  // Maundy Thursday is open
  CHECK(target::is_business_day(day("2026-04-07")));
  CHECK(next("2026-04-02") == "2026-04-07");  // over Friday, the weekend and Monday
  CHECK(next("2025-04-17") == "2025-04-22");
  CHECK(next("2024-03-28") == "2024-04-02");
}

TEST_CASE("New Year 1 May and 25-26 December are TARGET closing days whatever the weekday") {
  for (const char* d : {"2026-01-01", "2026-05-01", "2025-12-25", "2025-12-26", "2024-12-25", "2024-12-26", "2025-05-01"}) {
    INFO(d);
    CHECK_FALSE(target::is_business_day(day(d)));
  }
  CHECK(target::is_business_day(day("2025-12-24")));  // Christmas Eve is open
  CHECK(target::is_business_day(day("2025-12-31")));
  CHECK(next("2025-12-24") == "2025-12-29");  // Thu 25, Fri 26, weekend
  CHECK(next("2025-12-31") == "2026-01-02");
  CHECK(next("2026-04-30") == "2026-05-04");  // Fri 1 May, weekend
}

TEST_CASE("Weekends are TARGET closing days and the next business day skips them") {
  CHECK_FALSE(target::is_business_day(day("2026-11-21")));  // Saturday
  CHECK_FALSE(target::is_business_day(day("2026-11-22")));  // Sunday
  CHECK(target::is_business_day(day("2026-11-23")));        // Monday
  CHECK(next("2026-11-20") == "2026-11-23");
  CHECK(next("2026-11-21") == "2026-11-23");
  CHECK(next("2026-11-23") == "2026-11-24");
}

TEST_CASE("The next ECB publication is 16:00 Frankfurt time on the next business day") {
  CHECK(target::next_ecb_publication(day("2026-11-20")).to_string() == "2026-11-23T15:00:00Z");  // CET
  CHECK(target::next_ecb_publication(day("2026-04-13")).to_string() == "2026-04-14T14:00:00Z");  // CEST
  CHECK(target::next_ecb_publication(day("2026-04-02")) == RateHistory::published_at(day("2026-04-07")));
}

TEST_CASE("A daily provider's next table is due at the next UTC midnight") {
  CHECK(target::next_daily_publication(day("2026-11-20")).to_string() == "2026-11-21T00:00:00Z");
  CHECK(target::next_daily_publication(day("2026-12-31")).to_string() == "2027-01-01T00:00:00Z");
  CHECK(target::next_daily_publication(day("2026-11-21")).to_string() == "2026-11-22T00:00:00Z");  // weekends too
}
