// Property: for thousands of generated imports to every member country of every shipped customs
// territory (tariff lines drawn from its own tariff, random origins, ship_from, quantities, prices,
// weights in every unit, presentment currencies and incoterms), every quote either prices with
// its invariants holding, in minor units, or refuses only on an item's hs_code, weight or origin;
// every ad valorem duty is round(rate × base) half up; every duty is the sum of its lines' shares.
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "quote/engine.h"
#include "snapshot.h"

using namespace landed;

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

TEST_CASE("Generated imports to every territory keep every duty, tax and total the sum of its parts") {
  const auto snap = test::shipped_snapshot();
  const RuleSet& rules = *snap->rules;
  const Date today = *Date::parse("2026-12-02");
  const QuoteContext ctx = test::warn_only_at("2026-12-02T12:00:00Z", "q_prop");
  std::mt19937_64 rng(20261202);
  const auto pick = [&](const auto& list) -> const auto& { return list[rng() % list.size()]; };
  const std::vector<std::string> origins = {"CN", "US", "GB", "DE", "JP", "MX", "VN", "IN", "BR", "KR", "CA", "TR"};
  const std::vector<std::string> froms = {"US", "CN", "GB", "DE", "JP", "HK"};
  const std::vector<std::string> units = {"kg", "g", "lb", "oz"};
  std::vector<const DutyTerritory*> territories;
  std::map<const DutyTerritory*, std::vector<std::string>> codes, members;
  for (const auto& [id, t] : rules.duty.territories) {
    territories.push_back(&t);
    // Members Landed has tax rules for (LI is in the Swiss customs territory, without a tax file).
    for (const std::string& m : t.members)
      if (rules.tax.count(m)) members[&t].push_back(m);
    for (const TariffLine& l : t.tariff)
      if (l.provenance.in_force(today)) codes[&t].push_back(l.hs.size() >= 6 ? l.hs : l.hs + std::string(6 - l.hs.size(), '0'));
  }
  int priced = 0, refused = 0, with_duty = 0, dap = 0;
  for (int n = 0; n < 2000; ++n) {
    const DutyTerritory& t = *territories[std::size_t(n) % territories.size()];
    QuoteRequest r;
    r.locale = "en-US";
    r.ship_to.country = pick(members.at(&t));
    const auto jur = rules.tax.find(r.ship_to.country);
    if (jur != rules.tax.end() && jur->second.regions_complete) r.ship_to.region = jur->second.region_codes.front();
    r.ship_from = pick(froms);
    r.currency = *Currency::of(rng() % 2 ? "USD" : "EUR");
    r.incoterm = rng() % 2 ? "DAP" : "DDP";
    r.shipping_price = *Money::exact(Decimal(Decimal::Int(rng() % 5000), 2), *r.currency);
    const std::size_t items = 1 + rng() % 6;
    for (std::size_t i = 0; i < items; ++i) {
      Item it;
      it.index = i;
      it.sku = "SKU-" + std::to_string(i);
      it.quantity = 1 + std::int64_t(rng() % 5);
      it.price_currency = *Currency::of("USD");
      it.unit_price = Decimal(Decimal::Int(1 + rng() % (rng() % 4 == 0 ? 200000 : 15000)), 2);
      it.hs_code = pick(codes.at(&t));
      it.origin_country = pick(origins);
      it.weight = Weight{Decimal(Decimal::Int(1 + rng() % 3000), 3), pick(units)};
      r.items.push_back(it);
    }
    auto q = price(r, *snap, ctx);
    if (!q.ok()) {
      ++refused;
      for (const auto& e : q.errors()) {
        INFO(t.provenance.id << " " << r.ship_to.country << " " << e.pointer << ": " << e.message);
        CHECK((e.pointer.rfind("/items/", 0) == 0 &&
               (ends_with(e.pointer, "/hs_code") || ends_with(e.pointer, "/weight") || ends_with(e.pointer, "/origin_country"))));
      }
      continue;
    }
    ++priced;
    const Quote& x = *q;
    const Currency c = x.currency;
    INFO(t.provenance.id << " " << x.ship_to << " from " << x.ship_from << " " << x.incoterm << " quote " << n);
    CHECK(x.customs.computed);
    Money duties = Money::zero(c), line_duty = Money::zero(c), checkout = Money::zero(c), delivery = Money::zero(c);
    for (const QuoteDuty& d : x.duties) {
      duties += d.amount;
      Money parts = Money::zero(c);
      for (const auto& p : d.parts) parts += p.amount;
      CHECK(parts == d.amount);
      if (d.measure == "ad_valorem" && !d.minimum && !d.maximum)
        CHECK(d.amount == Money::of(d.base.amount() * *d.rate, c, Rounding::HalfUp));
      if (x.incoterm == "DDP") CHECK(d.collected == "checkout");
    }
    for (const QuoteLine& l : x.lines) {
      line_duty += l.duty;
      checkout += l.at_checkout;
      delivery += l.on_delivery;
      CHECK(l.total == l.at_checkout + l.on_delivery);
      CHECK(l.customs_value);
    }
    CHECK(duties == x.totals.duties);
    CHECK(line_duty == x.totals.duties);
    CHECK(checkout + x.shipping.at_checkout + x.totals.fees + x.totals.adjustments == x.totals.total);
    CHECK(delivery + x.shipping.on_delivery == x.totals.due_on_delivery);
    CHECK(x.totals.total + x.totals.due_on_delivery ==
          x.totals.items + x.totals.shipping + x.totals.duties + x.totals.taxes + x.totals.fees + x.totals.adjustments);
    with_duty += !x.totals.duties.is_zero();
    dap += x.incoterm == "DAP" && !x.totals.due_on_delivery.is_zero();
  }
  WARN("imports: " << priced << " priced (" << with_duty << " with duty, " << dap << " with something due on delivery), "
                   << refused << " refused on an item's code, weight or origin");
  // Most generated carts are priceable: the property is about them, not about the refusals.
  CHECK(priced > 1000);
  CHECK(with_duty > 500);
  CHECK(dap > 200);
}
