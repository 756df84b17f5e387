// QuoteRequest: a quote request (API.md POST /v1/quotes) after syntactic validation. Every field has
// the right type, format and bounds; whether the merchant, destination or currency is one Landed
// can price is the Engine's question. parse_request reports every bad field, by JSON pointer.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "money/money.h"
#include "rules/payment_rules.h"  // channels, devices

namespace landed {

struct Address {
  std::string country;  // ISO 3166-1 alpha-2, known to ICU
  std::string region, postal_code, city;
  bool region_invalid = false;  // the parse refused region: nothing more to say about it
};

// The weight of one article of an item.
struct Weight {
  Decimal value;
  std::string unit;  // kg, g, lb, oz
  // In kilograms, exactly: the pound is 0.45359237 kg by definition (international yard and pound
  // agreement, 1959), the avoirdupois ounce 1/16 of it, 0.028349523125 kg.
  Decimal kg() const;
};

struct Item {
  std::string sku;
  std::string description;
  std::int64_t quantity = 1;
  Decimal unit_price;        // may carry up to unit_price_fraction_digits digits
  Currency price_currency;
  std::string hs_code;       // digits only, 6 to 10; empty if not given
  std::string origin_country;
  // A product kind ("books", "general") or, as an explicit override, a rate band ("reduced").
  std::string tax_category = "general";
  std::optional<Weight> weight;
  std::size_t index = 0;  // its position in the request's items, for error pointers
};

struct Buyer {
  std::string type = "consumer";
  std::string vat_id, email, ip, device_id;
  std::string device;      // "ios", "android", "desktop"; empty: derive from user_agent
  std::string user_agent;  // the buyer's browser User-Agent, passed on by the checkout
};

struct QuoteRequest {
  std::string merchant;  // empty: the rule set's default merchant
  std::string channel = "web";
  bool channel_given = false;  // false: the User-Agent may name the in-app browser
  std::string locale;
  std::optional<Currency> currency;
  std::string ship_from;  // empty: the merchant's origin
  Address ship_to;
  std::string incoterm;   // empty: the merchant's default
  Buyer buyer;
  std::string shipping_service;
  std::optional<Money> shipping_price;
  std::string card_bin;
  std::vector<Item> items;
};


// A request as far as it could be read, and every syntactic problem found. `request` is absent
// when the body is not a JSON object at all; otherwise it holds every field that was valid
// (items with errors are left out), so the engine can add its own findings to the same list.
struct PartialQuoteRequest {
  std::optional<QuoteRequest> request;
  Errors errors;
};
PartialQuoteRequest parse_request_partial(std::string_view body);

Result<QuoteRequest> parse_request(const nlohmann::json& body);
// Parses text first: invalid JSON, excess depth or size are errors, never exceptions.
Result<QuoteRequest> parse_request_text(std::string_view body);

}  // namespace landed
