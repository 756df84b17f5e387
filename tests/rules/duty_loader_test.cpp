// Duty rule files (rules/duty/<territory>/, issue #10): a valid territory loads with its tariff,
// preferences and additional duties; every malformed file is refused with file, line, column.
#include <catch2/catch.hpp>

#include <algorithm>

#include "rules/loader.h"
#include "fixtures.h"

using namespace landed;

namespace {

using namespace test;  // fixtures.h: merchant, vat, replace, first

const std::string territory =
    "{\n"
    "  \"concern\": \"duty_territory\", \"territory\": \"EU\", \"name\": \"EU\",\n"
    "  \"members\": [\"HR\", \"DE\"], \"currency\": \"EUR\", \"nomenclature\": \"CN 8\",\n"
    "  \"valuation\": {\"basis\": \"CIF\", \"effective_from\": \"2016-05-01\", \"source\": \"UCC art. 70-71\"},\n"
    "  \"customs_rate\": {\"source\": \"ECB\", \"effective_from\": \"2016-05-01\"},\n"
    "  \"fallback\": null, \"effective_from\": \"2016-05-01\", \"source\": \"s\"\n"
    "}\n";

const std::string tariff =
    "{\n"
    "  \"concern\": \"duty_tariff\", \"territory\": \"EU\",\n"
    "  \"lines\": [\n"
    "    {\"hs\": \"6109\", \"measure\": \"ad_valorem\", \"rate\": \"0.12\", \"description\": \"T-shirts\",\n"
    "     \"effective_from\": \"2020-01-01\", \"source\": \"s\"},\n"
    "    {\"hs\": \"91021100\", \"measure\": \"ad_valorem\", \"rate\": \"0.045\", \"description\": \"watches\",\n"
    "     \"minimum\": {\"amount\": \"0.30\", \"per\": \"item\"}, \"maximum\": {\"amount\": \"0.80\", \"per\": \"item\"},\n"
    "     \"effective_from\": \"2020-01-01\", \"source\": \"s\"}\n"
    "  ]\n"
    "}\n";

const std::string preferences =
    "{\n"
    "  \"concern\": \"duty_preferences\", \"territory\": \"EU\",\n"
    "  \"agreements\": [{\"id\": \"eu_uk_tca\", \"name\": \"TCA\", \"partners\": [\"GB\"],\n"
    "    \"effective_from\": \"2021-01-01\", \"source\": \"s\",\n"
    "    \"lines\": [{\"hs\": \"*\", \"measure\": \"ad_valorem\", \"rate\": \"0\"}]}]\n"
    "}\n";

const std::string additional =
    "{\n"
    "  \"concern\": \"duty_additional\", \"territory\": \"EU\",\n"
    "  \"measures\": [{\"id\": \"x_cn\", \"name\": \"X\", \"origins\": [\"CN\"], \"hs\": [\"61\"], \"legal\": \"Reg. X\",\n"
    "    \"measure\": \"ad_valorem\", \"rate\": \"0.25\", \"effective_from\": \"2026-01-01\", \"effective_to\": \"2027-01-01\", \"source\": \"s\"}]\n"
    "}\n";

RuleLoad load(std::vector<RuleSource> extra) {
  std::vector<RuleSource> files = {{"merchants/m1.json", merchant}, {"tax/HR.json", vat}};
  files.insert(files.end(), extra.begin(), extra.end());
  return load_rules(files);
}

RuleLoad load_eu(const std::string& t = territory, const std::string& tar = tariff, const std::string& pref = preferences,
                 const std::string& add = additional) {
  return load({{"duty/EU/territory.json", t}, {"duty/EU/tariff.json", tar}, {"duty/EU/preferences.json", pref},
               {"duty/EU/additional.json", add}});
}

}  // namespace

TEST_CASE("A valid duty territory loads with its tariff preferences and additional duties") {
  const auto l = load_eu();
  for (const auto& d : l.diagnostics) UNSCOPED_INFO(d.to_string());
  REQUIRE(l.ok());
  const DutyTerritory* t = l.rules->duty.for_country("HR");
  REQUIRE(t);
  CHECK(t->provenance.id == "EU");
  CHECK(t->valuation == "CIF");
  CHECK(t->customs_rate == "ECB");
  REQUIRE(t->tariff.size() == 2);
  CHECK(t->tariff[0].provenance.id == "EU.tariff.6109");
  REQUIRE(t->tariff[1].measure.minimum);
  CHECK(t->tariff[1].measure.minimum->amount == *Decimal::parse("0.30"));
  REQUIRE(t->agreements.size() == 1);
  CHECK(t->agreements[0].partner("GB"));
  CHECK(t->agreements[0].lines[0].provenance.id == "EU.eu_uk_tca.*");
  REQUIRE(t->additional.size() == 1);
  CHECK(t->additional[0].provenance.id == "EU.x_cn");
  CHECK(l.rules->duty.for_country("US") == nullptr);
}

TEST_CASE("A duty file whose territory is not its folder is refused") {
  const auto l = load({{"duty/GB/territory.json", territory}, {"duty/GB/tariff.json", replace(tariff, "\"EU\"", "\"GB\"")}});
  CHECK(first(l) == "duty/GB/territory.json:2:45: must equal the folder the file is in: \"GB\" (rules/duty/<territory>/)");
}

TEST_CASE("A tariff without its territory file is refused") {
  const auto l = load({{"duty/EU/tariff.json", tariff}});
  REQUIRE_FALSE(l.ok());
  CHECK(l.diagnostics.front().message.find("no territory.json") != std::string::npos);
}

TEST_CASE("An HS code with dots is refused at its line and column") {
  CHECK(first(load_eu(territory, replace(tariff, "\"6109\"", "\"6109.10\""))) ==
        "duty/EU/tariff.json:4:12: must be 4 to 10 digits with no dots or spaces (\"61091000\")");
}

TEST_CASE("A rate given as a JSON number is refused") {
  CHECK(first(load_eu(territory, replace(tariff, "\"0.12\"", "0.12"))).find("must be a decimal string") != std::string::npos);
}

TEST_CASE("A specific measure without its unit is refused") {
  const auto bad = replace(tariff, "\"measure\": \"ad_valorem\", \"rate\": \"0.12\"", "\"measure\": \"specific\", \"amount\": \"1.00\"");
  CHECK(first(load_eu(territory, bad)).find("missing required field \"per\"") != std::string::npos);
}

TEST_CASE("A specific measure with a rate is refused") {
  const auto bad = replace(tariff, "\"measure\": \"ad_valorem\", \"rate\": \"0.12\"",
                           "\"measure\": \"specific\", \"rate\": \"0.12\", \"amount\": \"1.00\", \"per\": \"kg\"");
  CHECK(first(load_eu(territory, bad)).find("use \"compound\"") != std::string::npos);
}

TEST_CASE("An unknown duty unit is refused") {
  const auto bad = replace(tariff, "\"per\": \"item\"}, \"maximum\"", "\"per\": \"box\"}, \"maximum\"");
  CHECK(first(load_eu(territory, bad)).find("must be one of") != std::string::npos);
}

TEST_CASE("A minimum above the maximum is refused") {
  CHECK(first(load_eu(territory, replace(tariff, "\"0.30\"", "\"0.90\""))).find("is above the maximum") != std::string::npos);
}

TEST_CASE("The same code twice for overlapping periods is refused") {
  const auto twice = replace(tariff, "\"hs\": \"91021100\"", "\"hs\": \"6109\"");
  CHECK(first(load_eu(territory, twice)).find("hs 6109 is listed twice for overlapping periods") != std::string::npos);
}

TEST_CASE("A rate change on one code loads with dated ids") {
  auto dated = replace(tariff, "\"effective_from\": \"2020-01-01\", \"source\": \"s\"},",
                       "\"effective_from\": \"2020-01-01\", \"effective_to\": \"2027-01-01\", \"source\": \"s\"},");
  dated = replace(dated, "\"hs\": \"91021100\"", "\"hs\": \"6109\"");
  dated = replace(dated, "\"effective_from\": \"2020-01-01\", \"source\": \"s\"}\n", "\"effective_from\": \"2027-01-01\", \"source\": \"s\"}\n");
  const auto l = load_eu(territory, dated);
  for (const auto& d : l.diagnostics) UNSCOPED_INFO(d.to_string());
  REQUIRE(l.ok());
  const auto& lines = l.rules->duty.for_country("DE")->tariff;
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].provenance.id == "EU.tariff.6109.2020-01-01");
  CHECK(lines[1].provenance.id == "EU.tariff.6109.2027-01-01");
}

TEST_CASE("A rate above ten times the value is refused") {
  CHECK(first(load_eu(territory, replace(tariff, "\"0.12\"", "\"12\""))).find("must be a fraction from 0 to 10") != std::string::npos);
}

TEST_CASE("A country in two customs territories is refused") {
  const std::string ch = replace(replace(territory, "\"EU\"", "\"CH\""), "[\"HR\", \"DE\"]", "[\"CH\", \"DE\"]");
  const auto l = load({{"duty/EU/territory.json", territory}, {"duty/EU/tariff.json", tariff}, {"duty/CH/territory.json", ch},
                       {"duty/CH/tariff.json", replace(tariff, "\"EU\"", "\"CH\"")}});
  REQUIRE_FALSE(l.ok());
  const bool named = std::any_of(l.diagnostics.begin(), l.diagnostics.end(), [](const Diagnostic& d) {
    return d.message.find("DE is already in customs territory") != std::string::npos;
  });
  CHECK(named);
}

TEST_CASE("An agreement partner that is not a country is refused") {
  CHECK(first(load_eu(territory, tariff, replace(preferences, "[\"GB\"]", "[\"UK\"]"))).find("\"UK\" is not an ISO 3166-1") !=
        std::string::npos);
}

TEST_CASE("An additional duty mixing every code with prefixes is refused") {
  CHECK(first(load_eu(territory, tariff, preferences, replace(additional, "[\"61\"]", "[\"*\", \"61\"]"))).find("list it alone") !=
        std::string::npos);
}

TEST_CASE("An additional duty without its legal instrument is refused") {
  CHECK(first(load_eu(territory, tariff, preferences, replace(additional, "\"legal\": \"Reg. X\",", "")))
            .find("missing required field \"legal\"") != std::string::npos);
}

TEST_CASE("A second tariff file for one territory is refused") {
  const auto l = load({{"duty/EU/territory.json", territory}, {"duty/EU/tariff.json", tariff}, {"duty/EU/tariff2.json", tariff}});
  CHECK(first(l).find("already has a duty_tariff file") != std::string::npos);
}
