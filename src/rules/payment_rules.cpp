#include "rules/payment_rules.h"

#include <algorithm>

namespace landed {

bool AnyOf::has(std::string_view v) const {
  return any || std::binary_search(values.begin(), values.end(), v, std::less<>());
}

const PaymentAmountRange* PaymentMethod::range_for(std::string_view currency, std::string_view country) const {
  const PaymentAmountRange* general = nullptr;
  for (const PaymentAmountRange& r : amounts) {
    if (r.currency.code() != currency) continue;
    if (r.countries.empty()) general = &r;
    else if (std::find(r.countries.begin(), r.countries.end(), country) != r.countries.end()) return &r;
  }
  return general;
}

int PaymentMethod::rank_in(std::string_view country, std::string_view channel) const {
  if (const auto c = rank_channels.find(channel); c != rank_channels.end()) return c->second;
  if (const auto m = rank_markets.find(country); m != rank_markets.end()) return m->second;
  return rank_default;
}

const std::vector<std::string>& CardBrandRules::accepted_in(std::string_view country) const {
  const auto m = accepted_markets.find(country);
  return m == accepted_markets.end() ? accepted_default : m->second;
}

const CardBrand* CardBrandRules::brand(std::string_view id) const {
  for (const CardBrand& b : brands)
    if (b.id == id) return &b;
  for (const CardBrand& b : local_brands)
    if (b.id == id) return &b;
  return nullptr;
}

const std::vector<std::size_t>& PaymentRules::offered_in(const std::string& country) const {
  const auto it = by_country.find(country);
  return it == by_country.end() ? everywhere : it->second;
}

const PaymentMethod* PaymentRules::find(std::string_view id) const {
  const auto it = std::lower_bound(methods.begin(), methods.end(), id,
                                   [](const PaymentMethod& m, std::string_view v) { return m.provenance.id < v; });
  return it != methods.end() && it->provenance.id == id ? &*it : nullptr;
}

void PaymentRules::index() {
  std::sort(methods.begin(), methods.end(), [](const PaymentMethod& a, const PaymentMethod& b) { return a.provenance.id < b.provenance.id; });
  by_country.clear();
  everywhere.clear();
  for (std::size_t i = 0; i < methods.size(); ++i)
    if (methods[i].countries.any) everywhere.push_back(i);
  for (std::size_t i = 0; i < methods.size(); ++i)
    for (const std::string& c : methods[i].countries.values) by_country[c].push_back(i);
  for (auto& [country, list] : by_country) {
    list.insert(list.end(), everywhere.begin(), everywhere.end());
    std::sort(list.begin(), list.end());
  }
}

}  // namespace landed
