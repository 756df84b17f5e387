// Duties in whole quotes on the shipped rules: a T-shirt from China to every territory of issue
// #10 (table), the import tax charged on value + duty, low-value reliefs and the EU's EUR 3 per
// category end to end, DDP against DAP with the lines agreeing with the totals, a destination
// without duty rules (the summary says so), and bad HS codes named by pointer.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "quote/engine.h"
#include "quote/quote_json.h"
#include "quote/request.h"
#include "snapshot.h"

using namespace landed;
using json = nlohmann::json;

namespace {

// Two T-shirts of USD 600 each and USD 20 shipping, shipped from China (origin CN), in USD.
json tees(const std::string& country, const std::string& region, const std::string& hs, const std::string& from = "CN") {
  json c = {{"merchant", "demo"},
            {"locale", "en-US"},
            {"currency", "USD"},
            {"ship_from", {{"country", from}}},
            {"ship_to", {{"country", country}}},
            {"shipping", {{"price", {{"amount", "20.00"}, {"currency", "USD"}}}}},
            {"items", json::array({{{"sku", "TEE"}, {"quantity", 2}, {"unit_price", {{"amount", "600.00"}, {"currency", "USD"}}},
                                    {"hs_code", hs}, {"origin_country", "CN"}, {"weight", {{"value", "0.2"}, {"unit", "kg"}}}}})}};
  if (!region.empty()) c["ship_to"]["region"] = region;
  return c;
}

Result<Quote> quote(const json& body, const char* when = "2026-12-02T12:00:00Z") {
  auto req = parse_request(body);
  for (const auto& e : req.ok() ? Errors{} : req.errors()) UNSCOPED_INFO(e.pointer << " " << e.message);
  REQUIRE(req.ok());
  return price(*req, *test::shipped_snapshot(), test::warn_only_at(when));
}

Quote priced(const json& body, const char* when = "2026-12-02T12:00:00Z") {
  auto q = quote(body, when);
  for (const auto& e : q.ok() ? Errors{} : q.errors()) UNSCOPED_INFO(e.pointer << " " << e.message);
  REQUIRE(q.ok());
  return *q;
}

struct Row {
  const char* country;
  const char* region;
  const char* hs;
  const char* valuation;
  const char* duty;        // totals.duties, USD
  const char* first_rule;  // duties[0].rule, or the waiver's rule when none is charged
  const char* tax_base;    // taxes[0].base: customs value + duty where the tax is an import VAT/GST
};

// Customs value: CIF 1,220.00 (goods + shipping), FOB 1,200.00. Figures from the shipped rules
// (their sources in each rule's "source"), checked by hand: e.g. EU 12 % × 1,220 = 146.40; US
// 16.5 % MFN + 7.5 % Section 301 list 4A + 12.5 % (see rules/duty/US/additional.json) on 1,200.
const Row rows[] = {
    {"HR", "", "61091000", "CIF", "146.40", "EU.tariff.6109", "1366.40"},
    {"GB", "", "610910", "CIF", "146.40", "GB.tariff.6109", "1366.40"},
    {"US", "US-NY", "6109100012", "FOB", "438.00", "US.tariff.61091000", "1220.00"},  // sales tax: no duty in its base
    {"CA", "CA-ON", "610910", "FOB", "216.00", "CA.tariff.6109", "1436.00"},
    {"AU", "", "610910", "FOB", "0.00", "AU.chafta.*", "1220.00"},                // ChAFTA: CN origin free
    {"NZ", "", "610910", "FOB", "0.00", "NZ.nz_cn_fta.*", "1220.00"},
    {"JP", "", "610910010", "CIF", "82.96", "JP.rcep_cn.610910010", "1302.96"},  // RCEP 6.8 % < MFN
    {"KR", "", "610910", "CIF", "158.60", "KR.tariff.6109", "1378.60"},
    {"CH", "", "610910", "CIF", "0.00", "CH.duty_small_amount", "1220.00"},      // CHF per 100 kg: under CHF 5
    {"NO", "", "610910", "CIF", "130.54", "NO.tariff.6109", "1350.54"},
    {"SG", "", "610910", "CIF", "0.00", "SG.tariff.6109", "1220.00"},
    {"IN", "", "610910", "CIF", "244.00", "IN.tariff.6109", "1464.00"},
    {"BR", "", "610910", "CIF", "427.00", "BR.tariff.6109", "1647.00"},
    {"IL", "", "610910", "CIF", "0.00", "IL.tariff.6109", "1220.00"},
    {"TR", "", "610910", "CIF", "146.40", "TR.tariff.6109", "1366.40"},
    {"AE", "", "610910", "CIF", "61.00", "AE.tariff.6109", "1281.00"},
};

}  // namespace

TEST_CASE("A T-shirt from China pays each territory's duty, and the import tax is on value plus duty") {
  for (const Row& r : rows) {
    INFO(r.country);
    const Quote q = priced(tees(r.country, r.region, r.hs));
    CHECK(q.customs.computed);
    CHECK(q.customs.valuation == r.valuation);
    CHECK(q.totals.duties.to_string() == r.duty);
    const std::string first = q.duties.empty() ? q.duties_waived.at(0).rule : q.duties.at(0).rule;
    CHECK(first == r.first_rule);
    REQUIRE_FALSE(q.taxes.empty());
    CHECK(q.taxes[0].base.to_string() == r.tax_base);
    CHECK(q.display.summary.find("duties and taxes included") != std::string::npos);
  }
}

TEST_CASE("China: goods from the US pay the tariff and the counter-tariff on US origin") {
  json c = tees("CN", "", "610910", "US");
  c["items"][0]["origin_country"] = "US";
  const Quote q = priced(c);
  REQUIRE(q.duties.size() == 2);
  CHECK(q.duties[0].rule == "CN.tariff.6109");
  CHECK(q.duties[1].kind == "additional");
}

TEST_CASE("The EU regulation's example end to end: a silk blouse and two wool blouses pay EUR 6") {
  json c = tees("IT", "", "62061000", "US");
  c["currency"] = "EUR";
  c["shipping"]["price"] = {{"amount", "5.00"}, {"currency", "EUR"}};
  c["items"] = json::array({{{"sku", "SILK"}, {"quantity", 1}, {"unit_price", {{"amount", "40.00"}, {"currency", "EUR"}}},
                             {"hs_code", "62061000"}, {"origin_country", "CN"}},
                            {{"sku", "WOOL"}, {"quantity", 2}, {"unit_price", {{"amount", "30.00"}, {"currency", "EUR"}}},
                             {"hs_code", "62062000"}, {"origin_country", "CN"}}});
  const Quote q = priced(c);
  REQUIRE(q.duties.size() == 2);
  CHECK(q.duties[0].measure == "flat_item_category");
  CHECK(q.duties[0].amount.to_string() == "3.00");
  CHECK(q.totals.duties.to_string() == "6.00");
  CHECK(q.customs.low_value.at(0).within);
  // IOSS (the demo merchant is registered): IVA at checkout on the goods and shipping, the flat
  // duty with them under DDP.
  CHECK(q.taxes[0].collected == "checkout");
  const json j = json::parse(to_json_text(q));
  CHECK(j["duties"][0]["per_category"] == json({{"amount", "3.00"}, {"currency", "EUR"}, {"per", "category"}}));
  // Under DAP the IOSS VAT is still collected at checkout, and the flat duty with it.
  c["incoterm"] = "DAP";
  const Quote dap = priced(c);
  CHECK(dap.duties[0].collected == "checkout");
  CHECK(dap.totals.due_on_delivery.is_zero());
  CHECK(dap.lines[1].at_checkout == dap.lines[1].total);
  c["incoterm"] = "DDP";
  // The same cart before 2026-07-01: the old relief, no duty, and the waiver says why.
  const Quote before = priced(c, "2026-06-15T12:00:00Z");
  CHECK(before.duties.empty());
  REQUIRE(before.duties_waived.size() == 1);
  CHECK(before.duties_waived[0].rule == "EU.duty_relief_150");
  CHECK(before.duties_waived[0].test->value_tested.to_string() == "100.00");
  CHECK(before.duties_waived[0].message.find("€150.00") != std::string::npos);
}

TEST_CASE("GB relieves a consignment of GBP 135 and charges duty one penny above") {
  json c = tees("GB", "", "610910", "US");
  c["currency"] = "GBP";
  c["shipping"]["price"] = {{"amount", "10.00"}, {"currency", "GBP"}};
  c["items"][0]["quantity"] = 1;
  c["items"][0]["unit_price"] = {{"amount", "135.00"}, {"currency", "GBP"}};
  const Quote at = priced(c);
  CHECK(at.duties.empty());
  CHECK(at.duties_waived.at(0).rule == "GB.duty_relief_135");
  c["items"][0]["unit_price"]["amount"] = "135.01";
  const Quote above = priced(c);
  CHECK(above.duties_waived.empty());
  CHECK(above.totals.duties.to_string() == "17.40");  // 12 % × (135.01 + 10.00) = 17.4012
}

TEST_CASE("A Swiss duty under CHF 5 is not collected, and the waiver says it tested the duty") {
  const Quote q = priced(tees("CH", "", "610910"));
  REQUIRE(q.duties_waived.size() == 1);
  CHECK(q.duties_waived[0].test->value == "duty");
  CHECK(q.duties_waived[0].message.find("the duty due") != std::string::npos);
}

TEST_CASE("DDP collects duty and import tax at checkout; DAP moves both to delivery, line by line") {
  json c = tees("KR", "", "610910");
  const Quote ddp = priced(c);
  c["incoterm"] = "DAP";
  const Quote dap = priced(c);
  CHECK(ddp.totals.duties == dap.totals.duties);
  CHECK(ddp.totals.taxes == dap.totals.taxes);
  CHECK(ddp.totals.due_on_delivery.is_zero());
  CHECK(dap.totals.total.to_string() == "1220.00");  // goods and shipping only
  CHECK(dap.totals.due_on_delivery == dap.totals.duties + dap.totals.taxes);
  CHECK(ddp.totals.total == dap.totals.total + dap.totals.due_on_delivery);
  CHECK(dap.lines[0].on_delivery == dap.lines[0].duty + dap.lines[0].tax);
  CHECK(dap.lines[0].at_checkout == dap.lines[0].subtotal);
  CHECK(dap.duties[0].collected == "delivery");
  CHECK(dap.display.summary.find("payable on delivery") != std::string::npos);
}

TEST_CASE("A destination without duty rules says duties were not calculated, never that they are included") {
  const Quote q = priced(tees("IR", "", "610910"));
  CHECK_FALSE(q.customs.computed);
  CHECK(q.duties.empty());
  CHECK(q.display.summary.find("customs duties not calculated") != std::string::npos);
  CHECK(q.display.summary.find("duties and taxes included") == std::string::npos);
  CHECK(std::any_of(q.notes.begin(), q.notes.end(), [](const QuoteNote& n) { return n.code == "duties_not_computed"; }));
  const json j = json::parse(to_json_text(q));
  CHECK(j["customs"] == json({{"computed", false}}));
}

TEST_CASE("A sale inside one customs territory pays no duty: the waiver says so") {
  json c = tees("HR", "", "610910", "DE");
  const Quote q = priced(c);
  CHECK(q.duties.empty());
  REQUIRE(q.duties_waived.size() == 1);
  CHECK(q.duties_waived[0].reason == "same_customs_territory");
  CHECK(q.totals.duties.is_zero());
}

TEST_CASE("Bad HS codes are refused with a pointer each, in one answer") {
  json c = tees("GB", "", "999999");
  c["items"].push_back(c["items"][0]);
  c["items"][1]["hs_code"] = "610910";
  c["items"].push_back(c["items"][0]);
  c["items"][2].erase("hs_code");
  const auto q = quote(c);
  REQUIRE_FALSE(q.ok());
  std::vector<std::string> pointers;
  for (const auto& e : q.errors()) pointers.push_back(e.pointer);
  CHECK(std::count(pointers.begin(), pointers.end(), "/items/0/hs_code") == 1);
  CHECK(std::count(pointers.begin(), pointers.end(), "/items/2/hs_code") == 1);
  CHECK(pointers.size() == 2);
}

// EU 2106 90 55 (glucose and maltodextrine syrups, flavoured or coloured): EUR 20.00 per 100 kg.
TEST_CASE("A duty by weight is charged on the line's weight, converted exactly, and refused without it") {
  json c = tees("HR", "", "21069055", "US");
  c["currency"] = "EUR";
  c["items"][0]["unit_price"] = {{"amount", "200.00"}, {"currency", "EUR"}};
  c["items"][0]["quantity"] = 2;
  c["items"][0]["weight"] = {{"value", "80"}, {"unit", "oz"}};  // 2.26796185 kg each, exactly
  const Quote q = priced(c);
  REQUIRE(q.duties.size() == 1);
  CHECK(q.duties[0].measure == "specific");
  CHECK(q.duties[0].specific->per == "100kg");
  CHECK(q.duties[0].amount.to_string() == "0.91");  // 20 × 4.5359237 / 100 = 0.907…
  c["items"][0].erase("weight");
  const auto missing = quote(c);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().pointer == "/items/0/weight");
}
