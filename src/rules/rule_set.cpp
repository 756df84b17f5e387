#include "rules/rule_set.h"

namespace landed {

const VatRate* VatSchedule::find(const std::string& category, const Date& date) const {
  for (const auto& r : rates)
    if (r.category == category && r.provenance.in_force(date)) return &r;
  return nullptr;
}

const ShippingService* Merchant::find_shipping(const std::string& service) const {
  for (const auto& s : shipping)
    if (s.service == service) return &s;
  return nullptr;
}

const Decimal& Merchant::markup_for(Currency from, Currency to) const {
  const FxMarkup* to_only = nullptr;
  const FxMarkup* from_only = nullptr;
  for (const auto& m : fx_markups) {
    if (m.from && m.to) {
      if (*m.from == from && *m.to == to) return m.markup;
    } else if (m.to) {
      if (*m.to == to) to_only = &m;
    } else if (m.from && *m.from == from) {
      from_only = &m;
    }
  }
  if (to_only) return to_only->markup;
  if (from_only) return from_only->markup;
  return fx_markup;
}

bool CashRounding::applies_to(Currency c) const {
  for (const auto& x : currencies)
    if (x == c) return true;
  return false;
}

const CountryCurrency* RuleSet::currency_of(const std::string& country, const Date& date) const {
  for (const auto& c : country_currencies)
    if (c.country == country && c.provenance.in_force(date)) return &c;
  return nullptr;
}

std::size_t RuleSet::rule_count() const {
  std::size_t n = 0;
  for (const auto& f : files) n += f.rules;
  return n;
}

}  // namespace landed
