#include "quote/request.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/json_positions.h"
#include "core/limits.h"
#include "l10n/localizer.h"
#include "rules/strict_json.h"

namespace landed {
namespace {

using json = nlohmann::json;

// Collects every problem of a request body with its JSON pointer.
class Reader {
 public:
  Errors errors;

  void fail(ErrorCode code, const std::string& ptr, std::string msg) {
    errors.push_back({code, std::move(msg), ptr});
  }

  void only_keys(const json& obj, const std::string& ptr, std::initializer_list<const char*> allowed) {
    for (const auto& [key, value] : obj.items())
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }))
        fail(ErrorCode::invalid_field, pointer_append(ptr, key), "is not a known field");
  }

  // The member, or null if absent or JSON null (absent == null for optional fields).
  const json* get(const json& obj, const std::string& ptr, const char* key, bool required) {
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) fail(ErrorCode::missing_field, pointer_append(ptr, key), "is required");
      return nullptr;
    }
    return &*it;
  }

  const json* object(const json& obj, const std::string& ptr, const char* key, bool required) {
    const json* v = get(obj, ptr, key, required);
    if (v && !v->is_object()) {
      fail(ErrorCode::invalid_field, pointer_append(ptr, key), "must be an object");
      return nullptr;
    }
    return v;
  }

  std::optional<std::string> text(const json& obj, const std::string& ptr, const char* key, bool required,
                                  std::size_t bytes_max) {
    const json* v = get(obj, ptr, key, required);
    if (!v) return std::nullopt;
    const std::string p = pointer_append(ptr, key);
    if (!v->is_string()) return fail(ErrorCode::invalid_field, p, "must be a string"), std::nullopt;
    const auto& s = v->get_ref<const std::string&>();
    if (s.size() > bytes_max)
      return fail(ErrorCode::out_of_range, p, "must be at most " + std::to_string(bytes_max) + " bytes"), std::nullopt;
    if (required && s.empty()) return fail(ErrorCode::invalid_field, p, "must not be empty"), std::nullopt;
    return s;
  }

  std::optional<std::string> one_of(const json& obj, const std::string& ptr, const char* key,
                                    const std::vector<std::string>& values) {
    auto s = text(obj, ptr, key, false, limits::id_bytes_max);
    if (!s) return s;
    if (std::find(values.begin(), values.end(), *s) == values.end()) {
      std::string list;
      for (const auto& v : values) list += (list.empty() ? "" : ", ") + v;
      fail(ErrorCode::invalid_field, pointer_append(ptr, key), "must be one of: " + list);
      return std::nullopt;
    }
    return s;
  }

  std::optional<std::string> country(const json& obj, const std::string& ptr, const char* key, bool required) {
    auto s = text(obj, ptr, key, required, limits::id_bytes_max);
    if (!s) return s;
    if (!Localizer::is_country(*s)) {
      fail(ErrorCode::invalid_field, pointer_append(ptr, key), "must be an ISO 3166-1 alpha-2 country code such as \"HR\"");
      return std::nullopt;
    }
    return s;
  }

  std::optional<Currency> currency(const json& obj, const std::string& ptr, const char* key, bool required) {
    auto s = text(obj, ptr, key, required, limits::id_bytes_max);
    if (!s) return std::nullopt;
    auto c = Currency::of(*s);
    if (!c.ok()) return fail(ErrorCode::invalid_field, pointer_append(ptr, key), c.error().message), std::nullopt;
    return *c;
  }

  // A non-negative decimal string with bounded digits.
  std::optional<Decimal> amount(const json& obj, const std::string& ptr, const char* key, int fraction_digits_max) {
    const json* v = get(obj, ptr, key, true);
    if (!v) return std::nullopt;
    const std::string p = pointer_append(ptr, key);
    if (!v->is_string())
      return fail(ErrorCode::invalid_field, p, "must be a decimal string such as \"19.99\""), std::nullopt;
    auto d = Decimal::parse(v->get_ref<const std::string&>());
    if (!d.ok()) return fail(ErrorCode::invalid_field, p, d.error().message), std::nullopt;
    if (d->is_negative()) return fail(ErrorCode::invalid_field, p, "must not be negative"), std::nullopt;
    if (d->integer_digits() > limits::amount_integer_digits_max)
      return fail(ErrorCode::out_of_range, p, "must have at most " + std::to_string(limits::amount_integer_digits_max) +
                                                  " digits before the decimal point"), std::nullopt;
    if (d->normalized().scale() > fraction_digits_max)
      return fail(ErrorCode::out_of_range, p, "must have at most " + std::to_string(fraction_digits_max) +
                                                  " digits after the decimal point"), std::nullopt;
    return d->normalized();  // "19.990000" is 19.99: trailing zeros carry no digits to keep
  }
};

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<Request> parse_request(const json& body) {
  Reader r;
  Request q;
  if (!body.is_object()) return Error{ErrorCode::invalid_field, "the request must be a JSON object", ""};
  r.only_keys(body, "", {"merchant", "channel", "locale", "currency", "ship_from", "ship_to", "incoterm", "buyer",
                         "shipping", "payment", "items"});
  q.merchant = r.text(body, "", "merchant", false, limits::id_bytes_max).value_or("");
  q.channel = r.one_of(body, "", "channel", std::vector<std::string>(std::begin(channels), std::end(channels)))
                  .value_or("web");
  q.locale = r.text(body, "", "locale", true, limits::locale_bytes_max).value_or("");
  q.currency = r.currency(body, "", "currency", false);
  if (const json* from = r.object(body, "", "ship_from", false)) {
    r.only_keys(*from, "/ship_from", {"country", "region", "postal_code", "city"});
    q.ship_from = r.country(*from, "/ship_from", "country", true).value_or("");
  }
  if (const json* to = r.object(body, "", "ship_to", true)) {
    r.only_keys(*to, "/ship_to", {"country", "region", "postal_code", "city"});
    q.ship_to.country = r.country(*to, "/ship_to", "country", true).value_or("");
    q.ship_to.region = r.text(*to, "/ship_to", "region", false, limits::id_bytes_max).value_or("");
    q.ship_to.postal_code = r.text(*to, "/ship_to", "postal_code", false, limits::id_bytes_max).value_or("");
    q.ship_to.city = r.text(*to, "/ship_to", "city", false, limits::id_bytes_max).value_or("");
  }
  q.incoterm = r.one_of(body, "", "incoterm", {"DDP", "DAP"}).value_or("");
  if (const json* buyer = r.object(body, "", "buyer", false)) {
    r.only_keys(*buyer, "/buyer", {"type", "vat_id", "email", "ip", "device_id"});
    q.buyer.type = r.one_of(*buyer, "/buyer", "type", {"consumer", "business"}).value_or("consumer");
    q.buyer.vat_id = r.text(*buyer, "/buyer", "vat_id", false, limits::id_bytes_max).value_or("");
    q.buyer.email = r.text(*buyer, "/buyer", "email", false, limits::id_bytes_max * 2).value_or("");
    q.buyer.ip = r.text(*buyer, "/buyer", "ip", false, limits::id_bytes_max).value_or("");
    q.buyer.device_id = r.text(*buyer, "/buyer", "device_id", false, limits::id_bytes_max).value_or("");
  }
  if (const json* ship = r.object(body, "", "shipping", false)) {
    r.only_keys(*ship, "/shipping", {"service", "price"});
    q.shipping_service = r.text(*ship, "/shipping", "service", false, limits::id_bytes_max).value_or("");
    if (const json* price = r.object(*ship, "/shipping", "price", false)) {
      r.only_keys(*price, "/shipping/price", {"amount", "currency"});
      const auto cur = r.currency(*price, "/shipping/price", "currency", true);
      const auto amt = r.amount(*price, "/shipping/price", "amount", cur ? cur->digits() : 3);
      if (cur && amt) q.shipping_price = Money::of(*amt, *cur, Rounding::Down);  // exact: digits checked
    }
  }
  if (const json* pay = r.object(body, "", "payment", false)) {
    r.only_keys(*pay, "/payment", {"card_bin"});
    q.card_bin = r.text(*pay, "/payment", "card_bin", false, limits::id_bytes_max).value_or("");
    if (!q.card_bin.empty() && (!all_digits(q.card_bin) || q.card_bin.size() < 6 || q.card_bin.size() > 8))
      r.fail(ErrorCode::invalid_field, "/payment/card_bin", "must be 6 to 8 digits");
  }
  const json* items = r.get(body, "", "items", true);
  if (items && !items->is_array()) {
    r.fail(ErrorCode::invalid_field, "/items", "must be an array");
  } else if (items && items->empty()) {
    r.fail(ErrorCode::invalid_field, "/items", "must list at least one item");
  } else if (items && items->size() > limits::items_max) {
    r.fail(ErrorCode::out_of_range, "/items", "must list at most " + std::to_string(limits::items_max) + " items");
  } else if (items) {
    for (std::size_t i = 0; i < items->size(); ++i) {
      const std::string p = pointer_append("/items", i);
      const json& e = (*items)[i];
      if (!e.is_object()) { r.fail(ErrorCode::invalid_field, p, "must be an object"); continue; }
      r.only_keys(e, p, {"sku", "description", "quantity", "unit_price", "hs_code", "origin_country", "tax_category",
                         "weight"});
      Item it;
      const std::size_t before = r.errors.size();
      it.sku = r.text(e, p, "sku", true, limits::id_bytes_max).value_or("");
      it.description = r.text(e, p, "description", false, limits::text_bytes_max).value_or("");
      if (const json* qty = r.get(e, p, "quantity", true)) {
        if (!qty->is_number_integer() || (qty->is_number_integer() && qty->get<std::int64_t>() < 1) ||
            (qty->is_number_unsigned() && qty->get<std::uint64_t>() > std::uint64_t(limits::quantity_max)))
          r.fail(ErrorCode::invalid_field, p + "/quantity",
                 "must be a positive integer up to " + std::to_string(limits::quantity_max));
        else if (qty->get<std::int64_t>() > limits::quantity_max)
          r.fail(ErrorCode::out_of_range, p + "/quantity", "must be at most " + std::to_string(limits::quantity_max));
        else
          it.quantity = qty->get<std::int64_t>();
      }
      if (const json* price = r.object(e, p, "unit_price", true)) {
        r.only_keys(*price, p + "/unit_price", {"amount", "currency"});
        const auto cur = r.currency(*price, p + "/unit_price", "currency", true);
        const auto amt = r.amount(*price, p + "/unit_price", "amount", limits::unit_price_fraction_digits_max);
        if (cur) it.price_currency = *cur;
        if (amt) it.unit_price = *amt;
      }
      it.hs_code = r.text(e, p, "hs_code", false, limits::id_bytes_max).value_or("");
      if (!it.hs_code.empty() && (!all_digits(it.hs_code) || it.hs_code.size() < 6 || it.hs_code.size() > 10))
        r.fail(ErrorCode::invalid_field, p + "/hs_code", "must be 6 to 10 digits");
      it.origin_country = r.country(e, p, "origin_country", false).value_or("");
      it.tax_category = r.text(e, p, "tax_category", false, limits::id_bytes_max).value_or("standard");
      if (const json* w = r.object(e, p, "weight", false)) {
        r.only_keys(*w, p + "/weight", {"value", "unit"});
        const auto value = r.amount(*w, p + "/weight", "value", 6);
        const auto unit = r.one_of(*w, p + "/weight", "unit", {"kg", "g", "lb", "oz"});
        if (!unit && !r.get(*w, p + "/weight", "unit", false)) r.fail(ErrorCode::missing_field, p + "/weight/unit", "is required");
        if (value && unit) it.weight = Weight{*value, *unit};
      }
      if (r.errors.size() == before) q.items.push_back(std::move(it));
    }
  }
  if (!r.errors.empty()) return std::move(r.errors);
  return q;
}

Result<Request> parse_request_text(std::string_view body) {
  if (body.size() > limits::body_bytes_max)
    return Error{ErrorCode::too_large, "the body is larger than " + std::to_string(limits::body_bytes_max) + " bytes", ""};
  json doc;
  try {
    doc = parse_strict_json(body, false);
  } catch (const StrictJsonError& e) {
    return Error{ErrorCode::invalid_json, std::string("the body is not acceptable JSON: ") + e.what(), ""};
  } catch (const json::parse_error& e) {
    const TextPosition at = position_of(body, e.byte == 0 ? 0 : e.byte - 1);
    return Error{ErrorCode::invalid_json,
                 "the body is not valid JSON (line " + std::to_string(at.line) + ", column " +
                     std::to_string(at.column) + ")",
                 ""};
  } catch (const json::exception& e) {  // e.g. a number too large for any type
    return Error{ErrorCode::invalid_json, std::string("the body cannot be read as JSON: ") + e.what(), ""};
  }
  return parse_request(doc);
}

}  // namespace landed
