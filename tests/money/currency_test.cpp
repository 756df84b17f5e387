#include <catch2/catch.hpp>
#include <cstdlib>
#include <set>
#include <unicode/ucurr.h>
#include <unicode/uenum.h>
#include <unicode/uversion.h>

#include "money/currency.h"
#include "support.h"

using landed::Currency;

TEST_CASE("Currency takes minor-unit digits from ICU") {
  CHECK(Currency::of("EUR")->digits() == 2);
  CHECK(Currency::of("JPY")->digits() == 0);
  CHECK(Currency::of("KWD")->digits() == 3);
  CHECK(Currency::of("BHD")->digits() == 3);
  CHECK(Currency::of("ISK")->digits() == 0);
  CHECK(Currency::of("USD")->code() == "USD");
}

// ICU 72 (CLDR 42) still lists HRK, withdrawn on 2023-01-01; no ECB rate exists for it, so a quote in
// HRK is refused by the rate table instead.
TEST_CASE("Currency refuses malformed, unknown and withdrawn codes") {
  for (const char* bad : {"", "eur", "EU", "EURO", "ZZZ", "E1R", "DEM", "VEB"})
    CHECK_FALSE(Currency::of(bad).ok());
}

TEST_CASE("Currency of a country comes from ICU's region data") {
  const auto day = *landed::Date::parse("2026-11-23");
  CHECK(Currency::of_country("HR", day)->code() == "EUR");
  CHECK(Currency::of_country("IL", day)->code() == "ILS");
  CHECK(Currency::of_country("CN", day)->code() == "CNY");
  CHECK(Currency::of_country("CA", day)->code() == "CAD");
  CHECK_FALSE(Currency::of_country("hr", day).ok());
  CHECK_FALSE(Currency::of_country("HRV", day).ok());
}

// ucurr_forLocaleAndDate, not today's currency: Croatia adopted the euro on 2023-01-01.
TEST_CASE("Currency of a country is the one in use on the given day") {
  CHECK(Currency::of_country("HR", *landed::Date::parse("2022-06-01"))->code() == "HRK");
  CHECK(Currency::of_country("HR", *landed::Date::parse("2022-12-31"))->code() == "HRK");
  CHECK(Currency::of_country("HR", *landed::Date::parse("2023-01-01"))->code() == "EUR");
}

// ISO 4217 (SIX list one) and ICU/CLDR disagree on a few minor units on purpose: CLDR gives the
// digits in everyday use (0 where the minor unit is not used in practice: no coins or high
// inflation). Landed follows ICU; this test pins the differences seen with ICU 72 so that a new
// ICU or ISO list that changes them is noticed.
TEST_CASE("Currency digits agree with the ISO 4217 table except the pinned CLDR choices") {
  LANDED_SKIP_WITHOUT_SHARED_DATA();
  const auto rows = landed::test::read_csv(landed::test::shared_data() / "currency/datasets_currency-codes_codes-all.csv");
  REQUIRE(rows.size() > 100);
  const std::set<std::string> pinned = {"AFN:2->0", "ALL:2->0", "IQD:3->0", "IRR:2->0", "KPW:2->0",
                                        "LAK:2->0", "LBP:2->0", "MGA:2->0", "MMK:2->0", "RSD:2->0",
                                        "SOS:2->0", "SYP:2->0", "YER:2->0"};
  int compared = 0;
  std::set<std::string> differing;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (r.size() < 6 || !r[5].empty() || r[2].size() != 3) continue;  // withdrawn, or no code
    const auto& iso = r[4];
    if (iso.empty() || iso == "N.A." || iso == "-") continue;  // funds and metals: no minor unit
    const auto c = Currency::of(r[2]);
    if (!c.ok()) continue;  // not a current common currency in ICU
    ++compared;
    if (c->digits() != std::stoi(iso)) differing.insert(r[2] + ":" + iso + "->" + std::to_string(c->digits()));
  }
  CHECK(compared > 140);
  CHECK(differing == pinned);
}

// Cash rounding (issue #14): ICU 72's UCURR_USAGE_CASH data, as exact decimals at the cash digits.
TEST_CASE("Currency cash increments come from ICU as exact decimals") {
  const std::pair<const char*, const char*> expected[] = {{"CHF", "0.05"}, {"CAD", "0.05"}, {"DKK", "0.50"}, {"HUF", "1"},
                                                          {"CZK", "1"},    {"SEK", "1"},    {"NOK", "1"},    {"TWD", "1"}};
  for (const auto& [code, increment] : expected) {
    INFO(code);
    const auto c = Currency::of(code);
    REQUIRE(c->cash_increment().has_value());
    CHECK(c->cash_increment()->to_string() == increment);  // the scale is the cash digits
  }
  CHECK(Currency::of("CHF")->cash_increment() == landed::Decimal(landed::Decimal::Int(5), 2));
  CHECK(Currency::of("HUF")->digits() == 2);  // ICU: two digits on paper, whole forints in cash
}

TEST_CASE("Currency has no cash increment where cash is paid in minor units") {
  for (const char* code : {"EUR", "USD", "GBP", "JPY", "KWD", "BHD", "ISK", "PLN", "AED"}) {
    INFO(code);
    CHECK_FALSE(Currency::of(code)->cash_increment().has_value());
  }
  CHECK_FALSE(Currency().cash_increment().has_value());
}

// The double ICU returns, read back from the exact decimal: for every current currency the
// decimal is what ICU means, digit for digit (strtod of it is ICU's double), and a whole number
// of minor units.
TEST_CASE("Every currency's cash increment is exactly ICU's and a whole number of minor units") {
  UErrorCode status = U_ZERO_ERROR;
  UEnumeration* codes = ucurr_openISOCurrencies(UCURR_COMMON | UCURR_NON_DEPRECATED, &status);
  REQUIRE(U_SUCCESS(status));
  std::set<std::string> with_cash_codes;
  const char* code = nullptr;
  int32_t len = 0;
  while ((code = uenum_next(codes, &len, &status)) != nullptr) {
    const auto c = Currency::of(std::string_view(code, std::size_t(len)));
    if (!c.ok()) continue;
    INFO(code);
    const std::u16string wide(code, code + len);
    UErrorCode st = U_ZERO_ERROR;
    const int cash_digits = ucurr_getDefaultFractionDigitsForUsage(wide.c_str(), UCURR_USAGE_CASH, &st);
    const double icu = ucurr_getRoundingIncrementForUsage(wide.c_str(), UCURR_USAGE_CASH, &st);
    REQUIRE(U_SUCCESS(st));
    const auto inc = c->cash_increment();
    if (!inc) {
      CHECK(cash_digits == c->digits());
      CHECK(icu == 0.0);
      continue;
    }
    with_cash_codes.insert(std::string(c->code()));
    CHECK(inc->scale() == cash_digits);
    if (icu == 0.0) CHECK(inc->mantissa() == 1);  // ICU's 0: one unit of the cash digits
    else CHECK(std::strtod(inc->to_string().c_str(), nullptr) == icu);
    CHECK(inc->scale() <= c->digits());
  }
  uenum_close(codes);
  // README lists these for ICU 72; a newer ICU may differ, and then README should say so.
  UVersionInfo v{};
  u_getVersion(v);
  if (v[0] == 72)
    CHECK(with_cash_codes == std::set<std::string>{"AMD", "CAD", "CHF", "COP", "CRC", "CZK", "DKK", "GYD", "HUF", "IDR",
                                                   "MNT", "MUR", "NOK", "PKR", "SEK", "TWD", "TZS", "UZS", "VEF"});
  CHECK(with_cash_codes.size() >= 10);
  CHECK(Currency::cash_rounding_source().rfind("CLDR cash rounding in ICU ", 0) == 0);
}
