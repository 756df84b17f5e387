// The tax engine end to end (issue #9): POST /v1/quotes over real HTTP, for what only the
// service shows: every error of a request in one problem response, and the tax fields of the
// JSON a checkout reads (waivers with their threshold, notes, the buyer's checked number).
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

json cart(const std::string& country, const std::string& currency, const std::string& amount) {
  return {{"merchant", "demo"},
          {"locale", "en-US"},
          {"currency", currency},
          {"ship_to", {{"country", country}}},
          {"buyer", {{"type", "consumer"}}},
          {"shipping", {{"price", {{"amount", "0.00"}, {"currency", currency}}}}},
          {"items", json::array({{{"sku", "A"}, {"quantity", 1}, {"unit_price", {{"amount", amount}, {"currency", currency}}}}})}};
}

}  // namespace

TEST_CASE("One 422 names a bad channel and tax_category and locale and vat_id and region together") {
  test::Running s;
  test::HttpClient c(s.base);
  json body = cart("CA", "CAD", "10.00");
  body["channel"] = "fax";
  body["items"][0]["tax_category"] = "bookz";
  body["locale"] = "not a locale";
  body["buyer"] = {{"type", "business"}, {"vat_id", "1230266351"}};  // 10 digits: a BN has 9
  body["ship_to"]["region"] = "CA-XX";
  const auto r = c.request("POST", "/v1/quotes", checkout, body.dump());
  REQUIRE(r.error.empty());
  CHECK(r.status == 422);
  CHECK(r.headers["content-type"] == "application/problem+json");
  const json p = json::parse(r.body);
  std::multiset<std::string> pointers;
  for (const auto& e : p["errors"]) pointers.insert(e["pointer"].get<std::string>());
  INFO(p.dump(2));
  for (const char* want : {"/channel", "/items/0/tax_category", "/locale", "/buyer/vat_id", "/ship_to/region"})
    CHECK(pointers.count(want) == 1);
  CHECK(pointers.size() == 5);
}

TEST_CASE("A mistyped DE number is a 422 on /buyer/vat_id saying check_digit") {
  test::Running s;
  test::HttpClient c(s.base);
  json body = cart("DE", "EUR", "50.00");
  body["buyer"] = {{"type", "business"}, {"vat_id", "DE136695978"}};
  const auto r = c.request("POST", "/v1/quotes", checkout, body.dump());
  CHECK(r.status == 422);
  const json p = json::parse(r.body);
  REQUIRE(p["errors"].size() == 1);
  CHECK(p["errors"][0]["pointer"] == "/buyer/vat_id");
  CHECK(p["errors"][0]["message"].get<std::string>().rfind("check_digit", 0) == 0);
}

TEST_CASE("A reverse-charged quote shows the waiver and the legal mention and the checked number") {
  test::Running s;
  test::HttpClient c(s.base);
  json body = cart("DE", "EUR", "500.00");
  body["buyer"] = {{"type", "business"}, {"vat_id", "de136695976"}};
  body["ship_from"] = {{"country", "FR"}};
  const auto r = c.request("POST", "/v1/quotes", checkout, body.dump());
  REQUIRE(r.status == 201);
  const json q = json::parse(r.body);
  CHECK(q["buyer"] == json({{"type", "business"}, {"vat_id", "DE136695976"}}));
  CHECK(q["taxes"].empty());
  REQUIRE(q["taxes_waived"].size() == 1);
  CHECK(q["taxes_waived"][0]["reason"] == "reverse_charge");
  CHECK(q["taxes_waived"][0]["tax"] == "DE.vat");
  CHECK_FALSE(q["taxes_waived"][0]["message"].get<std::string>().empty());
  REQUIRE(q["notes"].size() == 1);
  CHECK(q["notes"][0]["code"] == "reverse_charge");
  CHECK(q["notes"][0]["message"].get<std::string>().find("2006/112/EC") != std::string::npos);
  CHECK(q["totals"]["total"]["amount"] == "500.00");
}

// JPY 16,666 × 60 % = 9,999.6: within JPY 10,000, no consumption tax; the waiver states both.
TEST_CASE("A waiver below a threshold carries the threshold and the value tested in the JSON") {
  test::Running s;
  test::HttpClient c(s.base);
  json body = cart("JP", "JPY", "16666");
  body["shipping"]["price"]["amount"] = "0";
  body["items"][0]["hs_code"] = "490199";  // JP's duty relief excludes some goods by HS code
  body["locale"] = "hr-HR";
  const auto r = c.request("POST", "/v1/quotes", checkout, body.dump());
  REQUIRE(r.status == 201);
  const json q = json::parse(r.body);
  CHECK(q["taxes"].empty());
  REQUIRE(q["taxes_waived"].size() == 1);
  const json& w = q["taxes_waived"][0];
  CHECK(w["reason"] == "below_threshold");
  CHECK(w["threshold"] == json({{"amount", "10000"}, {"currency", "JPY"}}));
  CHECK(w["value_tested"] == json({{"amount", "10000"}, {"currency", "JPY"}}));
  CHECK(w["regime"]["id"] == "JP.small_value");
  CHECK(w["message"].get<std::string>().find("se ne naplaćuje") != std::string::npos);
}
