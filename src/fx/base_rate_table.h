// BaseRateTable: one day of rates from one source, as units of each currency per 1 unit of the
// source's base currency: per EUR for the ECB, per the document's "base" (e.g. USD) for a JSON
// provider. The base itself is in the table at exactly 1. Immutable once built.
//
// The applied-rate rule is RateTable's (fx/rate_table.h), shared by every source and every cross:
// the mid is the exact quotient of the per-base values, rounded once to fx_rate_digits
// significant digits (after a 20-fraction-digit division, as RateTable does, so an ECB pair gives
// the very same figures through either class), and the applied rate is exactly that shown mid
// times (1 + markup).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/result.h"
#include "fx/rate_table.h"
#include "money/currency.h"
#include "money/decimal.h"

namespace landed {

class BaseRateTable {
 public:
  using Rates = std::map<std::string, Decimal, std::less<>>;

  // `per_base` holds checked rates (positive, ICU-known codes; fx/rate_document.h checks them);
  // the base = 1 is added.
  static BaseRateTable of(Currency base, Date as_of, std::string source, std::string version, Rates per_base);
  static BaseRateTable from_ecb(const RateTable& table);  // base EUR

  const Currency& base() const { return base_; }
  const Date& as_of() const { return as_of_; }
  const std::string& source() const { return source_; }
  const std::string& version() const { return version_; }
  const Rates& per_base() const { return per_base_; }
  bool has(std::string_view code) const { return per_base_.find(code) != per_base_.end(); }
  const Decimal* find(std::string_view code) const;

  // Applied rate from -> to within this table. Same currency: 1, no markup. A currency the table
  // lacks: not_found.
  Result<AppliedRate> rate(Currency from, Currency to, const Decimal& markup) const;

  // The ECB RateTable of this table (for RateHistory); the base must be EUR.
  Result<RateTable> to_rate_table() const;

 private:
  Currency base_;
  Date as_of_ = *Date::parse("1999-01-04");
  std::string source_;
  std::string version_;
  Rates per_base_;
};

// The rule itself: from -> to where 1 `from` is worth `to_units / from_units` of `to` (each
// expressed in one common unit). mid rounded to fx_rate_digits significant digits, rate =
// mid × (1 + markup) exactly. out_of_range (never a throw) if the figures leave Decimal's range.
Result<AppliedRate> applied_rate(Currency from, Currency to, const Decimal& to_units, const Decimal& from_units,
                                 const Decimal& markup);

}  // namespace landed
