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
