// Every jurisdiction the shipped rules define is priced end to end: a cart from the US demo
// merchant, in USD (so no currency the ECB lacks stands in the way), to each country file (with
// the first of its regions where it needs one), comes back with every line explained: a tax
// charged or a waiver saying why not, and the engine's invariants hold (checked in the engine).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "l10n/localizer.h"
#include "quote/engine.h"
#include "quote/quote_json.h"
#include "snapshot.h"

using namespace landed;
using json = nlohmann::json;

namespace {


json cart_to(const Jurisdiction& j) {
  json ship{{"country", j.country}};
  if (j.regions_complete) ship["region"] = j.region_codes.front();
  return json{{"locale", "en-US"},
              {"currency", "USD"},
              {"ship_to", ship},
              {"items",
               {{{"sku", "TEE"}, {"quantity", 2}, {"unit_price", {{"amount", "19.99"}, {"currency", "USD"}}}},
                {{"sku", "BOOK"},
                 {"quantity", 1},
                 {"unit_price", {{"amount", "24.50"}, {"currency", "USD"}}},
                 {"tax_category", "books"}}}}};
}

}  // namespace

TEST_CASE("A cart to every country the tax rules define prices with each line taxed or its waiver given") {
  const auto snap = test::shipped_snapshot_without_duties();
  std::size_t priced = 0;
  for (const auto& [id, j] : snap->rules->tax) {
    if (id != j.country) continue;  // territory files are reached through their country's postcodes
    INFO(id);
    const auto req = parse_request(cart_to(j));
    REQUIRE(req.ok());
    const auto q = price(*req, *snap, test::warn_only_at("2026-12-01T12:00:00Z"));
    if (!q.ok()) FAIL_CHECK(q.error().pointer + " " + q.error().message);
    if (!q.ok()) continue;
    CHECK(q->tax_jurisdiction == id);
    for (std::size_t line = 0; line < q->lines.size(); ++line) {
      const std::string at = "/lines/" + std::to_string(line);
      bool explained = false;
      for (const auto& t : q->taxes)
        for (const auto& p : t.parts) explained = explained || p.of == at;
      for (const auto& t : q->taxes) explained = explained || (t.parts.empty() && !t.base.is_zero());
      for (const auto& w : q->taxes_waived)
        for (const auto& l : w.lines) explained = explained || l == at;
      INFO(to_json_pretty(*q));
      CHECK(explained);
    }
    for (const auto& w : q->taxes_waived) CHECK_FALSE(w.message.empty());
    for (const auto& t : q->taxes) {
      CHECK_FALSE(t.rule.empty());
      CHECK_FALSE(t.source.empty());
      CHECK_FALSE(t.reason.empty());
      CHECK_FALSE(t.remitted.empty());
    }
    ++priced;
  }
  CHECK(priced >= 48);  // EU-27, GB, NO, CH, IS, TR, IL, AU, NZ, CA, US, JP, KR, SG, CN, IN, BR, MX, AE, SA, ZA, IR
}
