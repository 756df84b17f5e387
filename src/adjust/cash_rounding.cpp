#include "adjust/cash_rounding.h"

namespace landed {

std::optional<QuoteAdjustment> cash_rounding(const Money& total, const Merchant& merchant) {
  const Currency cur = total.currency();
  if (!merchant.cash_rounding || !merchant.cash_rounding->applies_to(cur)) return std::nullopt;
  const auto increment = cur.cash_increment();
  if (!increment) return std::nullopt;
  const CashRounding& cash = *merchant.cash_rounding;
  const Money rounded = round_to_increment(total, *increment, cash.mode);
  return QuoteAdjustment{"", "cash_rounding", rounded - total, *increment, std::string(to_string(cash.mode)), "total",
                         merchant.id, cash.source, Currency::cash_rounding_source()};
}

}  // namespace landed
