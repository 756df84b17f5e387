// Money: an amount in a currency, always held at exactly the currency's minor-unit digits
// (EUR "12.30", JPY "1235", KWD "3.250"). Constructing one from a finer value needs a named
// Rounding. Arithmetic across currencies is a bug and fails loudly (std::logic_error).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "money/currency.h"
#include "money/decimal.h"

namespace landed {

class Money {
 public:
  Money() = default;  // zero of the placeholder currency XXX
  // Rounds `amount` to the currency's digits with `mode`.
  static Money of(const Decimal& amount, Currency currency, Rounding mode);
  // Refuses an amount with more fraction digits than the currency has (no silent rounding).
  static Result<Money> exact(const Decimal& amount, Currency currency);
  static Money zero(Currency currency) { return Money(Decimal(0, currency.digits()), currency); }

  const Decimal& amount() const { return amount_; }
  Currency currency() const { return currency_; }
  // The amount in minor units (cents): "12.30" EUR -> 1230.
  const Decimal::Int& minor_units() const { return amount_.mantissa(); }
  bool is_zero() const { return amount_.is_zero(); }

  Money operator+(const Money& b) const;
  Money operator-(const Money& b) const;
  Money& operator+=(const Money& b) { return *this = *this + b; }
  Money times(std::int64_t quantity) const;
  bool operator==(const Money& b) const;

  std::string to_string() const { return amount_.to_string(); }  // "12.30"

 private:
  Money(Decimal amount, Currency currency) : amount_(std::move(amount)), currency_(currency) {}
  Decimal amount_;
  Currency currency_;
};

// `m` rounded by `mode` to a multiple of `increment` (positive, a whole number of m's minor
// units, such as a Currency's cash_increment): 12.42 CHF to 0.05 half-up is 12.40, 12.425 is not a
// Money, 12.43 is 12.45. Exact: done in minor units, one integer division.
Money round_to_increment(const Money& m, const Decimal& increment, Rounding mode);

// Splits `total` into parts proportional to `weights` (non-negative, not all zero) by the
// largest-remainder method: each part is floored to the minor unit, then the leftover minor
// units go one each to the parts with the largest remainders (ties to the earlier part).
// The parts always sum to `total` exactly.
std::vector<Money> allocate(const Money& total, std::span<const Decimal> weights);

}  // namespace landed
