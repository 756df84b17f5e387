#include "quote/quote_json.h"

#include <nlohmann/json.hpp>

#include "core/json_writer.h"

namespace landed {
namespace {

void money(JsonWriter& w, std::string_view key, const Money& m) {
  w.key(key).begin_object().field("amount", m.to_string()).field("currency", m.currency().code()).end_object();
}

void charges(JsonWriter& w, std::string_view key, const std::vector<QuoteTax>& list) {
  w.key(key).begin_array();
  for (const auto& t : list) {
    w.begin_object().field("name", t.name);
    money(w, "amount", t.amount);
    w.field("rate", t.rate.normalized().to_string());
    money(w, "base", t.base);
    w.field("collected", t.collected).field("rule", t.rule).field("source", t.source).end_object();
  }
  w.end_array();
}

}  // namespace

std::string to_json_text(const Quote& q) {
  std::string out;
  out.reserve(4096);
  JsonWriter w(out);
  w.begin_object()
      .field("quote_id", q.id)
      .field("created_at", q.created_at.to_string())
      .field("expires_at", q.expires_at.to_string())
      .field("merchant", q.merchant)
      .field("channel", q.channel)
      .field("currency", q.currency.code())
      .field("locale", q.locale)
      .field("incoterm", q.incoterm);
  w.key("ship_from").begin_object().field("country", q.ship_from).end_object();
  w.key("ship_to").begin_object().field("country", q.ship_to).end_object();
  w.key("lines").begin_array();
  for (const auto& l : q.lines) {
    w.begin_object().field("sku", l.sku).key("quantity").integer(l.quantity);
    money(w, "unit_price", l.unit_price);
    money(w, "subtotal", l.subtotal);
    money(w, "duty", l.duty);
    money(w, "tax", l.tax);
    money(w, "total", l.total);
    w.end_object();
  }
  w.end_array();
  w.key("shipping").begin_object().field("service", q.shipping.service);
  money(w, "price", q.shipping.price);
  money(w, "tax", q.shipping.tax);
  if (q.shipping.min_days && q.shipping.max_days)
    w.key("delivery").begin_object().key("min_days").integer(*q.shipping.min_days).key("max_days").integer(*q.shipping.max_days).end_object();
  w.end_object();
  charges(w, "duties", q.duties);
  charges(w, "taxes", q.taxes);
  w.key("fees").begin_array();
  for (const auto& f : q.fees) {
    w.begin_object().field("name", f.name);
    money(w, "amount", f.amount);
    w.field("rule", f.rule).end_object();
  }
  w.end_array();
  const Totals& t = q.totals;
  w.key("totals").begin_object();
  money(w, "items", t.items);
  money(w, "shipping", t.shipping);
  money(w, "duties", t.duties);
  money(w, "taxes", t.taxes);
  money(w, "fees", t.fees);
  money(w, "total", t.total);
  money(w, "due_on_delivery", t.due_on_delivery);
  w.end_object();
  w.key("fx").begin_array();
  for (const auto& f : q.fx)
    w.begin_object()
        .field("from", f.rate.from.code())
        .field("to", f.rate.to.code())
        .field("rate", f.rate.rate.to_string())
        .field("mid", f.rate.mid.to_string())
        .field("markup", f.rate.markup.normalized().to_string())
        .field("source", f.source)
        .field("as_of", f.as_of.to_string())
        .end_object();
  w.end_array();
  const Display& d = q.display;
  w.key("display")
      .begin_object()
      .field("total", d.total)
      .field("items", d.items)
      .field("shipping", d.shipping)
      .field("duties", d.duties)
      .field("taxes", d.taxes)
      .field("fees", d.fees)
      .field("due_on_delivery", d.due_on_delivery)
      .field("summary", d.summary)
      .field("direction", d.direction);
  w.key("labels").begin_object();
  for (const auto& [k, v] : d.labels) w.field(k, v);
  w.end_object().end_object();
  w.field("rules_version", q.rules_version).field("rates_version", q.rates_version).end_object();
  return out;
}

std::string to_json_pretty(const Quote& q) { return nlohmann::ordered_json::parse(to_json_text(q)).dump(2); }

}  // namespace landed
