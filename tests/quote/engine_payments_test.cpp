// Payment methods through the whole quote (issue #11): the list a quote carries, named in the
// buyer's language, tested on what the buyer pays at checkout, with the device and app taken
// from the request or the buyer's User-Agent, and the reason a local method is missing.
//
// Dated 2026-11-23 12:00Z with the shipped rates in warn-only mode; carts are priced in the
// destination's currency with explicit shipping, so no conversion sits between a figure and a
// method's amount range.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "l10n/localizer.h"
#include "quote/engine.h"
#include "quote/quote_json.h"
#include "snapshot.h"

using namespace landed;
using json = nlohmann::json;

namespace {

json cart(const std::string& country, const std::string& currency, const std::string& amount, const std::string& locale = "en-US") {
  return {{"merchant", "demo"},
          {"locale", locale},
          {"currency", currency},
          {"ship_to", {{"country", country}}},
          {"buyer", {{"type", "consumer"}, {"device", "ios"}}},
          {"shipping", {{"price", {{"amount", "0.00"}, {"currency", currency}}}}},
          {"items", json::array({{{"sku", "A"}, {"quantity", 1}, {"unit_price", {{"amount", amount}, {"currency", currency}}}}})}};
}

json priced(const json& body, const std::shared_ptr<const Snapshot>& snap = test::shipped_snapshot_without_duties()) {
  auto req = parse_request(body);
  if (!req.ok())
    for (const auto& e : req.errors()) UNSCOPED_INFO(e.pointer << " " << e.message);
  REQUIRE(req.ok());
  auto q = price(*req, *snap, test::warn_only_at("2026-11-23T12:00:00Z"));
  if (!q.ok())
    for (const auto& e : q.errors()) UNSCOPED_INFO(e.pointer << " " << e.message);
  REQUIRE(q.ok());
  return json::parse(to_json_text(*q));
}

std::vector<std::string> ids(const json& q, const char* key = "payment_methods") {
  std::vector<std::string> out;
  for (const auto& m : q[key]) out.push_back(m["id"]);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& id) { return std::find(v.begin(), v.end(), id) != v.end(); }

json excluded(const json& q, const std::string& id) {
  for (const auto& m : q["payment_methods_excluded"])
    if (m["id"] == id) return m;
  return nullptr;
}

}  // namespace

TEST_CASE("A Dutch quote lists iDEAL first and names each method in the buyer's language") {
  const json q = priced(cart("NL", "EUR", "60.00", "it-IT"));
  REQUIRE_FALSE(q["payment_methods"].empty());
  CHECK(q["payment_methods"][0]["id"] == "ideal");
  CHECK(q["payment_methods"][0]["name"] == "iDEAL | Wero");
  CHECK(q["payment_methods"][0]["delayed_capture"] == false);
  bool card = false;
  for (const auto& m : q["payment_methods"])
    if (m["id"] == "card") {
      card = true;
      CHECK(m["name"] == "Carta");
      CHECK(has(m["brands"].get<std::vector<std::string>>(), "visa"));
    }
  CHECK(card);
}

TEST_CASE("The amount tested is what the buyer pays at checkout not the landed total under DAP") {
  // CH import VAT (8.1 %) is collected at checkout under DDP and on delivery under DAP; Klarna
  // takes up to CHF 5,000 (shipped klarna.json).
  json c = cart("CH", "CHF", "4900.00");
  c["incoterm"] = "DDP";
  const json ddp = priced(c);
  CHECK(ddp["totals"]["total"]["amount"] == "5296.90");
  CHECK_FALSE(has(ids(ddp), "klarna"));
  CHECK(excluded(ddp, "klarna")["reasons"][0]["code"] == "above_maximum");
  CHECK(excluded(ddp, "klarna")["reasons"][0]["maximum"]["amount"] == "5000.00");
  c["incoterm"] = "DAP";
  const json dap = priced(c);
  CHECK(dap["totals"]["total"]["amount"] == "4900.00");
  CHECK(has(ids(dap), "klarna"));
}

TEST_CASE("The device and the app come from the User-Agent when the request names neither") {
  json c = cart("CN", "CNY", "450.00");
  c["buyer"] = {{"type", "consumer"},
                {"user_agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                               "Mobile/15E148 MicroMessenger/8.0.49(0x18003130) NetType/WIFI Language/zh_CN"}};
  const json q = priced(c);
  CHECK(q["channel"] == "wechat");
  CHECK(q["payment"]["device"] == "ios");
  CHECK(q["payment"]["device_source"] == "user_agent");
  CHECK(q["payment"]["channel_source"] == "user_agent");
  CHECK(q["payment_methods"][0]["id"] == "wechat_pay");
}

TEST_CASE("A channel the request names wins over the User-Agent") {
  json c = cart("CN", "CNY", "450.00");
  c["channel"] = "web";
  c["buyer"]["user_agent"] = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) MicroMessenger/8.0.49";
  const json q = priced(c);
  CHECK(q["channel"] == "web");
  CHECK(q["payment"]["channel_source"] == "request");
  CHECK_FALSE(has(ids(q), "wechat_pay"));
  CHECK(q["payment"]["device"] == "ios");
  CHECK(q["payment"]["device_source"] == "request");
}

TEST_CASE("An unknown device leaves out device-bound methods and says why") {
  json c = cart("US", "USD", "70.00");
  c["ship_to"]["region"] = "US-OR";
  c["buyer"] = {{"type", "consumer"}};
  const json q = priced(c);
  CHECK(q["payment"]["device"].is_null());
  CHECK_FALSE(has(ids(q), "apple_pay"));
  CHECK(excluded(q, "apple_pay")["reasons"][0] == json({{"code", "device_not_supported"}, {"value", "unknown"}}));
}

TEST_CASE("A card BIN of a brand the market refuses takes card off the quote with that reason") {
  json c = cart("NL", "EUR", "60.00");
  c["payment"] = {{"card_bin", "62000000"}};
  const json q = priced(c);
  CHECK_FALSE(has(ids(q), "card"));
  CHECK(excluded(q, "card")["reasons"][0] == json({{"code", "brand_not_accepted"}, {"value", "unionpay"}}));
  CHECK(q["payment"]["card_brand"] == "unionpay");
  c["payment"] = {{"card_bin", "411111"}};
  const json visa = priced(c);
  CHECK(has(ids(visa), "card"));
  CHECK(visa["payment"]["card_brand"] == "visa");
}

TEST_CASE("Without payment rules a quote says nothing about payment methods") {
  const auto base = test::shipped_snapshot_without_duties();
  auto rules = std::make_shared<RuleSet>(*base->rules);
  rules->payments = PaymentRules{};
  const auto snap = std::make_shared<const Snapshot>(Snapshot{rules, base->rates, base->l10n});
  const json q = priced(cart("NL", "EUR", "60.00"), snap);
  CHECK_FALSE(q.contains("payment_methods"));
  CHECK_FALSE(q.contains("payment_methods_excluded"));
  CHECK_FALSE(q.contains("payment"));
}

TEST_CASE("An iPad asking for the desktop site gets Apple Pay") {
  json c = cart("US", "USD", "70.00");
  c["ship_to"]["region"] = "US-OR";
  c["buyer"] = {{"type", "consumer"},
                {"user_agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"}};
  const json q = priced(c);
  CHECK(q["payment"]["device"] == "desktop");
  CHECK(has(ids(q), "apple_pay"));
}

TEST_CASE("A method name in en that names no method refuses the snapshot") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "landed_payment_names_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy(test::home() / "locales", dir / "locales", fs::copy_options::recursive);
  json en = json::parse(test::read_text(dir / "locales" / "en.json"));
  en["messages"]["payment_method.kalrna"] = "Klarna";  // misspelt
  std::ofstream(dir / "locales" / "en.json") << en.dump(2);
  const auto load = app::load_snapshot(app::DataPaths{test::home() / "rules", test::home() / "rates", dir / "locales"});
  CHECK_FALSE(load.snapshot);
  bool named = false;
  for (const auto& e : load.errors) named = named || e.message.find("\"payment_method.kalrna\" names no payment method") != std::string::npos;
  CHECK(named);
  fs::remove_all(dir);
}

TEST_CASE("A bad device is a 422 on /buyer/device") {
  json c = cart("NL", "EUR", "60.00");
  c["buyer"]["device"] = "mac";
  const auto r = parse_request(c);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().pointer == "/buyer/device");
}

TEST_CASE("Every shipped payment method has a name in every catalog") {
  const auto snap = test::shipped_snapshot_without_duties();
  for (const auto& catalog : snap->l10n->catalog_names()) {
    const auto view = snap->l10n->resolve(catalog);
    REQUIRE(view.ok());
    for (const PaymentMethod& m : snap->rules->payments.methods) {
      INFO(catalog << " " << m.name_key);
      // The catalog's own entry, not en's by fallback.
      CHECK(snap->l10n->has_own_text(*view, m.name_key));
    }
  }
}
