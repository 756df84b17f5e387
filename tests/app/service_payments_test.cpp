// GET /v1/payment-methods over real HTTP (issue #11): the eligible methods in rank order, with
// explain=true every excluded method with each reason a checkout can act on and a sentence in
// the caller's language, every bad parameter in one 422, and the checkout role only.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>

#include "http_client.h"
#include "running_service.h"
#include "support.h"

using namespace landed;
using json = nlohmann::json;

namespace {

const std::string checkout = "dev-checkout-token";

json get(test::HttpClient& c, const std::string& query, int status = 200) {
  const auto r = c.request("GET", "/v1/payment-methods?" + query, checkout);
  REQUIRE(r.error.empty());
  INFO(r.body);
  CHECK(r.status == status);
  return json::parse(r.body);
}

std::vector<std::string> ids(const json& list) {
  std::vector<std::string> out;
  for (const auto& m : list) out.push_back(m["id"]);
  return out;
}

// The excluded entry of `id`, or null.
json excluded(const json& body, const std::string& id) {
  for (const auto& m : body["excluded"])
    if (m["id"] == id) return m;
  return nullptr;
}

json reason(const json& body, const std::string& id, const std::string& code) {
  const json m = excluded(body, id);  // held: a range-for would not keep the temporary alive
  if (m.is_null()) return nullptr;
  for (const auto& r : m["reasons"])
    if (r["code"] == code) return r;
  return nullptr;
}

}  // namespace

TEST_CASE("The eligible methods of a market come in rank order with local names") {
  test::Running s;
  test::HttpClient c(s.base);
  const json b = get(c, "country=PL&currency=PLN&amount=250.00&device=android&locale=hr");
  const auto list = ids(b["payment_methods"]);
  REQUIRE(list.size() >= 3);
  CHECK(list[0] == "blik");
  CHECK(b["payment_methods"][0]["name"] == "BLIK");
  CHECK(b["amount"] == "250.00");
  CHECK(b["device"] == "android");
  CHECK(b["date"] == "2026-11-23");
  CHECK_FALSE(b.contains("excluded"));
  for (const auto& m : b["payment_methods"])
    if (m["id"] == "card") CHECK(m["name"] == "Kartica");
}

TEST_CASE("Explain gives every excluded method with each machine-readable reason and a sentence") {
  test::Running s;
  test::HttpClient c(s.base);
  // A Dutch buyer in the Instagram app with a UnionPay BIN paying EUR 0.50.
  const json b = get(c, "country=NL&currency=EUR&amount=0.50&channel=instagram&device=android&card_bin=62000000&explain=true");
  std::set<std::string> all;
  for (const auto& id : ids(b["payment_methods"])) all.insert(id);
  for (const auto& id : ids(b["excluded"])) all.insert(id);
  CHECK(all.size() > 60);  // every method the rules define, one way or the other

  CHECK(reason(b, "pix", "country_not_supported")["value"] == "NL");
  CHECK(reason(b, "pix", "country_not_supported")["message"] == "Pix is not offered in this country (Netherlands).");
  CHECK(reason(b, "pix", "currency_not_supported")["value"] == "EUR");
  CHECK(reason(b, "klarna", "below_minimum")["minimum"] == json({{"amount", "1.00"}, {"currency", "EUR"}}));
  CHECK(reason(b, "klarna", "below_minimum")["message"] == "Klarna is available from €1.00.");
  CHECK(reason(b, "apple_pay", "channel_not_supported")["value"] == "instagram");
  CHECK(reason(b, "apple_pay", "channel_not_supported")["message"] == "Apple Pay does not work inside Instagram.");
  CHECK(reason(b, "apple_pay", "device_not_supported")["value"] == "android");
  CHECK(reason(b, "card", "brand_not_accepted")["value"] == "unionpay");
  CHECK(reason(b, "card", "brand_not_accepted")["message"] == "UnionPay cards are not accepted in this country (Netherlands).");
  CHECK(b["card_brand"] == "unionpay");
}

TEST_CASE("Explain names the maximum a method takes") {
  test::Running s;
  test::HttpClient c(s.base);
  const json b = get(c, "country=US&currency=USD&amount=100000.00&device=ios&explain=true");
  CHECK(reason(b, "affirm", "above_maximum")["maximum"]["currency"] == "USD");
  CHECK_FALSE(reason(b, "affirm", "above_maximum")["message"].get<std::string>().empty());
}

TEST_CASE("Explain says a method is not in force before its rule takes effect") {
  test::Running s;
  test::HttpClient c(s.base);
  const json b = get(c, "country=DE&currency=EUR&amount=60.00&date=2026-09-30&explain=true");
  CHECK(reason(b, "wero", "not_in_force")["value"] == "2026-09-30");
}

TEST_CASE("Explain sentences come in the caller's language with left-to-right runs isolated in Hebrew") {
  test::Running s;
  test::HttpClient c(s.base);
  const json b = get(c, "country=IL&currency=ILS&amount=0.50&device=ios&explain=true&locale=he");
  const std::string m = reason(b, "pix", "country_not_supported")["message"];
  CHECK(m.find("\u2066Pix\u2069") != std::string::npos);  // LRI Pix PDI
  CHECK(m.find("ישראל") != std::string::npos);             // ICU's name of IL in Hebrew
}

TEST_CASE("Every bad parameter of the payment-methods query is named in one 422") {
  test::Running s;
  test::HttpClient c(s.base);
  const json p = get(c, "country=XX&currency=EURO&channel=myspace&device=mac&card_bin=4111&explain=maybe&date=2026-13-01&bogus=1&locale=%ZZ",
                     422);
  std::set<std::string> pointers;
  for (const auto& e : p["errors"]) pointers.insert(e["pointer"]);
  for (const char* want : {"/country", "/currency", "/amount", "/channel", "/device", "/card_bin", "/explain", "/date", "/bogus", "/locale"}) {
    INFO(want);
    CHECK(pointers.count(want) == 1);
  }
}

TEST_CASE("An amount with more digits than its currency is a 422 on /amount") {
  test::Running s;
  test::HttpClient c(s.base);
  const json p = get(c, "country=JP&currency=JPY&amount=100.5", 422);
  REQUIRE(p["errors"].size() == 1);
  CHECK(p["errors"][0]["pointer"] == "/amount");
}

TEST_CASE("A huge amount is a 422 on /amount in every currency not a 500") {
  test::Running s;
  test::HttpClient c(s.base);
  for (const char* currency : {"KWD", "BHD", "USD", "JPY"}) {
    INFO(currency);
    const json p = get(c, std::string("country=KW&currency=") + currency + "&amount=999999999999999999999999999999999999", 422);
    REQUIRE(p["errors"].size() == 1);
    CHECK(p["errors"][0]["pointer"] == "/amount");
  }
  get(c, "country=KW&currency=KWD&amount=999999999999.999");  // twelve integer digits: the bound, priced
}

TEST_CASE("A parameter that does not decode is named once") {
  test::Running s;
  test::HttpClient c(s.base);
  const json p = get(c, "country=%ZZ&currency=EUR&amount=1.00", 422);
  REQUIRE(p["errors"].size() == 1);
  CHECK(p["errors"][0]["pointer"] == "/country");
  CHECK(p["errors"][0]["message"] == "is not valid percent-encoded UTF-8");
}

TEST_CASE("A BIN of no known brand is explained with its digits") {
  test::Running s;
  test::HttpClient c(s.base);
  const json b = get(c, "country=DE&currency=EUR&amount=60.00&card_bin=700000&explain=true");
  CHECK(reason(b, "card", "brand_not_accepted")["value"] == "unknown");
  CHECK(reason(b, "card", "brand_not_accepted")["message"] == "A card starting 700000 is not of a brand accepted in this country (Germany).");
}

TEST_CASE("A parameter given twice is a 422") {
  test::Running s;
  test::HttpClient c(s.base);
  const json p = get(c, "country=NL&country=BE&currency=EUR&amount=1.00", 422);
  CHECK(p["errors"][0]["pointer"] == "/country");
}

TEST_CASE("Payment methods are for checkout keys and a finance key is refused") {
  test::Running s;
  test::HttpClient c(s.base);
  const auto r = c.request("GET", "/v1/payment-methods?country=NL&currency=EUR&amount=1.00", "dev-finance-token");
  REQUIRE(r.error.empty());
  CHECK(r.status == 403);
}

TEST_CASE("A quote over HTTP lists payment methods for the buyer's User-Agent") {
  test::Running s;
  test::HttpClient c(s.base);
  const json body = {{"merchant", "demo"},
                     {"locale", "nl-NL"},
                     {"currency", "EUR"},
                     {"ship_to", {{"country", "NL"}}},
                     {"buyer", {{"user_agent", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"}}},
                     {"shipping", {{"price", {{"amount", "0.00"}, {"currency", "EUR"}}}}},
                     {"items", json::array({{{"sku", "A"}, {"quantity", 1}, {"unit_price", {{"amount", "60.00"}, {"currency", "EUR"}}},
                                             {"hs_code", "610910"}}})}};
  const auto r = c.request("POST", "/v1/quotes", checkout, body.dump());
  REQUIRE(r.error.empty());
  REQUIRE(r.status == 201);
  const json q = json::parse(r.body);
  CHECK(q["payment"]["device"] == "android");
  const auto list = ids(q["payment_methods"]);
  CHECK(std::find(list.begin(), list.end(), "google_pay") != list.end());
  CHECK(std::find(list.begin(), list.end(), "apple_pay") == list.end());
}
