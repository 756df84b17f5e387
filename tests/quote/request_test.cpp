#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "quote/request.h"

using namespace landed;
using json = nlohmann::json;

namespace {

json cart() {
  return json::parse(R"({
    "locale": "hr-HR", "currency": "EUR",
    "ship_to": {"country": "HR", "postal_code": "10000", "city": "Zagreb"},
    "items": [{"sku": "TEE-1", "quantity": 2, "unit_price": {"amount": "19.99", "currency": "USD"},
               "hs_code": "610910", "origin_country": "CN", "weight": {"value": "0.2", "unit": "kg"}}]
  })");
}

// The pointers of every error for a body.
std::vector<std::string> pointers(const json& body) {
  const auto r = parse_request(body);
  std::vector<std::string> out;
  if (!r.ok())
    for (const auto& e : r.errors()) out.push_back(e.pointer);
  return out;
}

std::vector<std::string> one(const char* p) { return {p}; }

}  // namespace

TEST_CASE("A valid cart parses with defaults filled in") {
  const auto r = parse_request(cart());
  REQUIRE(r.ok());
  CHECK(r->channel == "web");
  CHECK(r->items[0].tax_category == "general");
  CHECK(r->items[0].unit_price.to_string() == "19.99");
  CHECK(r->items[0].weight->unit == "kg");
  CHECK(r->buyer.type == "consumer");
}

TEST_CASE("Malformed JSON is an invalid_json error with its position, never an exception") {
  for (const char* text : {"", "{", "{\"items\": [}", "nul", "{\"a\": 1e99999999999999999999}", "\xff\xfe", "[1,]", "{\"a\": \"\xc3\"}"}) {
    const auto r = parse_request_text(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::invalid_json);
  }
  CHECK(parse_request_text("{\n  \"a\": }").error().message.find("line 2") != std::string::npos);
}

TEST_CASE("Over-deep or over-large bodies are refused before parsing") {
  CHECK(parse_request_text(std::string(100, '[') + std::string(100, ']')).error().code == ErrorCode::invalid_json);
  CHECK(parse_request_text(std::string((1 << 20) + 1, ' ')).error().code == ErrorCode::too_large);
}

TEST_CASE("Required fields are named when missing") {
  json c = cart();
  c.erase("locale");
  CHECK(pointers(c) == one("/locale"));
  c = cart();
  c.erase("ship_to");
  CHECK(pointers(c) == one("/ship_to"));
  c = cart();
  c["ship_to"].erase("country");
  CHECK(pointers(c) == one("/ship_to/country"));
  c = cart();
  c.erase("items");
  CHECK(pointers(c) == one("/items"));
  c = cart();
  c["items"][0].erase("unit_price");
  CHECK(pointers(c) == one("/items/0/unit_price"));
  CHECK(pointers(json::array()) == one(""));
}

TEST_CASE("Wrong types are refused by pointer") {
  json c = cart();
  c["locale"] = 5;
  CHECK(pointers(c) == one("/locale"));
  c = cart();
  c["items"] = json::object();
  CHECK(pointers(c) == one("/items"));
  c = cart();
  c["items"][0]["unit_price"]["amount"] = 19.99;  // a number would lose exactness
  CHECK(pointers(c) == one("/items/0/unit_price/amount"));
  c = cart();
  c["items"][0]["quantity"] = "2";
  CHECK(pointers(c) == one("/items/0/quantity"));
  c = cart();
  c["ship_to"] = "HR";
  CHECK(pointers(c) == one("/ship_to"));
  c = cart();
  c["buyer"] = json::array();
  CHECK(pointers(c) == one("/buyer"));
}

TEST_CASE("Quantities must be positive integers within the bound") {
  for (const json& q : {json(0), json(-1), json(2.5), json(100001), json(1e30), json(true), json(18446744073709551615ull)}) {
    json c = cart();
    c["items"][0]["quantity"] = q;
    INFO(q.dump());
    CHECK(pointers(c) == one("/items/0/quantity"));
  }
}

TEST_CASE("Amounts: negative, malformed, 30-digit and over-precise amounts are refused") {
  for (const char* a : {"-1.00", "1,00", "", "1e3", "123456789012345678901234567890", "1234567890123.00", "0.1234567",
                        "abc", "12.30 "}) {
    json c = cart();
    c["items"][0]["unit_price"]["amount"] = a;
    INFO(a);
    CHECK(pointers(c) == one("/items/0/unit_price/amount"));
  }
  json c = cart();
  c["items"][0]["unit_price"]["amount"] = "999999999999.123456";  // 12 + 6 digits is the bound
  CHECK(parse_request(c).ok());
  c = cart();
  c["shipping"] = {{"price", {{"amount", "5.001"}, {"currency", "EUR"}}}};
  CHECK(pointers(c) == one("/shipping/price/amount"));
  c["shipping"] = {{"price", {{"amount", "5"}, {"currency", "JPY"}}}};
  CHECK(parse_request(c).ok());
}

TEST_CASE("Unknown currencies and countries are refused") {
  json c = cart();
  c["currency"] = "EURO";
  CHECK(pointers(c) == one("/currency"));
  c = cart();
  c["items"][0]["unit_price"]["currency"] = "XYZ";
  CHECK(pointers(c) == one("/items/0/unit_price/currency"));
  c = cart();
  c["ship_to"]["country"] = "ZZ";
  CHECK(pointers(c) == one("/ship_to/country"));
  c = cart();
  c["ship_to"]["country"] = "hr";
  CHECK(pointers(c) == one("/ship_to/country"));
  c = cart();
  c["items"][0]["origin_country"] = "CHN";
  CHECK(pointers(c) == one("/items/0/origin_country"));
}

TEST_CASE("Item count is bounded to 1..500") {
  json c = cart();
  c["items"] = json::array();
  CHECK(pointers(c) == one("/items"));
  const json item = cart()["items"][0];
  c["items"] = json::array();
  for (int i = 0; i < 500; ++i) c["items"].push_back(item);
  CHECK(parse_request(c).ok());
  c["items"].push_back(item);
  const auto r = parse_request(c);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().pointer == "/items");
  CHECK(r.error().code == ErrorCode::out_of_range);
}

TEST_CASE("Enumerations, codes and unknown fields are checked") {
  json c = cart();
  c["channel"] = "myspace";
  CHECK(pointers(c) == one("/channel"));
  c = cart();
  c["incoterm"] = "EXW";
  CHECK(pointers(c) == one("/incoterm"));
  c = cart();
  c["items"][0]["hs_code"] = "6109.10";
  CHECK(pointers(c) == one("/items/0/hs_code"));
  c = cart();
  c["items"][0]["weight"]["unit"] = "stone";
  CHECK(pointers(c) == one("/items/0/weight/unit"));
  c = cart();
  c["payment"] = {{"card_bin", "41111"}};
  CHECK(pointers(c) == one("/payment/card_bin"));
  c = cart();
  c["cupon"] = "X";
  CHECK(pointers(c) == one("/cupon"));
  c = cart();
  c["items"][0]["sku"] = std::string(129, 'x');
  CHECK(pointers(c) == one("/items/0/sku"));
}

TEST_CASE("Every bad field is reported at once") {
  json c = cart();
  c["locale"] = 1;
  c["currency"] = "??";
  c["items"][0]["quantity"] = 0;
  c["items"].push_back({{"sku", "B"}, {"quantity", 1}, {"unit_price", {{"amount", "-5"}, {"currency", "USD"}}}});
  CHECK(pointers(c) == std::vector<std::string>{"/locale", "/currency", "/items/0/quantity", "/items/1/unit_price/amount"});
}

TEST_CASE("A key repeated in one object is refused, so every reader sees the same request") {
  const auto r = parse_request_text(R"({"locale": "hr-HR", "locale": "en-US"})");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::invalid_json);
  CHECK(r.error().message.find("\"locale\" appears twice") != std::string::npos);
  // The same key in different objects is fine.
  CHECK(parse_request_text(R"({"a": {"x": 1}, "b": {"x": 2}})").error().code != ErrorCode::invalid_json);
}
