// The tax stage against the shipped rules: every row of tests/tax/jurisdiction_cases.csv (a
// jurisdiction, a date, a product kind or band -> the rate of one tax, "exempt" or "none"),
// priced as a domestic sale so that no regime or business rule intervenes.
#include <catch2/catch.hpp>
#include <map>

#include "snapshot.h"
#include "tax/tax.h"

using namespace landed;

namespace {

const RuleSet& shipped() { return *test::shipped_snapshot()->rules; }

Money eur(const char* s) { return Money::of(*Decimal::parse(s), *Currency::of("EUR"), Rounding::HalfUp); }

// A merchant that prices exclusive of tax and is registered for nothing.
Merchant plain_merchant(const std::string& origin) {
  Merchant m;
  m.id = "t";
  m.origin = origin;
  m.provenance.source = "test";
  return m;
}

struct Priced {
  Result<TaxResult> result;
  Destination destination;
};

TaxInput input(const Destination& d, const std::string& from, const std::string& region, const Merchant& m,
               std::vector<TaxLine> lines, const Money& shipping, const char* date) {
  TaxInput in;
  in.rules = &shipped();
  in.destination = d;
  in.ship_from = from;
  in.region = region;
  in.merchant = &m;
  in.lines = std::move(lines);
  in.shipping = shipping;
  in.date = *Date::parse(date);
  in.convert = [](const Money& a, Currency to, const std::string&) -> Result<Decimal> {
    if (a.currency() == to) return a.amount();
    return Error{ErrorCode::unsupported, "no conversion in this test", ""};
  };
  return in;
}

TaxLine line(const std::string& category, const char* value) {
  return {category, eur(value), *Decimal::parse(value), eur("0"), "/items/0"};
}

}  // namespace

TEST_CASE("Every jurisdiction case of the table prices at its rate on its date") {
  const auto rows = test::read_csv(test::home() / "tests/tax/jurisdiction_cases.csv");
  REQUIRE(rows.size() > 200);
  REQUIRE(rows[0][0] == "jurisdiction");
  std::size_t checked = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.size() < 7) continue;
    const std::string where = "row " + std::to_string(r + 1) + ": " + row[0] + " " + row[1] + " " + row[2] + " " + row[3] + " " +
                              row[4] + " " + row[5] + " -> " + row[6] + " (" + (row.size() > 7 ? row[7] : "") + ")";
    INFO(where);
    const std::string country = row[0].substr(0, 2);
    auto resolved = resolve_destination(shipped(), country, row[1], row[2], *Date::parse(row[3]));
    REQUIRE(resolved.ok());
    Destination d = *resolved;
    if (row[0] != country) d.jurisdiction = &shipped().tax.at(row[0]);  // a territory's own file, by id
    const Destination* dest = &d;
    const Merchant m = plain_merchant(dest->jurisdiction->country);
    if (!dest->outside_vat_area()) {
      std::vector<TaxLine> probe{line(row[4], "100.00")};
      const Errors bad = check_categories(*dest->jurisdiction, row[1], probe, *Date::parse(row[3]));
      if (!bad.empty()) FAIL_CHECK(bad.front().message);
      if (!bad.empty()) continue;
    }
    const auto res = compute_taxes(input(*dest, dest->jurisdiction->country, row[1], m, {line(row[4], "100.00")}, eur("0"), row[3].c_str()));
    REQUIRE(res.ok());
    const auto charge = std::find_if(res->charges.begin(), res->charges.end(), [&](const TaxCharge& c) { return c.tax->id == row[5]; });
    const auto waived = std::find_if(res->waived.begin(), res->waived.end(), [&](const TaxWaiver& w) { return w.tax_id == row[5]; });
    if (row[6] == "none") {
      CHECK(charge == res->charges.end());
      CHECK((waived == res->waived.end() || waived->reason == "outside_vat_area"));
    } else if (row[6] == "exempt") {
      CHECK(charge == res->charges.end());
      REQUIRE(waived != res->waived.end());
      CHECK(waived->reason == "exempt");
    } else {
      REQUIRE(charge != res->charges.end());
      CHECK(charge->rate->rate == *Decimal::parse(row[6]));
      // Domestic, or (mainland France to an overseas department) an import: no regime decides.
      CHECK((charge->reason == "domestic" || (charge->reason == "import" && !charge->regime)));
    }
    ++checked;
  }
  CHECK(checked + 1 == rows.size());
}

TEST_CASE("A kind the jurisdiction does not map is taxed at its standard rate and says so") {
  const auto dest = resolve_destination(shipped(), "DE", "", "10115", *Date::parse("2026-12-01"));
  REQUIRE(dest.ok());
  const Merchant m = plain_merchant("DE");
  const auto res = compute_taxes(input(*dest, "DE", "", m, {line("cosmetics", "100.00")}, eur("0"), "2026-12-01"));
  REQUIRE(res.ok());
  REQUIRE(res->charges.size() == 1);
  CHECK(res->charges[0].rate->band == "standard");
  REQUIRE(res->charges[0].categories.size() == 1);
  CHECK(res->charges[0].categories[0].fallback);
  CHECK(res->total.to_string() == "19.00");
}

TEST_CASE("A band named as tax_category that the jurisdiction lacks is refused at the item with the bands it has") {
  const Jurisdiction& de = shipped().tax.at("DE");
  const Errors e = check_categories(de, "", {line("reduced2", "10.00")}, *Date::parse("2026-12-01"));
  REQUIRE(e.size() == 1);
  CHECK(e[0].pointer == "/items/0/tax_category");
  CHECK(e[0].message.find("standard, reduced") != std::string::npos);
}

TEST_CASE("Books are zero-rated in GB and 4 % in IT and 5 % in HR as kinds not bands") {
  const std::map<std::string, std::string> expected{{"GB", "0"}, {"IT", "0.04"}, {"HR", "0.05"}};
  for (const auto& [country, rate] : expected) {
    INFO(country);
    const auto dest = resolve_destination(shipped(), country, "", "", *Date::parse("2026-12-01"));
    REQUIRE(dest.ok());
    const Merchant m = plain_merchant(country);
    const auto res = compute_taxes(input(*dest, country, "", m, {line("books", "20.00")}, eur("0"), "2026-12-01"));
    REQUIRE(res.ok());
    REQUIRE(res->charges.size() == 1);
    CHECK(res->charges[0].rate->rate == *Decimal::parse(rate));
  }
}

TEST_CASE("A region the jurisdiction does not have is refused on /ship_to/region") {
  const auto r = resolve_destination(shipped(), "CA", "CA-XX", "", *Date::parse("2026-12-01"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().pointer == "/ship_to/region");
  CHECK(r.error().message.find("CA-QC") != std::string::npos);
}

TEST_CASE("A region is required where taxes differ by region") {
  const auto r = resolve_destination(shipped(), "US", "", "", *Date::parse("2026-12-01"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::missing_field);
  CHECK(r.error().pointer == "/ship_to/region");
}

TEST_CASE("Quebec gets GST and QST as two entries on the same base") {
  const auto dest = resolve_destination(shipped(), "CA", "CA-QC", "", *Date::parse("2026-12-01"));
  REQUIRE(dest.ok());
  const Merchant m = plain_merchant("CA");
  const auto res = compute_taxes(input(*dest, "CA", "CA-QC", m, {line("general", "100.00")}, eur("10.00"), "2026-12-01"));
  REQUIRE(res.ok());
  REQUIRE(res->charges.size() == 2);
  // Rounded per line as CA.json says: goods and shipping each on their own.
  CHECK(res->charges[0].amount.to_string() == "5.50");   // 5.00 + 0.50
  CHECK(res->charges[1].amount.to_string() == "10.98");  // 9.975 % of 100.00 = 9.975 -> 9.98, of 10.00 = 0.9975 -> 1.00
  CHECK(res->total.to_string() == "16.48");
}

TEST_CASE("Brazil's ICMS is grossed up: the tax is part of its own base") {
  const auto dest = resolve_destination(shipped(), "BR", "", "", *Date::parse("2026-12-01"));
  REQUIRE(dest.ok());
  const Merchant m = plain_merchant("BR");
  const auto res = compute_taxes(input(*dest, "BR", "", m, {line("general", "83.00")}, eur("0"), "2026-12-01"));
  REQUIRE(res.ok());
  REQUIRE(res->charges.size() == 1);
  // 83.00 x 0.17 / 0.83 = 17.00: ICMS is 17 % of (83.00 + 17.00).
  CHECK(res->charges[0].amount.to_string() == "17.00");
  CHECK(res->charges[0].tax->base == TaxBaseMethod::gross_up);
}

TEST_CASE("A postcode in a territory outside the VAT area gets no VAT and one waiver naming it") {
  const auto dest = resolve_destination(shipped(), "ES", "", "35001", *Date::parse("2026-12-01"));
  REQUIRE(dest.ok());
  REQUIRE(dest->outside_vat_area());
  const Merchant m = plain_merchant("US");
  const auto res = compute_taxes(input(*dest, "US", "", m, {line("general", "100.00")}, eur("0"), "2026-12-01"));
  REQUIRE(res.ok());
  CHECK(res->charges.empty());
  REQUIRE(res->waived.size() == 1);
  CHECK(res->waived[0].reason == "outside_vat_area");
  CHECK(res->total.is_zero());
}

TEST_CASE("Busingen takes Swiss VAT through its territory rule") {
  const auto dest = resolve_destination(shipped(), "DE", "", "78266", *Date::parse("2026-12-01"));
  REQUIRE(dest.ok());
  CHECK(dest->jurisdiction->id == "CH");
}
