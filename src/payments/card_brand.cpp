#include "payments/card_brand.h"

#include <algorithm>

namespace landed {
namespace {

// How a pattern meets the digits: 0 no match; a full match scores the pattern's length; a
// prefix shorter than the pattern that could still become it is "possible" (-1).
constexpr int possible = -1;

int match(const CardPattern& p, std::string_view digits) {
  const std::size_t len = p.lo.size();
  if (digits.size() >= len) {
    const std::string_view head = digits.substr(0, len);
    return p.lo <= head && head <= p.hi ? int(len) : 0;
  }
  // Equal-length digit strings compare as numbers do.
  const std::string_view lo = std::string_view(p.lo).substr(0, digits.size());
  const std::string_view hi = std::string_view(p.hi).substr(0, digits.size());
  return lo <= digits && digits <= hi ? possible : 0;
}

}  // namespace

BrandMatch detect_brand(const CardBrandRules& rules, std::string_view digits) {
  BrandMatch out;
  if (digits.empty()) return out;
  std::vector<int> strength;
  for (const CardBrand& b : rules.brands) {
    int best = 0;
    for (const CardPattern& p : b.patterns) {
      const int m = match(p, digits);
      // A whole match outranks a possible one; among whole matches the longest pattern counts.
      if (m == possible && best == 0) best = possible;
      else if (m > 0 && m > best) best = m;
    }
    if (best == 0) continue;
    out.candidates.push_back(&b);
    strength.push_back(best);
  }
  const bool all_whole = !strength.empty() && std::all_of(strength.begin(), strength.end(), [](int s) { return s > 0; });
  if (!all_whole) return out;
  // The longest whole match wins; on a tie, the brand listed first.
  std::size_t winner = 0;
  for (std::size_t i = 1; i < strength.size(); ++i)
    if (strength[i] > strength[winner]) winner = i;
  out.candidates = {out.candidates[winner]};
  out.decided = true;
  return out;
}

bool matches_whole(const CardPattern& p, std::string_view digits) { return match(p, digits) > 0; }

BrandMatch detect_brand_in(const CardBrandRules& rules, std::string_view digits, std::string_view country) {
  const CardBrand* undetectable = nullptr;
  for (const CardBrand& b : rules.local_brands) {
    if (std::find(b.markets.begin(), b.markets.end(), country) == b.markets.end()) continue;
    if (b.patterns.empty()) undetectable = &b;
    for (const CardPattern& p : b.patterns)
      if (matches_whole(p, digits)) return BrandMatch{{&b}, true};
  }
  BrandMatch out = detect_brand(rules, digits);
  if (!undetectable) return out;
  const auto& accepted = rules.accepted_in(country);
  const bool takes = std::any_of(out.candidates.begin(), out.candidates.end(), [&](const CardBrand* b) {
    return std::find(accepted.begin(), accepted.end(), b->id) != accepted.end();
  });
  if (!takes) {
    out.candidates.push_back(undetectable);
    out.decided = false;
  }
  return out;
}

}  // namespace landed
