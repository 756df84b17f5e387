#include "fx/base_rate_table.h"

#include <stdexcept>

#include "core/check.h"
#include "core/limits.h"

namespace landed {

BaseRateTable BaseRateTable::of(Currency base, Date as_of, std::string source, std::string version, Rates per_base) {
  BaseRateTable t;
  t.base_ = base;
  t.as_of_ = as_of;
  t.source_ = std::move(source);
  t.version_ = std::move(version);
  t.per_base_ = std::move(per_base);
  t.per_base_.insert_or_assign(std::string(base.code()), Decimal::from_int(1));
  for (const auto& [code, value] : t.per_base_) LANDED_CHECK(value.sign() > 0, "rates are checked positive before a table is built");
  return t;
}

BaseRateTable BaseRateTable::from_ecb(const RateTable& table) {
  return of(*Currency::of("EUR"), table.as_of(), table.source(), table.version(), table.per_eur());
}

const Decimal* BaseRateTable::find(std::string_view code) const {
  const auto it = per_base_.find(code);
  return it == per_base_.end() ? nullptr : &it->second;
}

Result<AppliedRate> BaseRateTable::rate(Currency from, Currency to, const Decimal& markup) const {
  if (from == to) return AppliedRate{from, to, Decimal::from_int(1), Decimal(), Decimal::from_int(1)};
  const Decimal* f = find(from.code());
  if (f == nullptr) return Error{ErrorCode::not_found, "no " + source_ + " rate for " + std::string(from.code()), ""};
  const Decimal* t = find(to.code());
  if (t == nullptr) return Error{ErrorCode::not_found, "no " + source_ + " rate for " + std::string(to.code()), ""};
  return applied_rate(from, to, *t, *f, markup);
}

Result<RateTable> BaseRateTable::to_rate_table() const {
  if (base_.code() != "EUR")
    return Error{ErrorCode::unsupported, "a RateTable is per EUR; this table is per " + std::string(base_.code()), ""};
  return RateTable::from_rates(as_of_, source_, version_, per_base_);
}

Result<AppliedRate> applied_rate(Currency from, Currency to, const Decimal& to_units, const Decimal& from_units,
                                 const Decimal& markup) {
  if (from == to) return AppliedRate{from, to, Decimal::from_int(1), Decimal(), Decimal::from_int(1)};
  LANDED_CHECK(from_units.sign() > 0 && to_units.sign() > 0, "rates are positive");
  // Enough fraction digits that fx_rate_digits significant digits survive for any pair (as in
  // RateTable::rate, so both give identical figures).
  constexpr int work_digits = 20;
  try {
    const Decimal mid = Decimal::divide(to_units, from_units, work_digits, Rounding::HalfEven)
                            .round_significant(limits::fx_rate_digits, Rounding::HalfEven)
                            .normalized();
    return AppliedRate{from, to, mid, markup, (mid * (Decimal::from_int(1) + markup)).normalized()};
  } catch (const std::overflow_error&) {
    return Error{ErrorCode::out_of_range,
                 "the cross rate " + std::string(from.code()) + "->" + std::string(to.code()) + " is beyond the range of exact decimals", ""};
  }
}

}  // namespace landed
