#include "quote/quote_json.h"

#include <nlohmann/json.hpp>

#include "core/json_writer.h"

namespace landed {
namespace {

void decimal(JsonWriter& w, const Decimal& d) {
  d.append_to(w.begin_raw_string());
  w.end_raw_string();
}

// Keys here are literals, so key_literal skips the escape scan.
void money(JsonWriter& w, std::string_view key, const Money& m) {
  w.key_literal(key).begin_object().key_literal("amount");
  decimal(w, m.amount());
  w.key_literal("currency").string(m.currency().code()).end_object();
}

void regime_test(JsonWriter& w, std::string_view key, const QuoteRegimeTest& t) {
  w.key_literal(key).begin_object().field_literal("id", t.regime);
  if (!t.scheme.empty()) w.field_literal("scheme", t.scheme);
  money(w, "threshold", t.threshold);
  money(w, "value_tested", t.value_tested);
  w.field_literal("value", t.value)
      .field_literal("per", t.per)
      .field_literal("boundary", t.boundary)
      .key_literal("within")
      .boolean(t.within);
  if (t.excluded) w.key_literal("excluded_category").boolean(true);
  w.end_object();
}

void charges(JsonWriter& w, std::string_view key, const std::vector<QuoteTax>& list) {
  w.key_literal(key).begin_array();
  for (const auto& t : list) {
    w.begin_object().field_literal("name", t.name);
    money(w, "amount", t.amount);
    w.field_literal("rate", t.rate.normalized().to_string());
    money(w, "base", t.base);
    w.field_literal("collected", t.collected);
    if (!t.tax.empty()) w.field_literal("tax", t.tax);
    if (!t.remitted.empty()) w.field_literal("remitted", t.remitted);
    if (!t.reason.empty()) w.field_literal("reason", t.reason);
    if (!t.tax.empty()) w.key_literal("included").boolean(t.included);
    w.field_literal("rule", t.rule).field_literal("source", t.source);
    if (!t.base_method.empty()) w.field_literal("base_method", t.base_method);
    if (!t.categories.empty()) {
      w.key_literal("categories").begin_array();
      for (const auto& c : t.categories) {
        w.begin_object().field_literal("category", c.category).field_literal("band", c.band);
        if (!c.rule.empty()) w.field_literal("rule", c.rule);
        if (c.fallback) w.key_literal("fallback").boolean(true).field_literal("note", "not mapped by this jurisdiction: its standard rate");
        if (c.override_band) w.key_literal("band_named").boolean(true);
        w.end_object();
      }
      w.end_array();
    }
    if (t.regime) regime_test(w, "regime", *t.regime);
    if (!t.rounding_level.empty()) {
      w.key_literal("rounding")
          .begin_object()
          .field_literal("mode", t.rounding_mode)
          .field_literal("level", t.rounding_level)
          .end_object();
    }
    if (!t.parts.empty()) {
      w.key_literal("parts").begin_array();
      for (const auto& p : t.parts) {
        w.begin_object().field_literal("of", p.of);
        money(w, "base", p.base);
        money(w, "amount", p.amount);
        w.end_object();
      }
      w.end_array();
    }
    w.end_object();
  }
  w.end_array();
}

void relief_object(JsonWriter& w, const QuoteReliefTest& t) {
  w.begin_object().field_literal("id", t.relief).field_literal("treatment", t.treatment);
  money(w, "threshold", t.threshold);
  money(w, "value_tested", t.value_tested);
  w.field_literal("value", t.value).field_literal("boundary", t.boundary).key_literal("within").boolean(t.within).end_object();
}

void relief_test(JsonWriter& w, std::string_view key, const QuoteReliefTest& t) {
  w.key_literal(key);
  relief_object(w, t);
}

void duty_per(JsonWriter& w, std::string_view key, const std::optional<QuoteDutyPer>& p) {
  if (!p) return;
  w.key_literal(key).begin_object().key_literal("amount");
  decimal(w, p->amount);
  w.field_literal("currency", p->currency.code()).field_literal("per", p->per).end_object();
}

void customs(JsonWriter& w, const Quote& q) {
  const QuoteCustoms& c = q.customs;
  w.key_literal("customs").begin_object().key_literal("computed").boolean(c.computed);
  if (c.computed) {
    w.field_literal("territory", c.territory)
        .field_literal("name", c.name)
        .field_literal("valuation", c.valuation)
        .field_literal("customs_rate", c.customs_rate)
        .field_literal("rate_source", c.rate_source);
    money(w, "customs_value", c.customs_value);
    w.key_literal("low_value").begin_array();
    for (const auto& t : c.low_value) relief_object(w, t);
    w.end_array();
    w.key_literal("rounding").begin_object().field_literal("mode", c.rounding).field_literal("level", "duty").end_object();
  }
  w.end_object();
  w.key_literal("duties").begin_array();
  for (const auto& d : q.duties) {
    w.begin_object().field_literal("name", d.name).field_literal("kind", d.kind).field_literal("measure", d.measure);
    w.field_literal("hs_code", d.hs_code);
    money(w, "amount", d.amount);
    if (d.rate) w.field_literal("rate", d.rate->normalized().to_string());
    duty_per(w, d.measure == "flat_item_category" ? "per_category" : "specific", d.specific);
    duty_per(w, "minimum", d.minimum);
    duty_per(w, "maximum", d.maximum);
    money(w, "base", d.base);
    if (!d.preference.empty()) w.field_literal("preference", d.preference);
    if (d.mfn_amount) money(w, "mfn_amount", *d.mfn_amount);
    w.field_literal("collected", d.collected).field_literal("rule", d.rule).field_literal("source", d.source);
    w.key_literal("parts").begin_array();
    for (const auto& p : d.parts) {
      w.begin_object().field_literal("of", p.of);
      money(w, "base", p.base);
      money(w, "amount", p.amount);
      w.end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
  w.key_literal("duties_waived").begin_array();
  for (const auto& x : q.duties_waived) {
    w.begin_object().field_literal("reason", x.reason).field_literal("name", x.name);
    w.key_literal("lines").begin_array();
    for (const auto& l : x.lines) w.string(l);
    w.end_array();
    if (x.test) {
      money(w, "threshold", x.test->threshold);
      money(w, "value_tested", x.test->value_tested);
      relief_test(w, "relief", *x.test);
    }
    w.field_literal("rule", x.rule).field_literal("source", x.source).field_literal("message", x.message).end_object();
  }
  w.end_array();
}

}  // namespace

std::string to_json_text(const Quote& q) {
  std::string out;
  out.reserve(4096);
  JsonWriter w(out);
  w.begin_object()
      .field_literal("quote_id", q.id)
      .field_literal("created_at", q.created_at.to_string())
      .field_literal("expires_at", q.expires_at.to_string())
      .field_literal("merchant", q.merchant)
      .field_literal("channel", q.channel)
      .field_literal("currency", q.currency.code())
      .field_literal("locale", q.locale)
      .field_literal("incoterm", q.incoterm)
      .field_literal("line_rounding", to_string(q.line_rounding))
      .field_literal("local_date", q.local_date.to_string())
      .field_literal("time_zone", q.time_zone);
  w.key_literal("ship_from").begin_object().field_literal("country", q.ship_from).end_object();
  w.key_literal("ship_to").begin_object().field_literal("country", q.ship_to).end_object();
  w.key_literal("buyer").begin_object().field_literal("type", q.buyer_type);
  if (!q.buyer_vat_id.empty()) w.field_literal("vat_id", q.buyer_vat_id);
  w.end_object();
  w.field_literal("tax_jurisdiction", q.tax_jurisdiction);
  if (!q.territory.empty()) w.field_literal("territory", q.territory);
  w.key_literal("prices_include_tax").boolean(q.prices_include_tax);
  w.key_literal("lines").begin_array();
  for (const auto& l : q.lines) {
    w.begin_object().field_literal("sku", l.sku).key_literal("quantity").integer(l.quantity);
    money(w, "unit_price", l.unit_price);
    if (l.unit_price_decimal) {
      w.key_literal("unit_price_decimal");
      decimal(w, *l.unit_price_decimal);
    }
    money(w, "subtotal", l.subtotal);
    if (q.customs.computed) money(w, "duty", l.duty);
    money(w, "tax", l.tax);
    money(w, "total", l.total);
    money(w, "at_checkout", l.at_checkout);
    money(w, "on_delivery", l.on_delivery);
    if (l.customs_value) money(w, "customs_value", *l.customs_value);
    w.end_object();
  }
  w.end_array();
  w.key_literal("shipping").begin_object().field_literal("service", q.shipping.service);
  money(w, "price", q.shipping.price);
  money(w, "tax", q.shipping.tax);
  money(w, "at_checkout", q.shipping.at_checkout);
  money(w, "on_delivery", q.shipping.on_delivery);
  if (q.shipping.min_days && q.shipping.max_days)
    w.key_literal("delivery")
        .begin_object()
        .key_literal("min_days")
        .integer(*q.shipping.min_days)
        .key_literal("max_days")
        .integer(*q.shipping.max_days)
        .end_object();
  w.end_object();
  customs(w, q);
  charges(w, "taxes", q.taxes);
  w.key_literal("taxes_waived").begin_array();
  for (const auto& x : q.taxes_waived) {
    w.begin_object().field_literal("reason", x.reason);
    if (!x.tax.empty()) w.field_literal("tax", x.tax).field_literal("name", x.name);
    if (!x.territory.empty()) w.field_literal("territory", x.territory);
    if (!x.category.empty()) w.field_literal("category", x.category);
    w.key_literal("lines").begin_array();
    for (const auto& l : x.lines) w.string(l);
    w.end_array();
    if (x.test) {
      money(w, "threshold", x.test->threshold);
      money(w, "value_tested", x.test->value_tested);
      regime_test(w, "regime", *x.test);
    }
    w.field_literal("rule", x.rule).field_literal("source", x.source).field_literal("message", x.message).end_object();
  }
  w.end_array();
  w.key_literal("notes").begin_array();
  for (const auto& x : q.notes)
    w.begin_object()
        .field_literal("code", x.code)
        .field_literal("message", x.message)
        .field_literal("rule", x.rule)
        .field_literal("source", x.source)
        .end_object();
  w.end_array();
  w.key_literal("fees").begin_array();
  for (const auto& f : q.fees) {
    w.begin_object().field_literal("name", f.name);
    money(w, "amount", f.amount);
    w.field_literal("rule", f.rule).end_object();
  }
  w.end_array();
  w.key_literal("adjustments").begin_array();
  for (const auto& a : q.adjustments) {
    w.begin_object().field_literal("name", a.name).field_literal("code", a.code);
    money(w, "amount", a.amount);
    w.key_literal("increment");
    decimal(w, a.increment);
    w.key_literal("rounding")
        .begin_object()
        .field_literal("mode", a.rounding_mode)
        .field_literal("applies_to", a.applies_to)
        .end_object()
        .field_literal("rule", a.rule)
        .field_literal("source", a.source)
        .field_literal("increment_source", a.increment_source)
        .end_object();
  }
  w.end_array();
  const Totals& t = q.totals;
  w.key_literal("totals").begin_object();
  money(w, "items", t.items);
  money(w, "shipping", t.shipping);
  if (q.customs.computed) money(w, "duties", t.duties);
  money(w, "taxes", t.taxes);
  money(w, "fees", t.fees);
  money(w, "adjustments", t.adjustments);
  money(w, "total", t.total);
  money(w, "due_on_delivery", t.due_on_delivery);
  w.end_object();
  w.key_literal("fx").begin_array();
  for (const auto& f : q.fx)
    w.begin_object()
        .field_literal("from", f.rate.from.code())
        .field_literal("to", f.rate.to.code())
        .field_literal("rate", f.rate.rate.to_string())
        .field_literal("mid", f.rate.mid.to_string())
        .field_literal("markup", f.rate.markup.normalized().to_string())
        .field_literal("source", f.source)
        .field_literal("as_of", f.as_of.to_string())
        .end_object();
  w.end_array();
  // Only when there is something to say (issue #14: stale rates); a fresh quote has no key.
  if (!q.warnings.empty()) {
    w.key_literal("warnings").begin_array();
    for (const auto& warning : q.warnings) {
      w.begin_object()
          .field_literal("code", warning.code)
          .field_literal("source", warning.source)
          .field_literal("as_of", warning.as_of.to_string())
          .key_literal("currencies")
          .begin_array();
      for (const auto& c : warning.currencies) w.string(c);
      w.end_array().field_literal("message", warning.message).end_object();
    }
    w.end_array();
  }
  // Only when payment rules are loaded: without them Landed chose no methods, and says nothing.
  if (q.payment.computed) {
    const auto method = [&](const QuotePaymentMethod& m, bool excluded) {
      w.begin_object().field_literal("id", m.id);
      if (!excluded) w.field_literal("name", m.name);
      w.field_literal("kind", m.kind);
      if (!excluded) {
        w.key_literal("delayed_capture").boolean(m.delayed_capture);
        if (m.id == "card") {
          w.key_literal("brands").begin_array();
          for (const auto& b : m.brands) w.string(b);
          w.end_array();
        }
      } else {
        w.key_literal("reasons").begin_array();
        for (const auto& r : m.reasons) {
          w.begin_object().field_literal("code", r.code);
          if (r.limit) money(w, r.code == "below_minimum" ? "minimum" : "maximum", *r.limit);
          else w.field_literal("value", r.value);
          w.end_object();
        }
        w.end_array();
      }
      w.end_object();
    };
    w.key_literal("payment_methods").begin_array();
    for (const auto& m : q.payment_methods) method(m, false);
    w.end_array();
    w.key_literal("payment_methods_excluded").begin_array();
    for (const auto& m : q.payment_methods_excluded) method(m, true);
    w.end_array();
    const QuotePayment& p = q.payment;
    w.key_literal("payment").begin_object().key_literal("device");
    if (p.device.empty()) w.null();
    else w.string(p.device);
    if (!p.device_source.empty()) w.field_literal("device_source", p.device_source);
    w.field_literal("channel_source", p.channel_source);
    if (p.bin_given) {
      w.key_literal("card_brand");
      if (p.brand_decided) w.string(p.bin_brands.front());
      else w.null();
      w.key_literal("card_brands_possible").begin_array();
      for (const auto& b : p.bin_brands) w.string(b);
      w.end_array();
    }
    w.end_object();
  }
  const Display& d = q.display;
  w.key_literal("display")
      .begin_object()
      .field_literal("total", d.total)
      .field_literal("items", d.items)
      .field_literal("shipping", d.shipping);
  // Duties Landed did not compute are absent, never a formatted zero.
  if (q.customs.computed) w.field_literal("duties", d.duties);
  w.field_literal("taxes", d.taxes)
      .field_literal("fees", d.fees)
      .field_literal("adjustments", d.adjustments)
      .field_literal("due_on_delivery", d.due_on_delivery)
      .field_literal("summary", d.summary)
      .field_literal("direction", d.direction);
  w.key_literal("labels").begin_object();
  for (const auto& [k, v] : d.labels) w.field(k, v);
  w.end_object().end_object();
  w.field_literal("rules_version", q.rules_version).key_literal("rates_version");
  // A cart priced entirely in its own currency used no rates at all: null, not a made-up day.
  if (q.rates_version.empty()) w.null();
  else w.string(q.rates_version);
  w.end_object();
  return out;
}

std::string to_json_pretty(const Quote& q) { return nlohmann::ordered_json::parse(to_json_text(q)).dump(2); }

}  // namespace landed
