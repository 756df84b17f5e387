#include <catch2/catch.hpp>
#include <stdexcept>

#include "money/decimal.h"
#include "support.h"

using landed::Decimal;
using landed::Rounding;

namespace {
Decimal d(const char* s) { return *Decimal::parse(s); }
}  // namespace

TEST_CASE("Decimal parses plain decimal text exactly and prints it back") {
  for (const char* s : {"0", "12.30", "-12.345", "0.000001", "12345678901234567890.0345", "1000000"})
    CHECK(d(s).to_string() == s);
  CHECK(d("007.50").to_string() == "7.50");
  // Leading zeros after the point, a sign, and magnitudes past 64 bits.
  CHECK(d("-0.005").to_string() == "-0.005");
  CHECK(d("0.000").to_string() == "0.000");
  CHECK(d("123456789012345678901234.5678").to_string() == "123456789012345678901234.5678");
  std::string appended = "x=";
  d("-12.30").append_to(appended);
  CHECK(appended == "x=-12.30");
  CHECK(d("-0.5").is_negative());
  CHECK(d("12.30").scale() == 2);
}

TEST_CASE("Decimal refuses anything but plain decimal text") {
  for (const char* s : {"", "-", ".5", "5.", "1e3", "+1", " 1", "1 ", "1,5", "0x10", "1.2.3", "NaN", "--1", "١٢"})
    CHECK_FALSE(Decimal::parse(s).ok());
}

TEST_CASE("Decimal refuses more than 36 significant digits and over-long scales") {
  CHECK(Decimal::parse(std::string(36, '9')).ok());
  CHECK_FALSE(Decimal::parse(std::string(37, '9')).ok());
  CHECK(Decimal::parse("0." + std::string(30, '1')).ok());
  CHECK_FALSE(Decimal::parse("0." + std::string(31, '1')).ok());
}

TEST_CASE("Decimal addition, subtraction and multiplication are exact") {
  CHECK((d("0.1") + d("0.2")).to_string() == "0.3");
  CHECK((d("19.99") * d("0.8729887025")).to_string() == "17.451044162975");
  CHECK((d("10") - d("0.01")).to_string() == "9.99");
  CHECK((d("-1.5") + d("1.50")).is_zero());
  CHECK((d("3") * d("-0.25")).to_string() == "-0.75");
}

TEST_CASE("Decimal comparison is by value, whatever the scale") {
  CHECK(d("1.0") == d("1.000"));
  CHECK(d("1.01") > d("1.001"));
  CHECK(d("-2") < d("-1.99"));
  // One side cannot be rescaled without overflow: its sign decides.
  CHECK(d(std::string(36, '9').c_str()) > d("0.000000000000000000000001"));
  CHECK(-d(std::string(36, '9').c_str()) < d("-0.000000000000000000000001"));
}

TEST_CASE("Decimal arithmetic that cannot fit throws overflow, never wraps") {
  const Decimal big = d(std::string(36, '9').c_str());
  CHECK_THROWS_AS(big * big, std::overflow_error);
  CHECK_THROWS_AS(big * d("1000"), std::overflow_error);
  CHECK_THROWS_AS(d("0.000000000000001") * d("0.0000000000000001"), std::overflow_error);  // scale 31
}

TEST_CASE("Decimal rounding follows every row of the bojanz rounding vectors") {
  LANDED_SKIP_WITHOUT_SHARED_DATA();
  const auto rows = landed::test::read_csv(landed::test::shared_data() / "formatting/rounding_vectors_bojanz.csv");
  REQUIRE(rows.size() > 30);
  int checked = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    std::string mode = r[3];
    if (mode.rfind("Round", 0) == 0) mode = mode.substr(5);
    const auto rounding = landed::parse_rounding(mode);
    REQUIRE(rounding);
    INFO("line " << r[0] << ": " << r[1] << " to " << r[2] << " digits " << r[3]);
    CHECK(d(r[1].c_str()).round(std::stoi(r[2]), *rounding).to_string() == r[4]);
    ++checked;
  }
  CHECK(checked == int(rows.size()) - 1);
}

TEST_CASE("Decimal rounding modes on ties, non-ties and negatives") {
  CHECK(d("2.5").round(0, Rounding::HalfEven).to_string() == "2");
  CHECK(d("3.5").round(0, Rounding::HalfEven).to_string() == "4");
  CHECK(d("-2.5").round(0, Rounding::HalfUp).to_string() == "-3");
  CHECK(d("-2.5").round(0, Rounding::HalfDown).to_string() == "-2");
  CHECK(d("-2.1").round(0, Rounding::Up).to_string() == "-3");
  CHECK(d("-2.9").round(0, Rounding::Down).to_string() == "-2");
  CHECK(d("2.51").round(0, Rounding::HalfDown).to_string() == "3");
  CHECK(d("1.2").round(3, Rounding::Down).to_string() == "1.200");
}

TEST_CASE("Decimal division rounds to the requested digits") {
  CHECK(Decimal::divide(d("1"), d("3"), 4, Rounding::HalfEven).to_string() == "0.3333");
  CHECK(Decimal::divide(d("2"), d("3"), 4, Rounding::Down).to_string() == "0.6666");
  CHECK(Decimal::divide(d("1.1684"), d("186.75"), 12, Rounding::HalfEven).to_string() == "0.006256492637");
  CHECK(Decimal::divide(d("-1"), d("8"), 2, Rounding::HalfEven).to_string() == "-0.12");
  CHECK(Decimal::divide(d("100"), d("0.001"), 0, Rounding::HalfEven).to_string() == "100000");
}

TEST_CASE("Decimal significant-digit rounding keeps precision for tiny and large values") {
  CHECK(d("0.0000497958374").round_significant(4, Rounding::HalfEven).to_string() == "0.00004980");
  CHECK(d("20082.0512").round_significant(6, Rounding::HalfEven).to_string() == "20082.1");
  CHECK(d("123456789").round_significant(3, Rounding::HalfEven).to_string() == "123456789");
  CHECK(d("1.50").normalized().to_string() == "1.5");
}

TEST_CASE("Decimal multiply_round rounds the exact product once, even beyond 128 bits") {
  CHECK(Decimal::multiply_round(d("0.004999"), d("100000"), 2, Rounding::HalfEven).to_string() == "499.90");
  CHECK(Decimal::multiply_round(d("19.99"), d("0.87298870254"), 2, Rounding::HalfEven).to_string() == "17.45");
  CHECK(Decimal::multiply_round(d("0.125"), d("1"), 2, Rounding::HalfEven).to_string() == "0.12");
  CHECK(Decimal::multiply_round(d("0.125"), d("1"), 2, Rounding::HalfUp).to_string() == "0.13");
  CHECK(Decimal::multiply_round(d("-0.125"), d("1"), 2, Rounding::HalfUp).to_string() == "-0.13");
  CHECK(Decimal::multiply_round(d("1.5"), d("2"), 3, Rounding::Down).to_string() == "3.000");
  // 24 digits × 19 digits: the exact product has 43 digits, more than a 128-bit mantissa holds.
  const Decimal line = d("99999999999999.999999") * d("100000");
  const Decimal rate = d("1.234567890123456789");
  REQUIRE_THROWS_AS(line * rate, std::overflow_error);
  CHECK(Decimal::multiply_round(line, rate, 2, Rounding::HalfEven).to_string() == "12345678901234567889.88");  // …889.8765…
  // The rounded result must still fit.
  CHECK_THROWS_AS(Decimal::multiply_round(d("99999999999999999999"), d("99999999999999999999"), 2, Rounding::Down),
                  std::overflow_error);
}
