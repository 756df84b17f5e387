#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "quote/engine.h"
#include "quote/quote_json.h"
#include "snapshot.h"

using namespace landed;
using json = nlohmann::json;

namespace {

QuoteContext on(const char* day) {
  QuoteContext c;
  c.now = *Timestamp::parse(day);
  c.quote_id = "q_test";
  return c;
}

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
  // USD->EUR: 1 / 1.1684 (ECB 2026-04-13) × 1.02 markup = 0.8729887025.
  REQUIRE(q->fx.size() == 1);
  CHECK(q->fx[0].rate.rate.to_string() == "0.8729887025");
  CHECK(q->lines[0].unit_price.to_string() == "17.45");  // 19.99 × rate = 17.4510…
  CHECK(q->lines[0].subtotal.to_string() == "34.90");
  CHECK(q->lines[0].tax.to_string() == "8.73");           // 34.90 × 0.25 = 8.725, half up
  CHECK(q->lines[1].unit_price.to_string() == "1077.70");  // 1234.50 × rate = 1077.6945…
  CHECK(q->lines[1].tax.to_string() == "53.89");          // 1077.70 × 0.05 = 53.885
  CHECK(q->shipping.price.to_string() == "20.95");        // express 24.00 USD
  CHECK(q->shipping.tax.to_string() == "1.18");
  CHECK(q->totals.items.to_string() == "1112.60");
  CHECK(q->totals.taxes.to_string() == "63.80");
  CHECK(q->totals.total.to_string() == "1197.35");
  CHECK(q->totals.due_on_delivery.is_zero());
  CHECK(q->taxes.size() == 2);
  CHECK(q->taxes[0].rule == "HR.vat.standard.2012-03-01");
  CHECK(q->taxes[0].collected == "checkout");
  CHECK(q->display.total == "1.197,35\u00a0€");
  CHECK(q->display.summary == "Ukupno 1.197,35\u00a0€ za 3 artikla, s uključenom carinom i porezima");
  CHECK(q->display.direction == "ltr");
  CHECK(q->expires_at.to_string() == "2026-11-23T16:30:00Z");
}

TEST_CASE("The same cart for fa-IR shows Persian digits, rtl and a Persian summary") {
  json c = example_cart();
  c["locale"] = "fa-IR";
  const auto q = quote(c);
  REQUIRE(q.ok());
  CHECK(q->display.direction == "rtl");
  CHECK(q->display.total.find("۱٬۱۹۷٫۳۵") != std::string::npos);
  CHECK(q->display.summary.find("جمع کل") != std::string::npos);
  CHECK(q->totals.total.to_string() == "1197.35");  // the numbers do not depend on the language
}

TEST_CASE("zh-Hans-CN and he-IL are localized too") {
  json c = example_cart();
  c["locale"] = "zh-Hans-CN";
  const auto zh = quote(c);
  REQUIRE(zh.ok());
  CHECK(zh->display.total == "€1,197.35");
  CHECK(zh->display.summary.find("共 3 件商品") != std::string::npos);
  CHECK(zh->display.direction == "ltr");
  c["locale"] = "he-IL";
  const auto he = quote(c);
  REQUIRE(he.ok());
  CHECK(he->display.direction == "rtl");
  CHECK(he->display.summary.find("סה״כ") != std::string::npos);
  CHECK(he->display.total.find("1,197.35") != std::string::npos);
}

TEST_CASE("DAP shows the taxes as due on delivery, outside the checkout total") {
  json c = example_cart();
  c["incoterm"] = "DAP";
  const auto q = quote(c);
  REQUIRE(q.ok());
  CHECK(q->totals.total.to_string() == "1133.55");  // items + shipping
  CHECK(q->totals.due_on_delivery.to_string() == "63.80");
  CHECK(q->taxes[0].collected == "delivery");
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
  c["ship_to"] = {{"country", "US"}};
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
  c["buyer"]["type"] = "business";
  CHECK(quote(c).error().pointer == "/buyer/type");
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
                        "duties", "taxes", "fees", "totals", "fx", "display", "rules_version", "rates_version"})
    CHECK(j.contains(k));
  CHECK(j["totals"]["total"] == json({{"amount", "1197.35"}, {"currency", "EUR"}}));
  CHECK(j["lines"][0]["unit_price"]["amount"].is_string());
  CHECK(j["taxes"][0]["rate"] == "0.25");
  CHECK(j["fx"][0]["rate"] == "0.8729887025");
  CHECK(j["display"]["direction"] == "ltr");
  CHECK_FALSE(j.contains("payment_methods"));  // comes with its own issue, never faked
  CHECK_FALSE(j.contains("risk"));
}

TEST_CASE("A back-dated quote uses the exchange rates of its own day") {
  const auto then = quote(example_cart(), "2025-06-30T12:00:00Z");
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
