// Customs duty rules (rules/duty/<territory>/, issue #10): per destination customs territory, the
// MFN tariff by HS code, preferential rates under trade agreements, and additional duties keyed
// by origin. Typed and validated by the loader (duty_loader.cpp); the assessment is src/duty/.
// Format: rules/duty/README.md.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "money/money.h"
#include "rules/provenance.h"

namespace landed {

enum class DutyMeasureKind { ad_valorem, specific, compound };
// The quantity a specific amount is for. item and pair count the line's quantity; dozen is
// quantity / 12; kg and hundred_kg the line's weight; litre its volume (which requests cannot
// carry yet, so a line needing it is refused rather than charged nothing).
enum class DutyUnit { item, pair, dozen, kg, hundred_kg, litre };

const char* to_string(DutyMeasureKind k);
const char* to_string(DutyUnit u);  // as the rule files spell it: "item", "100kg"

struct DutyPer {
  Decimal amount;  // in the territory's currency
  DutyUnit per = DutyUnit::item;
  bool operator==(const DutyPer&) const = default;
};

struct DutyMeasure {
  DutyMeasureKind kind = DutyMeasureKind::ad_valorem;
  std::optional<Decimal> rate;       // ad_valorem, compound
  std::optional<DutyPer> specific;   // specific, compound
  std::optional<DutyPer> minimum, maximum;
  bool operator==(const DutyMeasure&) const = default;
};

// One line of a tariff or of an agreement's schedule. hs "*" (agreements only) covers every code
// the agreement lists no line for.
struct TariffLine {
  std::string hs;
  DutyMeasure measure;
  std::string description;
  Provenance provenance;  // id built by the loader: "EU.tariff.6109", "EU.eu_uk_tca.*"
  std::string file;
};

struct DutyAgreement {
  Provenance provenance;  // id: "eu_uk_tca"
  std::string name;
  std::vector<std::string> partners;  // origin countries, sorted
  std::vector<TariffLine> lines;      // sorted by hs ("*" first)
  bool partner(std::string_view origin) const;
};

struct AdditionalDuty {
  Provenance provenance;  // id: "us_301_cn_list4a"
  std::string name, legal;
  std::vector<std::string> origins;  // sorted
  bool all_hs = false;
  std::vector<std::string> hs, hs_excluded;  // prefixes
  DutyMeasure measure;
  bool covers(std::string_view hs_code, std::string_view origin) const;
  // Whether some code starting with hs_code could be covered (for any origin), and whether
  // hs_code has the digits every prefix and exclusion needs to decide it.
  bool may_cover(std::string_view hs_code) const;
  bool decided_by(std::string_view hs_code) const;
};

// A low-value rule for customs duty (rules/duty/<T>/low_value.json): a consignment whose value
// (the one the rule names, converted at its rate source's mid rate) is within the threshold for
// its ship_from pays no duty (no_duty), or a flat amount per distinct HS 6 subheading instead of
// the tariff (flat_per_category: the EU's EUR 3 from 2026-07-01).
enum class ReliefTreatment { no_duty, flat_per_category };
enum class ReliefValue { goods, goods_and_shipping, customs_value, duty };
const char* to_string(ReliefTreatment t);
const char* to_string(ReliefValue v);

struct ReliefThreshold {
  std::vector<std::string> ship_from;  // sorted; empty: any ship_from
  Money amount;
};

struct DutyRelief {
  Provenance provenance;  // id: "EU.duty_relief_150"
  std::string name;
  ReliefTreatment treatment = ReliefTreatment::no_duty;
  std::optional<Decimal> flat_amount;  // flat_per_category: per category, territory currency
  std::vector<ReliefThreshold> thresholds;  // first match wins; a general one is last
  bool at_or_below = true;                  // false: strictly below
  ReliefValue value = ReliefValue::goods;
  std::optional<Decimal> value_factor;  // JP: personal imports are valued at 60 % of the retail price
  std::string rate_source;  // "ECB"
  bool consumers_only = false;
  std::string scheme;  // a registration the merchant needs for it to apply ("VOEC"); empty: none
  std::vector<std::string> hs_excluded;  // HS prefixes the relief does not cover: they pay the tariff
  bool excludes(std::string_view hs_code) const;
  bool decided_by(std::string_view hs_code) const;  // no exclusion is longer than a code it overlaps
  const ReliefThreshold* threshold_for(std::string_view ship_from) const;
  bool within(const Decimal& tested, const Decimal& threshold) const { return at_or_below ? tested <= threshold : tested < threshold; }
};

struct DutyTerritory {
  Provenance provenance;  // id: "EU"
  std::string name;
  std::vector<std::string> members;  // destination countries, sorted
  Currency currency;
  std::string nomenclature;
  std::string valuation;  // "CIF" or "FOB"
  std::string valuation_source;
  std::string customs_rate;  // which published rate converts values and thresholds: "ECB"
  std::string customs_rate_source;
  std::optional<TariffLine> fallback;
  std::vector<TariffLine> tariff;  // sorted by hs, then effective_from
  std::vector<DutyAgreement> agreements;
  std::vector<AdditionalDuty> additional;
  std::vector<DutyRelief> reliefs;  // in file order: the first in force and within applies
  bool has_low_value_file = false;
  bool member(std::string_view country) const;
  std::vector<std::string> files;  // the rule files that made it
};

struct DutyRules {
  std::map<std::string, DutyTerritory, std::less<>> territories;  // by territory id
  std::map<std::string, std::string, std::less<>> territory_of;   // member country -> territory id
  const DutyTerritory* for_country(std::string_view country) const;
  std::size_t line_count() const;
};

}  // namespace landed
