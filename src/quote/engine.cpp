#include "quote/engine.h"

#include <deque>
#include <set>
#include <stdexcept>

#include "core/check.h"
#include "core/time_zone.h"
#include "fx/target_calendar.h"
#include "l10n/localizer.h"
#include "tax/vat.h"

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
  Converter(const RateSources& rates, const Merchant& merchant, Currency to, std::vector<QuoteFx>& used,
            const QuoteContext& ctx)
      : rates_(rates), merchant_(merchant), to_(to), used_(used), ctx_(ctx) {}

  // The applied rate for `from`, or an error pointing at `pointer`. A same-currency price needs
  // no rate, so it is never stale.
  Result<AppliedRate> rate(Currency from, const std::string& pointer) {
    for (const auto& fx : used_)
      if (fx.rate.from == from) return fx.rate;
    if (from == to_) return AppliedRate{from, to_, Decimal::from_int(1), Decimal(), Decimal::from_int(1)};
    auto r = rates_.rate(from, to_, merchant_.markup_for(from, to_));
    if (!r.ok()) return Error{ErrorCode::unsupported, r.error().message, pointer};
    // The tables it was formed from: the primary's, the secondary's, or both for a cross.
    const BaseRateTable& p = rates_.primary();
    const BaseRateTable* s = rates_.secondary();
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

  const RateSources& rates_;
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

Result<Quote> price_unchecked(const QuoteRequest& req, const Snapshot& snap, const QuoteContext& ctx) {
  const RuleSet& rules = *snap.rules;
  Errors errors;
  // Rules take effect at local midnight at the destination, not in UTC. (Without a zone the
  // quote is refused; the UTC date only lets the other checks report their errors too.)
  const auto local = local_date(req.ship_to.country, ctx.now);
  if (!local.ok()) errors.push_back({ErrorCode::unsupported, local.error().message, "/ship_to/country"});
  const Date today = local.ok() ? local->date : ctx.now.date();

  const std::string merchant_id = req.merchant.empty() ? rules.default_merchant : req.merchant;
  const auto m = rules.merchants.find(merchant_id);
  if (m == rules.merchants.end())
    return Error{ErrorCode::not_found,
                 merchant_id.empty() ? "is required: no default merchant is configured" : "is not a known merchant: " + merchant_id,
                 "/merchant"};
  if (!m->second.provenance.in_force(today))
    return Error{ErrorCode::unsupported, "merchant " + merchant_id + " has no settings in force on " + today.to_string(),
                 "/merchant"};
  const Merchant& merchant = m->second;

  const auto vat = rules.vat.find(req.ship_to.country);
  if (vat == rules.vat.end())
    errors.push_back({ErrorCode::unsupported, "Landed has no tax rules for " + req.ship_to.country + " yet",
                      "/ship_to/country"});
  if (req.buyer.type == "business")
    errors.push_back({ErrorCode::unsupported,
                      "business (B2B, reverse-charge) quotes are not supported yet; send \"consumer\"", "/buyer/type"});

  std::optional<Currency> currency = req.currency;
  if (!currency) {
    if (const CountryCurrency* rule = rules.currency_of(req.ship_to.country, today)) currency = rule->currency;
  }
  if (!currency) {
    auto tender = Currency::of_country(req.ship_to.country, today);
    if (tender.ok()) currency = *tender;
    else errors.push_back({ErrorCode::unsupported, "no currency is known for the destination; send \"currency\"", "/currency"});
  }
  // The rates in force at the quote's instant: the newest ECB table already published by then,
  // and the provider's day for the currencies the ECB lacks.
  const std::optional<RateSources> rates = snap.rates->sources_at(ctx.now);
  if (!rates)
    return Error{ErrorCode::unsupported,
                 "Landed holds no exchange rates published by " + ctx.now.to_string() + " (a day's ECB rates apply from 16:00 Frankfurt time)",
                 ""};
  if (currency && !rates->has(currency->code()))
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
  // The days that priced it: the ECB table's version, and the provider's when there is one.
  q.rates_version = rates->primary().version();
  if (rates->secondary()) q.rates_version += "+" + rates->secondary()->version();
  const Currency cur = *currency;
  Converter convert(*rates, merchant, cur, q.fx, ctx);

  // Items, rounded as the merchant's line policy says: the whole line once (line), or the
  // converted unit price, then multiplied exactly (unit).
  std::vector<TaxableLine> taxable;
  taxable.reserve(req.items.size());
  q.lines.reserve(req.items.size());
  for (std::size_t i = 0; i < req.items.size(); ++i) {
    const Item& it = req.items[i];
    const std::string ptr = "/items/" + std::to_string(i);
    auto rate = convert.rate(it.price_currency, ptr + "/unit_price/currency");
    if (!rate.ok()) { errors.push_back(rate.error()); continue; }
    QuoteLine line;
    line.sku = it.sku;
    line.quantity = it.quantity;
    line.unit_price = convert.convert(it.unit_price, *rate);
    if (merchant.line_rounding == LineRounding::line) {
      line.unit_price_decimal = it.unit_price * rate->rate;  // exact, at the scale of its factors
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
    line.duty = Money::zero(cur);
    q.lines.push_back(line);
    taxable.push_back({it.tax_category, line.subtotal, ptr});
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
    // A conversion refused for stale rates is reported once, at the first field that needs it.
    std::set<std::string> seen;
    std::erase_if(errors, [&](const Error& e) { return e.code == ErrorCode::stale_rates && !seen.insert(e.message).second; });
    return errors;
  }
  q.shipping.price = ship_price;
  q.warnings = convert.warnings();

  auto vat_result = compute_vat(vat->second, taxable, ship_price, today);
  if (!vat_result.ok()) return vat_result.errors();
  const std::string collected = q.incoterm == "DDP" ? "checkout" : "delivery";
  for (std::size_t i = 0; i < q.lines.size(); ++i) {
    q.lines[i].tax = vat_result->line_tax[i];
    q.lines[i].total = q.lines[i].subtotal + q.lines[i].duty + q.lines[i].tax;
  }
  q.shipping.tax = vat_result->shipping_tax;
  const VatSchedule& schedule = vat->second;
  for (const auto& c : vat_result->charges) {
    QuoteTax row{c.name, c.amount, c.rule->rate, c.base, collected, c.rule->provenance.id, c.rule->provenance.source,
                 std::string(to_string(schedule.rounding)), schedule.level == RoundingLevel::line ? "line" : "total", {}};
    for (const auto& p : c.parts)
      row.parts.push_back({p.line ? "/lines/" + std::to_string(*p.line) : "/shipping", p.base, p.amount});
    q.taxes.push_back(std::move(row));
  }

  Totals& t = q.totals;
  t.items = t.duties = t.fees = Money::zero(cur);
  for (const auto& l : q.lines) t.items += l.subtotal;
  t.shipping = ship_price;
  t.taxes = vat_result->total;
  t.total = t.items + t.shipping + t.duties + t.fees;
  t.due_on_delivery = Money::zero(cur);
  (collected == "checkout" ? t.total : t.due_on_delivery) += t.taxes;

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

Result<Quote> price(const QuoteRequest& request, const Snapshot& snapshot, const QuoteContext& context) {
  try {
    return price_unchecked(request, snapshot, context);
  } catch (const std::overflow_error&) {
    // Inputs are bounded so that this cannot happen for a valid cart; if a bound is ever too
    // loose, the buyer gets a clear refusal rather than a wrong amount.
    return Error{ErrorCode::out_of_range, "the cart's amounts are too large to price exactly", "/items"};
  }
}

}  // namespace landed
