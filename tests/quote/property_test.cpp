// Property: for thousands of generated carts (random destinations, presentment currencies with
// 0, 2 and 3 minor digits, item currencies, quantities, prices, incoterms and both line-rounding
// policies), every figure equals what an independent oracle computes with exact rational
// arithmetic (rounding only where the policy says), and every total equals the sum of its parts
// in minor units. The oracle shares no formula with the engine: it derives the FX rate from the
// ECB table itself, picks the per-pair markup by its own scoring, and rounds (cash rounding of the
// total included) with its own integer arithmetic.
#include <catch2/catch.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <random>
#include <set>

#include "l10n/localizer.h"
#include "quote/engine.h"
#include "snapshot.h"

using namespace landed;

namespace {

using Rational = boost::multiprecision::cpp_rational;
using BigInt = boost::multiprecision::cpp_int;

Rational exact(const Decimal& d) {
  BigInt den = 1;
  for (int i = 0; i < d.scale(); ++i) den *= 10;
  return Rational(BigInt(d.mantissa()), den);
}

BigInt pow10_big(int n) {
  BigInt p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// x rounded to an integer by `mode`.
BigInt round_int(const Rational& x, Rounding mode) {
  const BigInt n = boost::multiprecision::numerator(x), d = boost::multiprecision::denominator(x);  // d > 0
  const BigInt q = n / d, r = n % d;  // toward zero
  if (r == 0) return q;
  const BigInt away = q + (n < 0 ? -1 : 1);
  const BigInt twice = 2 * (r < 0 ? BigInt(-r) : r);
  switch (mode) {
    case Rounding::Down: return q;
    case Rounding::Up: return away;
    case Rounding::HalfUp: return twice >= d ? away : q;
    case Rounding::HalfDown: return twice > d ? away : q;
    case Rounding::HalfEven: return twice > d ? away : (twice < d ? q : (q % 2 == 0 ? q : away));
  }
  return q;
}

// x in minor units of a currency with `digits` digits.
BigInt minor(const Rational& x, int digits, Rounding mode) { return round_int(x * pow10_big(digits), mode); }

BigInt minor_of(const Money& m) { return BigInt(m.minor_units()); }

// x rounded half-even to `sig` significant digits (x > 0).
Rational round_significant(const Rational& x, int sig) {
  int e = 0;  // 10^e <= x < 10^(e+1)
  while (x >= Rational(pow10_big(e + 1))) ++e;
  while (x < Rational(pow10_big(0)) / Rational(pow10_big(-e < 0 ? 0 : -e))) --e;
  const int shift = sig - 1 - e;  // digits after the point to keep
  const Rational scale = shift >= 0 ? Rational(pow10_big(shift)) : Rational(1, pow10_big(-shift));
  return Rational(round_int(x * scale, Rounding::HalfEven)) / scale;
}

// The markup of a pair, as README documents it: an override scores 2 for naming `to` and 1 for
// naming `from` (a side it names must match); the highest score wins, the default if none matches.
Decimal oracle_markup(const Merchant& m, Currency from, Currency to) {
  int best = 0;
  Decimal markup = m.fx_markup;
  for (const auto& o : m.fx_markups) {
    if ((o.from && *o.from != from) || (o.to && *o.to != to)) continue;
    const int score = (o.to ? 2 : 0) + (o.from ? 1 : 0);
    if (score > best) best = score, markup = o.markup;
  }
  return markup;
}

// The applied FX rate from the table's own per-EUR figures: the cross rate shown to 10
// significant digits, times (1 + the pair's markup).
Rational oracle_rate(const RateTable& t, Currency from, Currency to, const Merchant& merchant) {
  if (from == to) return 1;
  const Decimal markup = oracle_markup(merchant, from, to);
  const Rational mid = round_significant(exact(t.per_eur().at(std::string(to.code()))) /
                                             exact(t.per_eur().at(std::string(from.code()))),
                                         10);
  return mid * (1 + exact(markup));
}

std::shared_ptr<const Snapshot> snapshot(LineRounding policy) {
  const auto base = test::shipped_snapshot();
  auto rates = RateTable::parse_ecb_xml(test::read_text(test::fixtures() / "rates-with-3-decimal-currencies.xml"), "TEST");
  REQUIRE(rates.ok());
  std::vector<RateTable> tables;
  tables.push_back(std::move(rates).value());
  auto rules = std::make_shared<RuleSet>(*base->rules);
  Merchant& demo = rules->merchants.at("demo");
  demo.line_rounding = policy;
  // Overrides at every level of precedence, over the currencies the carts use; and cash rounding
  // in CHF (as shipped: 0.05 half up) and in HUF (whole forints, to a 2-digit Money).
  const auto c = [](const char* code) { return *Currency::of(code); };
  demo.fx_markups = {{c("USD"), c("KWD"), *Decimal::parse("0.03"), "s", ""},
                     {std::nullopt, c("KWD"), *Decimal::parse("0.0275"), "s", ""},
                     {std::nullopt, c("JPY"), *Decimal::parse("0.025"), "s", ""},
                     {c("GBP"), std::nullopt, *Decimal::parse("0.01"), "s", ""},
                     {c("CNY"), c("CHF"), *Decimal::parse("0.04"), "s", ""}};
  demo.cash_rounding = CashRounding{{c("CHF"), c("HUF")}, Rounding::HalfUp, "s", ""};
  return std::make_shared<const Snapshot>(
      Snapshot{rules, std::make_shared<const RateHistory>(*RateHistory::of(std::move(tables))), base->l10n});
}

void run(LineRounding policy, std::uint64_t seed) {
  const auto snap = snapshot(policy);
  const Merchant& merchant = snap->rules->merchants.at("demo");
  const char* destinations[] = {"HR", "IT", "DE", "FR", "EE", "FI", "RO", "HU", "GB", "NO", "CH", "SE", "PL", "IE"};
  const char* presentment[] = {"EUR", "JPY", "KWD", "BHD", "JOD", "GBP", "USD", "HUF", "ISK", "KRW", "CHF", "IDR", "ILS"};
  const char* item_currencies[] = {"USD", "EUR", "JPY", "KWD", "GBP", "CNY"};
  const char* locales[] = {"hr-HR", "fa-IR", "he-IL", "zh-Hans-CN", "it-IT", "en-US", "ar-EG", "ja-JP"};
  std::mt19937_64 rng(seed);
  const auto pick = [&](const auto& list) { return list[rng() % std::size(list)]; };
  int priced = 0, refused_category = 0, refused_unit = 0, cash_rounded = 0;
  for (int n = 0; n < 1500; ++n) {
    QuoteRequest r;
    r.locale = pick(locales);
    r.ship_to.country = pick(destinations);
    // A domestic sale: this tests the arithmetic of conversion, rounding and tax, which low-value
    // regimes (tax_test, engine_tax_test) would only add waivers to.
    r.ship_from = r.ship_to.country;
    r.currency = *Currency::of(pick(presentment));
    r.incoterm = rng() % 3 == 0 ? "DAP" : "DDP";
    const std::size_t items = 1 + rng() % (n % 50 == 0 ? 500 : 8);
    for (std::size_t i = 0; i < items; ++i) {
      Item it;
      it.index = i;
      it.sku = "SKU-" + std::to_string(i);
      it.quantity = 1 + std::int64_t(rng() % (rng() % 10 == 0 ? 100000 : 5));
      it.price_currency = *Currency::of(pick(item_currencies));
      // Up to 12 integer digits and 6 fraction digits, biased to everyday prices; under unit
      // rounding mostly whole minor units, as such a merchant prints them.
      const int frac = policy == LineRounding::unit && rng() % 8 != 0 ? int(rng() % (it.price_currency.digits() + 1))
                                                                      : int(rng() % 7);
      const std::int64_t whole = rng() % 20 == 0 ? std::int64_t(rng() % 999999999999ULL) : std::int64_t(rng() % 2000);
      it.unit_price = Decimal(Decimal::Int(whole) * pow10(frac) + Decimal::Int(rng() % 1000000) % pow10(frac), frac);
      it.tax_category = rng() % 4 == 0 ? "reduced" : "standard";
      r.items.push_back(it);
    }
    if (rng() % 2) r.shipping_price = Money::of(Decimal(std::int64_t(rng() % 10000), 2), *Currency::of("USD"), Rounding::Down);
    QuoteContext ctx;
    ctx.now = *Timestamp::parse("2026-11-23T12:00:00Z");
    ctx.stale_rates = StaleRatesMode::warn;  // the shipped rates are old by then; pricing is tested here
    ctx.quote_id = "q_prop";

    // The oracle's view of every line, before the engine's answer is looked at.
    const RateTable& table = *snap->rates->in_force(ctx.now);
    const Currency cur = *r.currency;
    const int digits = cur.digits();
    std::vector<BigInt> subtotal(items);
    bool unit_refusal = false;
    for (std::size_t i = 0; i < items; ++i) {
      const Item& it = r.items[i];
      const Rational rate = oracle_rate(table, it.price_currency, cur, merchant);
      if (policy == LineRounding::line) {
        subtotal[i] = minor(exact(it.unit_price) * it.quantity * rate, digits, merchant.fx_rounding);
      } else {
        const bool whole_minor = exact(it.unit_price) * pow10_big(it.price_currency.digits()) ==
                                 Rational(round_int(exact(it.unit_price) * pow10_big(it.price_currency.digits()), Rounding::Down));
        const BigInt unit = minor(exact(it.unit_price) * rate, digits, merchant.fx_rounding);
        if (!whole_minor || (unit == 0 && !it.unit_price.is_zero())) unit_refusal = true;
        subtotal[i] = unit * it.quantity;
      }
    }

    const auto q = price(r, *snap, ctx);
    if (!q.ok()) {
      bool category = false, unit = false;
      for (const auto& e : q.errors()) {
        if (e.pointer.find("/tax_category") != std::string::npos) category = true;
        else if (e.pointer.find("/unit_price/amount") != std::string::npos) unit = true;
        else FAIL("unexpected refusal: " << e.pointer << " " << e.message);
      }
      REQUIRE(unit == unit_refusal);
      refused_category += category;
      refused_unit += unit;
      continue;
    }
    REQUIRE_FALSE(unit_refusal);
    ++priced;
    REQUIRE(q->line_rounding == policy);
    for (const auto& fx : q->fx)
      REQUIRE(exact(fx.rate.rate) == oracle_rate(table, fx.rate.from, fx.rate.to, merchant));

    const Jurisdiction& vat = snap->rules->tax.at(r.ship_to.country);
    const TaxDef& tax = vat.taxes.at(0);
    const Date day = q->local_date;
    BigInt items_sum = 0, line_tax = 0, line_totals = 0;
    std::set<std::string> categories;
    for (std::size_t i = 0; i < items; ++i) {
      const QuoteLine& l = q->lines[i];
      REQUIRE(minor_of(l.subtotal) == subtotal[i]);
      const TaxRate* rate = tax.rate(r.items[i].tax_category, day);
      REQUIRE(rate);
      categories.insert(r.items[i].tax_category);
      if (vat.level == RoundingLevel::line)
        REQUIRE(minor_of(l.tax) == round_int(Rational(subtotal[i]) * exact(rate->rate), vat.rounding));
      items_sum += minor_of(l.subtotal);
      line_tax += minor_of(l.tax);
      line_totals += minor_of(l.total);
    }
    // Without a shipping price the merchant's first service applies.
    const Money ship = r.shipping_price ? *r.shipping_price : merchant.shipping.front().price;
    const BigInt shipping =
        minor(exact(ship.amount()) * oracle_rate(table, ship.currency(), cur, merchant), digits, merchant.fx_rounding);
    REQUIRE(minor_of(q->shipping.price) == shipping);
    if (categories.size() == 1) {
      // One rate: shipping tax is shipping × rate, rounded once, however many lines share it.
      const TaxRate* rate = tax.rate(*categories.begin(), day);
      REQUIRE(minor_of(q->shipping.tax) == round_int(Rational(shipping) * exact(rate->rate), vat.rounding));
    }
    // Every tax row recomputes from its own base, or from the parts it lists.
    BigInt tax_rows = 0;
    for (const auto& tx : q->taxes) {
      tax_rows += minor_of(tx.amount);
      if (tx.parts.empty()) {
        REQUIRE(tx.rounding_level == "total");
        REQUIRE(minor_of(tx.amount) == round_int(Rational(minor_of(tx.base)) * exact(tx.rate), vat.rounding));
        continue;
      }
      REQUIRE(tx.rounding_level == "line");
      BigInt parts = 0, bases = 0;
      for (const auto& p : tx.parts) {
        REQUIRE(minor_of(p.amount) == round_int(Rational(minor_of(p.base)) * exact(tx.rate), vat.rounding));
        parts += minor_of(p.amount);
        bases += minor_of(p.base);
      }
      REQUIRE(parts == minor_of(tx.amount));
      REQUIRE(bases == minor_of(tx.base));
    }
    const Totals& t = q->totals;
    REQUIRE(items_sum == minor_of(t.items));
    REQUIRE(tax_rows == minor_of(t.taxes));
    REQUIRE(line_tax + minor_of(q->shipping.tax) == minor_of(t.taxes));
    REQUIRE(line_totals == items_sum + line_tax);
    REQUIRE(t.duties.is_zero());
    REQUIRE(t.fees.is_zero());
    // A domestic sale's tax is the seller's, collected at checkout under DDP and DAP alike.
    const BigInt at_checkout = minor_of(t.items) + minor_of(t.shipping) + minor_of(t.fees) + minor_of(t.duties) + minor_of(t.taxes);
    // Cash rounding, once, on the checkout total: CHF to 5 Rappen, HUF to whole forints (100
    // minor units), half up; no line at all in any other currency.
    const int step = cur.code() == "CHF" ? 5 : cur.code() == "HUF" ? 100 : 0;
    BigInt adjustments = 0;
    for (const auto& a : q->adjustments) adjustments += minor_of(a.amount);
    REQUIRE(adjustments == minor_of(t.adjustments));
    if (step == 0) {
      REQUIRE(q->adjustments.empty());
      REQUIRE(minor_of(t.total) == at_checkout);
    } else {
      REQUIRE(q->adjustments.size() == 1);
      const BigInt rounded = round_int(Rational(at_checkout, step), Rounding::HalfUp) * step;
      REQUIRE(minor_of(t.total) == rounded);
      REQUIRE(adjustments == rounded - at_checkout);
      ++cash_rounded;
    }
    REQUIRE(t.due_on_delivery.is_zero());
    REQUIRE(t.total.amount().scale() == digits);
    REQUIRE_FALSE(q->display.total.empty());
  }
  CHECK(priced > 900);
  CHECK(cash_rounded > 50);
  WARN("property (" << to_string(policy) << "): " << priced << " carts priced, " << refused_category
                    << " refused for a missing reduced rate, " << refused_unit << " for unit prices finer than the minor unit, " << cash_rounded << " cash-rounded");
}

}  // namespace

TEST_CASE("Line rounding: every figure matches an exact rational oracle over generated carts") {
  run(LineRounding::line, 20261123);
}

TEST_CASE("Unit rounding: every figure matches an exact rational oracle over generated carts") {
  run(LineRounding::unit, 20261201);
}
