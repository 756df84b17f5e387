// Card brand detection (payments/card_brand.h) against the shipped card_brands.json and every
// brand-detection vector in the shared data: braintree/credit-card-type's prefix vectors (unique,
// ordered candidates, no match) and card-validator's number vectors (the card type it names).
#include <catch2/catch.hpp>

#include <algorithm>

#include "payments/card_brand.h"
#include "snapshot.h"

using namespace landed;

namespace {

const CardBrandRules& brands() {
  const auto snap = test::shipped_snapshot();
  REQUIRE(snap->rules->payments.cards);
  return *snap->rules->payments.cards;
}

// credit-card-type names brands with hyphens; the rules use snake_case ids.
std::string snake(std::string s) {
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

std::string ids(const BrandMatch& m) {
  std::string out;
  for (const CardBrand* b : m.candidates) out += (out.empty() ? "" : ";") + b->id;
  return out;
}

}  // namespace

TEST_CASE("Every credit-card-type prefix vector detects the brands it names in the same order") {
  const auto file = test::shared_data() / "payments" / "braintree_credit-card-type_prefix_vectors.csv";
  if (!std::filesystem::exists(file)) {
    WARN("skipped: " << file << " is absent (../shared/data is not beside the project)");
    return;
  }
  const auto rows = test::read_csv(file);
  REQUIRE(rows.size() > 200);
  std::size_t checked = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (r.size() < 4) continue;
    const std::string& input = r[1];
    std::string expected;
    for (std::size_t a = 0, b; a <= r[2].size(); a = b + 1) {
      b = r[2].find(';', a);
      if (b == std::string::npos) b = r[2].size();
      if (b > a) expected += (expected.empty() ? "" : ";") + snake(r[2].substr(a, b - a));
    }
    const BrandMatch m = detect_brand(brands(), input);
    INFO("line " << r[0] << ": " << input << " (" << r[3] << ")");
    CHECK(ids(m) == expected);
    // "unique": one brand remains (it may still be a prefix of that brand's pattern).
    if (r[3] == "unique") CHECK(m.candidates.size() == 1);
    if (r[3] == "no_match") CHECK(m.candidates.empty());
    ++checked;
  }
  CHECK(checked == rows.size() - 1);
}

TEST_CASE("Every card-validator number vector with a card type detects exactly that brand") {
  const auto file = test::shared_data() / "payments" / "braintree_card-validator_number_vectors.csv";
  if (!std::filesystem::exists(file)) {
    WARN("skipped: " << file << " is absent (../shared/data is not beside the project)");
    return;
  }
  const auto rows = test::read_csv(file);
  std::size_t checked = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (r.size() < 3) continue;
    // card-validator strips spaces and dashes before it looks at the digits.
    std::string digits;
    bool other = false;
    for (char c : r[1]) {
      if (c >= '0' && c <= '9') digits += c;
      else if (c != ' ' && c != '-') other = true;
    }
    if (other || digits.empty()) continue;
    const BrandMatch m = detect_brand(brands(), digits);
    INFO("line " << r.back() << ": " << r[1] << " -> " << r[2]);
    // It names a type only when exactly one brand is possible.
    if (!r[2].empty()) {
      CHECK(ids(m) == snake(r[2]));
      ++checked;
    } else {
      CHECK(m.candidates.size() != 1);
    }
  }
  CHECK(checked > 30);
}

TEST_CASE("An 8-digit BIN decides a brand whose 8-digit range a 6-digit BIN leaves open") {
  // Troy's 65083700-65083704 sits inside Discover's 65: six digits cannot tell them apart.
  const BrandMatch six = detect_brand(brands(), "650837");
  CHECK_FALSE(six.decided);
  CHECK(ids(six) == "discover;troy;maestro");
  const BrandMatch eight = detect_brand(brands(), "65083701");
  CHECK(eight.decided);
  CHECK(ids(eight) == "troy");
}

TEST_CASE("A BIN no brand has matches nothing") {
  CHECK(detect_brand(brands(), "700000").candidates.empty());
  CHECK(detect_brand(brands(), "").candidates.empty());
}
