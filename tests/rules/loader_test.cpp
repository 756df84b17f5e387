#include <catch2/catch.hpp>
#include <regex>

#include "app/files.h"
#include "rules/loader.h"
#include "fixtures.h"
#include "support.h"

using namespace landed;

namespace {

using test::merchant;  // fixtures.h
using test::replace;

const char* vat_hr =
    "// Croatia\n"
    "{\n"
    "  \"concern\": \"tax\",\n"
    "  \"jurisdiction\": \"HR\", \"country\": \"HR\",\n"
    "  \"name\": \"Croatia\",\n"
    "  \"rounding\": {\"mode\": \"HalfUp\", \"level\": \"line\", \"source\": \"s\"},\n"
    "  \"taxes\": [{\"id\": \"HR.vat\", \"name\": \"PDV\", \"rates\": [\n"
    "    {\"id\": \"HR.std\", \"band\": \"standard\", \"rate\": \"0.25\", \"effective_from\": \"2012-03-01\", \"source\": \"s\"}\n"
    "  ]}]\n"
    "}\n";


RuleLoad load_with_vat(const std::string& vat) {
  return load_rules({{"merchants/m1.json", merchant}, {"tax/HR.json", vat}});
}

}  // namespace

TEST_CASE("The shipped rules load and cover every jurisdiction of issue 9") {
  const auto files = app::read_json_tree(test::home() / "rules");
  REQUIRE(files.ok());
  const auto load = load_rules(*files);
  for (const auto& d : load.diagnostics) UNSCOPED_INFO(d.to_string());
  REQUIRE(load.ok());
  for (const char* c : {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
                        "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "GB", "NO", "CH", "IS", "TR",
                        "IL", "AU", "NZ", "CA", "US", "JP", "KR", "SG", "CN", "IN", "BR", "MX", "AE", "SA", "ZA", "IR"})
    CHECK(load.rules->tax.count(c) == 1);
  CHECK(load.rules->default_merchant == "demo");
  CHECK(load.rules->version.rfind("sha256:", 0) == 0);
}

TEST_CASE("Every shipped tax rate and category mapping carries a source and an effective date") {
  const auto load = load_rules(*app::read_json_tree(test::home() / "rules"));
  REQUIRE(load.ok());
  for (const auto& [id, j] : load.rules->tax) {
    CHECK_FALSE(j.rounding_source.empty());
    for (const auto& t : j.taxes) {
      for (const auto& r : t.rates) {
        INFO(r.provenance.id);
        CHECK_FALSE(r.provenance.source.empty());
        CHECK(r.provenance.id.rfind(t.id + ".", 0) == 0);
      }
      for (const auto& c : t.categories) {
        INFO(c.provenance.id);
        CHECK_FALSE(c.provenance.source.empty());
      }
    }
  }
}

TEST_CASE("The shipped tax rules give DOMAIN.md's standard rates on 2026-11-23") {
  const auto load = load_rules(*app::read_json_tree(test::home() / "rules"));
  REQUIRE(load.ok());
  const std::map<std::string, std::string> standard = {
      {"AT", "0.2"},  {"BE", "0.21"}, {"BG", "0.2"},   {"HR", "0.25"}, {"CY", "0.19"}, {"CZ", "0.21"}, {"DK", "0.25"},
      {"EE", "0.24"}, {"FI", "0.255"}, {"FR", "0.2"},  {"DE", "0.19"}, {"GR", "0.24"}, {"HU", "0.27"}, {"IE", "0.23"},
      {"IT", "0.22"}, {"LV", "0.21"}, {"LT", "0.21"},  {"LU", "0.17"}, {"MT", "0.18"}, {"NL", "0.21"}, {"PL", "0.23"},
      {"PT", "0.23"}, {"RO", "0.21"}, {"SK", "0.23"},  {"SI", "0.22"}, {"ES", "0.21"}, {"SE", "0.25"}, {"GB", "0.2"},
      {"NO", "0.25"}, {"CH", "0.081"}};
  const Date day = *Date::parse("2026-11-23");
  for (const auto& [country, rate] : standard) {
    INFO(country);
    const TaxRate* r = load.rules->tax.at(country).taxes.at(0).rate("standard", day);
    REQUIRE(r);
    CHECK(r->rate == *Decimal::parse(rate));
  }
  // Dated history: Estonia 22 % until 2025-06-30, Romania 19 % until 2025-07-31.
  CHECK(load.rules->tax.at("EE").taxes.at(0).rate("standard", *Date::parse("2025-06-30"))->rate == *Decimal::parse("0.22"));
  CHECK(load.rules->tax.at("RO").taxes.at(0).rate("standard", *Date::parse("2025-07-31"))->rate == *Decimal::parse("0.19"));
  CHECK(load.rules->tax.at("CH").taxes.at(0).rate("standard", *Date::parse("2023-12-31"))->rate == *Decimal::parse("0.077"));
}

TEST_CASE("The shipped tax rules agree with the ibericode dataset's current periods") {
  LANDED_SKIP_WITHOUT_SHARED_DATA();
  const auto load = load_rules(*app::read_json_tree(test::home() / "rules"));
  REQUIRE(load.ok());
  // The dataset writes rates as JSON numbers; read their text, never a binary float.
  const std::string text = test::read_text(test::shared_data() / "vat/ibericode_vat-rates.json");
  const std::regex first_period(
      R"re("([A-Z]{2})": \[\s*\{\s*"effective_from": "[^"]*",\s*"rates": \{[^}]*"standard": ([0-9.]+))re");
  // ibericode's file dates from 2025-08-12: compare on that day (later changes are dated rules).
  const Date day = *Date::parse("2025-08-12");
  int compared = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), first_period); it != std::sregex_iterator(); ++it) {
    const std::string country = (*it)[1], percent = (*it)[2];
    const TaxRate* r = load.rules->tax.at(country).taxes.at(0).rate("standard", day);
    REQUIRE(r);
    INFO(country << " shipped " << r->rate.to_string() << " dataset " << percent << " %");
    CHECK(r->rate * Decimal::from_int(100) == *Decimal::parse(percent));
    ++compared;
  }
  CHECK(compared == 28);
}

TEST_CASE("A valid minimal set loads, with a content-hash version") {
  const auto a = load_with_vat(vat_hr);
  REQUIRE(a.ok());
  CHECK(a.rules->rule_count() == 2);
  const auto b = load_with_vat(replace(vat_hr, "// Croatia", "// Hrvatska"));
  REQUIRE(b.ok());
  CHECK(a.rules->version != b.rules->version);
  CHECK(load_with_vat(vat_hr).rules->version == a.rules->version);
}

TEST_CASE("A JSON syntax error is reported with file, line and column, and nothing loads") {
  const auto load = load_with_vat(replace(vat_hr, "\"name\": \"Croatia\",", "\"name\": \"Croatia\""));
  REQUIRE_FALSE(load.ok());
  REQUIRE(load.diagnostics.size() == 1);
  const auto& d = load.diagnostics[0];
  CHECK(d.file == "tax/HR.json");
  // nlohmann reports the last character it read: the end of the unexpected "rounding" token.
  CHECK(d.line == 6);
  CHECK(d.column == 12);
  CHECK(d.to_string().rfind("tax/HR.json:6:12: invalid JSON", 0) == 0);
}

TEST_CASE("A rate given as a number is refused at its line and column") {
  const auto load = load_with_vat(replace(vat_hr, "\"rate\": \"0.25\"", "\"rate\": 0.25"));
  REQUIRE_FALSE(load.ok());
  CHECK(load.diagnostics[0].line == 8);
  CHECK(load.diagnostics[0].column == 50);
  CHECK(load.diagnostics[0].message.find("decimal string") != std::string::npos);
}

TEST_CASE("Every kind of rule error is reported, all at once") {
  std::string bad = vat_hr;
  bad = replace(bad, "\"band\": \"standard\"", "\"band\": \"luxury\"");
  bad = replace(bad, "\"effective_from\": \"2012-03-01\"", "\"effective_from\": \"2012-02-30\"");
  bad = replace(bad, "\"name\": \"Croatia\",", "\"name\": \"Croatia\", \"taxname\": \"x\",");
  bad = replace(bad, "\"mode\": \"HalfUp\"", "\"mode\": \"Nearest\"");
  const auto load = load_with_vat(bad);
  REQUIRE_FALSE(load.ok());
  std::string all;
  for (const auto& d : load.diagnostics) all += d.to_string() + "\n";
  INFO(all);
  CHECK(load.diagnostics.size() == 4);
  CHECK(all.find("must be one of: standard") != std::string::npos);
  CHECK(all.find("must be a date") != std::string::npos);
  CHECK(all.find("unknown field \"taxname\"") != std::string::npos);
  CHECK(all.find("must be one of: HalfEven") != std::string::npos);
}

TEST_CASE("Rates out of range, overlapping periods and reversed dates are refused") {
  CHECK_FALSE(load_with_vat(replace(vat_hr, "\"0.25\"", "\"25\"")).ok());
  CHECK_FALSE(load_with_vat(replace(vat_hr, "\"0.25\"", "\"-0.25\"")).ok());
  CHECK_FALSE(load_with_vat(replace(vat_hr, "\"0.25\"", "\"0.123456789\"")).ok());
  const std::string two = replace(vat_hr, "\"source\": \"s\"}\n  ]",
                                  "\"source\": \"s\"},\n    {\"id\": \"HR.std2\", \"band\": \"standard\", \"rate\": "
                                  "\"0.23\", \"effective_from\": \"2020-01-01\", \"source\": \"s\"}\n  ]");
  const auto overlap = load_with_vat(two);
  REQUIRE_FALSE(overlap.ok());
  CHECK(overlap.diagnostics[0].message.find("overlaps") != std::string::npos);
  CHECK(overlap.diagnostics[0].line == 9);
  // Closing the first period makes the same two rates valid.
  CHECK(load_with_vat(replace(two, "\"effective_from\": \"2012-03-01\"",
                              "\"effective_from\": \"2012-03-01\", \"effective_to\": \"2020-01-01\""))
            .ok());
  CHECK_FALSE(load_with_vat(replace(vat_hr, "\"effective_from\": \"2012-03-01\"",
                                    "\"effective_from\": \"2012-03-01\", \"effective_to\": \"2012-03-01\""))
                  .ok());
}

TEST_CASE("Rule ids are unique across files and countries once per set") {
  const auto twice = load_rules({{"merchants/m1.json", merchant}, {"a/HR.json", vat_hr}, {"b/HR.json", vat_hr}});
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.diagnostics[0].file == "b/HR.json");
  CHECK(twice.diagnostics[0].message.find("already defined in a/HR.json") != std::string::npos);
  const auto same_id = load_rules({{"merchants/m1.json", merchant}, {"a/HR.json", vat_hr},
                                   {"b/SI.json", replace(replace(replace(vat_hr, "\"HR\"", "\"SI\""), "\"HR\"", "\"SI\""), "\"HR.vat\"", "\"SI.vat\"")}});
  REQUIRE_FALSE(same_id.ok());
  CHECK(same_id.diagnostics[0].message.find("already used in a/HR.json") != std::string::npos);
}

TEST_CASE("A set without merchants, with an unknown concern, or not an object does not load") {
  CHECK_FALSE(load_rules({{"tax/HR.json", vat_hr}}).ok());
  CHECK_FALSE(load_rules({{"merchants/m1.json", merchant}, {"x.json", R"({"concern": "duty"})"}}).ok());
  CHECK_FALSE(load_rules({{"merchants/m1.json", merchant}, {"x.json", "[1, 2]"}}).ok());
  CHECK_FALSE(load_rules({{"merchants/m1.json", merchant}, {"x.json", ""}}).ok());
  CHECK_FALSE(load_rules({{"merchants/m1.json", merchant}, {"x.json", std::string(100, '[')}}).ok());
  CHECK_FALSE(load_rules({{"merchants/m1.json", merchant}, {"x.json", std::string(2 << 20, ' ')}}).ok());
}

TEST_CASE("Merchant settings are validated field by field") {
  const auto bad = [](const std::string& from, const std::string& to) {
    return load_rules({{"merchants/m1.json", replace(merchant, from, to)}, {"tax/HR.json", vat_hr}});
  };
  CHECK_FALSE(bad("\"currency\": \"USD\"", "\"currency\": \"usd\"").ok());
  CHECK_FALSE(bad("\"origin\": \"US\"", "\"origin\": \"USA\"").ok());
  CHECK_FALSE(bad("\"price_basis\": \"exclusive\"", "\"price_basis\": \"gross\"").ok());
  CHECK_FALSE(bad("\"incoterm\": \"DDP\"", "\"incoterm\": \"EXW\"").ok());
  CHECK_FALSE(bad("\"markup\": \"0.02\"", "\"markup\": 0.02").ok());
  CHECK_FALSE(bad("\"default\": true", "\"default\": \"yes\"").ok());
  CHECK_FALSE(bad("\"source\": \"agreement\", \"effective_from\"", "\"effective_from\"").ok());
  const auto ship = bad("\"fx\":", "\"shipping\": [{\"service\": \"std\", \"price\": {\"amount\": \"9.001\", \"currency\": "
                                   "\"USD\"}, \"delivery\": {\"min_days\": 5, \"max_days\": 2}}], \"fx\":");
  REQUIRE_FALSE(ship.ok());
  CHECK(ship.diagnostics.size() == 2);
}

TEST_CASE("A merchant's line rounding policy defaults to line and accepts only line or unit") {
  const auto with = [](const std::string& policy) {
    return load_rules({{"merchants/m1.json", replace(merchant, "\"incoterm\": \"DDP\"", "\"incoterm\": \"DDP\", \"line_rounding\": " + policy)},
                       {"tax/HR.json", vat_hr}});
  };
  const auto plain = load_rules({{"merchants/m1.json", merchant}, {"tax/HR.json", vat_hr}});
  REQUIRE(plain.ok());
  CHECK(plain.rules->merchants.begin()->second.line_rounding == landed::LineRounding::line);
  const auto unit = with("\"unit\"");
  REQUIRE(unit.ok());
  CHECK(unit.rules->merchants.begin()->second.line_rounding == landed::LineRounding::unit);
  const auto bad = with("\"cent\"");
  REQUIRE_FALSE(bad.ok());
  REQUIRE(bad.diagnostics.size() == 1);
  CHECK(bad.diagnostics[0].pointer == "/line_rounding");
  CHECK(bad.diagnostics[0].line > 0);
  CHECK(bad.diagnostics[0].message.find("line, unit") != std::string::npos);
  CHECK_FALSE(with("1").ok());
}

TEST_CASE("A rule file with a repeated key is refused") {
  const auto load = load_with_vat(replace(vat_hr, "\"name\": \"Croatia\",", "\"name\": \"Croatia\", \"name\": \"Hrvatska\","));
  REQUIRE_FALSE(load.ok());
  CHECK(load.diagnostics[0].message.find("appears twice") != std::string::npos);
}

TEST_CASE("Errors past the listing cap still refuse the file they are in") {
  std::string noisy = R"({"concern": "tax", "jurisdiction": "aa", "country": "HR", "name": "Croatia", )";
  for (int i = 0; i < 250; ++i) noisy += "\"x" + std::to_string(i) + "\": 1, ";
  noisy += R"("rounding": {"mode": "HalfUp", "level": "line", "source": "s"}, "taxes": []})";
  const auto load = load_rules({{"merchants/m1.json", merchant}, {"aa.json", noisy},
                                {"zz.json", replace(vat_hr, "\"rates\": [", "\"rates\": \"abc\", \"r\": [")}});
  CHECK_FALSE(load.ok());
  CHECK(load.diagnostics.size() <= 200);
}

TEST_CASE("Country currency rules are dated and may not overlap") {
  const std::string cc = R"({"concern": "country_currency", "countries": [
    {"id": "BG.eur", "country": "BG", "currency": "EUR", "effective_from": "2026-01-01", "source": "s"}]})";
  const auto ok = load_rules({{"merchants/m1.json", merchant}, {"c.json", cc}, {"tax/HR.json", vat_hr}});
  REQUIRE(ok.ok());
  CHECK(ok.rules->currency_of("BG", *Date::parse("2026-01-01"))->currency.code() == "EUR");
  CHECK(ok.rules->currency_of("BG", *Date::parse("2025-12-31")) == nullptr);
  std::string twice = cc;
  twice.insert(twice.rfind("]"), R"(, {"id": "BG.eur2", "country": "BG", "currency": "EUR", "effective_from": "2027-01-01", "source": "s"})");
  CHECK_FALSE(load_rules({{"merchants/m1.json", merchant}, {"c.json", twice}, {"tax/HR.json", vat_hr}}).ok());
  CHECK_FALSE(load_rules({{"merchants/m1.json", merchant}, {"c.json", replace(cc, "\"EUR\"", "\"EURO\"")}}).ok());
}

// Issue #14: a merchant's staleness policy. Absent, the defaults of rules/rule_set.h apply with
// their provenance; present, every field is checked and errors point at file, line and column.
TEST_CASE("A merchant's rates_staleness defaults to 36 and 96 hours with the default's source") {
  const auto plain = load_rules({{"merchants/m1.json", merchant}, {"tax/HR.json", vat_hr}});
  REQUIRE(plain.ok());
  const auto& p = plain.rules->merchants.begin()->second.rates_staleness;
  CHECK(p.warn_after_hours == 36);
  CHECK(p.refuse_after_hours == 96);
  CHECK(p.source.find("issue #14") != std::string::npos);
}

TEST_CASE("A merchant's rates_staleness is read and validated at its line and column") {
  const auto with = [](const std::string& policy) {
    return load_rules({{"merchants/m1.json", replace(merchant, "\"incoterm\": \"DDP\",",
                                                     "\"incoterm\": \"DDP\",\n  \"rates_staleness\": " + policy + ",")},
                       {"tax/HR.json", vat_hr}});
  };
  const auto good = with(R"({"warn_after_hours": 12, "refuse_after_hours": 48, "source": "agreement"})");
  REQUIRE(good.ok());
  const auto& p = good.rules->merchants.begin()->second.rates_staleness;
  CHECK(p.warn_after_hours == 12);
  CHECK(p.refuse_after_hours == 48);
  CHECK(p.source == "agreement");
  CHECK(with(R"({"warn_after_hours": 48, "refuse_after_hours": 48, "source": "a"})").ok());  // equal is allowed

  const auto reversed = with(R"({"warn_after_hours": 96, "refuse_after_hours": 36, "source": "a"})");
  REQUIRE_FALSE(reversed.ok());
  REQUIRE(reversed.diagnostics.size() == 1);
  CHECK(reversed.diagnostics[0].pointer == "/rates_staleness/refuse_after_hours");
  CHECK(reversed.diagnostics[0].file == "merchants/m1.json");
  CHECK(reversed.diagnostics[0].line == 4);
  CHECK(reversed.diagnostics[0].column > 1);
  CHECK(reversed.diagnostics[0].message.find("warn_after_hours") != std::string::npos);

  for (const char* bad : {R"({"warn_after_hours": 0, "refuse_after_hours": 96, "source": "a"})",
                          R"({"warn_after_hours": -1, "refuse_after_hours": 96, "source": "a"})",
                          R"({"warn_after_hours": 36, "refuse_after_hours": 673, "source": "a"})",
                          R"({"warn_after_hours": "36", "refuse_after_hours": 96, "source": "a"})",
                          R"({"warn_after_hours": 36.5, "refuse_after_hours": 96, "source": "a"})",
                          R"({"warn_after_hours": 36, "refuse_after_hours": 96})",
                          R"({"warn_after_hours": 36, "source": "a"})",
                          R"({"warn_after_hours": 36, "refuse_after_hours": 96, "source": "a", "warn": 1})",
                          R"(36)"}) {
    INFO(bad);
    const auto load = with(bad);
    CHECK_FALSE(load.ok());
    REQUIRE_FALSE(load.diagnostics.empty());
    CHECK(load.diagnostics[0].pointer.rfind("/rates_staleness", 0) == 0);
    CHECK(load.diagnostics[0].line == 4);
  }
}
