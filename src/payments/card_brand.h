// Card brand detection from a BIN (the card number's first 6 to 8 digits) against the brand
// patterns of rules/payments/card_brands.json. Pure.
#pragma once

#include <string_view>
#include <vector>

#include "rules/payment_rules.h"

namespace landed {

// The brands a number's leading digits can belong to, in the rules' detection order. `decided`:
// the digits are long enough to test every candidate's pattern whole, and one pattern is the
// longest match: candidates then holds that one brand. Otherwise every brand still possible
// stands (a shorter prefix such as "5", or a 6-digit BIN inside an 8-digit range). Empty: no
// brand has these digits.
struct BrandMatch {
  std::vector<const CardBrand*> candidates;
  bool decided = false;
};

// `digits`: ASCII digits only (the caller checked). Any length: the shared vectors test prefixes
// from one digit to whole card numbers.
BrandMatch detect_brand(const CardBrandRules& rules, std::string_view digits);

}  // namespace landed
