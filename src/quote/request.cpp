#include "quote/request.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "core/check.h"
#include "core/country.h"
#include "core/json_positions.h"
#include "core/limits.h"
#include "core/json_tree.h"
#include "rules/rule_set.h"

namespace landed {
namespace {

// A JSON pointer built only when an error needs it: the valid path allocates nothing for it.
struct Ptr {
  const Ptr* parent = nullptr;
  std::string_view token;
  std::size_t index = 0;
  bool is_index = false;

  Ptr child(std::string_view t) const { return {this, t, 0, false}; }
  Ptr child(std::size_t i) const { return {this, {}, i, true}; }
  std::string str() const {
    if (!parent) return "";
    return is_index ? pointer_append(parent->str(), index) : pointer_append(parent->str(), token);
  }
};

class Reader;

// One object's known members, gathered in a single pass over it; members the schema does not
// know are reported as they are met. Lookups then scan at most members_max names.
class Obj {
 public:
  static constexpr std::size_t members_max = 16;  // more than any object of a request knows
  Obj(Reader& r, JsonView v, const Ptr& at, std::initializer_list<std::string_view> known);
  std::optional<JsonView> find(std::string_view name) const {
    for (std::size_t i = 0; i < n_; ++i)
      if (names_[i] == name) return views_[i];
    return std::nullopt;
  }

 private:
  std::array<std::string_view, members_max> names_{};
  std::array<std::optional<JsonView>, members_max> views_{};
  std::size_t n_ = 0;
};

// Collects every problem of a request body with its JSON pointer.
class Reader {
 public:
  Errors errors;

  void fail(ErrorCode code, const Ptr& at, std::string msg) { errors.push_back({code, std::move(msg), at.str()}); }

  // The member, or nothing if absent or JSON null (absent == null for optional fields).
  std::optional<JsonView> get(const Obj& obj, const Ptr& at, std::string_view key, bool required) {
    const auto v = obj.find(key);
    if (!v || v->is_null()) {
      if (required) fail(ErrorCode::missing_field, at.child(key), "is required");
      return std::nullopt;
    }
    return v;
  }

  std::optional<JsonView> object(const Obj& obj, const Ptr& at, std::string_view key, bool required) {
    const auto v = get(obj, at, key, required);
    if (v && !v->is_object()) {
      fail(ErrorCode::invalid_field, at.child(key), "must be an object");
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::string_view> text(const Obj& obj, const Ptr& at, std::string_view key, bool required,
                                       std::size_t bytes_max) {
    const auto v = get(obj, at, key, required);
    if (!v) return std::nullopt;
    if (!v->is_string()) return fail(ErrorCode::invalid_field, at.child(key), "must be a string"), std::nullopt;
    const std::string_view s = v->str();
    if (s.size() > bytes_max)
      return fail(ErrorCode::out_of_range, at.child(key), "must be at most " + std::to_string(bytes_max) + " bytes"),
             std::nullopt;
    if (required && s.empty()) return fail(ErrorCode::invalid_field, at.child(key), "must not be empty"), std::nullopt;
    return s;
  }

  std::string text_or(const Obj& obj, const Ptr& at, std::string_view key, bool required, std::size_t bytes_max,
                      std::string_view fallback) {
    return std::string(text(obj, at, key, required, bytes_max).value_or(fallback));
  }

  template <std::size_t N>
  std::optional<std::string_view> one_of(const Obj& obj, const Ptr& at, std::string_view key,
                                         const std::string_view (&values)[N]) {
    auto s = text(obj, at, key, false, limits::id_bytes_max);
    if (!s) return s;
    if (std::find(std::begin(values), std::end(values), *s) == std::end(values)) {
      std::string list;
      for (const auto v : values) list += (list.empty() ? "" : ", ") + std::string(v);
      fail(ErrorCode::invalid_field, at.child(key), "must be one of: " + list);
      return std::nullopt;
    }
    return s;
  }

  std::optional<std::string_view> country(const Obj& obj, const Ptr& at, std::string_view key, bool required) {
    auto s = text(obj, at, key, required, limits::id_bytes_max);
    if (!s) return s;
    if (!is_country(*s)) {
      fail(ErrorCode::invalid_field, at.child(key), "must be an ISO 3166-1 alpha-2 country code such as \"HR\"");
      return std::nullopt;
    }
    return s;
  }

  std::optional<Currency> currency(const Obj& obj, const Ptr& at, std::string_view key, bool required) {
    auto s = text(obj, at, key, required, limits::id_bytes_max);
    if (!s) return std::nullopt;
    auto c = Currency::of(*s);
    if (!c.ok()) return fail(ErrorCode::invalid_field, at.child(key), c.error().message), std::nullopt;
    return *c;
  }

  // A non-negative decimal string with bounded digits.
  std::optional<Decimal> amount(const Obj& obj, const Ptr& at, std::string_view key, int fraction_digits_max) {
    const auto v = get(obj, at, key, true);
    if (!v) return std::nullopt;
    if (!v->is_string())
      return fail(ErrorCode::invalid_field, at.child(key), "must be a decimal string such as \"19.99\""), std::nullopt;
    auto d = Decimal::parse(v->str());
    if (!d.ok()) return fail(ErrorCode::invalid_field, at.child(key), d.error().message), std::nullopt;
    if (d->is_negative()) return fail(ErrorCode::invalid_field, at.child(key), "must not be negative"), std::nullopt;
    if (d->integer_digits() > limits::amount_integer_digits_max)
      return fail(ErrorCode::out_of_range, at.child(key),
                  "must have at most " + std::to_string(limits::amount_integer_digits_max) +
                      " digits before the decimal point"),
             std::nullopt;
    const Decimal n = d->normalized();  // "19.990000" is 19.99: trailing zeros carry no digits to keep
    if (n.scale() > fraction_digits_max)
      return fail(ErrorCode::out_of_range, at.child(key),
                  "must have at most " + std::to_string(fraction_digits_max) + " digits after the decimal point"),
             std::nullopt;
    return n;
  }
};

Obj::Obj(Reader& r, JsonView v, const Ptr& at, std::initializer_list<std::string_view> known) {
  LANDED_CHECK(known.size() <= members_max, "a schema object lists at most members_max names");
  for (const JsonView member : v) {
    const std::string_view key = member.key();
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      r.fail(ErrorCode::invalid_field, at.child(key), "is not a known field");
    } else {  // the tree has refused repeated keys, so each known name is met at most once
      names_[n_] = key;
      views_[n_] = member;
      ++n_;
    }
  }
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

constexpr std::string_view incoterms[] = {"DDP", "DAP"};
constexpr std::string_view buyer_types[] = {"consumer", "business"};
constexpr std::string_view weight_units[] = {"kg", "g", "lb", "oz"};

void read_item(Reader& r, JsonView e, const Ptr& p, QuoteRequest& q, std::size_t index) {
  if (!e.is_object()) return r.fail(ErrorCode::invalid_field, p, "must be an object");
  const Obj eo(r, e, p, {"sku", "description", "quantity", "unit_price", "hs_code", "origin_country", "tax_category",
                     "weight"});
  Item it;
  it.index = index;
  const std::size_t before = r.errors.size();
  it.sku = r.text_or(eo, p, "sku", true, limits::id_bytes_max, "");
  it.description = r.text_or(eo, p, "description", false, limits::text_bytes_max, "");
  if (const auto qty = r.get(eo, p, "quantity", true)) {
    if (!qty->is_integer() || qty->integer() < 1)
      r.fail(ErrorCode::invalid_field, p.child("quantity"),
             "must be a positive integer up to " + std::to_string(limits::quantity_max));
    else if (qty->integer() > limits::quantity_max)
      r.fail(ErrorCode::out_of_range, p.child("quantity"), "must be at most " + std::to_string(limits::quantity_max));
    else
      it.quantity = qty->integer();
  }
  const Ptr price_at = p.child("unit_price");
  if (const auto price = r.object(eo, p, "unit_price", true)) {
    const Obj po(r, *price, price_at, {"amount", "currency"});
    const auto cur = r.currency(po, price_at, "currency", true);
    const auto amt = r.amount(po, price_at, "amount", limits::unit_price_fraction_digits_max);
    if (cur) it.price_currency = *cur;
    if (amt) it.unit_price = *amt;
  }
  it.hs_code = r.text_or(eo, p, "hs_code", false, limits::id_bytes_max, "");
  if (!it.hs_code.empty() && (!all_digits(it.hs_code) || it.hs_code.size() < 6 || it.hs_code.size() > 10))
    r.fail(ErrorCode::invalid_field, p.child("hs_code"), "must be 6 to 10 digits");
  it.origin_country = std::string(r.country(eo, p, "origin_country", false).value_or(""));
  it.tax_category = r.text_or(eo, p, "tax_category", false, limits::id_bytes_max, "general");
  if (!is_product_kind(it.tax_category) && !is_tax_band(it.tax_category)) {
    std::string kinds, bands;
    for (const auto k : product_kinds) kinds += (kinds.empty() ? "" : ", ") + std::string(k);
    for (const auto b : tax_bands) bands += (bands.empty() ? "" : ", ") + std::string(b);
    r.fail(ErrorCode::invalid_field, p.child("tax_category"),
           "is not a product kind (" + kinds + ") or a rate band (" + bands + ")");
  }
  const Ptr weight_at = p.child("weight");
  if (const auto w = r.object(eo, p, "weight", false)) {
    const Obj wo(r, *w, weight_at, {"value", "unit"});
    const auto value = r.amount(wo, weight_at, "value", 6);
    const auto unit = r.one_of(wo, weight_at, "unit", weight_units);
    if (!unit && !r.get(wo, weight_at, "unit", false)) r.fail(ErrorCode::missing_field, weight_at.child("unit"), "is required");
    if (value && unit) it.weight = Weight{*value, std::string(*unit)};
  }
  if (r.errors.size() == before) q.items.push_back(std::move(it));
}

PartialQuoteRequest read_request(JsonView body) {
  Reader r;
  QuoteRequest q;
  const Ptr root;
  if (!body.is_object()) return {std::nullopt, {Error{ErrorCode::invalid_field, "the request must be a JSON object", ""}}};
  const Obj bo(r, body, root, {"merchant", "channel", "locale", "currency", "ship_from", "ship_to", "incoterm", "buyer",
                           "shipping", "payment", "items"});
  q.merchant = r.text_or(bo, root, "merchant", false, limits::id_bytes_max, "");
  const auto channel = r.one_of(bo, root, "channel", channels);
  q.channel_given = channel.has_value();
  q.channel = std::string(channel.value_or("web"));
  q.locale = r.text_or(bo, root, "locale", true, limits::locale_bytes_max, "");
  q.currency = r.currency(bo, root, "currency", false);
  if (const auto from = r.object(bo, root, "ship_from", false)) {
    const Ptr at = root.child("ship_from");
    const Obj fo(r, *from, at, {"country", "region", "postal_code", "city"});
    q.ship_from = std::string(r.country(fo, at, "country", true).value_or(""));
  }
  if (const auto to = r.object(bo, root, "ship_to", true)) {
    const Ptr at = root.child("ship_to");
    const Obj to_o(r, *to, at, {"country", "region", "postal_code", "city"});
    q.ship_to.country = std::string(r.country(to_o, at, "country", true).value_or(""));
    q.ship_to.region = r.text_or(to_o, at, "region", false, limits::id_bytes_max, "");
    // ISO 3166-2: the country's code, a hyphen, one to three letters or digits ("CA-QC").
    // Which codes a country has is the tax rules' business (ICU knows countries, not their
    // subdivisions); the shape is checked here.
    if (!q.ship_to.region.empty()) {
      const std::string& g = q.ship_to.region;
      const bool shape = g.size() >= 4 && g.size() <= 6 && g[2] == '-' &&
                         std::all_of(g.begin(), g.begin() + 2, [](char c) { return c >= 'A' && c <= 'Z'; }) &&
                         std::all_of(g.begin() + 3, g.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
      if (!shape)
        r.fail(ErrorCode::invalid_field, at.child("region"), "must be an ISO 3166-2 code such as \"CA-QC\"");
      else if (!q.ship_to.country.empty() && g.compare(0, 2, q.ship_to.country) != 0)
        r.fail(ErrorCode::invalid_field, at.child("region"), "is a region of " + g.substr(0, 2) + ", not of " + q.ship_to.country);
      // Reported once: the engine, which checks the code against the country's rules, must not
      // see it again (nor ask for a region the buyer did send).
      if (!shape || (!q.ship_to.country.empty() && g.compare(0, 2, q.ship_to.country) != 0)) q.ship_to.region_invalid = true;
    }
    q.ship_to.postal_code = r.text_or(to_o, at, "postal_code", false, limits::id_bytes_max, "");
    q.ship_to.city = r.text_or(to_o, at, "city", false, limits::id_bytes_max, "");
  }
  q.incoterm = std::string(r.one_of(bo, root, "incoterm", incoterms).value_or(""));
  if (const auto buyer = r.object(bo, root, "buyer", false)) {
    const Ptr at = root.child("buyer");
    const Obj byo(r, *buyer, at, {"type", "vat_id", "email", "ip", "device_id", "device", "user_agent"});
    q.buyer.type = std::string(r.one_of(byo, at, "type", buyer_types).value_or("consumer"));
    q.buyer.vat_id = r.text_or(byo, at, "vat_id", false, limits::id_bytes_max, "");
    q.buyer.email = r.text_or(byo, at, "email", false, limits::id_bytes_max * 2, "");
    q.buyer.ip = r.text_or(byo, at, "ip", false, limits::id_bytes_max, "");
    q.buyer.device_id = r.text_or(byo, at, "device_id", false, limits::id_bytes_max, "");
    q.buyer.device = std::string(r.one_of(byo, at, "device", devices).value_or(""));
    q.buyer.user_agent = r.text_or(byo, at, "user_agent", false, limits::user_agent_bytes_max, "");
  }
  if (const auto ship = r.object(bo, root, "shipping", false)) {
    const Ptr at = root.child("shipping");
    const Obj so(r, *ship, at, {"service", "price"});
    q.shipping_service = r.text_or(so, at, "service", false, limits::id_bytes_max, "");
    if (const auto price = r.object(so, at, "price", false)) {
      const Ptr price_at = at.child("price");
      const Obj po(r, *price, price_at, {"amount", "currency"});
      const auto cur = r.currency(po, price_at, "currency", true);
      const auto amt = r.amount(po, price_at, "amount", cur ? cur->digits() : 3);
      if (cur && amt) q.shipping_price = Money::of(*amt, *cur, Rounding::Down);  // exact: digits checked
    }
  }
  if (const auto pay = r.object(bo, root, "payment", false)) {
    const Ptr at = root.child("payment");
    const Obj pyo(r, *pay, at, {"card_bin"});
    q.card_bin = r.text_or(pyo, at, "card_bin", false, limits::id_bytes_max, "");
    if (!q.card_bin.empty() && (!all_digits(q.card_bin) || q.card_bin.size() < limits::card_bin_digits_min ||
                                q.card_bin.size() > limits::card_bin_digits_max))
      r.fail(ErrorCode::invalid_field, at.child("card_bin"), "must be 6 to 8 digits (the card number's first digits, never the whole number)");
  }
  const auto items = r.get(bo, root, "items", true);
  const Ptr items_at = root.child("items");
  if (items && !items->is_array()) {
    r.fail(ErrorCode::invalid_field, items_at, "must be an array");
  } else if (items && items->size() == 0) {
    r.fail(ErrorCode::invalid_field, items_at, "must list at least one item");
  } else if (items && items->size() > limits::items_max) {
    r.fail(ErrorCode::out_of_range, items_at, "must list at most " + std::to_string(limits::items_max) + " items");
  } else if (items) {
    q.items.reserve(items->size());
    std::size_t i = 0;
    for (const JsonView e : *items) {
      read_item(r, e, items_at.child(i), q, i);
      ++i;
    }
  }
  return {std::move(q), std::move(r.errors)};
}

}  // namespace

Result<QuoteRequest> parse_request(const nlohmann::json& body) { return parse_request_text(body.dump()); }

PartialQuoteRequest parse_request_partial(std::string_view body) {
  if (body.size() > limits::body_bytes_max)
    return {std::nullopt,
            {Error{ErrorCode::too_large, "the body is larger than " + std::to_string(limits::body_bytes_max) + " bytes", ""}}};
  const auto tree = JsonTree::parse(body);
  if (!tree.ok()) return {std::nullopt, tree.errors()};
  return read_request(tree->root());
}

Result<QuoteRequest> parse_request_text(std::string_view body) {
  auto partial = parse_request_partial(body);
  if (!partial.errors.empty()) return std::move(partial.errors);
  return std::move(*partial.request);
}

Decimal Weight::kg() const {
  if (unit == "g") return Decimal(value.mantissa(), value.scale() + 3);
  static const Decimal pound_kg = *Decimal::parse("0.45359237");
  static const Decimal ounce_kg = *Decimal::parse("0.028349523125");
  if (unit == "lb") return value * pound_kg;
  if (unit == "oz") return value * ounce_kg;
  return value;
}

}  // namespace landed
