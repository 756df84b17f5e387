// VAT at checkout: the destination's rate for each line's tax category on the quote date,
// applied to the line's goods value and to the line's share of shipping (shipping follows the
// goods it carries, split by value with largest remainder). Rounded as the destination's rule
// file says (per line, or once per rate and allocated back). Pure function of its inputs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "rules/rule_set.h"

namespace landed {

struct TaxableLine {
  std::string category;  // tax_category of the item
  Money base;            // goods value of the line, in the presentment currency
  std::string pointer;   // JSON pointer of the item, for errors
};

// A base rounded on its own inside a charge: one line's goods, or the cart's shipping at the
// charge's rate (shipping is one supply per rate).
struct TaxPart {
  std::optional<std::size_t> line;  // index of the TaxableLine; nullopt: shipping
  Money base;
  Money amount;  // round(base × rate), as the schedule rounds
};

// One row of the quote's `taxes`: everything charged under one rule. Rounded per total, amount
// is round(base × rate); rounded per line, amount is the sum of its parts, each of which is
// round(part base × rate), and `parts` lists them so that every figure can be recomputed.
struct TaxCharge {
  std::string name;     // local name, e.g. "PDV"
  const VatRate* rule = nullptr;
  Money base;
  Money amount;
  std::vector<TaxPart> parts;  // empty when rounded per total
};

struct VatResult {
  std::vector<Money> line_tax;  // per TaxableLine, goods only
  Money shipping_tax;
  std::vector<TaxCharge> charges;  // in order of first use
  Money total;  // sum of line_tax + shipping_tax = sum of charges
};

Result<VatResult> compute_vat(const VatSchedule& schedule, const std::vector<TaxableLine>& lines,
                              const Money& shipping, const Date& date);

}  // namespace landed
