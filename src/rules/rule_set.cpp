#include "rules/rule_set.h"

#include <algorithm>

namespace landed {

bool is_tax_band(std::string_view s) {
  return std::find(std::begin(tax_bands), std::end(tax_bands), s) != std::end(tax_bands);
}

bool is_product_kind(std::string_view s) {
  return std::find(std::begin(product_kinds), std::end(product_kinds), s) != std::end(product_kinds);
}

bool TaxDef::applies_in(std::string_view region) const {
  return regions.empty() || std::find(regions.begin(), regions.end(), region) != regions.end();
}

const TaxRate* TaxDef::rate(std::string_view band, const Date& date) const {
  for (const auto& r : rates)
    if (r.band == band && r.provenance.in_force(date)) return &r;
  return nullptr;
}

const TaxCategoryRule* TaxDef::category(std::string_view kind, const Date& date) const {
  for (const auto& c : categories)
    if (c.category == kind && c.provenance.in_force(date)) return &c;
  return nullptr;
}

std::vector<std::string> TaxDef::bands_in_force(const Date& date) const {
  std::vector<std::string> out;
  for (const auto band : tax_bands)
    if (rate(band, date)) out.emplace_back(band);
  return out;
}

std::size_t Territory::match_length(std::string_view region, std::string_view postal) const {
  if (!region.empty() && std::find(regions.begin(), regions.end(), region) != regions.end()) return region_match;
  std::size_t best = 0;
  for (const auto& p : postal_prefixes)
    if (postal.substr(0, p.size()) == p) best = std::max(best, p.size());
  return best;
}

bool Jurisdiction::has_region(std::string_view code) const {
  return std::find(region_codes.begin(), region_codes.end(), code) != region_codes.end();
}

const RegimeThreshold* TaxRegime::threshold_for(std::string_view origin) const {
  for (const auto& t : thresholds)
    if (t.origins.empty() || std::find(t.origins.begin(), t.origins.end(), origin) != t.origins.end()) return &t;
  return nullptr;
}

bool TaxRegime::excludes(std::string_view category) const {
  return std::find(excluded_categories.begin(), excluded_categories.end(), category) != excluded_categories.end();
}

const TaxRegime* RuleSet::regime_for(std::string_view jurisdiction, const Date& date) const {
  for (const auto& r : regimes)
    if (r.provenance.in_force(date) &&
        std::find(r.jurisdictions.begin(), r.jurisdictions.end(), jurisdiction) != r.jurisdictions.end())
      return &r;
  return nullptr;
}

bool PricesIncludeTax::for_market(const std::string& jurisdiction, const std::string& vat_area) const {
  if (const auto it = markets.find(jurisdiction); it != markets.end()) return it->second;
  if (!vat_area.empty())
    if (const auto it = markets.find(vat_area); it != markets.end()) return it->second;
  return by_default;
}

bool Merchant::registered_for(std::string_view scheme) const {
  return std::any_of(registrations.begin(), registrations.end(), [&](const Registration& r) { return r.scheme == scheme; });
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
