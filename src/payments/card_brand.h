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

// Whether the digits are long enough for `p` and inside it.
bool matches_whole(const CardPattern& p, std::string_view digits);

// detect_brand for a BIN in `country`: a domestic scheme of that market (local_brands) whose
// pattern holds the BIN decides first; one with no published pattern (mada) joins the candidates
// when the international brand the prefix resembles is not one the market accepts, so a card of
// that scheme is never refused for looking like another brand.
BrandMatch detect_brand_in(const CardBrandRules& rules, std::string_view digits, std::string_view country);

}  // namespace landed
