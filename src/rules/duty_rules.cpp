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

const char* to_string(ReliefTreatment t) { return t == ReliefTreatment::no_duty ? "no_duty" : "flat_per_category"; }

const char* to_string(ReliefValue v) {
  switch (v) {
    case ReliefValue::goods: return "goods";
    case ReliefValue::goods_and_shipping: return "goods_and_shipping";
    case ReliefValue::customs_value: return "customs_value";
    case ReliefValue::duty: return "duty";
  }
  return "?";
}

const ReliefThreshold* DutyRelief::threshold_for(std::string_view ship_from) const {
  for (const auto& t : thresholds)
    if (t.ship_from.empty() || std::binary_search(t.ship_from.begin(), t.ship_from.end(), ship_from)) return &t;
  return nullptr;
}

bool DutyRelief::excludes(std::string_view hs_code) const {
  return std::any_of(hs_excluded.begin(), hs_excluded.end(), [&](const std::string& p) { return hs_code.substr(0, p.size()) == p; });
}

bool DutyRelief::decided_by(std::string_view hs_code) const {
  return std::all_of(hs_excluded.begin(), hs_excluded.end(), [&](const std::string& p) {
    const std::size_t n = std::min(p.size(), hs_code.size());
    return p.compare(0, n, hs_code.substr(0, n)) != 0 || p.size() <= hs_code.size();
  });
}

bool DutyTerritory::member(std::string_view country) const {
  return std::binary_search(members.begin(), members.end(), country);
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

namespace {
// A prefix and a code overlap when either starts with the other.
bool overlaps(const std::string& prefix, std::string_view code) {
  const std::size_t n = std::min(prefix.size(), code.size());
  return prefix.compare(0, n, code.substr(0, n)) == 0;
}
}  // namespace

bool AdditionalDuty::may_cover(std::string_view hs_code) const {
  if (all_hs) return true;
  return std::any_of(hs.begin(), hs.end(), [&](const std::string& p) { return overlaps(p, hs_code); });
}

bool AdditionalDuty::decided_by(std::string_view hs_code) const {
  const auto decided = [&](const std::string& p) { return !overlaps(p, hs_code) || p.size() <= hs_code.size(); };
  return std::all_of(hs.begin(), hs.end(), decided) && std::all_of(hs_excluded.begin(), hs_excluded.end(), decided);
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
    n += t.tariff.size() + t.additional.size() + t.reliefs.size() + (t.fallback ? 1 : 0);
    for (const DutyAgreement& a : t.agreements) n += a.lines.size();
  }
  return n;
}

}  // namespace landed
