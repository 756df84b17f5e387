#include "rules/duty_rules.h"

#include <algorithm>

namespace landed {

const char* to_string(DutyMeasureKind k) {
  switch (k) {
    case DutyMeasureKind::ad_valorem: return "ad_valorem";
    case DutyMeasureKind::specific: return "specific";
    case DutyMeasureKind::compound: return "compound";
  }
  return "?";
}

const char* to_string(DutyUnit u) {
  switch (u) {
    case DutyUnit::item: return "item";
    case DutyUnit::pair: return "pair";
    case DutyUnit::dozen: return "dozen";
    case DutyUnit::kg: return "kg";
    case DutyUnit::hundred_kg: return "100kg";
    case DutyUnit::litre: return "litre";
  }
  return "?";
}

bool DutyAgreement::partner(std::string_view origin) const {
  return std::binary_search(partners.begin(), partners.end(), origin);
}

namespace {
bool any_prefix(const std::vector<std::string>& prefixes, std::string_view code) {
  return std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) { return code.substr(0, p.size()) == p; });
}
}  // namespace

bool AdditionalDuty::covers(std::string_view hs_code, std::string_view origin) const {
  if (!std::binary_search(origins.begin(), origins.end(), origin)) return false;
  if (any_prefix(hs_excluded, hs_code)) return false;
  return all_hs || any_prefix(hs, hs_code);
}

const DutyTerritory* DutyRules::for_country(std::string_view country) const {
  const auto t = territory_of.find(country);
  if (t == territory_of.end()) return nullptr;
  const auto it = territories.find(t->second);
  return it == territories.end() ? nullptr : &it->second;
}

std::size_t DutyRules::line_count() const {
  std::size_t n = 0;
  for (const auto& [id, t] : territories) {
    n += t.tariff.size() + t.additional.size() + (t.fallback ? 1 : 0);
    for (const DutyAgreement& a : t.agreements) n += a.lines.size();
  }
  return n;
}

}  // namespace landed
