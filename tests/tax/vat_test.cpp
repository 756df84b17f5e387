#include <catch2/catch.hpp>

#include "tax/vat.h"

using namespace landed;

namespace {

Currency eur() { return *Currency::of("EUR"); }
Money m(const char* s) { return Money::of(*Decimal::parse(s), eur(), Rounding::Down); }

VatRate rate(const char* id, const char* category, const char* r, const char* from, const char* to = nullptr) {
  VatRate v;
  v.provenance.id = id;
  v.provenance.source = "test";
  v.provenance.effective_from = *Date::parse(from);
  if (to) v.provenance.effective_to = *Date::parse(to);
  v.category = category;
  v.rate = *Decimal::parse(r);
  return v;
}

VatSchedule estonia(RoundingLevel level) {
  VatSchedule s;
  s.country = "EE";
  s.tax_name = "KM";
  s.rounding = Rounding::HalfUp;
  s.level = level;
  s.rates = {rate("EE.std.2009", "standard", "0.20", "2009-07-01", "2024-01-01"),
             rate("EE.std.2024", "standard", "0.22", "2024-01-01", "2025-07-01"),
             rate("EE.std.2025", "standard", "0.24", "2025-07-01"),
             rate("EE.red.2025", "reduced", "0.09", "2025-01-01")};
  return s;
}

}  // namespace

TEST_CASE("VAT uses the rate in force on the quote date") {
  const auto s = estonia(RoundingLevel::line);
  const std::vector<TaxableLine> lines = {{"standard", m("100.00"), "/items/0"}};
  CHECK(compute_vat(s, lines, m("0"), *Date::parse("2025-06-30"))->total.to_string() == "22.00");
  CHECK(compute_vat(s, lines, m("0"), *Date::parse("2025-07-01"))->total.to_string() == "24.00");
  CHECK(compute_vat(s, lines, m("0"), *Date::parse("2023-12-31"))->total.to_string() == "20.00");
}

TEST_CASE("VAT per line rounds each line and shipping share, and parts sum to the total") {
  const auto s = estonia(RoundingLevel::line);
  const std::vector<TaxableLine> lines = {{"standard", m("0.10"), "/items/0"}, {"standard", m("0.10"), "/items/1"},
                                          {"reduced", m("10.05"), "/items/2"}};
  const auto r = compute_vat(s, lines, m("3.00"), *Date::parse("2026-11-23"));
  REQUIRE(r.ok());
  // 0.10 × 0.24 = 0.024 -> 0.02 each line; 10.05 × 0.09 = 0.9045 -> 0.90.
  CHECK(r->line_tax[0].to_string() == "0.02");
  CHECK(r->line_tax[2].to_string() == "0.90");
  // Shipping 3.00 split 0.03 / 0.03 / 2.94 by value; taxed once per rate: 0.06 × 0.24 = 0.0144
  // -> 0.01, and 2.94 × 0.09 = 0.2646 -> 0.26.
  CHECK(r->shipping_tax.to_string() == "0.27");
  Money sum = r->shipping_tax;
  for (const auto& t : r->line_tax) sum += t;
  CHECK(sum == r->total);
  Money charges = Money::zero(eur());
  for (const auto& c : r->charges) charges += c.amount;
  CHECK(charges == r->total);
  REQUIRE(r->charges.size() == 2);
  CHECK(r->charges[0].base.to_string() == "0.26");   // 0.20 goods + 0.06 shipping
  CHECK(r->charges[1].base.to_string() == "12.99");  // 10.05 goods + 2.94 shipping
}

TEST_CASE("VAT per total rounds once per rate and allocates back") {
  const auto s = estonia(RoundingLevel::total);
  const std::vector<TaxableLine> lines = {{"standard", m("0.10"), "/items/0"}, {"standard", m("0.10"), "/items/1"},
                                          {"standard", m("0.10"), "/items/2"}};
  const auto r = compute_vat(s, lines, m("0"), *Date::parse("2026-11-23"));
  REQUIRE(r.ok());
  // 0.30 × 0.24 = 0.072 -> 0.07 once (per line it would be 3 × 0.02 = 0.06).
  CHECK(r->total.to_string() == "0.07");
  CHECK((r->line_tax[0] + r->line_tax[1] + r->line_tax[2]).to_string() == "0.07");
}

TEST_CASE("VAT refuses a category the destination has no rate for, naming the item") {
  const auto s = estonia(RoundingLevel::line);
  const std::vector<TaxableLine> lines = {{"standard", m("1"), "/items/0"}, {"super_reduced", m("1"), "/items/1"}};
  const auto r = compute_vat(s, lines, m("0"), *Date::parse("2026-11-23"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().pointer == "/items/1/tax_category");
  // Reduced exists only from 2025-01-01.
  const std::vector<TaxableLine> reduced = {{"reduced", m("1"), "/items/0"}};
  CHECK_FALSE(compute_vat(s, reduced, m("0"), *Date::parse("2024-12-31")).ok());
}

TEST_CASE("VAT on shipping does not drift with the number of lines") {
  const auto s = estonia(RoundingLevel::line);
  std::vector<TaxableLine> lines;
  for (int i = 0; i < 500; ++i) lines.push_back({"standard", m("1.00"), "/items/" + std::to_string(i)});
  const auto r = compute_vat(s, lines, m("10.00"), *Date::parse("2026-11-23"));
  REQUIRE(r.ok());
  CHECK(r->shipping_tax.to_string() == "2.40");  // 10.00 × 0.24, not 500 rounded shares
  CHECK(r->total.to_string() == "122.40");       // 500 × 0.24 + 2.40
}
