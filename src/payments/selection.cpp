#include "payments/selection.h"

#include <algorithm>

namespace landed {
namespace {

Money of_minor(std::int64_t minor, Currency c) { return Money::of(Decimal(Decimal::Int(minor), c.digits()), c, Rounding::HalfEven); }

// Every reason `m` is not offered, in a fixed order (dates, where, what currency, how much, in
// which app, on which device, which card): all of them, so the explanation is complete.
void check(const PaymentMethod& m, const PaymentContext& ctx, const PaymentSelection& sel, std::vector<PaymentReason>& out) {
  const Currency paid_in = ctx.amount.currency();  // held: code() views into it
  const std::string_view currency = paid_in.code();
  if (!m.provenance.in_force(ctx.date)) out.push_back({"not_in_force", std::nullopt, nullptr, ctx.date.to_string()});
  const bool card = m.provenance.id == "card";
  // A card is offered where the market accepts some brand; the method's own countries say where
  // the rule applies at all.
  // Card brands not yet (or no longer) in force: card is, in effect, not in force either.
  if (card && !sel.brands_in_force && m.provenance.in_force(ctx.date))
    out.push_back({"not_in_force", std::nullopt, nullptr, ctx.date.to_string()});
  if (!m.countries.has(ctx.country) || (card && sel.brands_in_force && sel.accepted_brands.empty()))
    out.push_back({"country_not_supported", std::nullopt, nullptr, ctx.country});
  if (!m.currencies.has(currency)) {
    out.push_back({"currency_not_supported", std::nullopt, nullptr, std::string(currency)});
  } else if (const PaymentAmountRange* r = m.range_for(currency, ctx.country)) {
    const Decimal::Int& paid = ctx.amount.minor_units();
    if (paid < r->min_minor) out.push_back({"below_minimum", of_minor(r->min_minor, ctx.amount.currency()), r, ctx.amount.to_string()});
    else if (paid > r->max_minor) out.push_back({"above_maximum", of_minor(r->max_minor, ctx.amount.currency()), r, ctx.amount.to_string()});
  }
  const bool channel_ok = m.channels.has(ctx.channel) &&
                          !std::binary_search(m.channels_excluded.begin(), m.channels_excluded.end(), ctx.channel);
  if (!channel_ok) out.push_back({"channel_not_supported", std::nullopt, nullptr, ctx.channel});
  const bool device_ok = m.devices.any || (ctx.device && (m.devices.has(*ctx.device) ||
                                                           (*ctx.device == "desktop" && ctx.apple_desktop && m.devices.has("macos"))));
  if (!device_ok)
    out.push_back({"device_not_supported", std::nullopt, nullptr, ctx.device.value_or("unknown")});
  if (card && sel.bin && !sel.accepted_brands.empty()) {
    // Some brand the BIN may be must be one the market takes; an unknown BIN is no brand at all.
    const bool accepted = std::any_of(sel.bin->candidates.begin(), sel.bin->candidates.end(), [&](const CardBrand* b) {
      return std::find(sel.accepted_brands.begin(), sel.accepted_brands.end(), b) != sel.accepted_brands.end();
    });
    if (!accepted)
      out.push_back({"brand_not_accepted", std::nullopt, nullptr, sel.bin->candidates.empty() ? "unknown" : sel.bin->candidates.front()->id});
  }
}

}  // namespace

PaymentSelection select_payment_methods(const PaymentRules& rules, const PaymentContext& ctx, bool all_methods) {
  PaymentSelection sel;
  sel.brands_in_force = rules.cards && rules.cards->provenance.in_force(ctx.date);
  if (sel.brands_in_force) {
    for (const std::string& id : rules.cards->accepted_in(ctx.country))
      if (const CardBrand* b = rules.cards->brand(id)) sel.accepted_brands.push_back(b);
    if (!ctx.card_bin.empty()) sel.bin = detect_brand_in(*rules.cards, ctx.card_bin, ctx.country);
  }
  const auto consider = [&](const PaymentMethod& m) {
    PaymentOption o{&m, m.rank_in(ctx.country, ctx.channel), {}};
    check(m, ctx, sel, o.reasons);
    (o.reasons.empty() ? sel.eligible : sel.excluded).push_back(std::move(o));
  };
  if (all_methods) {
    for (const PaymentMethod& m : rules.methods) consider(m);
  } else {
    for (std::size_t i : rules.offered_in(ctx.country)) consider(rules.methods[i]);
  }
  std::stable_sort(sel.eligible.begin(), sel.eligible.end(), [](const PaymentOption& a, const PaymentOption& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.method->provenance.id < b.method->provenance.id;
  });
  return sel;
}

}  // namespace landed
