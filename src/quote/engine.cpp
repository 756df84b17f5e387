#include "quote/engine.h"

#include <stdexcept>

#include "adjust/cash_rounding.h"
#include "convert/converter.h"
#include "display/display.h"
#include "duty/duty.h"
#include "quote/assemble.h"
#include "core/check.h"
#include "core/time_zone.h"
#include "l10n/localizer.h"
#include "payments/device.h"
#include "payments/selection.h"
#include "tax/tax.h"
#include "taxid/taxid.h"

namespace landed {
namespace {

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
      else if (c.scheme == "EU OSS")
        // An OSS number identifies a seller declaring EU VAT, never a buyer.
        errors.push_back({ErrorCode::invalid_field, "is an EU OSS number, which identifies a seller; send the buyer's VAT number",
                          "/buyer/vat_id"});
      else if (!req.ship_to.country.empty() && c.country != req.ship_to.country)
        // Reverse charge and importer accounting rest on the buyer's registration where the goods
        // arrive: another country's number does not take the tax away there.
        errors.push_back({ErrorCode::invalid_field,
                          "is a " + c.country + " number (" + c.scheme + "); a business buyer in " + req.ship_to.country +
                              " gives its " + req.ship_to.country + " number",
                          "/buyer/vat_id"});
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
  const bool ddp = q.incoterm == "DDP";

  // Duties: the border of the destination's customs territory, before the taxes levied on them.
  DutyInput din;
  din.territory = rules.duty.for_country(q.ship_to);
  // Before its rules take effect Landed knows no duty there: not computed, never a guess.
  if (din.territory && !din.territory->provenance.in_force(today)) din.territory = nullptr;
  din.ship_from = q.ship_from;
  din.ship_to = q.ship_to;
  din.business = !vat_id.empty();
  din.registered = [&](const std::string& scheme) { return merchant.registered_for(scheme); };
  din.lines.reserve(q.lines.size());
  for (std::size_t i = 0; i < q.lines.size(); ++i) {
    const Item& it = req.items[i];
    std::optional<Decimal> weight;
    if (it.weight) weight = it.weight->kg() * Decimal::from_int(it.quantity);
    din.lines.push_back({it.hs_code, it.origin_country, q.lines[i].subtotal, it.quantity, weight, "/items/" + std::to_string(it.index)});
  }
  din.shipping = ship_price;
  din.insurance = Money::zero(cur);
  din.date = today;
  din.convert = [&](const Money& amount, Currency to, const std::string&) { return convert.mid(amount, to, "/items"); };
  auto duty = compute_duties(din);
  if (!duty.ok()) return duty.errors();
  apply_duties(q, *duty, ddp);

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
  tin.ddp = ddp;
  tin.merchant = &merchant;
  tin.lines = std::move(taxable);
  tin.shipping = ship_price;
  tin.date = today;
  tin.convert = [&](const Money& amount, Currency to, const std::string&) { return convert.mid(amount, to, "/items"); };
  auto tax = compute_taxes(tin);
  if (!tax.ok()) return tax.errors();
  q.warnings = convert.warnings();
  apply_taxes(q, *tax, *dest->jurisdiction);
  collect_flat_duties_with_regime(q);
  sum_totals(q);
  // Cash rounding, once, last, on what is collected at checkout (never on due_on_delivery).
  if (auto adjustment = cash_rounding(q.totals.total, merchant)) {
    q.totals.adjustments += adjustment->amount;
    q.totals.total += adjustment->amount;
    q.adjustments.push_back(std::move(*adjustment));
  }
  // Payment methods, on what the buyer pays at checkout, in the app and on the device they are on.
  if (!rules.payments.methods.empty()) {
    PaymentContext pay;
    pay.country = q.ship_to;
    pay.amount = q.totals.total;
    if (!req.channel_given) {
      const auto app = channel_from_user_agent(req.buyer.user_agent);
      q.payment.channel_source = app ? "user_agent" : "default";
      if (app) q.channel = std::string(*app);
    }
    pay.channel = q.channel;
    if (!req.buyer.device.empty()) {
      q.payment.device = req.buyer.device;
      q.payment.device_source = "request";
    } else if (const auto d = device_from_user_agent(req.buyer.user_agent)) {
      q.payment.device = std::string(*d);
      q.payment.device_source = "user_agent";
    }
    if (!q.payment.device.empty()) pay.device = q.payment.device;
    pay.apple_desktop = q.payment.device == "desktop" && is_apple_desktop(req.buyer.user_agent);
    pay.card_bin = req.card_bin;
    pay.date = today;
    apply_payments(q, select_payment_methods(rules.payments, pay, false));
  }
  // A cart priced in its own currency, with no threshold to convert, used no rates at all.
  if (!convert.used_rates()) q.rates_version.clear();
  display_quote(q, *snap.l10n, *locale, req.ship_to.region);
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
