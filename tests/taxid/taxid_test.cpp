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
