// The duty stage: what a cart pays in customs duty at the border of its destination's customs
// territory. Pure function of its inputs (the territory's rules, the lines already converted to
// the presentment currency, the shipment's facts, the quote's date and a converter for the
// customs rate); the engine calls it before the tax stage, which puts each line's duty into the
// import VAT base.
//
// In order:
// 1. no duty rules for the destination: nothing is computed, and the result says so (the quote
//    then never claims duties are included);
// 2. goods moving inside one customs territory (FR -> HR): no duty, a "same_customs_territory"
//    waiver;
// 3. customs value per line: the goods, plus under CIF the shipping (and insurance) allocated over
//    the lines by value, largest remainder;
// 4. the territory's low-value reliefs in force (for this buyer and merchant), in file order: the
//    first whose threshold the consignment's value is within applies (no duty, or a flat amount per
//    HS 6 category) to every line it does not exclude by HS code;
// 5. otherwise each line's tariff line, preference and additional duties (duty/tariff.h).
// Every duty entry is rounded on its own to the presentment currency's minor unit, half up
// (duty_rounding); a line's duty is the sum of its entries.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "duty/tariff.h"
#include "money/money.h"
#include "rules/duty_rules.h"

namespace landed {

inline constexpr Rounding duty_rounding = Rounding::HalfUp;

// `amount` in `to` at the mid rate `rate_source` names (no markup), exact, or why not.
using CustomsConverter = std::function<Result<Decimal>(const Money& amount, Currency to, const std::string& rate_source)>;

struct DutyItem {
  std::string hs_code;    // digits, empty when the request gave none
  std::string origin;     // ISO alpha-2, empty when not given
  Money value;            // the line's goods, presentment currency
  std::int64_t quantity = 1;
  std::optional<Decimal> weight_kg;  // the whole line's weight
  std::string pointer;    // "/items/N"
};

struct DutyInput {
  const DutyTerritory* territory = nullptr;  // nullptr: no duty rules for the destination
  std::string ship_from;                     // ISO country the goods leave from
  std::string ship_to;                       // ISO country they go to
  bool business = false;                     // a business buyer
  std::function<bool(const std::string& scheme)> registered;  // the merchant holds this registration
  std::vector<DutyItem> lines;               // at least one
  Money shipping;                            // the cart's shipping price
  Money insurance;                           // the merchant's insurance on the shipment (CIF)
  Date date = *Date::parse("1970-01-01");
  CustomsConverter convert;
};

// A relief's threshold test: the threshold, the value the relief names in the threshold's
// currency, and whether it was within.
struct DutyReliefTest {
  const DutyRelief* relief = nullptr;
  Money threshold;
  Money value_tested;
  bool within = false;
};

// One row of the quote's duties[]: one charge on one line (tariff, preference, additional), or
// one flat category amount spread over the lines of that category.
struct DutyEntry {
  std::string kind;        // "tariff", "preference", "additional", "flat_per_category"
  std::string rule, source;
  std::string hs;          // the tariff line matched; for a flat category its HS 6
  std::string preference;  // agreement id
  const DutyMeasure* measure = nullptr;  // null for a flat category
  std::optional<Decimal> flat_amount;    // flat_per_category: per category, territory currency
  std::vector<std::size_t> lines;
  std::vector<Money> parts;  // per entry of `lines`: its share of amount
  Money base;                // the customs value it was computed on
  Money amount;
  std::optional<Money> mfn_amount;  // a preference: what the tariff line would have charged
};

struct DutyWaiver {
  std::string reason;  // "below_threshold" | "same_customs_territory"
  // below_threshold: the lines it covers (a relief's hs_excluded lines pay the tariff instead)
  std::string rule, source, name;
  std::vector<std::size_t> lines;
  std::optional<DutyReliefTest> test;
};

struct DutyResult {
  bool computed = false;  // false: the destination has no duty rules; nothing below is meaningful
  const DutyTerritory* territory = nullptr;  // null when computed without one (a domestic sale)
  std::vector<Money> line_duty;          // per line
  std::vector<Money> line_customs_value; // per line: goods + its share of freight (CIF)
  std::vector<Money> line_freight;       // per line: its share of shipping and insurance (CIF)
  Money customs_value, duty_total;
  std::optional<Decimal> currency_factor;  // presentment per unit of the territory's currency, if known
  std::vector<DutyEntry> entries;
  std::vector<DutyWaiver> waived;
  std::vector<DutyReliefTest> reliefs_tested;  // reliefs in force whose threshold was exceeded
  std::optional<DutyReliefTest> flat;          // the flat_per_category relief that replaced the tariff
};

Result<DutyResult> compute_duties(const DutyInput& in);

}  // namespace landed
