// The duty of one cart line in one customs territory: the tariff line its HS code matches
// (longest prefix), the preference its origin qualifies for, the additional duties on its origin,
// and the amount of each measure. Pure: rules, values and dates come in, nothing is read.
// Amounts are exact decimals in the territory's currency; the caller rounds them, by a named
// mode, where the quote shows them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "money/decimal.h"
#include "rules/duty_rules.h"

namespace landed {

// The line of `lines` (sorted by hs) that `hs_code` matches on `date`:
// - lines longer than the code that it is a prefix of: matched when all of them (and the line
//   the code itself falls under, if any) give the same measure, else refused as not precise enough
//   (the error names the lines that differ);
// - otherwise the longest line that is a prefix of the code;
// - nullptr when none (the caller applies the territory's fallback or refuses).
// `pointer` is where errors point ("/items/0/hs_code").
Result<const TariffLine*> match_tariff_line(const std::vector<TariffLine>& lines, std::string_view hs_code, const Date& date,
                                            const std::string& pointer);

// What a measure is applied to, for one cart line. Specific amounts (and minimums and maximums)
// are in the territory's currency; currency_factor converts them into the currency of `value`,
// so that an ad valorem duty is computed on the value itself, unconverted.
struct DutyBase {
  Decimal value;                  // the line's customs value, exact
  Decimal quantity;               // units on the line (pairs for footwear)
  std::optional<Decimal> weight_kg;  // the line's weight (all units), when the request gave it
  // value's currency per unit of the territory's; absent when Landed has no rate for it, which
  // only a specific amount then needs (and is refused for)
  std::optional<Decimal> currency_factor = Decimal::from_int(1);
};

// The duty a measure gives on `base`, exact. Refused (pointer: `pointer`) when it needs a weight
// or a volume the line does not have.
Result<Decimal> measure_amount(const DutyMeasure& m, const DutyBase& base, const std::string& pointer);

// One duty charged on a line: the MFN or preferential duty, or an additional duty.
struct DutyCharge {
  std::string rule;     // the rule id that gave it
  std::string kind;     // "tariff", "preference" or "additional"
  std::string hs;       // the tariff line matched ("*" for an agreement's every-code line)
  const DutyMeasure* measure = nullptr;
  std::string preference;  // agreement id, for kind "preference"
  std::string source;
  Decimal amount;       // exact, territory currency
  Decimal mfn_amount;   // for a preference: what the MFN line would have charged
};

struct DutyLineInput {
  std::string hs_code;   // 6 to 10 digits
  std::string origin;    // ISO alpha-2, empty when not given
  DutyBase base;
  Date date = *Date::parse("1970-01-01");
  std::string pointer;   // "/items/0": errors point under it
};

// The duties on one line: the MFN line (or the territory's fallback), replaced by a
// preferential line when the origin qualifies and it charges less, then every additional duty in
// force on the origin. An unlisted code with no fallback is refused on <pointer>/hs_code.
Result<std::vector<DutyCharge>> assess_line(const DutyTerritory& t, const DutyLineInput& in);

}  // namespace landed
