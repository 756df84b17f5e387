#include "money/money.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "core/check.h"

namespace landed {
namespace {

void same_currency(const Money& a, const Money& b) {
  if (a.currency() != b.currency())
    throw std::logic_error("money: mixing " + std::string(a.currency().code()) + " and " +
                           std::string(b.currency().code()));
}

}  // namespace

Money Money::of(const Decimal& amount, Currency currency, Rounding mode) {
  return Money(amount.round(currency.digits(), mode), currency);
}

Result<Money> Money::exact(const Decimal& amount, Currency currency) {
  if (amount.scale() > currency.digits() && amount.normalized().scale() > currency.digits())
    return Error{ErrorCode::invalid_field,
                 "has more fraction digits than " + std::string(currency.code()) + " allows (" +
                     std::to_string(currency.digits()) + ")",
                 ""};
  return Money(amount.round(currency.digits(), Rounding::Down), currency);
}

Money Money::operator+(const Money& b) const {
  same_currency(*this, b);
  return Money(amount_ + b.amount_, currency_);
}

Money Money::operator-(const Money& b) const {
  same_currency(*this, b);
  return Money(amount_ - b.amount_, currency_);
}

Money Money::times(std::int64_t quantity) const {
  return Money(amount_ * Decimal::from_int(quantity), currency_);
}

bool Money::operator==(const Money& b) const {
  return currency_ == b.currency_ && amount_ == b.amount_;
}

Money round_to_increment(const Money& m, const Decimal& increment, Rounding mode) {
  const int digits = m.currency().digits();
  LANDED_CHECK(increment.sign() > 0, "a rounding increment is positive");
  // The increment in minor units; it must be whole (0.05 of a currency with 2 digits is 5).
  const Decimal in_minor = increment.normalized();
  LANDED_CHECK(in_minor.scale() <= digits, "a rounding increment is a whole number of minor units");
  const Decimal::Int step = in_minor.mantissa() * pow10(digits - in_minor.scale());
  const Decimal::Int units = divide_rounded(m.minor_units(), step, mode) * step;
  auto rounded = Money::exact(Decimal(units, digits), m.currency());
  LANDED_CHECK(rounded.ok(), "a multiple of whole minor units is a Money");
  return *rounded;
}

std::vector<Money> allocate(const Money& total, std::span<const Decimal> weights) {
  LANDED_CHECK(!weights.empty(), "allocation needs at least one weight");
  Decimal sum;
  for (const auto& w : weights) {
    LANDED_CHECK(!w.is_negative(), "allocation weights must be non-negative");
    sum += w;
  }
  const Currency c = total.currency();
  const Decimal::Int& units = total.minor_units();
  std::vector<Decimal::Int> parts(weights.size());
  if (sum.is_zero()) {
    // Nothing to weigh by: split evenly.
    std::vector<Decimal> even(weights.size(), Decimal::from_int(1));
    return allocate(total, even);
  }
  // part_i = units * w_i / sum, computed on a common scale so that all are integers.
  const int scale = std::max_element(weights.begin(), weights.end(), [](const Decimal& a, const Decimal& b) {
                      return a.scale() < b.scale();
                    })->scale();
  // units × weight can exceed 128 bits for carts within every input bound: use 256.
  using Wide = boost::multiprecision::checked_int256_t;
  const Wide denom(sum.round(scale, Rounding::Down).mantissa());
  Decimal::Int given = 0;
  std::vector<Wide> wide_remainders(weights.size());
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const Wide num = Wide(units) * Wide(weights[i].round(scale, Rounding::Down).mantissa());
    parts[i] = Decimal::Int(num / denom);  // |part| <= |units|: fits
    wide_remainders[i] = num % denom;
    given += parts[i];
  }
  Decimal::Int left = units - given;  // same sign as units, |left| < number of parts
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return abs(wide_remainders[a]) > abs(wide_remainders[b]);
  });
  for (std::size_t k = 0; left != 0; ++k) {
    LANDED_CHECK(k < order.size(), "allocation leftover exceeds parts");
    parts[order[k]] += left > 0 ? 1 : -1;
    left += left > 0 ? -1 : 1;
  }
  std::vector<Money> out;
  out.reserve(parts.size());
  for (const auto& p : parts) out.push_back(Money::of(Decimal(p, c.digits()), c, Rounding::Down));
  return out;
}

}  // namespace landed
