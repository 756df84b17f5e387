// Issue #14 item 6 in the rule loader: a merchant's per-pair FX markups (fx.markups) and its cash
// rounding setting (cash_rounding), valid and each way of getting them wrong, with positions.
#include <catch2/catch.hpp>

#include "core/json_positions.h"
#include "rules/loader.h"

using namespace landed;

namespace {

// One value per line, so that a diagnostic's line says which value it is about.
std::string merchant(const std::string& markups, const std::string& cash = "") {
  return "{\n"
         "  \"concern\": \"merchant\", \"id\": \"m1\", \"name\": \"Shop\", \"default\": true, \"origin\": \"US\",\n"
         "  \"currency\": \"USD\", \"price_basis\": \"exclusive\", \"incoterm\": \"DDP\",\n"
         "  \"fx\": {\n"
         "    \"markup\": \"0.02\",\n" +
         (markups.empty() ? std::string() : "    \"markups\": " + markups + ",\n") +
         "    \"rounding\": \"HalfEven\", \"source\": \"agreement\"\n"
         "  },\n" +
         (cash.empty() ? std::string() : "  \"cash_rounding\": " + cash + ",\n") +
         "  \"source\": \"agreement\", \"effective_from\": \"2026-01-01\"\n"
         "}\n";
}

// A set needs a tax jurisdiction to load; one line of VAT is enough here.
const char* minimal_tax = R"({"concern": "tax", "jurisdiction": "HR", "country": "HR", "name": "Croatia",
  "rounding": {"mode": "HalfUp", "level": "line", "source": "s"},
  "taxes": [{"id": "HR.vat", "name": "PDV", "rates": [
    {"id": "HR.std", "band": "standard", "rate": "0.25", "effective_from": "2012-03-01", "source": "s"}]}]})";

RuleLoad load(const std::string& text) { return load_rules({{"merchants/m1.json", text}, {"tax/HR.json", minimal_tax}}); }

Currency cur(const char* code) { return *Currency::of(code); }
Decimal dec(const char* text) { return *Decimal::parse(text); }

// Where `needle` starts in `text` (the n-th occurrence), 1-based line and column.
TextPosition where(const std::string& text, const std::string& needle, int nth = 1) {
  std::size_t at = std::string::npos;
  for (int i = 0; i < nth; ++i) at = text.find(needle, at == std::string::npos ? 0 : at + 1);
  REQUIRE(at != std::string::npos);
  return position_of(text, at);
}

// The file fails with one diagnostic at `pointer`, positioned at `needle`, saying `words`.
void refused(const std::string& text, const std::string& pointer, const std::string& needle, const std::string& words,
             int nth = 1) {
  INFO(text);
  const auto l = load(text);
  REQUIRE_FALSE(l.ok());
  REQUIRE(l.diagnostics.size() >= 1);
  const Diagnostic& d = l.diagnostics[0];
  INFO(d.to_string());
  CHECK(d.file == "merchants/m1.json");
  CHECK(d.pointer == pointer);
  const TextPosition p = where(text, needle, nth);
  CHECK(d.line == p.line);
  CHECK(d.column == p.column);
  CHECK(d.message.find(words) != std::string::npos);
}

const char* valid_markups =
    "[\n"
    "      {\"from\": \"USD\", \"to\": \"KWD\", \"markup\": \"0.03\", \"note\": \"provider pair\"},\n"
    "      {\"to\": \"JPY\", \"markup\": \"0.025\", \"source\": \"annex B\"},\n"
    "      {\"from\": \"EUR\", \"markup\": \"0\"}\n"
    "    ]";

}  // namespace

TEST_CASE("Loader reads per-pair markups with their sources and the default stays fx.markup") {
  const auto l = load(merchant(valid_markups));
  INFO((l.diagnostics.empty() ? "" : l.diagnostics[0].to_string()));
  REQUIRE(l.ok());
  const Merchant& m = l.rules->merchants.at("m1");
  CHECK(m.fx_markup == dec("0.02"));
  REQUIRE(m.fx_markups.size() == 3);
  CHECK(m.fx_markups[0].from == cur("USD"));
  CHECK(m.fx_markups[0].to == cur("KWD"));
  CHECK(m.fx_markups[0].markup == dec("0.03"));
  CHECK(m.fx_markups[0].source == "agreement");  // fx.source unless the entry names its own
  CHECK(m.fx_markups[0].note == "provider pair");
  CHECK_FALSE(m.fx_markups[1].from.has_value());
  CHECK(m.fx_markups[1].source == "annex B");
  CHECK_FALSE(m.fx_markups[2].to.has_value());
  CHECK(m.markup_for(cur("USD"), cur("KWD")) == dec("0.03"));
  CHECK(m.markup_for(cur("EUR"), cur("JPY")) == dec("0.025"));  // to only beats from only
  CHECK(m.markup_for(cur("EUR"), cur("KWD")) == dec("0"));
  CHECK(m.markup_for(cur("GBP"), cur("KWD")) == dec("0.02"));
  CHECK_FALSE(m.cash_rounding.has_value());  // off unless set
}

TEST_CASE("Loader refuses a markup pair with an unknown currency at its position") {
  refused(merchant("[{\"from\": \"XYZ\", \"markup\": \"0.01\"}]"), "/fx/markups/0/from", "\"XYZ\"", "ISO 4217");
  refused(merchant("[{\"to\": \"usd\", \"markup\": \"0.01\"}]"), "/fx/markups/0/to", "\"usd\"", "ISO 4217");
  refused(merchant("[{\"to\": \"DEM\", \"markup\": \"0.01\"}]"), "/fx/markups/0/to", "\"DEM\"", "not a current");
}

TEST_CASE("Loader refuses a negative or too large markup against fx_markup_max") {
  for (const char* bad : {"-0.01", "0.20", "0.2", "5", "1"}) {
    refused(merchant(std::string("[{\"to\": \"JPY\", \"markup\": \"") + bad + "\"}]"), "/fx/markups/0/markup",
            std::string("\"") + bad + "\"}", "fx_markup_max");
  }
  refused(merchant("[{\"to\": \"JPY\", \"markup\": \"0.123456789\"}]"), "/fx/markups/0/markup", "\"0.123456789\"",
          "fraction digits");
  // The default is held to the same bound.
  std::string text = merchant("");
  text.replace(text.find("\"0.02\""), 6, "\"0.25\"");
  refused(text, "/fx/markup", "\"0.25\"", "fx_markup_max");
  const auto edge = load(merchant("[{\"to\": \"JPY\", \"markup\": \"0.19999999\"}]"));
  CHECK(edge.ok());
}

TEST_CASE("Loader refuses the same pair twice naming the first one") {
  const std::string twice = merchant(
      "[\n"
      "      {\"to\": \"JPY\", \"markup\": \"0.01\"},\n"
      "      {\"from\": \"USD\", \"to\": \"JPY\", \"markup\": \"0.01\"},\n"
      "      {\"to\": \"JPY\", \"markup\": \"0.03\"}\n"
      "    ]");
  refused(twice, "/fx/markups/2", "{\"to\": \"JPY\", \"markup\": \"0.03\"}", "repeats the pair any -> JPY of /fx/markups/0");
  refused(merchant("[{\"from\": \"EUR\", \"markup\": \"0.01\"}, {\"from\": \"EUR\", \"markup\": \"0.01\"}]"), "/fx/markups/1",
          "{\"from\": \"EUR\"", "EUR -> any", 2);
}

TEST_CASE("Loader refuses markup entries of the wrong type or shape") {
  refused(merchant("{\"to\": \"JPY\"}"), "/fx/markups", "{\"to\"", "must be an array");
  refused(merchant("[\"JPY\"]"), "/fx/markups/0", "\"JPY\"", "must be an object");
  refused(merchant("[{\"to\": \"JPY\", \"markup\": 0.01}]"), "/fx/markups/0/markup", "0.01", "decimal string");
  refused(merchant("[{\"to\": 392, \"markup\": \"0.01\"}]"), "/fx/markups/0/to", "392", "must be a string");
  refused(merchant("[{\"to\": \"JPY\"}]"), "/fx/markups/0", "{\"to\"", "missing required field \"markup\"");
  refused(merchant("[{\"markup\": \"0.01\"}]"), "/fx/markups/0", "{\"markup\"", "neither");
  refused(merchant("[{\"from\": \"JPY\", \"to\": \"JPY\", \"markup\": \"0.01\"}]"), "/fx/markups/0", "{\"from\"", "to itself");
  refused(merchant("[{\"to\": \"JPY\", \"markup\": \"0.01\", \"rate\": \"1\"}]"), "/fx/markups/0/rate", "\"1\"", "unknown field");
}

TEST_CASE("Loader reads cash rounding by currency with its mode and source") {
  const auto l = load(merchant("", "{\"currencies\": [\"CHF\", \"SEK\"], \"rounding\": \"HalfUp\", \"source\": \"agreement §4\"}"));
  REQUIRE(l.ok());
  const auto& c = l.rules->merchants.at("m1").cash_rounding;
  REQUIRE(c.has_value());
  CHECK(c->currencies == std::vector<Currency>{cur("CHF"), cur("SEK")});
  CHECK(c->mode == Rounding::HalfUp);
  CHECK(c->source == "agreement §4");
  CHECK(c->applies_to(cur("CHF")));
  CHECK_FALSE(c->applies_to(cur("CAD")));
}

TEST_CASE("Loader refuses cash rounding that names a currency without cash rounding or that is malformed") {
  const auto cash = [](const std::string& list, const std::string& rest = ", \"rounding\": \"HalfUp\", \"source\": \"s\"") {
    return merchant("", "{\"currencies\": " + list + rest + "}");
  };
  refused(cash("[\"CHF\", \"EUR\"]"), "/cash_rounding/currencies/1", "\"EUR\"", "EUR has no cash rounding");
  refused(cash("[\"JPY\"]"), "/cash_rounding/currencies/0", "\"JPY\"", "no cash rounding");
  refused(cash("[\"CHX\"]"), "/cash_rounding/currencies/0", "\"CHX\"", "ISO 4217");
  refused(cash("[\"CHF\", \"CHF\"]"), "/cash_rounding/currencies/1", "\"CHF\"", "listed twice", 2);
  refused(cash("[]"), "/cash_rounding/currencies", "[]", "at least one");
  refused(cash("\"CHF\""), "/cash_rounding/currencies", "\"CHF\"", "must be an array");
  refused(cash("[5]"), "/cash_rounding/currencies/0", "5]", "ISO 4217");
  refused(cash("[\"CHF\"]", ", \"rounding\": \"Commercial\", \"source\": \"s\""), "/cash_rounding/rounding", "\"Commercial\"",
          "must be one of");
  refused(cash("[\"CHF\"]", ", \"rounding\": \"HalfUp\""), "/cash_rounding", "{\"currencies\"", "\"source\"");
  refused(merchant("", "true"), "/cash_rounding", "true", "must be an object", 2);  // the first "true" is default
}
