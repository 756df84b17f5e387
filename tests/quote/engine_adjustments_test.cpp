// Issue #14 item 6 in the engine: per-pair FX markups (most specific wins, fx[].markup shows the
// one applied) and cash rounding of the checkout total as a named adjustment line.
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "l10n/localizer.h"
#include "quote/engine.h"
#include "quote/quote_json.h"
#include "snapshot.h"

using namespace landed;
using json = nlohmann::json;

namespace {

Currency cur(const char* code) { return *Currency::of(code); }
Decimal dec(const char* text) { return *Decimal::parse(text); }

// The shipped rates (2026-04-13) are months past refuse_after on this day: these tests are about
// markups and cash rounding, not staleness (staleness_test.cpp), so they price in warn-only mode.
QuoteContext on_day() {
  QuoteContext c;
  c.now = *Timestamp::parse("2026-11-23T16:00:00Z");
  c.quote_id = "q_adj";
  c.stale_rates = StaleRatesMode::warn;
  return c;
}

// The shipped snapshot with the demo merchant changed by `edit`.
std::shared_ptr<const Snapshot> with_merchant(const std::function<void(Merchant&)>& edit) {
  const auto base = test::shipped_snapshot_without_duties();
  auto rules = std::make_shared<RuleSet>(*base->rules);
  edit(rules->merchants.at("demo"));
  return std::make_shared<const Snapshot>(Snapshot{rules, base->rates, base->l10n});
}

// A cart to Switzerland with one item per price currency, priced in `presentment`.
json cart(const char* presentment, const std::vector<std::pair<std::string, std::string>>& prices,
          const char* incoterm = "DDP", const char* shipping = "0.00") {
  json items = json::array();
  for (std::size_t i = 0; i < prices.size(); ++i)
    items.push_back({{"sku", "S" + std::to_string(i)}, {"quantity", 1},
                     {"unit_price", {{"amount", prices[i].second}, {"currency", prices[i].first}}}});
  return {{"merchant", "demo"}, {"locale", "it-CH"}, {"currency", presentment}, {"ship_to", {{"country", "CH"}}},
          {"incoterm", incoterm}, {"buyer", {{"type", "consumer"}}},
          {"shipping", {{"price", {{"amount", shipping}, {"currency", presentment}}}}}, {"items", items}};
}

Result<Quote> quote(const json& body, const Snapshot& snap) {
  auto req = parse_request(body);
  REQUIRE(req.ok());
  return price(*req, snap, on_day());
}

// total = items + shipping + duties + taxes (at checkout) + fees + adjustments, in minor units.
void check_total_is_its_parts(const Quote& q) {
  Money sum = q.totals.items + q.totals.shipping + q.totals.duties + q.totals.fees + q.totals.adjustments;
  if (q.incoterm == "DDP") sum += q.totals.taxes;
  CHECK(sum == q.totals.total);
  Money lines = Money::zero(q.currency);
  for (const auto& a : q.adjustments) lines += a.amount;
  CHECK(lines == q.totals.adjustments);
}

}  // namespace

TEST_CASE("A per-pair markup is chosen most specific first: from and to then to then from then the default") {
  const auto snap = with_merchant([](Merchant& m) {
    m.fx_markup = dec("0.02");
    m.fx_markups = {{cur("USD"), cur("CHF"), dec("0.011"), "s", ""},
                    {std::nullopt, cur("CHF"), dec("0.012"), "s", ""},
                    {cur("EUR"), std::nullopt, dec("0.013"), "s", ""},
                    {cur("GBP"), cur("JPY"), dec("0.014"), "s", ""},
                    {std::nullopt, cur("JPY"), dec("0.015"), "s", ""}};
  });
  struct Case {
    const char* from;
    const char* to;
    const char* markup;
  };
  for (const Case& c : {Case{"USD", "CHF", "0.011"},   // from + to
                        Case{"EUR", "CHF", "0.012"},   // to only beats from only
                        Case{"GBP", "CHF", "0.012"},   // to only
                        Case{"EUR", "GBP", "0.013"},   // from only
                        Case{"EUR", "USD", "0.013"},
                        Case{"GBP", "JPY", "0.014"},   // from + to beats to only
                        Case{"USD", "JPY", "0.015"},   // to only
                        Case{"USD", "GBP", "0.02"},    // no override: the default
                        Case{"JPY", "USD", "0.02"}}) {
    INFO(c.from << " -> " << c.to);
    CHECK(snap->rules->merchants.at("demo").markup_for(cur(c.from), cur(c.to)) == dec(c.markup));
    const auto q = quote(cart(c.to, {{c.from, "100.00"}}), *snap);
    REQUIRE(q.ok());
    REQUIRE(q->fx.size() == 1);
    CHECK(q->fx[0].rate.markup == dec(c.markup));
    CHECK(q->fx[0].rate.rate == q->fx[0].rate.mid * (Decimal::from_int(1) + dec(c.markup)));
    const json j = json::parse(to_json_text(*q));
    CHECK(j["fx"][0]["markup"] == dec(c.markup).normalized().to_string());
  }
}

TEST_CASE("One cart in several currencies gets each pair's own markup and a same-currency price none") {
  const auto snap = with_merchant([](Merchant& m) {
    m.fx_markups = {{cur("USD"), cur("CHF"), dec("0.011"), "s", ""}, {cur("EUR"), std::nullopt, dec("0.013"), "s", ""}};
  });
  const auto q = quote(cart("CHF", {{"USD", "10.00"}, {"EUR", "10.00"}, {"GBP", "10.00"}, {"CHF", "10.00"}}), *snap);
  REQUIRE(q.ok());
  std::map<std::string, std::string> markups;
  for (const auto& fx : q->fx) markups[std::string(fx.rate.from.code())] = fx.rate.markup.normalized().to_string();
  CHECK(markups == std::map<std::string, std::string>{{"USD", "0.011"}, {"EUR", "0.013"}, {"GBP", "0.02"}});
}

TEST_CASE("The shipped demo merchant marks yen up 2.5 % and keeps 2 % elsewhere") {
  const auto snap = test::shipped_snapshot_without_duties();
  const auto jpy = quote(cart("JPY", {{"USD", "10.00"}}), *snap);
  REQUIRE(jpy.ok());
  CHECK(jpy->fx[0].rate.markup == dec("0.025"));
  const auto eur = quote(cart("EUR", {{"USD", "10.00"}}), *snap);
  REQUIRE(eur.ok());
  CHECK(eur->fx[0].rate.markup == dec("0.02"));
}

// CHF cash: 0.05, half up. Under DAP the checkout total is items + shipping alone, so it can be
// set to every last digit; a CHF item priced in CHF is not converted.
TEST_CASE("Cash rounding rounds a CHF total to 0.05 half up and shows the difference as a line") {
  const auto snap = test::shipped_snapshot_without_duties();
  struct Case {
    const char* before;
    const char* total;
    const char* adjustment;
  };
  for (const Case& c : {Case{"10.00", "10.00", "0.00"}, Case{"10.01", "10.00", "-0.01"}, Case{"10.02", "10.00", "-0.02"},
                        Case{"10.03", "10.05", "0.02"}, Case{"10.04", "10.05", "0.01"}, Case{"10.05", "10.05", "0.00"},
                        Case{"10.06", "10.05", "-0.01"}, Case{"10.07", "10.05", "-0.02"}, Case{"10.08", "10.10", "0.02"},
                        Case{"10.09", "10.10", "0.01"}, Case{"0.02", "0.00", "-0.02"}, Case{"0.00", "0.00", "0.00"},
                        Case{"999999.97", "999999.95", "-0.02"}, Case{"999999.98", "1000000.00", "0.02"}}) {
    INFO(c.before);
    const auto q = quote(cart("CHF", {{"CHF", c.before}}, "DAP"), *snap);
    REQUIRE(q.ok());
    REQUIRE(q->adjustments.size() == 1);
    const QuoteAdjustment& a = q->adjustments[0];
    CHECK(a.code == "cash_rounding");
    CHECK(a.amount.to_string() == c.adjustment);
    CHECK(a.increment.to_string() == "0.05");
    CHECK(a.rounding_mode == "HalfUp");
    CHECK(q->totals.total.to_string() == c.total);
    CHECK(q->totals.adjustments.to_string() == c.adjustment);
    check_total_is_its_parts(*q);
  }
}

// 0.05 has no ties in whole Rappen; DKK 0.50 and SEK 1 (two digits, cash in whole kronor) do,
// and there the mode decides.
TEST_CASE("Cash rounding ties go as the merchant's mode says: half up or half even") {
  struct Case {
    const char* currency;
    const char* before;
    const char* half_up;
    const char* half_even;
  };
  const auto up = with_merchant([](Merchant& m) {
    m.cash_rounding = CashRounding{{cur("CHF"), cur("DKK"), cur("SEK")}, Rounding::HalfUp, "s", ""};
  });
  const auto even = with_merchant([](Merchant& m) {
    m.cash_rounding = CashRounding{{cur("CHF"), cur("DKK"), cur("SEK")}, Rounding::HalfEven, "s", ""};
  });
  for (const Case& c : {Case{"DKK", "10.25", "10.50", "10.00"}, Case{"DKK", "10.75", "11.00", "11.00"},
                        Case{"DKK", "10.24", "10.00", "10.00"}, Case{"DKK", "10.26", "10.50", "10.50"},
                        Case{"SEK", "10.50", "11.00", "10.00"}, Case{"SEK", "11.50", "12.00", "12.00"},
                        Case{"SEK", "10.49", "10.00", "10.00"}, Case{"SEK", "10.51", "11.00", "11.00"},
                        Case{"CHF", "10.02", "10.00", "10.00"}, Case{"CHF", "10.03", "10.05", "10.05"}}) {
    INFO(c.currency << " " << c.before);
    const auto a = quote(cart(c.currency, {{c.currency, c.before}}, "DAP"), *up);
    const auto b = quote(cart(c.currency, {{c.currency, c.before}}, "DAP"), *even);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a->totals.total.to_string() == c.half_up);
    CHECK(b->totals.total.to_string() == c.half_even);
    CHECK(b->adjustments.at(0).rounding_mode == "HalfEven");
    check_total_is_its_parts(*a);
    check_total_is_its_parts(*b);
  }
}

TEST_CASE("A currency without cash rounding or one the merchant does not list has no adjustment line") {
  const auto snap = test::shipped_snapshot_without_duties();  // demo lists CHF only
  for (const char* c : {"EUR", "USD", "JPY", "CAD", "GBP"}) {
    INFO(c);
    const auto q = quote(cart(c, {{"USD", "10.01"}}), *snap);
    REQUIRE(q.ok());
    CHECK(q->adjustments.empty());
    CHECK(q->totals.adjustments.is_zero());
    const json j = json::parse(to_json_text(*q));
    CHECK(j["adjustments"] == json::array());
    check_total_is_its_parts(*q);
  }
  const auto none = with_merchant([](Merchant& m) { m.cash_rounding.reset(); });
  const auto q = quote(cart("CHF", {{"CHF", "10.01"}}, "DAP"), *none);
  REQUIRE(q.ok());
  CHECK(q->adjustments.empty());
  CHECK(q->totals.total.to_string() == "10.01");
}

TEST_CASE("Under DDP cash rounding takes the taxes in and the total stays the sum of its parts") {
  const auto q = quote(cart("CHF", {{"USD", "19.99"}, {"EUR", "7.33"}}, "DDP", "4.99"), *test::shipped_snapshot_without_duties());
  REQUIRE(q.ok());
  REQUIRE(q->adjustments.size() == 1);
  CHECK(q->totals.total.minor_units() % 5 == 0);
  const Money before = q->totals.items + q->totals.shipping + q->totals.taxes;
  CHECK(q->totals.total - before == q->adjustments[0].amount);
  CHECK(q->totals.due_on_delivery.is_zero());
  check_total_is_its_parts(*q);
}

TEST_CASE("Under DAP only the checkout total is cash-rounded and due on delivery is left exact") {
  const auto q = quote(cart("CHF", {{"CHF", "100.01"}, {"CHF", "13.00"}}, "DAP"), *test::shipped_snapshot_without_duties());
  REQUIRE(q.ok());
  CHECK(q->totals.total.to_string() == "113.00");  // 113.01 rounded
  // CH import VAT 8.1 % on 113.01, per line: 8.10 + 1.05 = 9.15 (above CHF 5, so levied), not
  // rounded to 0.05.
  CHECK(q->totals.due_on_delivery.to_string() == "9.15");
  CHECK(q->totals.due_on_delivery == q->totals.taxes);
  check_total_is_its_parts(*q);
}

TEST_CASE("The adjustment line is in the quote JSON and the display shows the rounded total") {
  const auto q = quote(cart("CHF", {{"CHF", "10.01"}}, "DAP"), *test::shipped_snapshot_without_duties());
  REQUIRE(q.ok());
  const json j = json::parse(to_json_text(*q));
  REQUIRE(j["adjustments"].size() == 1);
  const json& a = j["adjustments"][0];
  CHECK(a["code"] == "cash_rounding");
  CHECK(a["name"] == "Arrotondamento");  // it-CH: the it catalog
  CHECK(a["amount"] == json({{"amount", "-0.01"}, {"currency", "CHF"}}));
  CHECK(a["increment"] == "0.05");
  CHECK(a["rounding"] == json({{"mode", "HalfUp"}, {"applies_to", "total"}}));
  CHECK(a["rule"] == "demo");
  CHECK(a["source"] == "Landed demo merchant agreement (fictional)");
  CHECK(a["increment_source"].get<std::string>().rfind("CLDR cash rounding in ICU ", 0) == 0);
  CHECK(j["totals"]["adjustments"] == json({{"amount", "-0.01"}, {"currency", "CHF"}}));
  CHECK(j["totals"]["total"] == json({{"amount", "10.00"}, {"currency", "CHF"}}));
  CHECK(j["display"]["total"] == "CHF\u00a010.00");
  CHECK(j["display"]["adjustments"] == "CHF-0.01");
  CHECK(j["display"]["labels"]["adjustments"] == "Arrotondamento");
}
