#include "quote/engine.h"

#include <deque>
#include <set>
#include <stdexcept>

#include "core/check.h"
#include "core/time_zone.h"
#include "fx/target_calendar.h"
#include "l10n/localizer.h"
#include "tax/tax.h"
#include "taxid/taxid.h"

namespace landed {
namespace {

// One rate table's staleness as a quote saw it: the conversions that used it.
struct TableAge {
  std::string source;
  Date as_of;
  Timestamp due;                // its successor's expected publication
  std::int64_t overdue = 0;     // seconds, now - due (negative: not due yet)
  RatesState state = RatesState::fresh;
  std::set<std::string> currencies;
};

std::string hours(std::int64_t seconds) { return std::to_string(seconds / 3600) + " h"; }

// Converts merchant-currency amounts to the presentment currency, remembering each rate used
// and the source it came from (the ECB, or a provider for what the ECB lacks), and how stale
// each table it used is (a cross through both sources is as stale as its staler part).
class Converter {
 public:
  // `rates` may be null: Landed holds none published by the quote's instant. A cart whose
  // prices are all in the presentment currency needs none.
  Converter(const RateSources* rates, const Merchant& merchant, Currency to, std::vector<QuoteFx>& used,
            const QuoteContext& ctx)
      : rates_(rates), merchant_(merchant), to_(to), used_(used), ctx_(ctx) {}

  // The applied rate for `from`, or an error pointing at `pointer`. A same-currency price needs
  // no rate, so it is never stale.
  Result<AppliedRate> rate(Currency from, const std::string& pointer) {
    for (const auto& fx : used_)
      if (fx.rate.from == from) return fx.rate;
    if (from == to_) return AppliedRate{from, to_, Decimal::from_int(1), Decimal(), Decimal::from_int(1)};
    if (!rates_) return no_rates(pointer);
    auto r = rates_->rate(from, to_, merchant_.markup_for(from, to_));
    if (!r.ok()) return Error{ErrorCode::unsupported, r.error().message, pointer};
    // The tables it was formed from: the primary's, the secondary's, or both for a cross.
    const BaseRateTable& p = rates_->primary();
    const BaseRateTable* s = rates_->secondary();
    std::vector<std::pair<const BaseRateTable*, bool>> parts;  // (table, is the ECB)
    if (r->source == p.source()) parts = {{&p, true}};
    else if (s && r->source == s->source()) parts = {{s, false}};
    else parts = {{&p, true}, {s, false}};
    std::vector<TableAge*> expired;
    for (const auto& [table, ecb] : parts) {
      if (!table) continue;
      TableAge& age = age_of(*table, ecb);
      age.currencies.insert(std::string(from.code()));
      age.currencies.insert(std::string(to_.code()));
      if (age.state == RatesState::expired) expired.push_back(&age);
    }
    if (!expired.empty() && ctx_.stale_rates == StaleRatesMode::refuse) {
      std::string which;
      for (const TableAge* a : expired)
        which += (which.empty() ? "" : "; ") + a->source + " rates of " + a->as_of.to_string() + " (the next were due " +
                 a->due.to_string() + ", " + hours(a->overdue) + " ago)";
      return Error{ErrorCode::stale_rates,
                   "needs the " + std::string(from.code()) + " to " + std::string(to_.code()) +
                       " rate, and Landed holds only the " + which + "; merchant " + merchant_.id + " refuses after " +
                       hours(merchant_.rates_staleness.refuse_after_hours * 3600) +
                       ". Try again once fresh rates are loaded",
                   pointer};
    }
    used_.push_back({r->rate, r->source, r->as_of});
    return r->rate;
  }

  // amount × rate, rounded once to the presentment currency's minor unit.
  Money convert(const Decimal& amount, const AppliedRate& rate) const {
    return Money::of(Decimal::multiply_round(amount, rate.rate, to_.digits(), merchant_.fx_rounding), to_,
                     Rounding::Down);
  }

  // `amount` in `to` at the mid rate, no markup: what customs regimes convert with (the ECB's;
  // through the second source only for a currency the ECB does not publish, such as KWD).
  Result<Decimal> mid(const Money& amount, Currency to, const std::string& pointer) const {
    if (amount.currency() == to) return amount.amount();
    if (!rates_) return no_rates(pointer);
    auto r = rates_->rate(amount.currency(), to, Decimal());
    if (!r.ok()) return Error{ErrorCode::unsupported, r.error().message, pointer};
    return amount.amount() * r->rate.mid;
  }

  Error no_rates(const std::string& pointer) const {
    return Error{ErrorCode::unsupported,
                 "needs an exchange rate, and Landed holds no exchange rates published by " + ctx_.now.to_string() +
                     " (a day's ECB rates apply from 16:00 Frankfurt time)",
                 pointer};
  }

  // Warnings for every table used beyond warn_after (expired ones too, in warn-only mode).
  std::vector<QuoteWarning> warnings() const {
    std::vector<QuoteWarning> out;
    const RatesStaleness& policy = merchant_.rates_staleness;
    for (const TableAge& a : ages_) {
      if (a.state == RatesState::fresh) continue;
      std::string message = "the " + a.source + " rates of " + a.as_of.to_string() + " are " + hours(a.overdue) +
                            " past the next expected publication (" + a.due.to_string() + "); merchant " +
                            merchant_.id + " warns after " + hours(policy.warn_after_hours * 3600);
      if (a.state == RatesState::expired)
        message += " and refuses after " + hours(policy.refuse_after_hours * 3600) +
                   ", but stale rates only warn here (--stale-rates warn, a development mode)";
      out.push_back({"stale_rates", a.source, a.as_of, {a.currencies.begin(), a.currencies.end()}, message});
    }
    return out;
  }

 private:
  TableAge& age_of(const BaseRateTable& table, bool ecb) {
    for (auto& a : ages_)
      if (a.source == table.source() && a.as_of == table.as_of()) return a;
    TableAge a{table.source(), table.as_of(), next_expected_publication(ecb, table.as_of()), 0, RatesState::fresh, {}};
    a.overdue = ctx_.now.seconds() - a.due.seconds();
    a.state = rates_state(a.overdue, merchant_.rates_staleness);
    ages_.push_back(std::move(a));
    return ages_.back();
  }

  const RateSources* rates_;
  const Merchant& merchant_;
  Currency to_;
  std::vector<QuoteFx>& used_;
  const QuoteContext& ctx_;
  std::deque<TableAge> ages_;  // stable references: age_of hands them out
};

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

  // Items, rounded as the merchant's line policy says: the whole line once (line), or the
  // converted unit price, then multiplied exactly (unit).
  std::vector<TaxLine> taxable;
  taxable.reserve(req.items.size());
  q.lines.reserve(req.items.size());
  for (std::size_t i = 0; i < req.items.size(); ++i) {
    const Item& it = req.items[i];
    const std::string ptr = "/items/" + std::to_string(it.index);
    auto rate = convert.rate(it.price_currency, ptr + "/unit_price/currency");
    if (!rate.ok()) { errors.push_back(rate.error()); continue; }
    QuoteLine line;
    line.sku = it.sku;
    line.quantity = it.quantity;
    line.unit_price = convert.convert(it.unit_price, *rate);
    Decimal unit_value = line.unit_price.amount();
    if (merchant.line_rounding == LineRounding::line) {
      line.unit_price_decimal = it.unit_price * rate->rate;  // exact, at the scale of its factors
      unit_value = *line.unit_price_decimal;
      line.subtotal = convert.convert(it.unit_price * Decimal::from_int(it.quantity), *rate);
    } else {
      // A merchant that prints unit prices prints whole minor units; a finer price would be
      // silently cut by the rounding, so it is refused instead.
      if (!Money::exact(it.unit_price, it.price_currency).ok()) {
        errors.push_back({ErrorCode::invalid_field,
                          "is finer than the minor unit of " + std::string(it.price_currency.code()) + ", and merchant " +
                              merchant.id + " rounds unit prices (line_rounding \"unit\"); send whole minor units",
                          ptr + "/unit_price/amount"});
        continue;
      }
      if (line.unit_price.is_zero() && !it.unit_price.is_zero()) {
        errors.push_back({ErrorCode::invalid_field,
                          "rounds to zero in " + std::string(cur.code()) + " under unit rounding (merchant " + merchant.id +
                              "); it would be given away",
                          ptr + "/unit_price/amount"});
        continue;
      }
      line.subtotal = line.unit_price.times(it.quantity);
    }
    line.duty = Money::zero(cur);  // the duty stage's seam: priced by the duties issue
    q.lines.push_back(line);
    taxable.push_back({it.tax_category, line.subtotal, unit_value, line.duty, ptr});
  }

  // Shipping: an explicit price, a named service of the merchant, or the merchant's first one.
  Money ship_price = Money::zero(cur);
  if (req.shipping_price) {
    auto rate = convert.rate(req.shipping_price->currency(), "/shipping/price/currency");
    if (!rate.ok()) errors.push_back(rate.error());
    else ship_price = convert.convert(req.shipping_price->amount(), *rate);
    q.shipping.service = req.shipping_service.empty() ? "custom" : req.shipping_service;
  } else if (!merchant.shipping.empty()) {
    const ShippingService* s = req.shipping_service.empty() ? &merchant.shipping.front()
                                                             : merchant.find_shipping(req.shipping_service);
    if (!s) {
      std::string list;
      for (const auto& o : merchant.shipping) list += (list.empty() ? "" : ", ") + o.service;
      errors.push_back({ErrorCode::invalid_field, "is not a shipping service of " + merchant.id + " (one of: " + list + ")",
                        "/shipping/service"});
    } else {
      auto rate = convert.rate(s->price.currency(), "/shipping/service");
      if (!rate.ok()) errors.push_back(rate.error());
      else ship_price = convert.convert(s->price.amount(), *rate);
      q.shipping.service = s->service;
      q.shipping.min_days = s->min_days;
      q.shipping.max_days = s->max_days;
    }
  } else if (!req.shipping_service.empty()) {
    errors.push_back({ErrorCode::invalid_field, "merchant " + merchant.id + " lists no shipping services; send shipping.price",
                      "/shipping/service"});
  }
  if (!errors.empty()) {
    // A conversion refused for stale or missing rates is reported once, at the first field that
    // needs it.
    std::set<std::string> seen;
    std::erase_if(errors, [&](const Error& e) {
      const bool about_rates = e.code == ErrorCode::stale_rates || e.message.rfind("needs an exchange rate", 0) == 0;
      return about_rates && !seen.insert(e.message).second;
    });
    return errors;
  }
  q.shipping.price = ship_price;

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

const char* to_string(RatesState s) {
  switch (s) {
    case RatesState::fresh: return "fresh";
    case RatesState::stale: return "stale";
    case RatesState::expired: return "expired";
  }
  return "unknown";
}

RatesState rates_state(std::int64_t overdue_seconds, const RatesStaleness& policy) {
  if (overdue_seconds > policy.refuse_after_hours * 3600) return RatesState::expired;
  if (overdue_seconds > policy.warn_after_hours * 3600) return RatesState::stale;
  return RatesState::fresh;
}

Timestamp next_expected_publication(bool ecb, const Date& as_of) {
  return ecb ? target::next_ecb_publication(as_of) : target::next_daily_publication(as_of);
}

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
