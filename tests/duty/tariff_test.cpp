// The duty of one line (src/duty/tariff.h): longest-prefix tariff match, codes shorter than the
// tariff, fallbacks and refusals, every measure kind with minimum and maximum, preferences
// against MFN, additional duties by origin and date. Rules are built here, table-driven.
#include <catch2/catch.hpp>

#include "duty/tariff.h"

using namespace landed;

namespace {

Decimal d(const char* s) { return *Decimal::parse(s); }
Date day(const char* s) { return *Date::parse(s); }

DutyMeasure ad_valorem(const char* rate) { return DutyMeasure{DutyMeasureKind::ad_valorem, d(rate), std::nullopt, std::nullopt, std::nullopt}; }
DutyMeasure specific(const char* amount, DutyUnit per) {
  return DutyMeasure{DutyMeasureKind::specific, std::nullopt, DutyPer{d(amount), per}, std::nullopt, std::nullopt};
}

TariffLine line(const std::string& hs, DutyMeasure m, const char* from = "2020-01-01", std::optional<const char*> to = std::nullopt) {
  TariffLine l;
  l.hs = hs;
  l.measure = std::move(m);
  l.provenance.id = "T.tariff." + hs;
  l.provenance.source = "test";
  l.provenance.effective_from = day(from);
  if (to) l.provenance.effective_to = day(*to);
  return l;
}

DutyTerritory territory() {
  DutyTerritory t;
  t.provenance.id = "EU";
  t.nomenclature = "CN";
  t.currency = *Currency::of("EUR");
  t.tariff = {line("6109", ad_valorem("0.12")), line("64041100", ad_valorem("0.169")), line("64041990", ad_valorem("0.169")),
              line("64042010", ad_valorem("0.17")), line("6404", ad_valorem("0.17")), line("9503", ad_valorem("0.047")),
              line("61102010", ad_valorem("0.12")), line("61102090", ad_valorem("0.12")),
              line("950300", ad_valorem("0")),
              line("4202", ad_valorem("0.03"), "2020-01-01", "2027-01-01"), line("4202", ad_valorem("0.02"), "2027-01-01")};
  std::sort(t.tariff.begin(), t.tariff.end(), [](const TariffLine& a, const TariffLine& b) {
    return a.hs != b.hs ? a.hs < b.hs : a.provenance.effective_from < b.provenance.effective_from;
  });
  DutyAgreement tca;
  tca.provenance.id = "eu_uk_tca";
  tca.provenance.effective_from = day("2021-01-01");
  tca.partners = {"GB"};
  TariffLine all = line("*", ad_valorem("0"), "2021-01-01");
  all.provenance.id = "EU.eu_uk_tca.*";
  tca.lines = {all};
  t.agreements.push_back(tca);
  AdditionalDuty extra;
  extra.provenance.id = "EU.test_extra";
  extra.provenance.effective_from = day("2026-01-01");
  extra.provenance.effective_to = day("2027-01-01");
  extra.origins = {"CN"};
  extra.hs = {"61"};
  extra.hs_excluded = {"610990"};
  extra.measure = ad_valorem("0.25");
  t.additional.push_back(extra);
  return t;
}

DutyLineInput input(const std::string& hs, const char* value, const std::string& origin = "", const char* on = "2026-12-01") {
  DutyLineInput in;
  in.hs_code = hs;
  in.origin = origin;
  in.base.value = d(value);
  in.base.quantity = Decimal::from_int(1);
  in.date = day(on);
  in.pointer = "/items/0";
  return in;
}

}  // namespace

TEST_CASE("An item code matches the longest tariff line that is a prefix of it") {
  const DutyTerritory t = territory();
  struct Row { const char* code; const char* hs; };
  for (const Row& row : {Row{"6109100010", "6109"}, Row{"64041100", "64041100"}, Row{"6404110099", "64041100"},
                         Row{"640420", "64042010"}, Row{"950300", "950300"}, Row{"9503000090", "950300"}}) {
    INFO(row.code);
    auto m = match_tariff_line(t.tariff, row.code, day("2026-12-01"), "/items/0/hs_code");
    REQUIRE(m.ok());
    REQUIRE(*m != nullptr);
    CHECK((*m)->hs == row.hs);
  }
}

TEST_CASE("A code shorter than lines that agree is matched") {
  const DutyTerritory t = territory();
  auto m = match_tariff_line(t.tariff, "611020", day("2026-12-01"), "/items/0/hs_code");
  REQUIRE(m.ok());
  REQUIRE(*m);
  CHECK((*m)->measure.rate == d("0.12"));
}

TEST_CASE("A code shorter than its lines is refused when the heading line it falls under differs") {
  // 640411 has one line (64041100, 16.9 %) but falls under 6404 (17 %) for any other code under it.
  auto m = match_tariff_line(territory().tariff, "640411", day("2026-12-01"), "/items/0/hs_code");
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().message.find("64041100") != std::string::npos);
}

TEST_CASE("A code shorter than lines that differ is refused and the lines are named") {
  const DutyTerritory t = territory();
  auto m = match_tariff_line(t.tariff, "640419", day("2026-12-01"), "/items/0/hs_code");
  // 640419 covers 64041990 (16.9 %) and falls under 6404 (17 %) for the rest: they differ.
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().pointer == "/items/0/hs_code");
  CHECK(m.error().message.find("64041990") != std::string::npos);
  CHECK(m.error().message.find("6404 (") != std::string::npos);
}

TEST_CASE("A code in no tariff line without a fallback is a not_found on hs_code") {
  const DutyTerritory t = territory();
  auto r = assess_line(t, input("010121", "100.00"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::not_found);
  CHECK(r.error().pointer == "/items/0/hs_code");
}

TEST_CASE("A code in no tariff line gets the territory's fallback when it has one") {
  DutyTerritory t = territory();
  TariffLine fb = line("*", ad_valorem("0.05"));
  fb.provenance.id = "EU.fallback";
  t.fallback = fb;
  auto r = assess_line(t, input("010121", "100.00"));
  REQUIRE(r.ok());
  CHECK(r->front().rule == "EU.fallback");
  CHECK(r->front().amount == d("5"));
}

TEST_CASE("A line without an HS code is refused on hs_code") {
  auto r = assess_line(territory(), input("", "100.00"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::missing_field);
  CHECK(r.error().pointer == "/items/0/hs_code");
}

TEST_CASE("A rate change applies from its effective date") {
  const DutyTerritory t = territory();
  auto before = assess_line(t, input("420221", "100.00", "", "2026-12-31"));
  auto after = assess_line(t, input("420221", "100.00", "", "2027-01-01"));
  REQUIRE(before.ok());
  REQUIRE(after.ok());
  CHECK(before->front().amount == d("3"));
  CHECK(after->front().amount == d("2"));
}

TEST_CASE("Each measure kind gives its exact amount") {
  struct Row {
    const char* name;
    DutyMeasure m;
    const char* value;
    std::int64_t quantity;
    std::optional<const char*> weight_kg;
    const char* duty;
  };
  DutyMeasure watch = ad_valorem("0.045");
  watch.minimum = DutyPer{d("0.30"), DutyUnit::item};
  watch.maximum = DutyPer{d("0.80"), DutyUnit::item};
  DutyMeasure shoes{DutyMeasureKind::compound, d("0.08"), DutyPer{d("0.90"), DutyUnit::pair}, std::nullopt, std::nullopt};
  DutyMeasure or_per_kg = ad_valorem("0.10");
  or_per_kg.minimum = DutyPer{d("2.00"), DutyUnit::kg};
  const Row rows[] = {
      {"ad valorem", ad_valorem("0.12"), "100.00", 1, std::nullopt, "12"},
      {"ad valorem on cents", ad_valorem("0.169"), "19.99", 1, std::nullopt, "3.37831"},
      {"watch at its minimum", watch, "5.00", 1, std::nullopt, "0.30"},
      {"watch between", watch, "10.00", 1, std::nullopt, "0.45"},
      {"watch at its maximum", watch, "50.00", 1, std::nullopt, "0.80"},
      {"watch bounds per item", watch, "5.00", 3, std::nullopt, "0.90"},
      {"Swiss CHF per 100 kg gross", specific("500", DutyUnit::hundred_kg), "80.00", 2, "1.5", "7.5"},
      {"per kg", specific("1.20", DutyUnit::kg), "80.00", 2, "0.250", "0.3"},
      {"per item", specific("0.40", DutyUnit::item), "80.00", 3, std::nullopt, "1.2"},
      {"per dozen", specific("1.20", DutyUnit::dozen), "80.00", 6, std::nullopt, "0.6"},
      {"compound per pair", shoes, "40.00", 2, std::nullopt, "5"},
      {"x % or per kg, whichever is higher", or_per_kg, "10.00", 1, "1", "2"},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    DutyBase b{d(row.value), Decimal::from_int(row.quantity), std::nullopt};
    if (row.weight_kg) b.weight_kg = d(*row.weight_kg);
    auto a = measure_amount(row.m, b, "/items/0");
    REQUIRE(a.ok());
    CHECK(*a == d(row.duty));
  }
}

TEST_CASE("A duty by weight without the line's weight is refused on its weight") {
  auto a = measure_amount(specific("500", DutyUnit::hundred_kg), DutyBase{d("80.00"), Decimal::from_int(1), std::nullopt}, "/items/2");
  REQUIRE_FALSE(a.ok());
  CHECK(a.error().code == ErrorCode::missing_field);
  CHECK(a.error().pointer == "/items/2/weight");
}

TEST_CASE("A free specific line needs no weight") {
  auto a = measure_amount(specific("0", DutyUnit::hundred_kg), DutyBase{d("80.00"), Decimal::from_int(1), std::nullopt}, "/items/0");
  REQUIRE(a.ok());
  CHECK(a->is_zero());
}

TEST_CASE("A duty by volume is refused rather than charged nothing") {
  auto a = measure_amount(specific("1.00", DutyUnit::litre), DutyBase{d("80.00"), Decimal::from_int(1), std::nullopt}, "/items/0");
  REQUIRE_FALSE(a.ok());
  CHECK(a.error().code == ErrorCode::unsupported);
}

TEST_CASE("A qualifying origin gets the preference and the quote names it") {
  auto r = assess_line(territory(), input("61091000", "100.00", "GB"));
  REQUIRE(r.ok());
  REQUIRE(r->size() == 1);
  CHECK(r->front().kind == "preference");
  CHECK(r->front().preference == "eu_uk_tca");
  CHECK(r->front().hs == "6109");
  CHECK(r->front().amount == d("0"));
  CHECK(r->front().mfn_amount == d("12"));
}

TEST_CASE("The same cart from a non-partner origin pays MFN") {
  auto r = assess_line(territory(), input("61091000", "100.00", "US"));
  REQUIRE(r.ok());
  CHECK(r->front().kind == "tariff");
  CHECK(r->front().amount == d("12"));
}

TEST_CASE("A preference is not claimed when it saves nothing") {
  auto r = assess_line(territory(), input("95030000", "100.00", "GB"));
  REQUIRE(r.ok());
  CHECK(r->front().kind == "tariff");
  CHECK(r->front().preference.empty());
}

TEST_CASE("A preference before its agreement is in force is not applied") {
  auto r = assess_line(territory(), input("61091000", "100.00", "GB", "2020-12-31"));
  REQUIRE(r.ok());
  CHECK(r->front().kind == "tariff");
}

TEST_CASE("An additional duty on the origin is added as its own charge while in force") {
  const DutyTerritory t = territory();
  auto in_force = assess_line(t, input("61091000", "100.00", "CN"));
  REQUIRE(in_force.ok());
  REQUIRE(in_force->size() == 2);
  CHECK(in_force->at(1).kind == "additional");
  CHECK(in_force->at(1).rule == "EU.test_extra");
  CHECK(in_force->at(1).amount == d("25"));
  auto ended = assess_line(t, input("61091000", "100.00", "CN", "2027-01-01"));
  REQUIRE(ended.ok());
  CHECK(ended->size() == 1);
}

TEST_CASE("An additional duty skips excluded codes and other origins") {
  const DutyTerritory t = territory();
  auto excluded = assess_line(t, input("6109901000", "100.00", "CN"));
  REQUIRE(excluded.ok());
  CHECK(excluded->size() == 1);
  auto other = assess_line(t, input("61091000", "100.00", "VN"));
  REQUIRE(other.ok());
  CHECK(other->size() == 1);
}

TEST_CASE("A code whose only line is out of force is refused rather than given its heading's rate") {
  DutyTerritory t = territory();
  t.tariff.push_back(line("940390", ad_valorem("0.02"), "2017-01-01", "2022-01-01"));
  t.tariff.push_back(line("9403", ad_valorem("0")));
  std::sort(t.tariff.begin(), t.tariff.end(), [](const TariffLine& a, const TariffLine& b) {
    return a.hs != b.hs ? a.hs < b.hs : a.provenance.effective_from < b.provenance.effective_from;
  });
  auto r = assess_line(t, input("9403901000", "100.00", "US"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().pointer == "/items/0/hs_code");
  CHECK(r.error().message.find("ended 2022-01-01") != std::string::npos);
  CHECK(assess_line(t, input("9403600000", "100.00", "US")).ok());
}

TEST_CASE("A code an additional duty may cover needs the origin") {
  auto r = assess_line(territory(), input("61091000", "100.00", ""));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::missing_field);
  CHECK(r.error().pointer == "/items/0/origin_country");
  // A code no additional duty names needs none.
  CHECK(assess_line(territory(), input("95030000", "100.00", "")).ok());
}

TEST_CASE("A code too short for an additional duty's prefixes is refused for an origin it names") {
  DutyTerritory t = territory();
  t.additional[0].hs = {"6109100010"};
  t.additional[0].hs_excluded = {};
  auto r = assess_line(t, input("610910", "100.00", "CN"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().pointer == "/items/0/hs_code");
  CHECK(r.error().message.find("EU.test_extra") != std::string::npos);
  // From an origin the duty does not name, the short code is enough.
  CHECK(assess_line(t, input("610910", "100.00", "VN")).ok());
  // The full code decides it.
  auto full = assess_line(t, input("6109100010", "100.00", "CN"));
  REQUIRE(full.ok());
  CHECK(full->size() == 2);
}
