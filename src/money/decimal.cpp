#include "money/decimal.h"

#include <array>
#include <charconv>
#include <limits>
#include <stdexcept>

#include "core/check.h"
#include "core/limits.h"

namespace landed {
namespace {

// 36 digits always fit in 2^127 (1.7e38) with room to rescale by 100.
constexpr int parse_digits_max = 36;

const std::array<Decimal::Int, 39>& powers() {
  static const std::array<Decimal::Int, 39> table = [] {
    std::array<Decimal::Int, 39> t;
    t[0] = 1;
    for (std::size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
    return t;
  }();
  return table;
}

Decimal::Int abs_of(const Decimal::Int& v) { return v < 0 ? Decimal::Int(-v) : v; }

std::strong_ordering compare(const Decimal::Int& a, const Decimal::Int& b) {
  if (a < b) return std::strong_ordering::less;
  if (b < a) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

int digit_count(const Decimal::Int& v) {
  const Decimal::Int a = abs_of(v);
  int n = 1;
  while (n < 39 && a >= powers()[n]) ++n;
  return n;
}

void check_scale(int scale) {
  if (scale < 0 || scale > limits::decimal_scale_max)
    throw std::overflow_error("decimal scale out of range");
}

}  // namespace

const Decimal::Int& pow10(int n) {
  // Beyond 10^38 no 128-bit value can be scaled: that is an overflow, as for any other operation.
  if (n > 38) throw std::overflow_error("decimal rescale beyond 10^38");
  LANDED_CHECK(n >= 0, "power of ten out of range");
  return powers()[std::size_t(n)];
}

namespace {

// num / den rounded by mode, for the 128-bit mantissa and the 256-bit products alike.
template <typename I>
I divide_rounded_as(const I& num, const I& den, Rounding mode) {
  LANDED_CHECK(den != 0, "division by zero");
  const I q = num / den;  // truncates toward zero
  const I r = num % den;  // takes the sign of num
  if (r == 0) return q;
  const bool negative = (num < 0) != (den < 0);
  const I away = q + (negative ? -1 : 1);
  const I ar = r < 0 ? I(-r) : r, rest = (den < 0 ? I(-den) : den) - ar;  // compare 2|r| with |den|, safely
  switch (mode) {
    case Rounding::Down: return q;
    case Rounding::Up: return away;
    case Rounding::HalfUp: return ar >= rest ? away : q;
    case Rounding::HalfDown: return ar > rest ? away : q;
    case Rounding::HalfEven:
      if (ar > rest) return away;
      if (ar < rest) return q;
      return (q % 2 == 0) ? q : away;
  }
  return q;
}

}  // namespace

Decimal::Int divide_rounded(const Decimal::Int& num, const Decimal::Int& den, Rounding mode) {
  return divide_rounded_as(num, den, mode);
}

Decimal::Decimal(Int mantissa, int scale) : m_(std::move(mantissa)), scale_(scale) {
  check_scale(scale);
}

Result<Decimal> Decimal::parse(std::string_view text) {
  const auto bad = [&](std::string msg) { return Error{ErrorCode::invalid_field, std::move(msg), ""}; };
  std::size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) i = 1;
  Int m = 0;
  int digits = 0, scale = 0;
  bool seen_point = false, seen_digit_before = false, seen_digit_after = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (seen_point || !seen_digit_before) return bad("must be a decimal number such as \"12.30\"");
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return bad("must be a decimal number such as \"12.30\"");
    (seen_point ? seen_digit_after : seen_digit_before) = true;
    if (seen_point) ++scale;
    if (digits > 0 || c != '0') ++digits;
    if (digits > parse_digits_max) return bad("has too many digits");
    m = m * 10 + (c - '0');
  }
  if (!seen_digit_before || (seen_point && !seen_digit_after))
    return bad("must be a decimal number such as \"12.30\"");
  if (scale > limits::decimal_scale_max) return bad("has too many fraction digits");
  return Decimal(negative ? Int(-m) : m, scale);
}

int Decimal::integer_digits() const {
  const Int whole = abs_of(m_) / pow10(scale_);
  return whole == 0 ? 0 : digit_count(whole);
}

Decimal Decimal::round(int digits, Rounding mode) const {
  check_scale(digits);
  if (digits >= scale_) return Decimal(m_ * pow10(digits - scale_), digits);
  return Decimal(divide_rounded(m_, pow10(scale_ - digits), mode), digits);
}

Decimal Decimal::round_significant(int digits, Rounding mode) const {
  const int have = digit_count(m_);
  if (have <= digits) return *this;
  const int keep_scale = scale_ - (have - digits);
  return round(keep_scale < 0 ? 0 : keep_scale, mode);
}

Decimal Decimal::normalized() const {
  Int m = m_;
  int s = scale_;
  while (s > 0 && m % 10 == 0) {
    m /= 10;
    --s;
  }
  return Decimal(m, s);
}

Decimal Decimal::divide(const Decimal& a, const Decimal& b, int digits, Rounding mode) {
  LANDED_CHECK(!b.is_zero(), "division by zero");
  check_scale(digits);
  const int e = digits + b.scale_ - a.scale_;
  if (e >= 0) return Decimal(divide_rounded(a.m_ * pow10(e), b.m_, mode), digits);
  return Decimal(divide_rounded(a.m_, b.m_ * pow10(-e), mode), digits);
}

Decimal Decimal::multiply_round(const Decimal& a, const Decimal& b, int digits, Rounding mode) {
  using Wide = boost::multiprecision::checked_int256_t;
  check_scale(digits);
  const int scale = a.scale_ + b.scale_;  // of the exact product; at most 2 × decimal_scale_max
  // Most conversions fit: two mantissas under 10^19 multiply within 10^38, so the product and
  // its rounding stay in 128 bits, which is several times cheaper than the wide path.
  if (scale <= limits::decimal_scale_max && abs_of(a.m_) < powers()[19] && abs_of(b.m_) < powers()[19])
    return Decimal(a.m_ * b.m_, scale).round(digits, mode);
  const Wide product = Wide(a.m_) * Wide(b.m_);
  // Both scales are at most decimal_scale_max, so the product's scale is at most twice that.
  static const std::array<Wide, 2 * limits::decimal_scale_max + 1> powers_wide = [] {
    std::array<Wide, 2 * limits::decimal_scale_max + 1> t;
    t[0] = 1;
    for (std::size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
    return t;
  }();
  const auto pow = [](int n) -> const Wide& { return powers_wide[std::size_t(n)]; };
  Wide out = product;
  if (scale <= digits) out *= pow(digits - scale);
  else out = divide_rounded_as(out, pow(scale - digits), mode);
  // Only the rounded result has to fit the 128-bit mantissa.
  if (out > Wide(std::numeric_limits<Int>::max()) || out < Wide(std::numeric_limits<Int>::min()))
    throw std::overflow_error("decimal product does not fit after rounding");
  return Decimal(Int(out), digits);
}

Decimal operator+(const Decimal& a, const Decimal& b) {
  if (a.scale_ == b.scale_) return Decimal(a.m_ + b.m_, a.scale_);
  if (a.scale_ < b.scale_) return Decimal(a.m_ * pow10(b.scale_ - a.scale_) + b.m_, b.scale_);
  return Decimal(a.m_ + b.m_ * pow10(a.scale_ - b.scale_), a.scale_);
}

Decimal operator-(const Decimal& a, const Decimal& b) { return a + (-b); }

Decimal operator*(const Decimal& a, const Decimal& b) {
  const int scale = a.scale_ + b.scale_;
  check_scale(scale);
  return Decimal(a.m_ * b.m_, scale);
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  if (a.scale_ == b.scale_) return compare(a.m_, b.m_);
  // Rescale the operand with fewer fraction digits; if that cannot fit, its magnitude exceeds
  // anything the other can hold, so its sign decides.
  const bool a_low = a.scale_ < b.scale_;
  const Decimal& low = a_low ? a : b;
  const Decimal& high = a_low ? b : a;
  const Decimal::Int& factor = pow10(high.scale_ - low.scale_);
  std::strong_ordering low_vs_high = std::strong_ordering::equal;
  if (abs_of(low.m_) > std::numeric_limits<Decimal::Int>::max() / factor) {
    low_vs_high = low.m_ < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
  } else {
    low_vs_high = compare(low.m_ * factor, high.m_);
  }
  if (a_low) return low_vs_high;
  return 0 <=> low_vs_high;  // reverse
}

std::string Decimal::to_string() const {
  std::string out;
  append_to(out);
  return out;
}

void Decimal::append_to(std::string& out) const {
  // Most amounts fit 64 bits; cpp_int's own str() is an order of magnitude slower.
  const Int magnitude = abs_of(m_);
  char buf[64];  // 39 digits hold any 128-bit magnitude
  std::size_t n = 0;
  if (magnitude <= std::numeric_limits<std::uint64_t>::max()) {
    n = std::size_t(std::to_chars(buf, buf + sizeof buf, magnitude.convert_to<std::uint64_t>()).ptr - buf);
  } else {
    const std::string digits = magnitude.str();
    LANDED_CHECK(digits.size() <= sizeof buf, "a 128-bit magnitude has at most 39 digits");
    digits.copy(buf, digits.size());
    n = digits.size();
  }
  const std::size_t scale = std::size_t(scale_);
  if (m_ < 0) out += '-';
  if (n <= scale) {  // 0.0ddd: zeros between the point and the first digit
    out += "0.";
    out.append(scale - n, '0');
    out.append(buf, n);
    return;
  }
  out.append(buf, n - scale);
  if (scale > 0) {
    out += '.';
    out.append(buf + (n - scale), scale);
  }
}

}  // namespace landed
