// GET /v1/payment-methods?country=&currency=&amount=&channel=&device=&card_bin=&locale=&date=&explain=
// (role checkout): the payment methods a buyer would be offered, in rank order, and with
// explain=true every other method with each machine-readable reason and a sentence in `locale`.
// The same selection a quote makes (payments/selection.h), over every method Landed knows.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "app/responses.h"
#include "app/service.h"
#include "core/country.h"
#include "core/json_positions.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "core/time_zone.h"
#include "display/display.h"
#include "http/query.h"
#include "l10n/localizer.h"
#include "payments/selection.h"
#include "quote/assemble.h"

namespace landed::app {
namespace {

using json = nlohmann::ordered_json;

constexpr const char* parameters = "country, currency, amount, channel, device, card_bin, locale, date, explain";

bool all_digits(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

json money_json(const Money& m) { return {{"amount", m.to_string()}, {"currency", std::string(m.currency().code())}}; }

}  // namespace

http::Response Service::get_payment_methods(const http::HttpRequest& r) {
  const Timestamp now = clock_->now();
  http::QueryParams q = http::parse_query(r.query);
  Errors errors = std::move(q.errors);
  std::set<std::string> undecodable;  // already reported: no "is required" on top
  for (const Error& e : errors) undecodable.insert(e.pointer);
  std::map<std::string, std::string> given;
  for (auto& [name, value] : q.params) {
    static const std::set<std::string> known = {"country", "currency", "amount", "channel", "device", "card_bin", "locale", "date", "explain"};
    const std::string at = pointer_append("", valid_utf8(std::string_view(name).substr(0, limits::id_bytes_max)));
    if (!known.count(name)) errors.push_back({ErrorCode::invalid_field, std::string("is not a query parameter of GET /v1/payment-methods (") + parameters + " are)", at});
    else if (!given.emplace(name, value).second) errors.push_back({ErrorCode::invalid_field, "is given more than once", at});
  }
  const auto get = [&](const char* name) -> const std::string* {
    const auto it = given.find(name);
    return it == given.end() ? nullptr : &it->second;
  };
  const auto required = [&](const char* name, const char* example) -> const std::string* {
    const std::string* v = get(name);
    if ((!v || v->empty()) && undecodable.count(std::string("/") + name)) return nullptr;
    if (!v || v->empty()) errors.push_back({ErrorCode::missing_field, std::string("is required, e.g. ") + example, std::string("/") + name});
    return v && !v->empty() ? v : nullptr;
  };

  std::string country;
  if (const std::string* c = required("country", "country=NL")) {
    if (c->size() == 2 && is_country(*c)) country = *c;
    else errors.push_back({ErrorCode::invalid_field, "must be an ISO 3166-1 alpha-2 country code such as NL", "/country"});
  }
  std::optional<Currency> currency;
  if (const std::string* c = required("currency", "currency=EUR")) {
    auto cur = Currency::of(*c);
    if (cur.ok()) currency = *cur;
    else errors.push_back({ErrorCode::invalid_field, "must be an ISO 4217 currency code such as EUR", "/currency"});
  }
  std::optional<Money> amount;
  if (const std::string* a = required("amount", "amount=60.00")) {
    const auto d = Decimal::parse(*a);
    const std::size_t point = a->find('.');
    const std::size_t whole = point == std::string::npos ? a->size() : point;
    if (!d.ok() || d->is_negative()) {
      errors.push_back({ErrorCode::invalid_field, "must be a non-negative decimal amount such as 60.00", "/amount"});
    } else if (whole > std::size_t(limits::amount_integer_digits_max)) {
      // The bound every amount of a quote has: a checkout total never comes near it.
      errors.push_back({ErrorCode::out_of_range, "has more than " + std::to_string(limits::amount_integer_digits_max) +
                                                     " integer digits (amount_integer_digits_max)", "/amount"});
    } else if (currency) {
      auto m = Money::exact(*d, *currency);
      if (m.ok()) amount = *m;
      else errors.push_back({ErrorCode::invalid_field, "has more fraction digits than " + std::string(currency->code()) + " has (" +
                                                           std::to_string(currency->digits()) + ")", "/amount"});
    }
  }
  std::string channel = "web";
  if (const std::string* c = get("channel")) {
    if (std::find(std::begin(channels), std::end(channels), *c) != std::end(channels)) channel = *c;
    else errors.push_back({ErrorCode::invalid_field, "must be one of: instagram, facebook, tiktok, pinterest, snapchat, wechat, douyin, line, kakaotalk, whatsapp, web", "/channel"});
  }
  std::optional<std::string> device;
  if (const std::string* d = get("device")) {
    if (std::find(std::begin(devices), std::end(devices), *d) != std::end(devices)) device = *d;
    else errors.push_back({ErrorCode::invalid_field, "must be one of: ios, android, desktop", "/device"});
  }
  std::string card_bin;
  if (const std::string* b = get("card_bin")) {
    if (b->size() >= limits::card_bin_digits_min && b->size() <= limits::card_bin_digits_max && all_digits(*b)) card_bin = *b;
    else errors.push_back({ErrorCode::invalid_field, "must be 6 to 8 digits (the card number's first digits, never the whole number)", "/card_bin"});
  }
  bool explain = false;
  if (const std::string* e = get("explain")) {
    if (*e == "true") explain = true;
    else if (*e != "false") errors.push_back({ErrorCode::invalid_field, "must be true or false", "/explain"});
  }
  const auto a = active();
  const Snapshot& snap = *a->snapshot;
  std::optional<LocaleView> locale;
  {
    auto l = snap.l10n->resolve(get("locale") ? *get("locale") : "en");
    if (l.ok()) locale = *l;
    else errors.push_back({ErrorCode::invalid_field, l.error().message, "/locale"});
  }
  std::optional<Date> date;
  if (const std::string* d = get("date")) {
    date = Date::parse(*d);
    if (!date) errors.push_back({ErrorCode::invalid_field, "must be a calendar day YYYY-MM-DD", "/date"});
  } else if (!country.empty()) {
    // The buyer's civil date, as a quote would be dated.
    if (auto l = local_date(country, now); l.ok()) date = l->date;
    else date = now.date();
  }
  if (!errors.empty()) return problem(errors);

  PaymentContext ctx;
  ctx.country = country;
  ctx.amount = *amount;
  ctx.channel = channel;
  ctx.device = device;
  ctx.card_bin = card_bin;
  ctx.date = *date;
  const RuleSet& rules = *snap.rules;
  const PaymentSelection sel = select_payment_methods(rules.payments, ctx, true);
  // The quote's rows, so the endpoint and a quote say the same things the same way.
  Quote rows;
  apply_payments(rows, sel);
  const auto name = [&](const std::string& id) { return snap.l10n->text(*locale, "payment_method." + id); };
  json eligible = json::array();
  for (const QuotePaymentMethod& m : rows.payment_methods) {
    json e{{"id", m.id}, {"name", name(m.id)}, {"kind", m.kind}, {"delayed_capture", m.delayed_capture}, {"rank", m.rank}};
    if (m.id == "card") e["brands"] = m.brands;
    eligible.push_back(std::move(e));
  }
  json out{{"country", country},
           {"currency", std::string(currency->code())},
           {"amount", amount->to_string()},
           {"channel", channel},
           {"device", device ? json(*device) : json(nullptr)},
           {"date", date->to_string()},
           {"locale", locale->tag},
           {"payment_methods", std::move(eligible)}};
  if (!card_bin.empty()) {
    out["card_brand"] = rows.payment.brand_decided ? json(rows.payment.bin_brands.front()) : json(nullptr);
    out["card_brands_possible"] = rows.payment.bin_brands;
  }
  if (explain) {
    json excluded = json::array();
    for (const QuotePaymentMethod& m : rows.payment_methods_excluded) {
      json reasons = json::array();
      for (const QuotePaymentReason& reason : m.reasons) {
        json x{{"code", reason.code}};
        if (reason.limit) x[reason.code == "below_minimum" ? "minimum" : "maximum"] = money_json(*reason.limit);
        else x["value"] = reason.value;
        std::string brand = reason.value;
        if (reason.code == "brand_not_accepted") {
          const CardBrand* b = rules.payments.cards ? rules.payments.cards->brand(reason.value) : nullptr;
          brand = b ? b->name : "";
        }
        x["message"] = payment_reason_message(*snap.l10n, *locale, name(m.id), reason, country, brand, card_bin);
        reasons.push_back(std::move(x));
      }
      excluded.push_back({{"id", m.id}, {"name", name(m.id)}, {"kind", m.kind}, {"reasons", std::move(reasons)}});
    }
    out["excluded"] = std::move(excluded);
  }
  out["rules_version"] = rules.version;
  return json_response(200, out.dump());
}

}  // namespace landed::app
