#include <catch2/catch.hpp>
#include <random>
#include <stdexcept>

#include "money/money.h"

using landed::Currency;
using landed::Decimal;
using landed::Money;
using landed::Rounding;

namespace {
Decimal d(const char* s) { return *Decimal::parse(s); }
Currency c(const char* code) { return *Currency::of(code); }
}  // namespace

TEST_CASE("Money holds exactly the currency's minor-unit digits") {
  CHECK(Money::of(d("1234.5"), c("EUR"), Rounding::HalfEven).to_string() == "1234.50");
  CHECK(Money::of(d("1234.5"), c("JPY"), Rounding::HalfEven).to_string() == "1234");
  CHECK(Money::of(d("1234.5"), c("JPY"), Rounding::HalfUp).to_string() == "1235");
  CHECK(Money::of(d("3.25"), c("KWD"), Rounding::HalfEven).to_string() == "3.250");
  CHECK(Money::of(d("12.3"), c("EUR"), Rounding::HalfEven).minor_units() == 1230);
}

TEST_CASE("Money::exact refuses digits the currency does not have") {
  CHECK(Money::exact(d("12.30"), c("EUR")).ok());
  CHECK(Money::exact(d("12.300"), c("EUR")).ok());  // trailing zeros lose nothing
  CHECK_FALSE(Money::exact(d("12.305"), c("EUR")).ok());
  CHECK_FALSE(Money::exact(d("1.5"), c("JPY")).ok());
}

TEST_CASE("Money arithmetic across currencies is a logic error") {
  const Money eur = Money::zero(c("EUR"));
  const Money usd = Money::zero(c("USD"));
  CHECK_THROWS_AS(eur + usd, std::logic_error);
  CHECK_THROWS_AS(eur - usd, std::logic_error);
  CHECK_FALSE(eur == usd);
}

TEST_CASE("Money times quantity is exact") {
  CHECK(Money::of(d("19.99"), c("EUR"), Rounding::Down).times(3).to_string() == "59.97");
}

TEST_CASE("allocate splits by largest remainder and sums to the whole") {
  const auto parts = landed::allocate(Money::of(d("10.00"), c("EUR"), Rounding::Down),
                                      std::vector<Decimal>{d("1"), d("1"), d("1")});
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].to_string() == "3.34");  // ties go to the earlier part
  CHECK(parts[1].to_string() == "3.33");
  CHECK(parts[2].to_string() == "3.33");

  const auto weighted = landed::allocate(Money::of(d("100"), c("JPY"), Rounding::Down),
                                         std::vector<Decimal>{d("0.5"), d("0.25"), d("0.25")});
  CHECK(weighted[0].to_string() == "50");
  CHECK(weighted[1].to_string() == "25");

  const auto zeros = landed::allocate(Money::of(d("0.05"), c("EUR"), Rounding::Down),
                                      std::vector<Decimal>{d("0"), d("0")});
  CHECK((zeros[0] + zeros[1]).to_string() == "0.05");

  const auto negative = landed::allocate(Money::of(d("-0.05"), c("EUR"), Rounding::Down),
                                         std::vector<Decimal>{d("1"), d("2")});
  CHECK((negative[0] + negative[1]).to_string() == "-0.05");
}

TEST_CASE("allocate always sums to the whole over random splits") {
  std::mt19937_64 rng(42);
  for (const char* code : {"EUR", "JPY", "KWD"}) {
    const Currency cur = c(code);
    for (int round = 0; round < 2000; ++round) {
      const auto units = std::int64_t(rng() % 10000000);
      const Money total(Money::of(Decimal(units, cur.digits()), cur, Rounding::Down));
      std::vector<Decimal> weights(1 + rng() % 12);
      for (auto& w : weights) w = Decimal(std::int64_t(rng() % 100000), int(rng() % 4));
      const auto parts = landed::allocate(total, weights);
      Money sum = Money::zero(cur);
      for (const auto& p : parts) {
        CHECK_FALSE(p.amount().is_negative());
        sum += p;
      }
      REQUIRE(sum == total);
    }
  }
}

TEST_CASE("round_to_increment rounds to a multiple of a cash increment in minor units") {
  const auto chf = *landed::Currency::of("CHF");
  const auto huf = *landed::Currency::of("HUF");
  const auto m = [](const char* a, landed::Currency c) { return *landed::Money::exact(*landed::Decimal::parse(a), c); };
  const auto inc = [](const char* a) { return *landed::Decimal::parse(a); };
  using landed::Rounding;
  struct Case {
    const char* amount;
    const char* increment;
    Rounding mode;
    const char* rounded;
  };
  for (const Case& c : {Case{"12.42", "0.05", Rounding::HalfUp, "12.40"}, Case{"12.43", "0.05", Rounding::HalfUp, "12.45"},
                        Case{"12.45", "0.05", Rounding::HalfUp, "12.45"}, Case{"12.47", "0.05", Rounding::HalfUp, "12.45"},
                        Case{"12.48", "0.05", Rounding::HalfUp, "12.50"}, Case{"12.41", "0.05", Rounding::Up, "12.45"},
                        Case{"12.44", "0.05", Rounding::Down, "12.40"}, Case{"-0.03", "0.05", Rounding::HalfUp, "-0.05"},
                        Case{"0.25", "0.50", Rounding::HalfUp, "0.50"}, Case{"0.25", "0.50", Rounding::HalfEven, "0.00"},
                        Case{"0.75", "0.50", Rounding::HalfEven, "1.00"}, Case{"0.00", "0.05", Rounding::HalfUp, "0.00"},
                        Case{"12.42", "0.050", Rounding::HalfUp, "12.40"}}) {
    INFO(c.amount << " to " << c.increment);
    const auto r = landed::round_to_increment(m(c.amount, chf), inc(c.increment), c.mode);
    CHECK(r.to_string() == c.rounded);
    CHECK(r.currency() == chf);
  }
  CHECK(landed::round_to_increment(m("10.50", huf), inc("1"), Rounding::HalfUp).to_string() == "11.00");
  CHECK(landed::round_to_increment(m("10.50", huf), inc("1"), Rounding::HalfEven).to_string() == "10.00");
  CHECK(landed::round_to_increment(m("10.49", huf), inc("1"), Rounding::HalfUp).to_string() == "10.00");
}
