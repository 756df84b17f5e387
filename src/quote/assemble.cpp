#include "quote/assemble.h"

#include <algorithm>

#include "core/check.h"

namespace landed {
namespace {

QuoteRegimeTest regime_test_of(const RegimeTest& t) {
  const TaxRegime& g = *t.regime;
  return {g.provenance.id, g.scheme, t.threshold, t.value_tested,
          g.value == RegimeValue::goods ? "goods" : g.value == RegimeValue::goods_and_shipping ? "goods_and_shipping" : "tax_amount",
          g.per_item ? "item" : "consignment", g.boundary == RegimeBoundary::below ? "below" : "at_or_below", t.within,
          t.excluded};
}

}  // namespace

void apply_taxes(Quote& q, const TaxResult& tax, const Jurisdiction& jur) {
  q.prices_include_tax = tax.prices_include_tax;
  for (std::size_t i = 0; i < q.lines.size(); ++i) {
    QuoteLine& l = q.lines[i];
    l.tax = tax.line_tax[i];
    l.subtotal = tax.line_net[i];
    l.total = l.subtotal + l.duty + l.tax;
    l.on_delivery += tax.line_tax_on_delivery[i];
    l.at_checkout = l.total - l.on_delivery;
  }
  q.shipping.price = tax.shipping_net;
  q.shipping.tax = tax.shipping_tax;
  q.shipping.on_delivery = tax.shipping_tax_on_delivery;
  q.shipping.at_checkout = q.shipping.price + q.shipping.tax - q.shipping.on_delivery;
    for (const auto& c : tax.charges) {
    QuoteTax row;
    row.name = c.tax->name;
    row.tax = c.tax->id;
    row.amount = c.amount;
    row.rate = c.rate->rate;
    row.base = c.base;
    row.collected = to_string(c.collected);
    row.remitted = to_string(c.remitted);
    row.reason = c.reason;
    row.included = c.included;
    row.rule = c.rate->provenance.id;
    row.source = c.rate->provenance.source;
    row.rounding_mode = std::string(to_string(jur.rounding));
    row.rounding_level = jur.level == RoundingLevel::line ? "line" : "total";
    row.base_method = c.tax->base == TaxBaseMethod::gross_up ? "gross_up" : "price";
    for (const auto& p : c.parts)
      row.parts.push_back({p.line ? "/lines/" + std::to_string(*p.line) : "/shipping", p.base, p.amount});
    for (const auto& u : c.categories) row.categories.push_back({u.category, u.band, u.rule, u.fallback, u.override_band});
    if (c.regime) row.regime = regime_test_of(*c.regime);
    q.taxes.push_back(std::move(row));
  }
  for (const auto& w : tax.waived) {
    QuoteTaxWaiver row;
    row.reason = w.reason;
    row.tax = w.tax_id;
    row.name = w.tax_name;
    row.rule = w.rule;
    row.source = w.source;
    for (const std::size_t l : w.lines) row.lines.push_back("/lines/" + std::to_string(l));
    if (w.test) row.test = regime_test_of(*w.test);
    row.territory = w.territory;
    row.category = w.category;
    q.taxes_waived.push_back(std::move(row));
  }
  for (const auto& n : tax.notes) q.notes.push_back({n.code, n.rule, n.source, ""});

}

void apply_duties(Quote& q, const DutyResult& duty, bool ddp) {
  const Currency cur = q.currency;
  for (auto& l : q.lines) l.duty = l.on_delivery = Money::zero(cur);
  QuoteCustoms& c = q.customs;
  c.computed = duty.computed;
  if (!duty.computed) {
    c.customs_value = Money::zero(cur);
    q.notes.push_back({"duties_not_computed", "", "", ""});
    return;
  }
  c.customs_value = duty.customs_value;
  if (duty.territory) {
    c.territory = duty.territory->provenance.id;
    c.name = duty.territory->name;
    c.valuation = duty.territory->valuation;
    c.customs_rate = duty.territory->customs_rate;
  }
  const auto relief_test = [](const DutyReliefTest& x) {
    return QuoteReliefTest{x.relief->provenance.id, to_string(x.relief->treatment), x.threshold, x.value_tested,
                           to_string(x.relief->value), x.relief->at_or_below ? "at_or_below" : "below", x.within};
  };
  for (const auto& x : duty.reliefs_tested) c.low_value.push_back(relief_test(x));
  if (duty.flat) c.low_value.push_back(relief_test(*duty.flat));
  for (std::size_t i = 0; i < q.lines.size(); ++i) {
    q.lines[i].duty = duty.line_duty[i];
    q.lines[i].customs_value = duty.line_customs_value[i];
    if (!ddp) q.lines[i].on_delivery = duty.line_duty[i];
  }
  const Currency territory_currency = duty.territory ? duty.territory->currency : cur;
  const auto per = [&](const std::optional<DutyPer>& p) -> std::optional<QuoteDutyPer> {
    if (!p) return std::nullopt;
    return QuoteDutyPer{p->amount, territory_currency, to_string(p->per)};
  };
  for (const DutyEntry& e : duty.entries) {
    QuoteDuty row;
    row.kind = e.kind;
    row.hs_code = e.hs;
    if (e.measure) {
      row.measure = to_string(e.measure->kind);
      row.rate = e.measure->rate;
      row.specific = per(e.measure->specific);
      row.minimum = per(e.measure->minimum);
      row.maximum = per(e.measure->maximum);
    } else {
      row.measure = "flat_item_category";
      row.specific = QuoteDutyPer{*e.flat_amount, territory_currency, "category"};
    }
    row.base = e.base;
    row.amount = e.amount;
    row.mfn_amount = e.mfn_amount;
    row.preference = e.preference;
    row.collected = ddp ? "checkout" : "delivery";
    row.rule = e.rule;
    row.source = e.source;
    for (std::size_t k = 0; k < e.lines.size(); ++k)
      row.parts.push_back({"/lines/" + std::to_string(e.lines[k]), q.lines[e.lines[k]].customs_value.value_or(e.base), e.parts[k]});
    q.duties.push_back(std::move(row));
  }
  for (const DutyWaiver& w : duty.waived) {
    QuoteDutyWaiver row;
    row.reason = w.reason;
    row.name = w.name;
    row.rule = w.rule;
    row.source = w.source;
    for (const std::size_t l : w.lines) row.lines.push_back("/lines/" + std::to_string(l));
    if (w.test) row.test = relief_test(*w.test);
    q.duties_waived.push_back(std::move(row));
  }
}

void collect_flat_duties_with_regime(Quote& q) {
  const bool regime_at_checkout = std::any_of(q.taxes.begin(), q.taxes.end(), [](const QuoteTax& t) {
    return t.reason == "low_value_regime" && t.collected == "checkout";
  });
  if (!regime_at_checkout) return;
  for (QuoteDuty& d : q.duties) {
    if (d.kind != "flat_per_category" || d.collected == "checkout") continue;
    d.collected = "checkout";
    for (const QuoteTaxPart& p : d.parts) {
      QuoteLine& l = q.lines.at(std::stoul(p.of.substr(std::string("/lines/").size())));
      l.on_delivery = l.on_delivery - p.amount;
      l.at_checkout += p.amount;
    }
  }
}

void sum_totals(Quote& q) {
  const Currency cur = q.currency;
  Totals& t = q.totals;
  t.items = t.duties = t.fees = t.adjustments = Money::zero(cur);
  for (const auto& l : q.lines) t.items += l.subtotal;
  t.shipping = q.shipping.price;
  t.taxes = t.due_on_delivery = Money::zero(cur);
  Money at_checkout = Money::zero(cur);
  for (const auto& x : q.taxes) {
    t.taxes += x.amount;
    (x.collected == "checkout" ? at_checkout : t.due_on_delivery) += x.amount;
  }
  for (const auto& x : q.duties) {
    t.duties += x.amount;
    (x.collected == "checkout" ? at_checkout : t.due_on_delivery) += x.amount;
  }
  for (const auto& x : q.fees) t.fees += x.amount;
  for (const auto& x : q.adjustments) t.adjustments += x.amount;
  t.total = t.items + t.shipping + t.fees + t.adjustments + at_checkout;
}

void check_invariants(const Quote& q) {
  Money items = Money::zero(q.currency), line_tax = Money::zero(q.currency), taxes = Money::zero(q.currency);
  Money line_duty = Money::zero(q.currency), duties = Money::zero(q.currency);
  Money lines_at_checkout = Money::zero(q.currency), lines_on_delivery = Money::zero(q.currency);
  for (const auto& l : q.lines) {
    items += l.subtotal;
    line_tax += l.tax;
    line_duty += l.duty;
    lines_at_checkout += l.at_checkout;
    lines_on_delivery += l.on_delivery;
    LANDED_CHECK(l.total == l.subtotal + l.duty + l.tax, "line total is its parts");
    LANDED_CHECK(l.total == l.at_checkout + l.on_delivery, "a line is collected at checkout or on delivery");
  }
  for (const auto& d : q.duties) {
    duties += d.amount;
    Money parts = Money::zero(q.currency);
    for (const auto& p : d.parts) parts += p.amount;
    LANDED_CHECK(parts == d.amount, "a duty is the sum of its lines' shares");
  }
  LANDED_CHECK(duties == q.totals.duties, "duties total is the sum of duties");
  LANDED_CHECK(line_duty == q.totals.duties, "duties total is the sum of line duties");
  LANDED_CHECK(q.shipping.at_checkout + q.shipping.on_delivery == q.shipping.price + q.shipping.tax, "shipping is collected at checkout or on delivery");
  for (const auto& t : q.taxes) taxes += t.amount;
  Money adjustments = Money::zero(q.currency);
  for (const auto& a : q.adjustments) adjustments += a.amount;
  LANDED_CHECK(adjustments == q.totals.adjustments, "adjustments total is the sum of adjustment lines");
  LANDED_CHECK(items == q.totals.items, "items total is the sum of line subtotals");
  LANDED_CHECK(taxes == q.totals.taxes, "taxes total is the sum of tax charges");
  LANDED_CHECK(line_tax + q.shipping.tax == q.totals.taxes, "taxes total is line taxes plus shipping tax");
  Money at_checkout = q.totals.items + q.totals.shipping + q.totals.fees + q.totals.adjustments, on_delivery = Money::zero(q.currency);
  for (const auto& t : q.taxes) (t.collected == "checkout" ? at_checkout : on_delivery) += t.amount;
  for (const auto& d : q.duties) (d.collected == "checkout" ? at_checkout : on_delivery) += d.amount;
  // The lines and shipping say the same as the totals (fees are not on lines; none is on delivery yet).
  LANDED_CHECK(lines_at_checkout + q.shipping.at_checkout + q.totals.fees + q.totals.adjustments == q.totals.total,
               "lines and shipping at checkout make the total");
  LANDED_CHECK(lines_on_delivery + q.shipping.on_delivery == q.totals.due_on_delivery,
               "lines and shipping on delivery make due_on_delivery");
  LANDED_CHECK(at_checkout == q.totals.total, "total is everything collected at checkout");
  LANDED_CHECK(on_delivery == q.totals.due_on_delivery, "due on delivery is everything collected on delivery");
  LANDED_CHECK(!q.totals.total.amount().is_negative(), "a total is never negative");
}

void apply_payments(Quote& q, const PaymentSelection& sel) {
  const auto row = [&](const PaymentOption& o) {
    QuotePaymentMethod m;
    m.id = o.method->provenance.id;
    m.kind = o.method->kind;
    m.delayed_capture = o.method->delayed_capture;
    m.rank = o.rank;
    if (m.id == "card")
      for (const CardBrand* b : sel.accepted_brands) m.brands.push_back(b->id);
    for (const PaymentReason& r : o.reasons) m.reasons.push_back({r.code, r.limit, r.value});
    return m;
  };
  q.payment.computed = true;
  q.payment_methods.reserve(sel.eligible.size());
  for (const PaymentOption& o : sel.eligible) q.payment_methods.push_back(row(o));
  for (const PaymentOption& o : sel.excluded) q.payment_methods_excluded.push_back(row(o));
  if (sel.bin) {
    q.payment.bin_given = true;
    q.payment.brand_decided = sel.bin->decided;
    for (const CardBrand* b : sel.bin->candidates) q.payment.bin_brands.push_back(b->id);
  }
}

}  // namespace landed
