#include <catch2/catch.hpp>
#include <functional>
#include <nlohmann/json.hpp>

#include "l10n/localizer.h"
#include "quote/engine.h"
#include "quote/quote_json.h"
#include "snapshot.h"

using namespace landed;
using json = nlohmann::json;

namespace {

QuoteContext on(const char* day) { return test::warn_only_at(day); }

json example_cart() { return json::parse(test::read_text(test::home() / "tools/examples/cart-us-hr.json")); }

Result<Quote> quote(const json& body, const char* day = "2026-11-23T16:00:00Z") {
  auto req = parse_request(body);
  REQUIRE(req.ok());
  return price(*req, *test::shipped_snapshot(), on(day));
}

}  // namespace

TEST_CASE("A US cart to Croatia is priced in EUR with PDV 25 % and 5 %, every figure exact") {
  const auto q = quote(example_cart());
  REQUIRE(q.ok());
  // USD->EUR: 1 / 1.1684 (ECB 2026-04-13) = 0.855871277 (10 digits), × 1.02 markup exactly.
  REQUIRE(q->fx.size() == 1);
  CHECK(q->fx[0].rate.rate.to_string() == "0.87298870254");
  CHECK(q->lines[0].unit_price.to_string() == "17.45");  // 19.99 × rate = 17.4510…
  CHECK(q->lines[0].subtotal.to_string() == "34.90");
  // EU duty (CIF): the tee's customs value is 34.90 + its 0.66 share of the 20.95 shipping
  // (largest remainder by value) = 35.56; 12 % of it is 4.2672 -> 4.27. The book is free.
  CHECK(q->lines[0].customs_value->to_string() == "35.56");
  CHECK(q->lines[0].duty.to_string() == "4.27");
  CHECK(q->lines[1].customs_value->to_string() == "1097.99");  // 1077.70 + 20.29
  CHECK(q->lines[1].duty.to_string() == "0.00");
  REQUIRE(q->duties.size() == 2);
  CHECK(q->duties[0].rule == "EU.tariff.6109");
  CHECK(q->duties[0].rate == *Decimal::parse("0.12"));
  CHECK(q->duties[0].name == "Carina");
  CHECK(q->customs.valuation == "CIF");
  CHECK(q->customs.customs_value.to_string() == "1133.55");
  // Import VAT on goods + duty: (34.90 + 4.27) × 0.25 = 9.7925 -> 9.79.
  CHECK(q->lines[0].tax.to_string() == "9.79");
  CHECK(q->lines[1].unit_price.to_string() == "1077.70");  // 1234.50 × rate = 1077.6945…
  CHECK(q->lines[1].tax.to_string() == "53.89");          // 1077.70 × 0.05 = 53.885
  CHECK(q->shipping.price.to_string() == "20.95");        // express 24.00 USD
  CHECK(q->shipping.tax.to_string() == "1.18");
  CHECK(q->totals.items.to_string() == "1112.60");
  CHECK(q->totals.duties.to_string() == "4.27");
  CHECK(q->totals.taxes.to_string() == "64.86");
  CHECK(q->totals.total.to_string() == "1202.68");  // 1112.60 + 20.95 + 4.27 + 64.86
  CHECK(q->totals.due_on_delivery.is_zero());
  CHECK(q->taxes.size() == 2);
  CHECK(q->taxes[0].rule == "HR.vat.standard.2012-03-01");
  CHECK(q->taxes[0].collected == "checkout");
  CHECK(q->display.total == "1.202,68\u00a0€");
  CHECK(q->display.summary == "Ukupno 1.202,68\u00a0€ za 3 artikla, s uključenom carinom i porezima");
  CHECK(q->display.direction == "ltr");
  CHECK(q->expires_at.to_string() == "2026-11-23T16:30:00Z");
}

TEST_CASE("The same cart for fa-IR shows Persian digits, rtl and a Persian summary") {
  json c = example_cart();
  c["locale"] = "fa-IR";
  const auto q = quote(c);
  REQUIRE(q.ok());
  CHECK(q->display.direction == "rtl");
  CHECK(q->display.total.find("۱٬۲۰۲٫۶۸") != std::string::npos);
  CHECK(q->display.summary.find("جمع کل") != std::string::npos);
  CHECK(q->totals.total.to_string() == "1202.68");  // the numbers do not depend on the language
}

TEST_CASE("zh-Hans-CN and he-IL are localized too") {
  json c = example_cart();
  c["locale"] = "zh-Hans-CN";
  const auto zh = quote(c);
  REQUIRE(zh.ok());
  CHECK(zh->display.total == "€1,202.68");
  CHECK(zh->display.summary.find("共 3 件商品") != std::string::npos);
  CHECK(zh->display.direction == "ltr");
  c["locale"] = "he-IL";
  const auto he = quote(c);
  REQUIRE(he.ok());
  CHECK(he->display.direction == "rtl");
  CHECK(he->display.summary.find("סה״כ") != std::string::npos);
  CHECK(he->display.total.find("1,202.68") != std::string::npos);
}

TEST_CASE("DAP shows the duties and taxes as due on delivery, outside the checkout total") {
  json c = example_cart();
  c["incoterm"] = "DAP";
  const auto q = quote(c);
  REQUIRE(q.ok());
  CHECK(q->totals.total.to_string() == "1133.55");  // items + shipping
  CHECK(q->totals.due_on_delivery.to_string() == "69.13");  // 4.27 duty + 64.86 import VAT
  CHECK(q->taxes[0].collected == "delivery");
  CHECK(q->duties[0].collected == "delivery");
  // Each line says the same: its goods at checkout, its duty and tax on delivery.
  CHECK(q->lines[0].at_checkout.to_string() == "34.90");
  CHECK(q->lines[0].on_delivery.to_string() == "14.06");  // 4.27 + 9.79
  CHECK(q->shipping.at_checkout.to_string() == "20.95");
  CHECK(q->shipping.on_delivery.to_string() == "1.18");
  CHECK(q->display.summary.find("pri dostavi") != std::string::npos);
}

TEST_CASE("Presentment defaults to the destination's currency, and zero-digit currencies have no decimals") {
  json c = example_cart();
  c.erase("currency");
  c["ship_to"] = {{"country", "GB"}};
  c["locale"] = "en-GB";
  c["items"][1]["tax_category"] = "reduced";
  const auto gb = quote(c);
  REQUIRE(gb.ok());
  CHECK(gb->currency.code() == "GBP");
  CHECK(gb->taxes[0].rate == *Decimal::parse("0.20"));
  c["currency"] = "JPY";
  const auto jpy = quote(c);
  REQUIRE(jpy.ok());
  CHECK(jpy->totals.total.amount().scale() == 0);
  // CLDR's en-GB symbol for the yen is "JP¥" (plain "￥" is ja-JP's), and no decimals follow.
  CHECK(jpy->display.total.rfind("JP¥", 0) == 0);
  CHECK(jpy->display.total.find('.') == std::string::npos);
}

TEST_CASE("A quote is a pure function of request, snapshot and date") {
  const auto a = to_json_text(*quote(example_cart()));
  const auto b = to_json_text(*quote(example_cart()));
  CHECK(a == b);
  // A date before Estonia's 2025-07-01 change prices with 22 %.
  json ee = example_cart();
  ee["ship_to"] = {{"country", "EE"}};
  ee["items"][1]["tax_category"] = "standard";
  CHECK(quote(ee, "2025-06-30T12:00:00Z")->taxes[0].rate.to_string() == "0.22");
  CHECK(quote(ee, "2025-07-01T00:00:00Z")->taxes[0].rate.to_string() == "0.24");
}

TEST_CASE("Destinations, merchants, currencies and categories Landed cannot price are refused by pointer") {
  json c = example_cart();
  c["ship_to"] = {{"country", "KE"}};  // no tax rules for Kenya yet
  CHECK(quote(c).error().pointer == "/ship_to/country");
  c = example_cart();
  c["merchant"] = "nobody";
  CHECK(quote(c).error().pointer == "/merchant");
  c = example_cart();
  c["currency"] = "KWD";  // a real currency without an ECB rate
  CHECK(quote(c).error().pointer == "/currency");
  c = example_cart();
  c["items"][0]["unit_price"]["currency"] = "AED";
  CHECK(quote(c).error().pointer == "/items/0/unit_price/currency");
  c = example_cart();
  c["items"][0]["tax_category"] = "super_reduced";
  CHECK(quote(c).error().pointer == "/items/0/tax_category");
  c = example_cart();
  c["shipping"] = {{"service", "teleport"}};
  CHECK(quote(c).error().pointer == "/shipping/service");
  c = example_cart();
  c["buyer"]["type"] = "business";  // without the number reverse charge rests on
  CHECK(quote(c).error().pointer == "/buyer/vat_id");
  c = example_cart();
  c["locale"] = "not a locale";
  CHECK(quote(c).error().pointer == "/locale");
}

TEST_CASE("An explicit shipping price is converted like any price") {
  json c = example_cart();
  c["shipping"] = {{"price", {{"amount", "10.00"}, {"currency", "EUR"}}}};
  const auto q = quote(c);
  REQUIRE(q.ok());
  CHECK(q->shipping.price.to_string() == "10.00");
  CHECK(q->shipping.service == "custom");
  CHECK_FALSE(q->shipping.min_days.has_value());
}

TEST_CASE("The JSON response has API.md's fields with amounts as strings") {
  const json j = json::parse(to_json_text(*quote(example_cart())));
  for (const char* k : {"quote_id", "created_at", "expires_at", "currency", "locale", "incoterm", "lines", "shipping",
                        "duties", "taxes", "fees", "totals", "fx", "payment_methods", "display", "rules_version", "rates_version"})
    CHECK(j.contains(k));
  CHECK(j["totals"]["total"] == json({{"amount", "1202.68"}, {"currency", "EUR"}}));
  CHECK(j["lines"][0]["unit_price"]["amount"].is_string());
  // A duty row explains itself: the tariff line, its measure and rate, its base and source.
  const json& duty = j["duties"][0];
  CHECK(duty["hs_code"] == "6109");
  CHECK(duty["measure"] == "ad_valorem");
  CHECK(duty["rate"] == "0.12");
  CHECK(duty["base"] == json({{"amount", "35.56"}, {"currency", "EUR"}}));
  CHECK(duty["amount"] == json({{"amount", "4.27"}, {"currency", "EUR"}}));
  CHECK(duty["collected"] == "checkout");
  CHECK(duty["parts"][0]["of"] == "/lines/0");
  CHECK(duty["source"].get<std::string>().find("UK Global Tariff") != std::string::npos);
  CHECK(j["customs"]["territory"] == "EU");
  CHECK(j["customs"]["low_value"][0]["id"] == "EU.flat_duty_low_value");
  CHECK(j["customs"]["low_value"][0]["within"] == false);
  CHECK(j["duties_waived"].empty());
  CHECK(j["taxes"][0]["rate"] == "0.25");
  CHECK(j["fx"][0]["rate"] == "0.87298870254");
  CHECK(j["display"]["direction"] == "ltr");
  CHECK_FALSE(j.contains("risk"));
}

TEST_CASE("A back-dated quote uses the exchange rates of its own day") {
  const auto then = quote(example_cart(), "2025-06-30T15:00:00Z");  // 17:00 in Frankfurt
  REQUIRE(then.ok());
  CHECK(then->fx[0].as_of.to_string() == "2025-06-30");
  CHECK(then->fx[0].rate.mid.to_string() == "0.8532423208");  // 1 / 1.172, ECB 2025-06-30
  const auto now = quote(example_cart(), "2026-11-23T12:00:00Z");
  CHECK(now->fx[0].as_of.to_string() == "2026-04-13");
  CHECK(then->rates_version != now->rates_version);
  const auto before = quote(example_cart(), "2024-06-30T12:00:00Z");
  REQUIRE_FALSE(before.ok());
  CHECK(before.error().message.find("no exchange rates") != std::string::npos);
}

TEST_CASE("A dated currency rule overrides ICU's data: Bulgaria prices in EUR from 2026") {
  json c = example_cart();
  c.erase("currency");
  c["ship_to"] = {{"country", "BG"}};
  c["locale"] = "bg-BG";
  c["items"][1]["tax_category"] = "reduced";
  const auto q = quote(c);
  REQUIRE(q.ok());
  CHECK(q->currency.code() == "EUR");
  const auto before = quote(c, "2025-07-01T12:00:00Z");
  REQUIRE(before.ok());
  CHECK(before->currency.code() == "BGN");  // ICU's answer before the changeover
}

namespace {

// The shipped snapshot with the demo merchant changed by `edit` (a merchant's own settings).
std::shared_ptr<const Snapshot> with_demo(const std::function<void(Merchant&)>& edit) {
  const auto base = test::shipped_snapshot();
  auto rules = std::make_shared<RuleSet>(*base->rules);
  edit(rules->merchants.at("demo"));
  return std::make_shared<const Snapshot>(Snapshot{rules, base->rates, base->l10n});
}

json sub_cent_cart(const char* unit) {
  json c = example_cart();
  c["ship_to"] = {{"country", "IE"}};
  c["locale"] = "en-IE";
  c["shipping"] = {{"price", {{"amount", "0.00"}, {"currency", "EUR"}}}};
  c["items"] = json::array({{{"sku", "STUD"}, {"quantity", 100000}, {"unit_price", {{"amount", unit}, {"currency", "EUR"}}},
                             {"hs_code", "711719"}, {"origin_country", "CN"}}});
  return c;
}

}  // namespace

// Before: round(0.004999) × 100000 = 0.00 and round(0.014999) × 100000 = 1000.00.
TEST_CASE("Line rounding prices a sub-cent unit price exactly: subtotal is rounded once") {
  const auto a = quote(sub_cent_cart("0.004999"));
  REQUIRE(a.ok());
  CHECK(a->line_rounding == LineRounding::line);
  CHECK(a->lines[0].subtotal.to_string() == "499.90");
  CHECK(a->lines[0].unit_price_decimal->to_string() == "0.004999");
  const auto b = quote(sub_cent_cart("0.014999"));
  REQUIRE(b.ok());
  CHECK(b->lines[0].subtotal.to_string() == "1499.90");
  CHECK(b->totals.items.to_string() == "1499.90");
  const json j = json::parse(to_json_text(*b));
  CHECK(j["line_rounding"] == "line");
  CHECK(j["lines"][0]["unit_price_decimal"] == "0.014999");
}

TEST_CASE("Line rounding converts the whole line once, not a rounded unit times the quantity") {
  json c = example_cart();
  c["items"] = json::array({{{"sku", "TEE"}, {"quantity", 7}, {"unit_price", {{"amount", "19.99"}, {"currency", "USD"}}}, {"hs_code", "610910"}}});
  const auto q = quote(c);
  REQUIRE(q.ok());
  // 139.93 × 0.87298870254 = 122.1573…, where a rounded unit (17.45) × 7 would give 122.15.
  CHECK(q->lines[0].unit_price.to_string() == "17.45");
  CHECK(q->lines[0].subtotal.to_string() == "122.16");
}

TEST_CASE("Unit rounding rounds the converted unit price, then multiplies, and says so") {
  const auto snap = with_demo([](Merchant& m) { m.line_rounding = LineRounding::unit; });
  json c = example_cart();
  c["items"][0]["quantity"] = 7;
  auto req = parse_request(c);
  const auto q = price(*req, *snap, on("2026-11-23T16:00:00Z"));
  REQUIRE(q.ok());
  CHECK(q->line_rounding == LineRounding::unit);
  CHECK(q->lines[0].unit_price.to_string() == "17.45");
  CHECK(q->lines[0].subtotal.to_string() == "122.15");
  CHECK_FALSE(q->lines[0].unit_price_decimal.has_value());
  CHECK(json::parse(to_json_text(*q))["line_rounding"] == "unit");
}

TEST_CASE("Unit rounding refuses unit prices finer than the minor unit with a pointer, never zeroes them") {
  const auto snap = with_demo([](Merchant& m) { m.line_rounding = LineRounding::unit; });
  for (const char* unit : {"0.004999", "0.014999", "19.991"}) {
    auto req = parse_request(sub_cent_cart(unit));
    REQUIRE(req.ok());
    const auto q = price(*req, *snap, on("2026-11-23T16:00:00Z"));
    REQUIRE_FALSE(q.ok());
    CHECK(q.error().pointer == "/items/0/unit_price/amount");
    CHECK(q.error().code == ErrorCode::invalid_field);
  }
  // A whole-cent price that converts to less than one minor unit is refused too (IDR -> EUR).
  json c = sub_cent_cart("1");
  c["items"][0]["unit_price"] = {{"amount", "50"}, {"currency", "IDR"}};
  auto req = parse_request(c);
  const auto q = price(*req, *snap, on("2026-11-23T16:00:00Z"));
  REQUIRE_FALSE(q.ok());
  CHECK(q.error().message.find("rounds to zero") != std::string::npos);
}

// The HR example: the standard row's base (34.90 + 4.27 duty + 0.66 of shipping = 39.83) × 0.25
// is 9.9575 -> 9.96, and per-line rounding charges 9.79 + 0.17 = 9.96. The row lists its parts.
TEST_CASE("Every tax row recomputes exactly from its own base or from the parts it lists") {
  const auto q = quote(example_cart());
  REQUIRE(q.ok());
  const Quote& x = *q;
  const auto& standard = x.taxes[0];
  CHECK(standard.base.to_string() == "39.83");
  CHECK(standard.amount.to_string() == "9.96");
  CHECK(standard.rounding_level == "line");
  CHECK(standard.rounding_mode == "HalfUp");
  REQUIRE(standard.parts.size() == 2);
  CHECK(standard.parts[0].of == "/lines/0");
  CHECK(standard.parts[0].base.to_string() == "39.17");  // goods + duty
  CHECK(standard.parts[0].amount.to_string() == "9.79");
  CHECK(standard.parts[1].of == "/shipping");
  CHECK(standard.parts[1].amount.to_string() == "0.17");
  for (const auto& row : x.taxes) {
    Money sum = Money::zero(x.currency), bases = Money::zero(x.currency);
    for (const auto& p : row.parts) {
      CHECK(p.amount == Money::of(p.base.amount() * row.rate, x.currency, Rounding::HalfUp));
      sum += p.amount;
      bases += p.base;
    }
    CHECK(sum == row.amount);
    CHECK(bases == row.base);
  }
  const json j = json::parse(to_json_text(x));
  CHECK(j["taxes"][0]["rounding"] == json({{"mode", "HalfUp"}, {"level", "line"}}));
  CHECK(j["taxes"][0]["parts"][1] == json({{"of", "/shipping"},
                                           {"base", {{"amount", "0.66"}, {"currency", "EUR"}}},
                                           {"amount", {{"amount", "0.17"}, {"currency", "EUR"}}}}));
}

TEST_CASE("A rate change takes effect at local midnight at the destination and the quote records the date") {
  json ee = example_cart();
  ee["ship_to"] = {{"country", "EE"}};
  ee["items"][1]["tax_category"] = "standard";
  // 21:30Z on 30 June is 00:30 on 1 July in Tallinn: 24 %, not 22 %.
  const auto after = quote(ee, "2025-06-30T21:30:00Z");
  REQUIRE(after.ok());
  CHECK(after->taxes[0].rate.to_string() == "0.24");
  CHECK(after->local_date.to_string() == "2025-07-01");
  CHECK(after->time_zone == "Europe/Tallinn");
  const auto before = quote(ee, "2025-06-30T20:59:00Z");
  CHECK(before->taxes[0].rate.to_string() == "0.22");
  CHECK(before->local_date.to_string() == "2025-06-30");
  const json j = json::parse(to_json_text(*after));
  CHECK(j["local_date"] == "2025-07-01");
  CHECK(j["time_zone"] == "Europe/Tallinn");
}

TEST_CASE("Bulgaria's euro starts at local midnight in Sofia") {
  json c = example_cart();
  c.erase("currency");
  c["ship_to"] = {{"country", "BG"}};
  c["locale"] = "bg-BG";
  c["items"][1]["tax_category"] = "reduced";
  CHECK(quote(c, "2025-12-31T22:30:00Z")->currency.code() == "EUR");  // 00:30 on 1 January in Sofia
  CHECK(quote(c, "2025-12-31T21:30:00Z")->currency.code() == "BGN");
}

// ICU 72 knows Croatia's changeover (HRK until 2022-12-31), so it needs no dated rule; every
// rule in rules/currencies is one ICU 72 gets wrong.
TEST_CASE("The default currency is the one in use on the local date, from ICU, and the dated rules only fill ICU's gaps") {
  const auto base = test::shipped_snapshot();
  auto rules = std::make_shared<RuleSet>(*base->rules);
  rules->merchants.at("demo").provenance.effective_from = *Date::parse("2020-01-01");
  // A test table: the 2026-04-13 rates re-dated, plus a made-up HRK rate (ECB quoted HRK until 2022).
  std::string xml = test::read_text(test::home() / "rates/eurofxref-2026-04-13.xml");
  xml.replace(xml.find("time='2026-04-13'"), 17, "time='2022-05-31'");
  xml.replace(xml.find("<Cube currency="), 0, "<Cube currency='HRK' rate='7.5000'/>");
  std::vector<RateTable> tables;
  tables.push_back(*RateTable::parse_ecb_xml(xml, "TEST"));
  const auto snap = std::make_shared<const Snapshot>(
      Snapshot{rules, std::make_shared<const RateHistory>(*RateHistory::of(std::move(tables))), base->l10n});
  json c = example_cart();
  c.erase("currency");
  auto req = parse_request(c);
  const auto q = price(*req, *snap, on("2022-06-01T12:00:00Z"));
  for (const auto& e : q.ok() ? Errors{} : q.errors()) UNSCOPED_INFO(e.pointer << " " << e.message);
  REQUIRE(q.ok());
  CHECK(q->currency.code() == "HRK");
  for (const auto& rule : base->rules->country_currencies) {
    const auto icu = Currency::of_country(rule.country, rule.provenance.effective_from);
    REQUIRE(icu.ok());
    CHECK(icu->code() != rule.currency.code());
  }
}

TEST_CASE("A quote before 16:00 Frankfurt time uses the previous ECB day, and later pricing does not change it") {
  const auto early = quote(example_cart(), "2025-07-01T06:00:00Z");
  REQUIRE(early.ok());
  CHECK(early->fx[0].as_of.to_string() == "2025-06-30");
  const auto noon = quote(example_cart(), "2025-07-01T13:59:00Z");
  CHECK(noon->fx[0].as_of.to_string() == "2025-06-30");
  CHECK(noon->totals.total == early->totals.total);
  const auto evening = quote(example_cart(), "2025-07-01T14:00:00Z");
  CHECK(evening->fx[0].as_of.to_string() == "2025-07-01");
}
