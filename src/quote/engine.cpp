#include "quote/engine.h"

#include <deque>
#include <set>
#include <stdexcept>

#include "convert/converter.h"
#include "core/check.h"
#include "core/time_zone.h"
#include "fx/target_calendar.h"
#include "l10n/localizer.h"
#include "tax/tax.h"
#include "taxid/taxid.h"

namespace landed {
namespace {

void check_invariants(const Quote& q) {
  Money items = Money::zero(q.currency), line_tax = Money::zero(q.currency), taxes = Money::zero(q.currency);
  for (const auto& l : q.lines) {
    items += l.subtotal;
    line_tax += l.tax;
    LANDED_CHECK(l.total == l.subtotal + l.duty + l.tax, "line total is its parts");
  }
  for (const auto& t : q.taxes) taxes += t.amount;
  Money adjustments = Money::zero(q.currency);
  for (const auto& a : q.adjustments) adjustments += a.amount;
  LANDED_CHECK(adjustments == q.totals.adjustments, "adjustments total is the sum of adjustment lines");
  LANDED_CHECK(items == q.totals.items, "items total is the sum of line subtotals");
  LANDED_CHECK(taxes == q.totals.taxes, "taxes total is the sum of tax charges");
  LANDED_CHECK(line_tax + q.shipping.tax == q.totals.taxes, "taxes total is line taxes plus shipping tax");
  Money at_checkout = q.totals.items + q.totals.shipping + q.totals.fees + q.totals.adjustments, on_delivery = Money::zero(q.currency);
  for (const auto& t : q.taxes) (t.collected == "checkout" ? at_checkout : on_delivery) += t.amount;
  LANDED_CHECK(at_checkout == q.totals.total, "total is everything collected at checkout");
  LANDED_CHECK(on_delivery == q.totals.due_on_delivery, "due on delivery is everything collected on delivery");
  LANDED_CHECK(!q.totals.total.amount().is_negative(), "a total is never negative");
}

QuoteRegimeTest regime_test_of(const RegimeTest& t) {
  const TaxRegime& g = *t.regime;
  return {g.provenance.id, g.scheme, t.threshold, t.value_tested,
          g.value == RegimeValue::goods ? "goods" : g.value == RegimeValue::goods_and_shipping ? "goods_and_shipping" : "tax_amount",
          g.per_item ? "item" : "consignment", g.boundary == RegimeBoundary::below ? "below" : "at_or_below", t.within};
}

Result<Quote> price_unchecked(const QuoteRequest& req, const Snapshot& snap, const QuoteContext& ctx, Errors errors) {
  const RuleSet& rules = *snap.rules;
  // Rules take effect at local midnight at the destination, not in UTC. (Without a zone the
  // quote is refused; the UTC date only lets the other checks report their errors too.)
  std::optional<LocalDate> local;
  if (!req.ship_to.country.empty()) {
    auto l = local_date(req.ship_to.country, ctx.now);
    if (l.ok()) local = *l;
    else errors.push_back({ErrorCode::unsupported, l.error().message, "/ship_to/country"});
  }
  const Date today = local ? local->date : ctx.now.date();

  const std::string merchant_id = req.merchant.empty() ? rules.default_merchant : req.merchant;
  const auto m = rules.merchants.find(merchant_id);
  if (m == rules.merchants.end()) {
    errors.push_back({ErrorCode::not_found,
                      merchant_id.empty() ? "is required: no default merchant is configured" : "is not a known merchant: " + merchant_id,
                      "/merchant"});
    return errors;
  }
  if (!m->second.provenance.in_force(today)) {
    errors.push_back({ErrorCode::unsupported, "merchant " + merchant_id + " has no settings in force on " + today.to_string(), "/merchant"});
    return errors;
  }
  const Merchant& merchant = m->second;

  // The destination's tax rules, its territory, and every item's category against them.
  std::optional<Destination> dest;
  if (!req.ship_to.country.empty()) {
    auto d = resolve_destination(rules, req.ship_to.country, req.ship_to.region, req.ship_to.postal_code, today);
    if (d.ok()) dest = *d;
    else if (!(req.ship_to.region_invalid && d.error().pointer == "/ship_to/region"))
      errors.insert(errors.end(), d.errors().begin(), d.errors().end());
  }
  if (dest && !dest->outside_vat_area()) {
    std::vector<TaxLine> probe;
    for (const Item& it : req.items) probe.push_back({it.tax_category, Money(), Decimal(), Money(), "/items/" + std::to_string(it.index)});
    const Errors bad = check_categories(*dest->jurisdiction, req.ship_to.region, probe, today);
    errors.insert(errors.end(), bad.begin(), bad.end());
  }
  // A business buyer's number: format and check digits (no registry is called: VIES, HMRC and
  // the ABR are the merchant's to consult).
  std::string vat_id;
  if (req.buyer.type == "business") {
    if (req.buyer.vat_id.empty()) {
      errors.push_back({ErrorCode::missing_field,
                        "is required for a business buyer: reverse charge and importer accounting rest on it", "/buyer/vat_id"});
    } else {
      const TaxIdCheck c = check_tax_id(req.buyer.vat_id, req.ship_to.country);
      if (c.problem == TaxIdProblem::unsupported_country)
        errors.push_back({ErrorCode::unsupported, c.message, "/buyer/vat_id"});
      else if (!c.valid())
        errors.push_back({ErrorCode::invalid_field, std::string(to_string(c.problem)) + ": " + c.message, "/buyer/vat_id"});
      else
        vat_id = c.normalized;
    }
  }

  std::optional<Currency> currency = req.currency;
  if (!currency && !req.ship_to.country.empty()) {
    if (const CountryCurrency* rule = rules.currency_of(req.ship_to.country, today)) currency = rule->currency;
  }
  if (!currency && !req.ship_to.country.empty()) {
    auto tender = Currency::of_country(req.ship_to.country, today);
    if (tender.ok()) currency = *tender;
    else errors.push_back({ErrorCode::unsupported, "no currency is known for the destination; send \"currency\"", "/currency"});
  }
  // The rates in force at the quote's instant: the newest ECB table already published by then,
  // and the provider's day for the currencies the ECB lacks. None is needed when every price is
  // in the presentment currency.
  const std::optional<RateSources> rates = snap.rates ? snap.rates->sources_at(ctx.now) : std::nullopt;
  bool needs_rates = false;
  for (const Item& it : req.items) needs_rates = needs_rates || (currency && it.price_currency != *currency);
  if (req.shipping_price) needs_rates = needs_rates || (currency && req.shipping_price->currency() != *currency);
  if (!req.shipping_price && !merchant.shipping.empty()) needs_rates = needs_rates || (currency && merchant.shipping.front().price.currency() != *currency);
  if (currency && needs_rates && rates && !rates->has(currency->code()))
    errors.push_back({ErrorCode::unsupported,
                      "Landed has no " + rates->primary().source() +
                          (rates->secondary() ? " or " + rates->secondary()->source() : std::string()) + " rate for " +
                          std::string(currency->code()),
                      "/currency"});
  auto locale = snap.l10n->resolve(req.locale);
  if (!locale.ok()) errors.push_back({ErrorCode::invalid_field, locale.error().message, "/locale"});
  if (!errors.empty()) return errors;

  Quote q;
  q.id = ctx.quote_id;
  q.created_at = ctx.now;
  q.expires_at = ctx.now.plus_seconds(ctx.ttl_seconds);
  q.merchant = merchant.id;
  q.channel = req.channel;
  q.currency = *currency;
  q.locale = locale->tag;
  q.incoterm = req.incoterm.empty() ? merchant.incoterm : req.incoterm;
  q.line_rounding = merchant.line_rounding;
  q.local_date = today;
  q.time_zone = local->zone;
  q.ship_from = req.ship_from.empty() ? merchant.origin : req.ship_from;
  q.ship_to = req.ship_to.country;
  q.rules_version = rules.version;
  q.buyer_type = req.buyer.type;
  q.buyer_vat_id = vat_id;
  q.tax_jurisdiction = dest->jurisdiction->id;
  if (dest->territory) q.territory = dest->territory->provenance.id;
  // The days that priced it: the ECB table's version, and the provider's when there is one.
  if (rates) {
    q.rates_version = rates->primary().version();
    if (rates->secondary()) q.rates_version += "+" + rates->secondary()->version();
  }
  const Currency cur = *currency;
  Converter convert(rates ? &*rates : nullptr, merchant, cur, q.fx, ctx);

  auto cart = convert_cart(req, merchant, cur, convert);
  if (!cart.ok()) return cart.errors();
  q.lines = std::move(cart->lines);
  q.shipping = std::move(cart->shipping);
  Money ship_price = q.shipping.price;
  std::vector<TaxLine> taxable;
  taxable.reserve(q.lines.size());
  for (std::size_t i = 0; i < q.lines.size(); ++i)
    taxable.push_back({req.items[i].tax_category, q.lines[i].subtotal, cart->unit_values[i], q.lines[i].duty,
                       "/items/" + std::to_string(req.items[i].index)});

  // Taxes: who levies what, who collects it and when, and what is waived.
  TaxInput tin;
  tin.rules = &rules;
  tin.destination = *dest;
  tin.ship_from = q.ship_from;
  tin.region = req.ship_to.region;
  tin.business = !vat_id.empty();
  tin.vat_id = vat_id;
  tin.ddp = q.incoterm == "DDP";
  tin.merchant = &merchant;
  tin.lines = std::move(taxable);
  tin.shipping = ship_price;
  tin.date = today;
  tin.convert = [&](const Money& amount, Currency to, const std::string&) { return convert.mid(amount, to, "/items"); };
  auto tax = compute_taxes(tin);
  if (!tax.ok()) return tax.errors();
  q.warnings = convert.warnings();
  q.prices_include_tax = tax->prices_include_tax;
  for (std::size_t i = 0; i < q.lines.size(); ++i) {
    q.lines[i].tax = tax->line_tax[i];
    q.lines[i].subtotal = tax->line_net[i];
    q.lines[i].total = q.lines[i].subtotal + q.lines[i].duty + q.lines[i].tax;
  }
  q.shipping.price = ship_price = tax->shipping_net;
  q.shipping.tax = tax->shipping_tax;
  const Jurisdiction& jur = *dest->jurisdiction;
  Money at_checkout = Money::zero(cur), on_delivery = Money::zero(cur);
  for (const auto& c : tax->charges) {
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
    (c.collected == Collected::checkout ? at_checkout : on_delivery) += c.amount;
    q.taxes.push_back(std::move(row));
  }
  for (const auto& w : tax->waived) {
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
  for (const auto& n : tax->notes) q.notes.push_back({n.code, n.rule, n.source, ""});

  Totals& t = q.totals;
  t.items = t.duties = t.fees = Money::zero(cur);
  for (const auto& l : q.lines) t.items += l.subtotal;
  t.shipping = ship_price;
  t.taxes = tax->total;
  t.total = t.items + t.shipping + t.duties + t.fees + at_checkout;
  t.due_on_delivery = on_delivery;

  const Localizer& l10n = *snap.l10n;
  // Cash rounding, once, last, on what is collected at checkout: the total is rounded to the
  // currency's cash increment and the difference becomes a named line, so the total is still
  // the sum of its parts. due_on_delivery is collected by someone else, later, and is not rounded.
  t.adjustments = Money::zero(cur);
  if (merchant.cash_rounding && merchant.cash_rounding->applies_to(cur)) {
    if (const auto increment = cur.cash_increment()) {
      const CashRounding& cash = *merchant.cash_rounding;
      const Money rounded = round_to_increment(t.total, *increment, cash.mode);
      q.adjustments.push_back({l10n.text(*locale, "adjustment.cash_rounding"), "cash_rounding", rounded - t.total,
                               *increment, std::string(to_string(cash.mode)), "total", merchant.id, cash.source,
                               Currency::cash_rounding_source()});
      t.adjustments += q.adjustments.back().amount;
      t.total = rounded;
    }
  }

  // Display: every total through ICU in the buyer's locale, the summary from the catalog.
  const auto formatter_ptr = l10n.formatter(*locale, cur);
  const auto& formatter = *formatter_ptr;
  Display& d = q.display;
  d.total = Localizer::format(formatter, t.total);
  d.items = Localizer::format(formatter, t.items);
  d.shipping = Localizer::format(formatter, t.shipping);
  d.duties = Localizer::format(formatter, t.duties);
  d.taxes = Localizer::format(formatter, t.taxes);
  d.fees = Localizer::format(formatter, t.fees);
  d.adjustments = Localizer::format(formatter, t.adjustments);
  d.due_on_delivery = Localizer::format(formatter, t.due_on_delivery);
  d.direction = locale->rtl ? "rtl" : "ltr";
  std::int64_t count = 0;
  for (const auto& l : q.lines) count += l.quantity;
  const std::string total = Localizer::isolate(*locale, d.total);
  if (t.due_on_delivery.is_zero())
    d.summary = l10n.message(*locale, "summary.checkout", {{"total", total}}, {{"count", count}});
  else
    d.summary = l10n.message(*locale, "summary.delivery",
                             {{"total", total}, {"due", Localizer::isolate(*locale, d.due_on_delivery)}},
                             {{"count", count}});
  // Every waiver and note in the buyer's language: amounts through ICU in the currency they are
  // stated in (a threshold in EUR stays in EUR), isolated inside right-to-left text.
  for (auto& w : q.taxes_waived) {
    std::vector<std::pair<std::string, std::string>> args{{"tax", Localizer::isolate(*locale, w.name)},
                                                          {"category", w.category},
                                                          {"territory", Localizer::isolate(*locale, w.territory)},
                                                          {"region", Localizer::isolate(*locale, req.ship_to.region)}};
    if (w.test) {
      args.emplace_back("threshold", Localizer::isolate(*locale, Localizer::format(*l10n.formatter(*locale, w.test->threshold.currency()), w.test->threshold)));
      args.emplace_back("value", Localizer::isolate(*locale, Localizer::format(*l10n.formatter(*locale, w.test->value_tested.currency()), w.test->value_tested)));
    } else {
      args.emplace_back("threshold", "");
      args.emplace_back("value", "");
    }
    w.message = l10n.message(*locale, "waiver." + w.reason, args, {});
  }
  for (auto& n : q.notes) n.message = l10n.text(*locale, "note." + n.code);
  static constexpr std::pair<const char*, const char*> labels[] = {
      {"items", "label.items"}, {"shipping", "label.shipping"}, {"duties", "label.duties"}, {"taxes", "label.taxes"},
      {"fees", "label.fees"},   {"adjustments", "label.adjustments"}, {"total", "label.total"},
      {"due_on_delivery", "label.due_on_delivery"}};
  for (const auto& [field, key] : labels) d.labels.emplace_back(field, l10n.text(*locale, key));

  check_invariants(q);
  return q;
}

}  // namespace

Result<Quote> price(const QuoteRequest& request, const Snapshot& snapshot, const QuoteContext& context, Errors prior) {
  try {
    return price_unchecked(request, snapshot, context, std::move(prior));
  } catch (const std::overflow_error&) {
    // Inputs are bounded so that this cannot happen for a valid cart; if a bound is ever too
    // loose, the buyer gets a clear refusal rather than a wrong amount.
    return Error{ErrorCode::out_of_range, "the cart's amounts are too large to price exactly", "/items"};
  }
}

}  // namespace landed
