// Property: for thousands of generated carts (random destinations, presentment currencies with
// 0, 2 and 3 minor digits, item currencies, quantities, prices and incoterms), every total equals
// the sum of its displayed parts in minor units, and line figures agree with the totals.
#include <catch2/catch.hpp>
#include <random>
#include <set>

#include "quote/engine.h"
#include "snapshot.h"

using namespace landed;

namespace {

std::shared_ptr<const Snapshot> snapshot_with_3_digit_currencies() {
  const auto base = test::shipped_snapshot();
  auto rates = RateTable::parse_ecb_xml(test::read_text(test::fixtures() / "rates-with-3-decimal-currencies.xml"), "TEST");
  REQUIRE(rates.ok());
  std::vector<RateTable> tables;
  tables.push_back(std::move(rates).value());
  return std::make_shared<const Snapshot>(
      Snapshot{base->rules, std::make_shared<const RateHistory>(*RateHistory::of(std::move(tables))), base->l10n});
}

Decimal::Int sum_units(std::initializer_list<const Money*> parts) {
  Decimal::Int s = 0;
  for (const Money* m : parts) s += m->minor_units();
  return s;
}

}  // namespace

TEST_CASE("Totals equal the sum of their parts over thousands of generated carts") {
  const auto snap = snapshot_with_3_digit_currencies();
  const char* destinations[] = {"HR", "IT", "DE", "FR", "EE", "FI", "RO", "HU", "GB", "NO", "CH", "SE", "PL", "IE"};
  const char* presentment[] = {"EUR", "JPY", "KWD", "BHD", "JOD", "GBP", "USD", "HUF", "ISK", "KRW", "CHF", "IDR", "ILS"};
  const char* item_currencies[] = {"USD", "EUR", "JPY", "KWD", "GBP", "CNY"};
  const char* locales[] = {"hr-HR", "fa-IR", "he-IL", "zh-Hans-CN", "it-IT", "en-US", "ar-EG", "ja-JP"};
  std::mt19937_64 rng(20261123);
  const auto pick = [&](const auto& list) { return list[rng() % std::size(list)]; };
  int priced = 0, refused = 0;
  for (int n = 0; n < 3000; ++n) {
    Request r;
    r.locale = pick(locales);
    r.ship_to.country = pick(destinations);
    r.currency = *Currency::of(pick(presentment));
    r.incoterm = rng() % 3 == 0 ? "DAP" : "DDP";
    const std::size_t items = 1 + rng() % (n % 50 == 0 ? 500 : 8);
    for (std::size_t i = 0; i < items; ++i) {
      Item it;
      it.sku = "SKU-" + std::to_string(i);
      it.quantity = 1 + std::int64_t(rng() % (rng() % 10 == 0 ? 100000 : 5));
      it.price_currency = *Currency::of(pick(item_currencies));
      // Up to 12 integer digits and 6 fraction digits, biased to everyday prices.
      const int frac = int(rng() % 7);
      const std::int64_t whole = rng() % 20 == 0 ? std::int64_t(rng() % 999999999999ULL) : std::int64_t(rng() % 2000);
      it.unit_price = Decimal(Decimal::Int(whole) * pow10(frac) + Decimal::Int(rng() % 1000000) % pow10(frac), frac);
      it.tax_category = rng() % 4 == 0 ? "reduced" : "standard";
      r.items.push_back(it);
    }
    if (rng() % 2) r.shipping_price = Money::of(Decimal(std::int64_t(rng() % 10000), 2), *Currency::of("USD"), Rounding::Down);
    QuoteContext ctx;
    ctx.now = *Timestamp::parse("2026-11-23T12:00:00Z");
    ctx.quote_id = "q_prop";
    const auto q = price(r, *snap, ctx);
    if (!q.ok()) {
      // Only a missing reduced rate (e.g. none in the destination) may refuse a generated cart.
      for (const auto& e : q.errors()) REQUIRE(e.pointer.find("/tax_category") != std::string::npos);
      ++refused;
      continue;
    }
    ++priced;
    const Totals& t = q->totals;
    Decimal::Int items_sum = 0, line_tax = 0, tax_rows = 0, line_totals = 0;
    for (const auto& l : q->lines) {
      items_sum += l.subtotal.minor_units();
      line_tax += l.tax.minor_units();
      line_totals += l.total.minor_units();
      REQUIRE(l.subtotal.minor_units() == l.unit_price.minor_units() * l.quantity);
      REQUIRE(l.unit_price.amount().scale() == q->currency.digits());
    }
    for (const auto& tx : q->taxes) tax_rows += tx.amount.minor_units();
    REQUIRE(items_sum == t.items.minor_units());
    REQUIRE(tax_rows == t.taxes.minor_units());
    REQUIRE(line_tax + q->shipping.tax.minor_units() == t.taxes.minor_units());
    REQUIRE(line_totals == items_sum + line_tax);
    REQUIRE(t.duties.is_zero());
    REQUIRE(t.fees.is_zero());
    if (q->incoterm == "DDP") {
      REQUIRE(t.total.minor_units() == sum_units({&t.items, &t.shipping, &t.duties, &t.taxes, &t.fees}));
      REQUIRE(t.due_on_delivery.is_zero());
    } else {
      REQUIRE(t.total.minor_units() == sum_units({&t.items, &t.shipping, &t.fees}));
      REQUIRE(t.due_on_delivery.minor_units() == t.taxes.minor_units());
    }
    REQUIRE(t.total.amount().scale() == q->currency.digits());
    REQUIRE_FALSE(q->display.total.empty());

    // Independent of the engine's own bookkeeping: recompute VAT from the rules.
    const VatSchedule& vat = snap->rules->vat.at(r.ship_to.country);
    const Date day = ctx.now.date();
    std::set<std::string> categories;
    for (std::size_t i = 0; i < q->lines.size(); ++i) {
      const VatRate* rate = vat.find(r.items[i].tax_category, day);
      REQUIRE(rate);
      categories.insert(r.items[i].tax_category);
      // Per-line rounding: each line's tax is its subtotal × rate, rounded as the rules say.
      if (vat.level == RoundingLevel::line)
        REQUIRE(q->lines[i].tax == Money::of(q->lines[i].subtotal.amount() * rate->rate, q->currency, vat.rounding));
    }
    if (categories.size() == 1) {
      // One rate: shipping tax is shipping × rate, rounded once, however many lines share it.
      const VatRate* rate = vat.find(*categories.begin(), day);
      REQUIRE(q->shipping.tax == Money::of(q->shipping.price.amount() * rate->rate, q->currency, vat.rounding));
    }
    for (const auto& tx : q->taxes) {
      // A charge differs from base × rate only by the per-line roundings inside it.
      const Money once = Money::of(tx.base.amount() * tx.rate, q->currency, vat.rounding);
      Decimal::Int drift = tx.amount.minor_units() - once.minor_units();
      if (drift < 0) drift = -drift;
      REQUIRE(drift <= Decimal::Int(q->lines.size() + 1));
    }
  }
  CHECK(priced > 2000);
  WARN("property: " << priced << " carts priced, " << refused << " refused for a missing reduced rate");
}
