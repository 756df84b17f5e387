#include <catch2/catch.hpp>

#include "fx/rate_history.h"
#include "support.h"

using landed::Currency;
using landed::Decimal;
using landed::RateTable;

namespace {

const char* ecb_xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <Cube>
    <Cube time='2026-04-13'>
      <Cube currency='USD' rate='1.1684'/>
      <Cube currency='JPY' rate='186.75'/>
      <Cube currency='IDR' rate='20082.05'/>
    </Cube>
  </Cube>
</gesmes:Envelope>)";

Currency c(const char* code) { return *Currency::of(code); }
Decimal d(const char* s) { return *Decimal::parse(s); }
// The test table re-dated to `day`.
RateTable day(const char* as_of) {
  std::string x = ecb_xml;
  x.replace(x.find("2026-04-13"), 10, as_of);
  return *RateTable::parse_ecb_xml(x, "ECB");
}

}  // namespace

TEST_CASE("RateTable reads ECB eurofxref XML with its date and rates as exact decimals") {
  const auto t = RateTable::parse_ecb_xml(ecb_xml, "ECB");
  REQUIRE(t.ok());
  CHECK(t->as_of().to_string() == "2026-04-13");
  CHECK(t->per_eur().at("USD").to_string() == "1.1684");
  CHECK(t->has("EUR"));
  CHECK_FALSE(t->has("GBP"));
  CHECK(t->version().rfind("sha256:", 0) == 0);
}

TEST_CASE("RateTable reads the shared ECB daily file as published") {
  LANDED_SKIP_WITHOUT_SHARED_DATA();
  const auto t = RateTable::parse_ecb_xml(landed::test::read_text(landed::test::shared_data() / "fx/xpt-nl_eurofxref-daily.xml"), "ECB");
  REQUIRE(t.ok());
  CHECK(t->as_of().to_string() == "2025-05-09");
  CHECK(t->per_eur().at("USD").to_string() == "1.1252");
  CHECK(t->per_eur().at("GBP").to_string() == "0.84770");
  CHECK(t->per_eur().size() > 25);
}

TEST_CASE("RateTable crosses through EUR and applies the markup to the mid it shows") {
  const auto t = *RateTable::parse_ecb_xml(ecb_xml, "ECB");
  const auto usd_eur = t.rate(c("USD"), c("EUR"), d("0.02"));
  REQUIRE(usd_eur.ok());
  CHECK(usd_eur->mid.to_string() == "0.855871277");      // 1 / 1.1684, 10 significant digits
  CHECK(usd_eur->rate.to_string() == "0.87298870254");   // exactly the shown mid × 1.02
  const auto usd_jpy = t.rate(c("USD"), c("JPY"), d("0"));
  CHECK(usd_jpy->rate.to_string() == "159.833961");      // 186.75 / 1.1684 = 159.83396097…
  const auto idr_usd = t.rate(c("IDR"), c("USD"), d("0"));
  CHECK(idr_usd->rate.to_string() == "0.00005818131117");  // 10 significant digits survive tiny rates
  const auto same = t.rate(c("USD"), c("USD"), d("0.02"));
  CHECK(same->rate.to_string() == "1");
  CHECK(same->markup.is_zero());
}

TEST_CASE("RateTable refuses a currency it has no rate for") {
  const auto t = *RateTable::parse_ecb_xml(ecb_xml, "ECB");
  const auto r = t.rate(c("GBP"), c("EUR"), d("0"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("GBP") != std::string::npos);
}

TEST_CASE("RateTable refuses malformed or non-ECB XML with a message") {
  CHECK_FALSE(RateTable::parse_ecb_xml("<not xml", "ECB").ok());
  CHECK_FALSE(RateTable::parse_ecb_xml("<a/>", "ECB").ok());
  CHECK_FALSE(RateTable::parse_ecb_xml(R"(<gesmes:Envelope xmlns:gesmes="x"><Cube></Cube></gesmes:Envelope>)", "ECB").ok());
  const std::string bad_rate = std::string(ecb_xml).replace(std::string(ecb_xml).find("1.1684"), 6, "1,1684");
  const auto r = RateTable::parse_ecb_xml(bad_rate, "ECB");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("USD") != std::string::npos);
  const std::string negative = std::string(ecb_xml).replace(std::string(ecb_xml).find("1.1684"), 6, "-1.168");
  CHECK_FALSE(RateTable::parse_ecb_xml(negative, "ECB").ok());
  const std::string bad_code = std::string(ecb_xml).replace(std::string(ecb_xml).find("'USD'"), 5, "'XYZ'");
  CHECK_FALSE(RateTable::parse_ecb_xml(bad_code, "ECB").ok());
}

TEST_CASE("RateHistory prices a day with the newest table published on or before it") {
  std::vector<RateTable> tables;
  tables.push_back(day("2025-07-01"));
  tables.push_back(day("2025-06-30"));
  tables.push_back(day("2026-04-13"));
  const auto h = landed::RateHistory::of(std::move(tables));
  REQUIRE(h.ok());
  CHECK(h->size() == 3);
  CHECK(h->latest().as_of().to_string() == "2026-04-13");
  CHECK(h->at(*landed::Date::parse("2025-06-30"))->as_of().to_string() == "2025-06-30");
  CHECK(h->at(*landed::Date::parse("2025-12-24"))->as_of().to_string() == "2025-07-01");
  CHECK(h->at(*landed::Date::parse("2030-01-01"))->as_of().to_string() == "2026-04-13");
  CHECK(h->at(*landed::Date::parse("2025-06-29")) == nullptr);
  std::vector<RateTable> twice;
  twice.push_back(day("2025-06-30"));
  twice.push_back(day("2025-06-30"));
  CHECK_FALSE(landed::RateHistory::of(std::move(twice)).ok());
  CHECK_FALSE(landed::RateHistory::of({}).ok());
}

// Shown rate = shown mid × (1 + markup), exactly, for every pair of a real ECB day: a finance
// user recomputing the rate from the quote gets it to the last digit. (Before, the applied rate
// was rounded from the unrounded mid, and 213 of the 870 pairs differed in the last digit.)
TEST_CASE("RateTable shows a rate that is exactly its shown mid times one plus markup for every ECB pair") {
  const auto t = RateTable::parse_ecb_xml(landed::test::read_text(landed::test::home() / "rates/eurofxref-2026-04-13.xml"), "ECB");
  REQUIRE(t.ok());
  std::size_t pairs = 0;
  for (const char* markup : {"0", "0.02", "0.0125", "0.00000001"}) {
    for (const auto& [from, a] : t->per_eur())
      for (const auto& [to, b] : t->per_eur()) {
        if (from == to) continue;
        const auto r = t->rate(c(from.c_str()), c(to.c_str()), d(markup));
        REQUIRE(r.ok());
        CHECK(r->mid.round_significant(10, landed::Rounding::HalfEven) == r->mid);  // at most 10 significant digits
        CHECK(r->rate == r->mid * (landed::Decimal::from_int(1) + d(markup)));
        // The mid is the cross rate rounded to 10 significant digits.
        const auto exact_to = landed::Decimal::divide(b, a, 28, landed::Rounding::HalfEven);
        CHECK(r->mid == exact_to.round_significant(10, landed::Rounding::HalfEven));
        ++pairs;
      }
  }
  CHECK(pairs == 4 * 870);
}

// ECB publishes around 16:00 CET; Landed takes 16:00 Frankfurt time (CEST in summer) as the
// moment a day's table comes into force, so a quote earlier that day keeps the previous rates
// and pricing the same cart later that day does not change its past.
TEST_CASE("RateHistory puts a day's ECB table in force at 16:00 Frankfurt time") {
  std::vector<RateTable> tables;
  tables.push_back(day("2025-06-30"));  // Monday
  tables.push_back(day("2025-07-01"));  // Tuesday
  tables.push_back(day("2025-12-01"));  // Monday, winter time
  const auto h = landed::RateHistory::of(std::move(tables));
  REQUIRE(h.ok());
  const auto at = [&](const char* t) { return h->in_force(*landed::Timestamp::parse(t))->as_of().to_string(); };
  CHECK(at("2025-07-01T06:00:00Z") == "2025-06-30");  // 08:00 CEST
  CHECK(at("2025-07-01T13:59:59Z") == "2025-06-30");  // 15:59:59 CEST
  CHECK(at("2025-07-01T14:00:00Z") == "2025-07-01");  // 16:00 CEST
  CHECK(at("2025-07-02T09:00:00Z") == "2025-07-01");
  CHECK(at("2025-12-01T14:30:00Z") == "2025-07-01");  // 15:30 CET
  CHECK(at("2025-12-01T15:00:00Z") == "2025-12-01");  // 16:00 CET
  CHECK(h->in_force(*landed::Timestamp::parse("2025-06-30T13:00:00Z")) == nullptr);  // nothing published yet
  CHECK(landed::RateHistory::publication_day(*landed::Timestamp::parse("2025-07-01T00:30:00Z")).to_string() == "2025-06-30");
}
