// The duty stage (src/duty/duty.h) on a territory built here: customs value CIF vs FOB with the
// shipping spread by value, low-value reliefs at and one minor unit above their thresholds, the
// EU's flat EUR 3 per HS 6 category (the regulation's blouse example), Swiss duty per 100 kg,
// preferences, reliefs by ship_from, scheme and HS exclusion, and every refusal at once.
#include <catch2/catch.hpp>

#include "duty/duty.h"

using namespace landed;

namespace {

Decimal d(const char* s) { return *Decimal::parse(s); }
Date day(const char* s) { return *Date::parse(s); }
Currency cur(const char* c) { return *Currency::of(c); }
Money eur(const char* a) { return *Money::exact(d(a), cur("EUR")); }

DutyMeasure ad_valorem(const char* rate) { return DutyMeasure{DutyMeasureKind::ad_valorem, d(rate), std::nullopt, std::nullopt, std::nullopt}; }

TariffLine line(const std::string& hs, DutyMeasure m) {
  TariffLine l;
  l.hs = hs;
  l.measure = std::move(m);
  l.provenance.id = "T.tariff." + hs;
  l.provenance.source = "test";
  l.provenance.effective_from = day("2020-01-01");
  return l;
}

DutyRelief relief(const char* id, ReliefTreatment how, const char* threshold, const char* currency, const char* from = "2020-01-01",
                  std::optional<const char*> to = std::nullopt) {
  DutyRelief r;
  r.provenance.id = id;
  r.provenance.source = "test";
  r.provenance.effective_from = day(from);
  if (to) r.provenance.effective_to = day(*to);
  r.name = id;
  r.treatment = how;
  if (how == ReliefTreatment::flat_per_category) r.flat_amount = d("3.00");
  r.thresholds = {{{}, *Money::exact(d(threshold), cur(currency))}};
  r.rate_source = "ECB";
  return r;
}

// An EU-like territory: 12 % T-shirts (6109), 6206 blouses 6.3 % (silk 620610) and 12 % (wool
// 620620), books free; a relief <= EUR 150 before 2026-07-01 and EUR 3 per category after.
DutyTerritory eu(const char* valuation = "CIF") {
  DutyTerritory t;
  t.provenance.id = "EU";
  t.provenance.effective_from = day("2016-05-01");
  t.name = "EU customs territory";
  t.members = {"DE", "FR", "HR"};
  t.currency = cur("EUR");
  t.nomenclature = "CN";
  t.valuation = valuation;
  t.customs_rate = "ECB";
  t.tariff = {line("4901", ad_valorem("0")), line("6109", ad_valorem("0.12")), line("620610", ad_valorem("0.063")),
              line("620620", ad_valorem("0.12"))};
  DutyAgreement tca;
  tca.provenance.id = "eu_uk_tca";
  tca.provenance.effective_from = day("2021-01-01");
  tca.partners = {"GB"};
  TariffLine all = line("*", ad_valorem("0"));
  all.provenance.id = "EU.eu_uk_tca.*";
  tca.lines = {all};
  t.agreements.push_back(tca);
  t.reliefs = {relief("EU.relief", ReliefTreatment::no_duty, "150.00", "EUR", "2016-05-01", "2026-07-01"),
               relief("EU.flat", ReliefTreatment::flat_per_category, "150.00", "EUR", "2026-07-01", "2028-07-01")};
  return t;
}

// Converts at fixed test rates: 1 EUR = 1.25 USD = 0.95 CHF; exact.
Result<Decimal> convert(const Money& m, Currency to, const std::string&) {
  const auto per_eur = [](Currency c) { return c.code() == "USD" ? d("1.25") : c.code() == "CHF" ? d("0.95") : d("1"); };
  if (m.currency() == to) return m.amount();
  return Decimal::divide(m.amount() * per_eur(to), per_eur(m.currency()), 12, Rounding::HalfEven);
}

DutyItem item(const char* value, const char* hs, const char* origin = "CN", std::int64_t qty = 1) {
  return DutyItem{hs, origin, eur(value), qty, std::nullopt, "/items/0"};
}

DutyInput input(const DutyTerritory& t, std::vector<DutyItem> lines, const char* shipping = "0.00", const char* date = "2026-12-02") {
  for (std::size_t i = 0; i < lines.size(); ++i) lines[i].pointer = "/items/" + std::to_string(i);
  DutyInput in;
  in.territory = &t;
  in.ship_from = "US";
  in.ship_to = "HR";
  in.lines = std::move(lines);
  in.shipping = eur(shipping);
  in.insurance = eur("0.00");
  in.date = day(date);
  in.convert = convert;
  return in;
}

DutyResult run(const DutyInput& in) {
  auto r = compute_duties(in);
  for (const auto& e : r.ok() ? Errors{} : r.errors()) UNSCOPED_INFO(e.pointer << ": " << e.message);
  REQUIRE(r.ok());
  return *r;
}

}  // namespace

TEST_CASE("CIF spreads the shipping over the lines by value and charges duty on it; FOB does not") {
  const DutyTerritory cif = eu("CIF"), fob = eu("FOB");
  // 100 + 200 of T-shirts, 10.00 shipping: shares 3.33 and 6.67 (largest remainder).
  const auto a = run(input(cif, {item("100.00", "610910"), item("200.00", "610910")}, "10.00"));
  CHECK(a.line_freight[0].to_string() == "3.33");
  CHECK(a.line_freight[1].to_string() == "6.67");
  CHECK(a.customs_value.to_string() == "310.00");
  CHECK(a.line_duty[0].to_string() == "12.40");  // 103.33 × 0.12 = 12.3996
  CHECK(a.line_duty[1].to_string() == "24.80");  // 206.67 × 0.12 = 24.8004
  CHECK(a.duty_total.to_string() == "37.20");
  const auto b = run(input(fob, {item("100.00", "610910"), item("200.00", "610910")}, "10.00"));
  CHECK(b.customs_value.to_string() == "300.00");
  CHECK(b.duty_total.to_string() == "36.00");
  CHECK(b.line_freight[0].is_zero());
}

TEST_CASE("Each duty entry is rounded half up on its own and a line's duty is the sum of its entries") {
  const DutyTerritory t = eu("FOB");
  const auto r = run(input(t, {item("160.38", "610910"), item("160.38", "610910", "US")}));  // 0.12 × 160.38 = 19.2456
  REQUIRE(r.entries.size() == 2);
  CHECK(r.entries[0].amount.to_string() == "19.25");
  CHECK(r.line_duty[0] == r.entries[0].amount);
  CHECK(r.duty_total.to_string() == "38.50");  // each rounded, then summed (not 38.49 from 38.4912)
}

TEST_CASE("The old EU relief: no duty at exactly EUR 150 of goods, the tariff one cent above") {
  const DutyTerritory t = eu();
  const auto at = run(input(t, {item("150.00", "610910")}, "20.00", "2026-06-30"));
  CHECK(at.entries.empty());
  REQUIRE(at.waived.size() == 1);
  CHECK(at.waived[0].reason == "below_threshold");
  CHECK(at.waived[0].test->value_tested.to_string() == "150.00");  // goods only: shipping is not tested
  CHECK(at.duty_total.is_zero());
  const auto above = run(input(t, {item("150.01", "610910")}, "20.00", "2026-06-30"));
  CHECK(above.waived.empty());
  REQUIRE(above.reliefs_tested.size() == 1);
  CHECK_FALSE(above.reliefs_tested[0].within);
  CHECK(above.duty_total.to_string() == "20.40");  // (150.01 + 20.00) × 0.12 = 20.4012
}

TEST_CASE("From 2026-07-01 the EU charges EUR 3 per HS 6 category: 1 silk + 2 wool blouses are EUR 6") {
  const DutyTerritory t = eu();
  // The regulation's example: a silk blouse and two wool blouses, two subheadings, two categories.
  auto r = run(input(t, {item("40.00", "62061000"), item("30.00", "62062000", "CN", 2)}, "5.00"));
  REQUIRE(r.entries.size() == 2);
  CHECK(r.duty_total.to_string() == "6.00");
  CHECK(r.entries[0].kind == "flat_per_category");
  CHECK(r.entries[0].hs == "620610");
  REQUIRE(r.flat);
  CHECK(r.flat->within);
  // Two lines of one subheading are one category.
  r = run(input(t, {item("40.00", "610910"), item("30.00", "61091000")}));
  REQUIRE(r.entries.size() == 1);
  CHECK(r.entries[0].amount.to_string() == "3.00");
  CHECK(r.entries[0].parts[0].to_string() == "1.71");  // 3.00 × 40/70 = 1.714…
  CHECK(r.entries[0].parts[1].to_string() == "1.29");
  CHECK(r.line_duty[0].to_string() == "1.71");
  // One cent above EUR 150 the tariff applies instead.
  r = run(input(t, {item("150.01", "610910")}));
  CHECK(r.entries[0].kind == "tariff");
}

TEST_CASE("The flat EUR 3 needs every line's HS 6, and says which lines lack it, all at once") {
  const DutyTerritory t = eu();
  auto in = input(t, {item("10.00", ""), item("10.00", "6109"), item("10.00", "610910")});
  const auto r = compute_duties(in);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.errors().size() == 2);
  CHECK(r.errors()[0].pointer == "/items/0/hs_code");
  CHECK(r.errors()[0].code == ErrorCode::missing_field);
  CHECK(r.errors()[1].pointer == "/items/1/hs_code");
  CHECK(r.errors()[1].code == ErrorCode::invalid_field);
}

TEST_CASE("A flat amount in the territory's currency is converted at the customs rate") {
  const DutyTerritory t = eu();
  auto in = input(t, {item("10.00", "610910")});
  in.lines[0].value = *Money::exact(d("50.00"), cur("USD"));
  in.shipping = *Money::exact(d("0.00"), cur("USD"));
  const auto r = run(in);
  CHECK(r.currency_factor == std::optional<Decimal>(d("1.25")));
  CHECK(r.duty_total.to_string() == "3.75");
  CHECK(r.duty_total.currency().code() == "USD");
}

TEST_CASE("A preference the origin qualifies for lowers the duty; the same cart from elsewhere pays MFN") {
  const DutyTerritory t = eu("FOB");
  const auto gb = run(input(t, {item("200.00", "610910", "GB")}));
  REQUIRE(gb.entries.size() == 1);
  CHECK(gb.entries[0].kind == "preference");
  CHECK(gb.entries[0].preference == "eu_uk_tca");
  CHECK(gb.entries[0].mfn_amount->to_string() == "24.00");
  CHECK(gb.duty_total.is_zero());
  const auto cn = run(input(t, {item("200.00", "610910", "CN")}));
  CHECK(cn.duty_total.to_string() == "24.00");
}

TEST_CASE("Swiss duty by gross weight: CHF per 100 kg of the line's weight, converted") {
  DutyTerritory t = eu("CIF");
  t.provenance.id = "CH";
  t.currency = cur("CHF");
  t.reliefs.clear();
  t.tariff = {line("6109", DutyMeasure{DutyMeasureKind::specific, std::nullopt, DutyPer{d("190.00"), DutyUnit::hundred_kg}, std::nullopt,
                                       std::nullopt})};
  auto in = input(t, {item("80.00", "610910", "CN", 4)});
  in.lines[0].weight_kg = d("0.8");  // 4 × 0.2 kg
  const auto r = run(in);
  // 190 CHF × 0.008 = 1.52 CHF; CHF -> EUR at 1 / 0.95 = 1.6000 EUR.
  CHECK(r.duty_total.to_string() == "1.60");
  in.lines[0].weight_kg.reset();
  const auto missing = compute_duties(in);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().pointer == "/items/0/weight");
}

TEST_CASE("A relief threshold by ship_from: the first entry that names it, else the general one") {
  DutyTerritory t = eu("FOB");
  t.reliefs = {relief("KR.relief", ReliefTreatment::no_duty, "150.00", "USD")};
  t.reliefs[0].thresholds.insert(t.reliefs[0].thresholds.begin(), ReliefThreshold{{"US"}, *Money::exact(d("200.00"), cur("USD"))});
  // EUR 150.00 = USD 187.50: within USD 200 from the US, above USD 150 from elsewhere.
  auto in = input(t, {item("150.00", "610910")});
  CHECK(run(in).waived.size() == 1);
  in.ship_from = "CN";
  const auto cn = run(in);
  CHECK(cn.waived.empty());
  CHECK(cn.reliefs_tested[0].threshold.to_string() == "150.00");
  CHECK(cn.reliefs_tested[0].value_tested.to_string() == "187.50");
}

TEST_CASE("A relief tested on the duty itself waives a small duty and keeps a larger one") {
  DutyTerritory t = eu("FOB");
  t.reliefs = {relief("CH.small", ReliefTreatment::no_duty, "5.00", "EUR")};
  t.reliefs[0].value = ReliefValue::duty;
  t.reliefs[0].at_or_below = false;
  // 41.66 × 0.12 = 4.9992, charged 5.00: not below CHF 5, so it is collected.
  CHECK(run(input(t, {item("41.66", "610910")})).duty_total.to_string() == "5.00");
  CHECK(run(input(t, {item("41.62", "610910")})).waived.size() == 1);  // 4.9944 -> 4.99, below 5.00
  CHECK(run(input(t, {item("42.00", "610910")})).duty_total.to_string() == "5.04");
}

TEST_CASE("A relief for consumers, or for registered merchants, or with a value factor applies only so") {
  DutyTerritory t = eu("FOB");
  t.reliefs = {relief("X.relief", ReliefTreatment::no_duty, "100.00", "EUR")};
  auto in = input(t, {item("90.00", "610910")});
  t.reliefs[0].consumers_only = true;
  in.business = true;
  CHECK(run(in).waived.empty());
  in.business = false;
  CHECK(run(in).waived.size() == 1);
  t.reliefs[0].scheme = "VOEC";
  CHECK(run(in).waived.empty());  // no registration callback: not registered
  in.registered = [](const std::string& s) { return s == "VOEC"; };
  CHECK(run(in).waived.size() == 1);
  // JP: personal imports valued at 60 %: 166.66 × 0.6 = 99.996, within 100.
  t.reliefs[0].value_factor = d("0.6");
  in.lines[0].value = eur("166.66");
  CHECK(run(in).waived.size() == 1);
  in.lines[0].value = eur("166.67");
  CHECK(run(in).waived.empty());
}

TEST_CASE("Goods a relief excludes by HS code pay the tariff while the rest are relieved") {
  DutyTerritory t = eu("FOB");
  t.reliefs = {relief("JP.relief", ReliefTreatment::no_duty, "100.00", "EUR")};
  t.reliefs[0].hs_excluded = {"61"};
  const auto r = run(input(t, {item("30.00", "610910"), item("20.00", "490199")}));
  REQUIRE(r.waived.size() == 1);
  CHECK(r.waived[0].lines == std::vector<std::size_t>{1});
  CHECK(r.line_duty[0].to_string() == "3.60");
  CHECK(r.line_duty[1].is_zero());
  const auto missing = compute_duties(input(t, {item("30.00", "")}));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().pointer == "/items/0/hs_code");
}

TEST_CASE("Goods that stay inside one customs territory pay no duty and need no HS code") {
  const DutyTerritory t = eu();
  auto in = input(t, {item("500.00", "")});
  in.ship_from = "DE";
  const auto r = run(in);
  CHECK(r.computed);
  REQUIRE(r.waived.size() == 1);
  CHECK(r.waived[0].reason == "same_customs_territory");
  CHECK(r.entries.empty());
}

TEST_CASE("Without duty rules for the destination nothing is computed, except a sale that crosses no border") {
  DutyTerritory t = eu();
  auto in = input(t, {item("500.00", "")});
  in.territory = nullptr;
  in.ship_to = "IR";
  CHECK_FALSE(run(in).computed);
  in.ship_from = "IR";
  const auto home = run(in);
  CHECK(home.computed);
  CHECK(home.waived[0].reason == "same_customs_territory");
}

TEST_CASE("Every line's tariff problem is reported together") {
  const DutyTerritory t = eu();
  const auto r = compute_duties(input(t, {item("200.00", "999999"), item("10.00", "610910"), item("10.00", "")}));
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.errors().size() == 2);
  CHECK(r.errors()[0].pointer == "/items/0/hs_code");
  CHECK(r.errors()[0].code == ErrorCode::not_found);
  CHECK(r.errors()[1].pointer == "/items/2/hs_code");
}
