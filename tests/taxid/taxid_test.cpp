// Business tax numbers (src/taxid): python-stdnum's test vectors, a table per country, and
// garbage input.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support.h"
#include "taxid/taxid.h"

using namespace landed;

namespace {

const std::set<std::string> kSupported{
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "GR", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
    "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "EU", "GB", "NO", "CH", "AU", "NZ", "IN", "BR", "IS", "CA", "JP"};

// Prefixes our `normalized` carries and python-stdnum's national modules leave out.
const std::set<std::string> kPrefixes{"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR",
                                      "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI",
                                      "SK", "GB", "XI", "NO", "BR"};

std::string without_prefix(const std::string& s) {
  if (s.size() > 2 && kPrefixes.count(s.substr(0, 2))) return s.substr(2);
  return s;
}

TaxIdProblem problem_of(const std::string& stdnum_class) {
  if (stdnum_class == "InvalidLength") return TaxIdProblem::length;
  if (stdnum_class == "InvalidFormat") return TaxIdProblem::pattern;
  if (stdnum_class == "InvalidChecksum") return TaxIdProblem::check_digit;
  if (stdnum_class == "InvalidComponent") return TaxIdProblem::component;
  return TaxIdProblem::none;  // no class given ("invalid", "[]")
}

// Rows where Landed deliberately differs from python-stdnum, with why. Checked to still differ.
struct Deviation { const char* number; const char* why; };
const std::vector<Deviation> kDeviations{
    {"BE 0220,764.971", "commas are tolerated as separators (stdnum's vatin does, its be.vat does not)"},
};

}  // namespace

TEST_CASE("stdnum vectors validate as python-stdnum says") {
  LANDED_SKIP_WITHOUT_SHARED_DATA();
  const auto path = test::shared_data() / "taxid/python-stdnum_vat_vectors.csv";
  if (!std::filesystem::exists(path)) {
    WARN("skipped: " << path.string() << " is absent");
    return;
  }
  const auto rows = test::read_csv(path);
  REQUIRE(rows.size() > 1);
  std::map<std::string, int> checked, unsupported;
  std::vector<std::string> unsupported_rows;
  int deviations = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    REQUIRE(r.size() >= 6);
    const std::string& country = r[0];
    const std::string& number = r[1];
    const bool valid = r[2] == "true";
    if (!kSupported.count(country)) {
      ++unsupported[country.empty() ? "(none)" : country];
      unsupported_rows.push_back(country + " '" + number + "'");
      continue;
    }
    ++checked[country];
    const TaxIdCheck c = check_tax_id(number, country);
    INFO("row " << i + 1 << ": " << country << " '" << number << "' valid=" << r[2] << " expected=" << r[4]
                << " stdnum=" << r[5] << " -> " << to_string(c.problem) << " " << c.normalized << " " << c.message);
    bool deviation = false;
    for (const Deviation& d : kDeviations) deviation = deviation || number == d.number;
    if (deviation) {
      ++deviations;
      CHECK(c.valid() != valid);
      continue;
    }
    CHECK(c.valid() == valid);
    if (valid) {
      CHECK(without_prefix(c.normalized) == without_prefix(r[5]));
    } else {
      CHECK_FALSE(c.message.empty());
      const TaxIdProblem want = problem_of(r[4]);
      if (want != TaxIdProblem::none) CHECK(to_string(c.problem) == std::string(to_string(want)));
    }
  }
  std::ostringstream report;
  int total = 0;
  for (const auto& [k, n] : checked) { report << k << " " << n << ", "; total += n; }
  report << "total " << total << "; deviations " << deviations << "; unsupported:";
  for (const auto& [k, n] : unsupported) report << " " << k << " " << n;
  report << " (";
  for (const auto& u : unsupported_rows) report << u << "; ";
  report << ")";
  WARN("stdnum vectors checked per country: " << report.str());
  CHECK(deviations == static_cast<int>(kDeviations.size()));
}

namespace {

struct Row { const char* country; const char* number; };

// One valid number per supported country (from the published examples and python-stdnum's tests).
const std::vector<Row> kValid{
    {"AT", "ATU13585627"},    {"BE", "BE0428759497"},     {"BG", "BG175074752"},     {"CY", "CY10259033P"},
    {"CZ", "CZ25123891"},     {"DE", "DE136695976"},      {"DK", "DK13585628"},      {"EE", "EE100594102"},
    {"GR", "EL094259216"},    {"ES", "ESB64717838"},      {"FI", "FI20774740"},      {"FR", "FR40303265045"},
    {"HR", "HR33392005961"},  {"HU", "HU12892312"},       {"IE", "IE6433435F"},      {"IT", "IT00743110157"},
    {"LT", "LT119511515"},    {"LU", "LU15027442"},       {"LV", "LV40003521600"},   {"MT", "MT11679112"},
    {"NL", "NL004495445B01"}, {"PL", "PL8567346215"},     {"PT", "PT501964843"},     {"RO", "RO18547290"},
    {"SE", "SE123456789701"}, {"SI", "SI50223054"},       {"SK", "SK2022749619"},    {"GB", "GB980780684"},
    {"NO", "NO995525828MVA"}, {"CH", "CHE107787577IVA"},  {"AU", "83914571673"},     {"NZ", "49091850"},
    {"IN", "27AAPFU0939F1ZV"}, {"BR", "16727230000197"},  {"IS", "00621"},           {"CA", "123026635"},
    {"JP", "5835678256246"},
};

const std::vector<Row> kWrongLength{
    {"AT", "ATU1358562"},     {"BE", "BE04287594971"},   {"BG", "BG17507475211"},   {"CY", "CY10259033"},
    {"CZ", "CZ25123891123"},  {"DE", "DE13669597"},      {"DK", "DK1358562"},       {"EE", "EE10059410"},
    {"GR", "EL0942592161"},   {"ES", "ESB647178381"},    {"FI", "FI2077474"},       {"FR", "FR4030326504"},
    {"HR", "HR3339200596"},   {"HU", "HU1289231"},       {"IE", "IE6433435FAB"},    {"IT", "IT0074311015"},
    {"LT", "LT1195115151"},   {"LU", "LU1502744"},       {"LV", "LV4000352160"},    {"MT", "MT1167911"},
    {"NL", "NL0044954450B01"}, {"PL", "PL856734621"},    {"PT", "PT50196484"},      {"RO", "RO18547290123"},
    {"SE", "SE12345678970"},  {"SI", "SI5022305"},       {"SK", "SK202274961"},     {"GB", "GB9807806842"},
    {"NO", "NO99552582MVA"},  {"CH", "CHE10778757"},     {"AU", "8391457167"},      {"NZ", "4909185"},
    {"IN", "27AAPFU0939F1Z"}, {"BR", "1672723000019"},   {"IS", "0062199"},         {"CA", "1230266351"},
    {"JP", "583567825624"},
};

const std::vector<Row> kWrongPattern{
    {"AT", "ATX13585627"},    {"BE", "BE04287X9497"},    {"BG", "BG1750X4752"},     {"CY", "CY1025903XP"},
    {"CZ", "CZ2512X891"},     {"DE", "DE1366X5976"},     {"DK", "DK1358X628"},      {"EE", "EE1005X4102"},
    {"GR", "EL0942X9216"},    {"ES", "ESB647X7838"},     {"FI", "FI2077X740"},      {"FR", "FRIO334175221"},
    {"HR", "HR3339200X961"},  {"HU", "HU1289X312"},      {"IE", "IE64X3435F"},      {"IT", "IT0074311X157"},
    {"LT", "LT1195X1515"},    {"LU", "LU1502X442"},      {"LV", "LV4000X521600"},   {"MT", "MT1167X112"},
    {"NL", "NL004495445X01"}, {"PL", "PL8567X46215"},    {"PT", "PT5019X4843"},     {"RO", "RO1854X290"},
    {"SE", "SE12345X789701"}, {"SI", "SI5022X054"},      {"SK", "SK2022X49619"},    {"GB", "GB9807806B4"},
    {"NO", "NO9955X5828MVA"}, {"CH", "CHE10A787577"},    {"AU", "8391457X673"},     {"NZ", "4909X850"},
    {"IN", "369296450896540"}, {"BR", "167272300001X7"}, {"IS", "006X1"},           {"CA", "12345678Z"},
    {"JP", "5835X78256246"},
};

const std::vector<Row> kWrongCheck{
    {"AT", "ATU13585626"},    {"BE", "BE0431150351"},    {"BG", "BG175074751"},     {"CY", "CY10259033Z"},
    {"CZ", "CZ25123890"},     {"DE", "DE136695978"},     {"DK", "DK13585627"},      {"EE", "EE100594103"},
    {"GR", "EL123456781"},    {"ES", "ESB64717839"},     {"FI", "FI20774741"},      {"FR", "FR84323140391"},
    {"HR", "HR33392005962"},  {"HU", "HU12892313"},      {"IE", "IE6433435E"},      {"IT", "IT00743110158"},
    {"LT", "LT100001919018"}, {"LU", "LU15027443"},      {"LV", "LV40003521601"},   {"MT", "MT11679113"},
    {"NL", "NL123456789B90"}, {"PL", "PL8567346216"},    {"PT", "PT501964842"},     {"RO", "RO18547291"},
    {"SE", "SE123456789101"}, {"SI", "SI50223055"},      {"SK", "SK2022749618"},    {"GB", "GB802311781"},
    {"NO", "NO995525829MVA"}, {"CH", "CHE107787578IVA"}, {"AU", "99999999999"},     {"NZ", "136410133"},
    {"IN", "27AAPFU0939F1ZO"}, {"BR", "16727230000198"}, {"CA", "123456783"},       {"JP", "2835678256246"},
};

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a valid number of each supported country validates with its country and scheme") {
  for (const Row& r : kValid) {
    const TaxIdCheck c = check_tax_id(r.number, r.country);
    INFO(r.country << " " << r.number << " -> " << to_string(c.problem) << " " << c.message);
    CHECK(c.valid());
    CHECK(c.country == r.country);
    CHECK_FALSE(c.scheme.empty());
    CHECK(c.normalized == r.number);
    CHECK(c.message.empty());
  }
}

TEST_CASE("a number of the wrong length is refused as length and the message says how long") {
  for (const Row& r : kWrongLength) {
    const TaxIdCheck c = check_tax_id(r.number, r.country);
    INFO(r.country << " " << r.number << " -> " << to_string(c.problem) << " " << c.message);
    CHECK(c.problem == TaxIdProblem::length);
    CHECK(c.country == r.country);
    CHECK(contains(c.message, "has "));
    CHECK(c.normalized.empty());
  }
}

TEST_CASE("a number in the wrong pattern is refused as pattern and the message gives the form") {
  for (const Row& r : kWrongPattern) {
    const TaxIdCheck c = check_tax_id(r.number, r.country);
    INFO(r.country << " " << r.number << " -> " << to_string(c.problem) << " " << c.message);
    CHECK(c.problem == TaxIdProblem::pattern);
    CHECK(c.country == r.country);
    CHECK(contains(c.message, "not in the form of a"));
  }
}

TEST_CASE("a wrong check digit is refused as check_digit and the message says so") {
  for (const Row& r : kWrongCheck) {
    const TaxIdCheck c = check_tax_id(r.number, r.country);
    INFO(r.country << " " << r.number << " -> " << to_string(c.problem) << " " << c.message);
    CHECK(c.problem == TaxIdProblem::check_digit);
    CHECK(c.country == r.country);
    CHECK(contains(c.message, "check digit does not match"));
  }
}

TEST_CASE("the German length message names the digits and the prefix") {
  CHECK(check_tax_id("DE13669597", "DE").message == "has 8 digits; a German VAT number has 9 digits after DE");
}

TEST_CASE("separators and lowercase as buyers type them are tolerated") {
  CHECK(check_tax_id("de 136.695-976", "").normalized == "DE136695976");
  CHECK(check_tax_id("BE (0)468.561.072", "").normalized == "BE0468561072");
  CHECK(check_tax_id("EL: 094259216", "").normalized == "EL094259216");
  CHECK(check_tax_id("12. ABC.345 /01DE\xE2\x80\x93" "35", "BR").normalized == "12ABC34501DE35");  // en dash
  CHECK(check_tax_id("DE\xC2\xA0" "136695976", "").valid());  // no-break space
}

TEST_CASE("an EL number belongs to GR and a GR prefix is read as Greece") {
  const TaxIdCheck el = check_tax_id("EL 094259216", "DE");
  CHECK(el.valid());
  CHECK(el.country == "GR");
  CHECK(el.scheme == "EU VAT");
  CHECK(check_tax_id("GR094259216", "").normalized == "EL094259216");
  CHECK(check_tax_id("094259216", "gr").normalized == "EL094259216");
}

TEST_CASE("an XI number is a UK VAT number of Northern Ireland") {
  const TaxIdCheck c = check_tax_id("XI 432525179", "IE");
  CHECK(c.valid());
  CHECK(c.country == "GB");
  CHECK(c.scheme == "UK VAT");
  CHECK(c.normalized == "XI432525179");
}

TEST_CASE("a number without prefix takes the scheme of the hint") {
  const TaxIdCheck de = check_tax_id("136695976", "de");
  CHECK(de.valid());
  CHECK(de.normalized == "DE136695976");
  CHECK(check_tax_id("53 004 085 616", "AU").normalized == "53004085616");
  CHECK(check_tax_id("136695976", "FR").problem == TaxIdProblem::length);
}

TEST_CASE("a prefix of another country than the hint is validated as its own country") {
  const TaxIdCheck c = check_tax_id("FR 40 303 265 045", "DE");
  CHECK(c.valid());
  CHECK(c.country == "FR");
  CHECK(check_tax_id("FR 40 303 265 046", "DE").country == "FR");
}

TEST_CASE("a national number whose first letters look like a prefix is read as the hint's") {
  const TaxIdCheck c = check_tax_id("DE.123.456/7890-31", "BR");
  CHECK(c.valid());
  CHECK(c.country == "BR");
  CHECK(c.normalized == "DE123456789031");
  CHECK(check_tax_id("ATABC34501DE76", "BR").scheme == "BR CNPJ");
}

TEST_CASE("an alphanumeric CNPJ of July 2026 validates and a classic one too") {
  CHECK(check_tax_id("12.ABC.345/01DE-35", "BR").valid());
  CHECK(check_tax_id("12.ABC.345/01DE-36", "BR").problem == TaxIdProblem::check_digit);
  CHECK(check_tax_id("BR 16.727.230/0001-97", "").normalized == "16727230000197");
}

TEST_CASE("a country without a scheme is unsupported and never valid") {
  const TaxIdCheck us = check_tax_id("12-3456789", "US");
  CHECK(us.problem == TaxIdProblem::unsupported_country);
  CHECK(us.country == "US");
  CHECK_FALSE(us.message.empty());
  CHECK(check_tax_id("12345678", "").problem == TaxIdProblem::unsupported_country);
  CHECK(check_tax_id("XX123456", "").problem == TaxIdProblem::unsupported_country);
  CHECK(check_tax_id("MX MXDE 111111 GR2", "MX").problem == TaxIdProblem::unsupported_country);
}

TEST_CASE("an EU OSS number names the member state that identified it") {
  const TaxIdCheck c = check_tax_id("EU191849184", "");
  CHECK(c.valid());
  CHECK(c.country == "HR");
  CHECK(c.scheme == "EU OSS");
  CHECK(check_tax_id("EU999849184", "").problem == TaxIdProblem::component);
}

TEST_CASE("Norwegian numbers keep MVA only when typed and Swiss suffixes are uppercased") {
  CHECK(check_tax_id("NO 995 525 828 MVA", "").normalized == "NO995525828MVA");
  CHECK(check_tax_id("988 077 917", "NO").normalized == "NO988077917");
  CHECK(check_tax_id("CHE-108.113.335 MwST", "").normalized == "CHE108113335MWST");
  CHECK(check_tax_id("100.155.212", "CH").normalized == "CHE100155212");
  CHECK(check_tax_id("CHE-107.787.577 ZZZ", "CH").problem == TaxIdProblem::component);
  CHECK(check_tax_id("ZZZ-107.787.577", "CH").problem == TaxIdProblem::component);
}

TEST_CASE("UK government department and health authority numbers have their ranges") {
  CHECK(check_tax_id("GD100", "GB").normalized == "GBGD100");
  CHECK(check_tax_id("HA501", "GB").valid());
  CHECK(check_tax_id("GD888810003", "GB").valid());
  CHECK(check_tax_id("GD600", "GB").problem == TaxIdProblem::component);
  CHECK(check_tax_id("HA201", "GB").problem == TaxIdProblem::component);
  CHECK(check_tax_id("ZZ100", "GB").problem == TaxIdProblem::component);
  CHECK(check_tax_id("HA888856700", "GB").problem == TaxIdProblem::check_digit);
  CHECK(check_tax_id("GB 242338087388", "").valid());  // branch trader
  CHECK(check_tax_id("100190874", "GB").valid());      // the mod 97 + 55 series
}

TEST_CASE("component problems name the part that is wrong") {
  CHECK(check_tax_id("IT 00687129980", "").message == "has no valid tax office code (digits 8 to 10): not a valid Italian VAT number");
  CHECK(check_tax_id("150000001", "NZ").problem == TaxIdProblem::component);
  CHECK(check_tax_id("27AAPFU0939F1AA", "IN").problem == TaxIdProblem::component);
  CHECK(check_tax_id("BE2000021323", "").problem == TaxIdProblem::component);
}

TEST_CASE("to_string names every problem") {
  CHECK(std::string(to_string(TaxIdProblem::none)) == "none");
  CHECK(std::string(to_string(TaxIdProblem::length)) == "length");
  CHECK(std::string(to_string(TaxIdProblem::pattern)) == "pattern");
  CHECK(std::string(to_string(TaxIdProblem::check_digit)) == "check_digit");
  CHECK(std::string(to_string(TaxIdProblem::component)) == "component");
  CHECK(std::string(to_string(TaxIdProblem::unsupported_country)) == "unsupported_country");
}

TEST_CASE("empty input is refused as length") {
  const TaxIdCheck c = check_tax_id("", "DE");
  CHECK(c.problem == TaxIdProblem::length);
  CHECK(c.message == "is empty");
  CHECK(check_tax_id("", "").problem == TaxIdProblem::length);
}

TEST_CASE("only separators are refused as length") {
  const TaxIdCheck c = check_tax_id(" -./ :, ", "DE");
  CHECK(c.problem == TaxIdProblem::length);
  CHECK(c.message == "has no letters or digits");
}

TEST_CASE("input over tax_id_bytes_max is refused as length before parsing") {
  const std::string mb(1 << 20, '1');
  const TaxIdCheck c = check_tax_id(mb, "DE");
  CHECK(c.problem == TaxIdProblem::length);
  CHECK(contains(c.message, "at most 64"));
  std::string padded = "DE136695976";
  padded.resize(64, ' ');
  CHECK(check_tax_id(padded, "").valid());
  padded += ' ';
  CHECK(check_tax_id(padded, "").problem == TaxIdProblem::length);
}

TEST_CASE("non-ASCII and invalid UTF-8 are refused as pattern") {
  CHECK(check_tax_id("DE\xEF\xBC\x91" "36695976", "DE").problem == TaxIdProblem::pattern);  // fullwidth 1
  CHECK(check_tax_id("DE136695976\xC3\xA9", "DE").problem == TaxIdProblem::pattern);
  CHECK(check_tax_id("\xFF\xFE\xE2\x80", "DE").problem == TaxIdProblem::pattern);
  CHECK(check_tax_id("DE13669597\xE2", "DE").problem == TaxIdProblem::pattern);  // truncated sequence
  CHECK(contains(check_tax_id("DE136695976\xC3\xA9", "DE").message, "non-ASCII"));
}

TEST_CASE("an embedded NUL is refused as pattern") {
  const TaxIdCheck c = check_tax_id(std::string("DE136\0" "695976", 12), "DE");
  CHECK(c.problem == TaxIdProblem::pattern);
  CHECK(contains(c.message, "control character"));
}

TEST_CASE("a punctuation mark that is no separator is refused as pattern and named") {
  const TaxIdCheck c = check_tax_id("16.727.230/0001=97", "BR");
  CHECK(c.problem == TaxIdProblem::pattern);
  CHECK(contains(c.message, "'='"));
}

TEST_CASE("a garbage hint is unsupported without a crash") {
  CHECK(check_tax_id("12345678", std::string("D\0", 2)).problem == TaxIdProblem::unsupported_country);
  CHECK(check_tax_id("12345678", std::string(1 << 20, 'x')).problem == TaxIdProblem::unsupported_country);
  CHECK(check_tax_id("12345678", "\xFF\xFE").country.empty());
}

TEST_CASE("only the prefix is refused as pattern") {
  const TaxIdCheck c = check_tax_id("FR", "");
  CHECK(c.problem == TaxIdProblem::pattern);
  CHECK(c.country == "FR");
}
