#include "fx/rate_document.h"

#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "core/limits.h"
#include "support.h"

using landed::BaseRateTable;
using landed::Decimal;
using landed::RateFormat;
using landed::RateTable;
namespace refusal = landed::rate_refusal;

namespace {

const char* three_days = R"(<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <Cube>
    <Cube time="2026-04-13"><Cube currency="USD" rate="1.1684"/><Cube currency="JPY" rate="186.75"/></Cube>
    <Cube time="2026-04-10"><Cube currency="USD" rate="1.1711"/><Cube currency="JPY" rate="186.43"/></Cube>
    <Cube time="2026-04-09"><Cube currency="USD" rate="1.1690"/><Cube currency="JPY" rate="186.10"/></Cube>
  </Cube>
</gesmes:Envelope>)";

std::string one_day(const std::string& cubes, const std::string& time = "2026-04-13") {
  return "<gesmes:Envelope xmlns:gesmes='http://www.gesmes.org/xml/2002-08-01'><Cube><Cube time='" + time + "'>" + cubes +
         "</Cube></Cube></gesmes:Envelope>";
}

Decimal d(const char* s) { return *Decimal::parse(s); }

std::string malformed_message(std::string_view text, RateFormat format) {
  const auto doc = landed::read_rate_document(text, format, "TEST");
  return doc.ok() ? std::string() : doc.error().message;
}

}  // namespace

// --- ECB XML, many days ------------------------------------------------------------------------

TEST_CASE("parse_ecb_xml_days returns every day oldest first") {
  const auto days = landed::parse_ecb_xml_days(three_days, "ECB");
  REQUIRE(days.ok());
  REQUIRE(days->size() == 3);
  CHECK((*days)[0].as_of().to_string() == "2026-04-09");
  CHECK((*days)[2].as_of().to_string() == "2026-04-13");
  CHECK((*days)[0].per_eur().at("USD").to_string() == "1.1690");  // exact text, scale kept
  CHECK((*days)[1].per_eur().at("JPY") == d("186.43"));
  CHECK((*days)[2].has("EUR"));
  CHECK((*days)[2].source() == "ECB");
}

TEST_CASE("RateTable::parse_ecb_xml still reads only the newest day of a many-day file") {
  const auto t = RateTable::parse_ecb_xml(three_days, "ECB");
  REQUIRE(t.ok());
  CHECK(t->as_of().to_string() == "2026-04-13");
}

TEST_CASE("A day read from a daily or a many-day file has the same version") {
  const auto many = landed::parse_ecb_xml_days(three_days, "ECB");
  const auto single = landed::parse_ecb_xml_days(one_day("<Cube currency='JPY' rate='186.75'/><Cube currency='USD' rate='1.1684'/>"), "ECB");
  REQUIRE(many.ok());
  REQUIRE(single.ok());
  CHECK(many->back().version() == single->front().version());
  CHECK(many->back().version() != (*many)[1].version());
}

TEST_CASE("read_ecb_xml refuses what is not a well-formed eurofxref document as malformed") {
  CHECK(malformed_message("", RateFormat::ecb_xml).find("empty document") != std::string::npos);
  CHECK(malformed_message(std::string(three_days).substr(0, 300), RateFormat::ecb_xml).find("not well-formed XML") != std::string::npos);
  CHECK(malformed_message("<html><body>Service moved</body></html>", RateFormat::ecb_xml).find("gesmes:Envelope") != std::string::npos);
  CHECK(malformed_message(one_day("<Cube currency='USD' rate='1.1'/>", "2026-02-30"), RateFormat::ecb_xml).find("not a date") != std::string::npos);
  CHECK(malformed_message(one_day("<Cube currency='USD'/>"), RateFormat::ecb_xml).find("no currency or no rate") != std::string::npos);
  CHECK(malformed_message(one_day(""), RateFormat::ecb_xml).find("no rates on 2026-04-13") != std::string::npos);
  CHECK(malformed_message(one_day("<Cube currency='USD' rate='1.1'/><Cube currency='USD' rate='1.2'/>"), RateFormat::ecb_xml)
            .find("USD is given twice") != std::string::npos);
  CHECK(malformed_message("<gesmes:Envelope><Cube></Cube></gesmes:Envelope>", RateFormat::ecb_xml).find("no dated Cube") != std::string::npos);
}

TEST_CASE("read_ecb_xml refuses two days with one date") {
  const std::string xml = "<gesmes:Envelope><Cube><Cube time='2026-04-13'><Cube currency='USD' rate='1.1'/></Cube>"
                          "<Cube time='2026-04-13'><Cube currency='USD' rate='1.2'/></Cube></Cube></gesmes:Envelope>";
  CHECK(malformed_message(xml, RateFormat::ecb_xml) == "two days dated 2026-04-13");
}

TEST_CASE("read_ecb_xml refuses a document over fx_document_bytes_max") {
  const std::string huge(landed::limits::fx_document_bytes_max + 1, ' ');
  CHECK(malformed_message(huge, RateFormat::ecb_xml).find("fx_document_bytes_max") != std::string::npos);
}

TEST_CASE("tables_of names unknown currencies and bad rates") {
  const auto doc = landed::read_ecb_xml(
      one_day("<Cube currency='USD' rate='1.1684'/><Cube currency='XYZ' rate='1'/><Cube currency='CYP' rate='0.58'/>"
              "<Cube currency='JPY' rate='-186'/><Cube currency='GBP' rate='0.123456789'/><Cube currency='CHF' rate='1e3'/>"
              "<Cube currency='SEK' rate='0'/><Cube currency='NOK' rate='1234567890123'/>"),
      "ECB");
  REQUIRE(doc.ok());
  const auto t = landed::tables_of(*doc);
  CHECK(t.days.empty());
  REQUIRE(t.refusals.size() == 2);
  CHECK(t.refusals[0].reason == refusal::unknown_currency);
  CHECK(t.refusals[0].currencies == std::vector<std::string>{"CYP", "XYZ"});
  CHECK(t.refusals[1].reason == refusal::bad_rate);
  CHECK(t.refusals[1].currencies == std::vector<std::string>{"CHF", "GBP", "JPY", "NOK", "SEK"});
  CHECK(t.refusals[1].message.find("JPY=\"-186\" on 2026-04-13") != std::string::npos);
}

// --- JSON provider -----------------------------------------------------------------------------

TEST_CASE("parse_provider_json reads a per-base table of decimal strings") {
  const auto t = landed::parse_provider_json(
      R"({"base": "USD", "date": "2026-11-30", "rates": {"KWD": "0.3072", "AED": "3.6725", "EUR": "0.9213"}, "disclaimer": "x"})",
      "PROVIDER");
  REQUIRE(t.ok());
  CHECK(t->base().code() == "USD");
  CHECK(t->as_of().to_string() == "2026-11-30");
  CHECK(t->source() == "PROVIDER");
  CHECK(t->per_base().at("KWD").to_string() == "0.3072");
  CHECK(t->per_base().at("USD") == d("1"));  // the base is in the table at 1
  CHECK(t->per_base().size() == 4);
}

TEST_CASE("parse_provider_json accepts the base listed at exactly 1 and refuses it at another value") {
  CHECK(landed::parse_provider_json(R"({"base":"USD","date":"2026-11-30","rates":{"USD":"1.000","KWD":"0.3072"}})", "P").ok());
  const auto bad = landed::parse_provider_json(R"({"base":"USD","date":"2026-11-30","rates":{"USD":"1.01"}})", "P");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.rfind("bad_rate:", 0) == 0);
}

TEST_CASE("read_provider_json refuses JSON numbers for rates") {
  const auto doc = landed::read_provider_json(R"({"base":"USD","date":"2026-11-30","rates":{"KWD":0.3072}})", "P");
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.error().pointer == "/rates/KWD");
  CHECK(doc.error().message.find("JSON number") != std::string::npos);
}

TEST_CASE("read_provider_json refuses a malformed or incomplete document") {
  const auto json = RateFormat::provider_json;
  CHECK(malformed_message("", json).find("empty document") != std::string::npos);
  CHECK(malformed_message(R"({"base":"USD","date":"2026-11-30","rates":{"KWD":"0.30)", json).find("not JSON") != std::string::npos);
  CHECK(malformed_message("[1,2]", json) == "the document is not a JSON object");
  CHECK(malformed_message(R"({"date":"2026-11-30","rates":{"KWD":"0.3"}})", json) == "no \"base\" currency");
  CHECK(malformed_message(R"({"base":840,"date":"2026-11-30","rates":{"KWD":"0.3"}})", json).find("\"base\" must be") != std::string::npos);
  CHECK(malformed_message(R"({"base":"USD","rates":{"KWD":"0.3"}})", json) == "no \"date\"");
  CHECK(malformed_message(R"({"base":"USD","date":"30/11/2026","rates":{"KWD":"0.3"}})", json).find("\"date\" must be") != std::string::npos);
  CHECK(malformed_message(R"({"base":"USD","date":"2026-11-30"})", json) == "no \"rates\" object");
  CHECK(malformed_message(R"({"base":"USD","date":"2026-11-30","rates":[]})", json).find("must be an object") != std::string::npos);
  CHECK(malformed_message(R"({"base":"USD","date":"2026-11-30","rates":{}})", json) == "\"rates\" is empty");
  CHECK(malformed_message(R"({"base":"USD","date":"2026-11-30","rates":{"KWD":null}})", json).find("not a string") != std::string::npos);
}

TEST_CASE("read_provider_json refuses a key repeated in one object") {
  CHECK(malformed_message(R"({"base":"USD","date":"2026-11-30","rates":{"KWD":"0.30","KWD":"0.31"}})", RateFormat::provider_json)
            .find("\"KWD\" is repeated") != std::string::npos);
  CHECK(malformed_message(R"({"base":"USD","base":"EUR","date":"2026-11-30","rates":{"KWD":"0.3"}})", RateFormat::provider_json)
            .find("\"base\" is repeated") != std::string::npos);
}

TEST_CASE("read_provider_json refuses nesting deeper than json_depth_max") {
  std::string deep = R"({"base":"USD","date":"2026-11-30","rates":{"KWD":"0.3"},"x":)";
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  deep += "}";
  CHECK(malformed_message(deep, RateFormat::provider_json).find("json_depth_max") != std::string::npos);
}

TEST_CASE("parse_provider_json names an unknown base or rate currency") {
  const auto base = landed::parse_provider_json(R"({"base":"XBT","date":"2026-11-30","rates":{"KWD":"0.3"}})", "P");
  REQUIRE_FALSE(base.ok());
  CHECK(base.error().message.find("unknown_currency: not current ISO 4217 currencies: XBT") == 0);
  const auto code = landed::parse_provider_json(R"({"base":"USD","date":"2026-11-30","rates":{"kwd":"0.3"}})", "P");
  REQUIRE_FALSE(code.ok());
  CHECK(code.error().message.find("kwd") != std::string::npos);
}

// --- ECB history CSV ---------------------------------------------------------------------------

TEST_CASE("parse_ecb_history_csv reads days and skips N/A and currencies no longer current") {
  const std::string csv =
      "Date,USD,JPY,CYP,GBP,\n"
      "2026-04-13,1.1684,186.75,N/A,0.87058,\n"
      "1999-01-04,1.1789,133.73,0.58231,0.7111,\n";
  const auto h = landed::parse_ecb_history_csv(csv, "ECB");
  REQUIRE(h.ok());
  REQUIRE(h->days.size() == 2);
  CHECK(h->days[0].as_of().to_string() == "1999-01-04");
  CHECK(h->days[0].per_eur().at("GBP").to_string() == "0.7111");
  CHECK_FALSE(h->days[0].has("CYP"));
  CHECK(h->days[1].per_eur().size() == 4);  // USD JPY GBP and EUR
  CHECK(h->ignored_currencies == std::vector<std::string>{"CYP"});
}

TEST_CASE("parse_ecb_history_csv reads the ECB daily CSV date format") {
  LANDED_SKIP_WITHOUT_SHARED_DATA();
  const auto h = landed::parse_ecb_history_csv(landed::test::read_text(landed::test::shared_data() / "fx/alexprengere_eurofxref.csv"), "ECB");
  REQUIRE(h.ok());
  REQUIRE(h->days.size() == 1);
  CHECK(h->days[0].as_of().to_string() == "2026-04-13");
  CHECK(h->days[0].per_eur().at("HUF").to_string() == "366.90");
}

TEST_CASE("read_ecb_history_csv refuses a malformed CSV") {
  const auto csv = RateFormat::ecb_csv;
  CHECK(malformed_message("", csv).find("empty document") != std::string::npos);
  CHECK(malformed_message("When,USD\n2026-04-13,1.1\n", csv).find("does not start with \"Date\"") != std::string::npos);
  CHECK(malformed_message("Date,usd\n2026-04-13,1.1\n", csv).find("not a currency code") != std::string::npos);
  CHECK(malformed_message("Date,USD,USD\n2026-04-13,1.1,1.2\n", csv).find("given twice") != std::string::npos);
  CHECK(malformed_message("Date,USD,JPY\n2026-04-13,1.1\n", csv).find("line 2 has 2 fields") != std::string::npos);
  CHECK(malformed_message("Date,USD\n13/04/2026,1.1\n", csv).find("not a date") != std::string::npos);
  CHECK(malformed_message("Date,USD\n2026-04-13,1.1\n2026-04-13,1.2\n", csv) == "two days dated 2026-04-13");
  CHECK(malformed_message("Date,USD\n2026-04-13,N/A\n", csv) == "no day with rates");
}

// --- the shared ECB files ----------------------------------------------------------------------

TEST_CASE("The 90-day ECB XML parses fully and every day matches the history CSV") {
  LANDED_SKIP_WITHOUT_SHARED_DATA();
  const auto xml = landed::parse_ecb_xml_days(landed::test::read_text(landed::test::shared_data() / "fx/daturaman_eurofxref-hist-90d_2017.xml"), "ECB");
  REQUIRE(xml.ok());
  REQUIRE(xml->size() == 64);
  CHECK(xml->front().as_of().to_string() == "2016-12-05");
  CHECK(xml->back().as_of().to_string() == "2017-03-03");
  const auto csv = landed::parse_ecb_history_csv(landed::test::read_text(landed::test::shared_data() / "fx/alexprengere_eurofxref-hist.csv"), "ECB");
  REQUIRE(csv.ok());
  std::map<landed::Date, const RateTable*> by_day;
  for (const auto& t : csv->days) by_day[t.as_of()] = &t;
  for (const auto& day : *xml) {
    INFO(day.as_of().to_string());
    REQUIRE(by_day.count(day.as_of()) == 1);
    const RateTable& hist = *by_day.at(day.as_of());
    CHECK(day.per_eur().size() == hist.per_eur().size());
    for (const auto& [code, rate] : day.per_eur()) {
      INFO(code);
      REQUIRE(hist.has(code));
      CHECK(hist.per_eur().at(code) == rate);  // by value: the CSV drops trailing zeros
    }
  }
}

TEST_CASE("The full ECB history CSV parses and a sample of days has the published rates") {
  LANDED_SKIP_WITHOUT_SHARED_DATA();
  const auto h = landed::parse_ecb_history_csv(landed::test::read_text(landed::test::shared_data() / "fx/alexprengere_eurofxref-hist.csv"), "ECB");
  REQUIRE(h.ok());
  CHECK(h->days.size() > 6900);
  CHECK(h->days.front().as_of().to_string() == "1999-01-04");
  CHECK(h->days.back().as_of().to_string() == "2026-04-13");
  for (std::size_t i = 1; i < h->days.size(); ++i) REQUIRE(h->days[i - 1].as_of() < h->days[i].as_of());
  const std::set<std::string> legacy(h->ignored_currencies.begin(), h->ignored_currencies.end());
  CHECK(legacy == std::set<std::string>{"CYP", "EEK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "TRL"});
  std::map<std::string, const RateTable*> by_day;
  for (const auto& t : h->days) by_day[t.as_of().to_string()] = &t;
  CHECK(by_day.at("1999-01-04")->per_eur().at("USD") == d("1.1789"));
  CHECK(by_day.at("1999-01-04")->per_eur().at("JPY") == d("133.73"));
  CHECK_FALSE(by_day.at("1999-01-04")->has("BGN"));  // N/A that day
  CHECK(by_day.at("2017-03-03")->per_eur().at("GBP") == d("0.86355"));
  CHECK(by_day.at("2026-04-13")->per_eur().at("IDR") == d("20082.05"));
  CHECK(by_day.count("2026-04-11") == 0);  // a Saturday: no table
}

TEST_CASE("The ECB daily XML matches its day in the history CSV") {
  LANDED_SKIP_WITHOUT_SHARED_DATA();
  const auto daily = landed::parse_ecb_xml_days(landed::test::read_text(landed::test::shared_data() / "fx/xpt-nl_eurofxref-daily.xml"), "ECB");
  REQUIRE(daily.ok());
  REQUIRE(daily->size() == 1);
  const auto h = landed::parse_ecb_history_csv(landed::test::read_text(landed::test::shared_data() / "fx/alexprengere_eurofxref-hist.csv"), "ECB");
  REQUIRE(h.ok());
  const auto it = std::find_if(h->days.begin(), h->days.end(), [&](const RateTable& t) { return t.as_of() == daily->front().as_of(); });
  REQUIRE(it != h->days.end());
  for (const auto& [code, rate] : daily->front().per_eur()) {
    INFO(code);
    CHECK(it->per_eur().at(code) == rate);
  }
}

TEST_CASE("parse_rate_format knows the CLI names") {
  CHECK(landed::parse_rate_format("ecb-xml") == RateFormat::ecb_xml);
  CHECK(landed::parse_rate_format("json") == RateFormat::provider_json);
  CHECK(landed::parse_rate_format("ecb-csv") == RateFormat::ecb_csv);
  CHECK_FALSE(landed::parse_rate_format("xml").has_value());
  CHECK(landed::to_string(RateFormat::provider_json) == "json");
}
