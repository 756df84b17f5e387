// Decimal: an exact decimal number, mantissa × 10^-scale, with a 128-bit overflow-checked
// mantissa (Boost.Multiprecision checked_int128_t) and 0 <= scale <= decimal_scale_max.
// Addition, subtraction and multiplication are exact; any result that would not fit throws
// std::overflow_error (inputs are bounded in core/limits.h so that valid carts never do).
// Division and every loss of digits go through round()/divide() with a named Rounding.
// The scale is part of the value's presentation: "12.30" keeps two digits; comparison is by value.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "money/rounding.h"

namespace landed {

class Decimal {
 public:
  using Int = boost::multiprecision::checked_int128_t;

  Decimal() = default;  // zero, scale 0
  Decimal(Int mantissa, int scale);
  static Decimal from_int(std::int64_t v) { return Decimal(Int(v), 0); }

  // Parses "-123.4500": optional '-', digits, optionally '.' and digits. No exponent, no '+',
  // no spaces. Refuses more than 36 significant digits or a scale above decimal_scale_max.
  static Result<Decimal> parse(std::string_view text);

  const Int& mantissa() const { return m_; }
  int scale() const { return scale_; }
  int integer_digits() const;  // digits before the point, ignoring leading zeros (0 for 0.x)
  bool is_zero() const { return m_ == 0; }
  bool is_negative() const { return m_ < 0; }
  int sign() const { return m_ < 0 ? -1 : (m_ > 0 ? 1 : 0); }

  // Exactly `digits` fraction digits (pads with zeros or rounds with `mode`).
  Decimal round(int digits, Rounding mode) const;
  // Rounds to `digits` significant digits (never fewer fraction digits than needed for that).
  Decimal round_significant(int digits, Rounding mode) const;
  // Same value with trailing fraction zeros removed.
  Decimal normalized() const;
  // a / b rounded to `digits` fraction digits. b must not be zero.
  static Decimal divide(const Decimal& a, const Decimal& b, int digits, Rounding mode);
  // a × b rounded once to `digits` fraction digits. The exact product is formed in 256 bits, so
  // it may have more digits than a Decimal holds (a 24-digit line value times a 19-digit FX rate);
  // only the rounded result must fit. This is how a price is converted: one rounding, no
  // intermediate one.
  static Decimal multiply_round(const Decimal& a, const Decimal& b, int digits, Rounding mode);

  Decimal operator-() const { return Decimal(-m_, scale_); }
  friend Decimal operator+(const Decimal& a, const Decimal& b);
  friend Decimal operator-(const Decimal& a, const Decimal& b);
  friend Decimal operator*(const Decimal& a, const Decimal& b);
  Decimal& operator+=(const Decimal& b) { return *this = *this + b; }
  Decimal& operator-=(const Decimal& b) { return *this = *this - b; }

  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);
  friend bool operator==(const Decimal& a, const Decimal& b) { return (a <=> b) == 0; }

  std::string to_string() const;  // plain notation with exactly scale() fraction digits
  void append_to(std::string& out) const;  // the same text, appended without a temporary

 private:
  Int m_ = 0;
  int scale_ = 0;
};

// 10^n as a checked 128-bit integer, 0 <= n <= 38.
const Decimal::Int& pow10(int n);
// num / den rounded by mode (den != 0), in integers.
Decimal::Int divide_rounded(const Decimal::Int& num, const Decimal::Int& den, Rounding mode);

}  // namespace landed
