// The shared formatting suite (../shared/data/formatting/currency_format_expectations.csv) was
// written against CLDR 42 to 48 by other projects. Every row whose options Landed's formatter
// expresses is run through ICU 72 (CLDR 42); a row ICU 72 does not reproduce must be listed, with
// the string ICU 72 gives and why, in tests/fixtures/format_expectations_icu72.csv. The output
// is never bent to match.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "l10n/localizer.h"
#include "support.h"

using namespace landed;

namespace {

// The row's options as FormatOptions, or nullopt if Landed's formatter has no such option
// (compact notation, custom patterns, bojanz's CustomContext, Babel's decimal_quantization...).
std::optional<FormatOptions> options_of(const std::string& text, int digits) {
  FormatOptions o;
  const auto j = text.empty() ? nlohmann::json::object() : nlohmann::json::parse(text);
  bool accounting = false, plus = false;
  std::string sign = "auto";
  for (const auto& [k, v] : j.items()) {
    const std::string s = v.is_string() ? v.get<std::string>() : v.dump();
    if (k == "numbering_system" && s == "default") continue;
    if (k == "style" && (s == "currency" || s == "standard")) continue;
    if ((k == "style" || k == "format_type") && s == "accounting") { accounting = true; continue; }
    if (k == "format_type" && s == "standard") continue;
    if (k == "format_type" && s == "name") { o.display = FormatOptions::Display::name; continue; }
    if (k == "currencySign" && s == "accounting") { accounting = true; continue; }
    if (k == "AccountingStyle") { accounting = s == "true"; continue; }
    if (k == "signDisplay") { sign = s; continue; }
    if (k == "AddPlusSign") { plus = s == "true"; continue; }
    if (k == "NoGrouping") { o.grouping = s != "true"; continue; }
    if (k == "group_separator") { o.grouping = s == "true"; continue; }
    if (k == "currencyDisplay") {
      if (s == "currency.DisplayNone") o.display = FormatOptions::Display::none;
      else if (s == "currency.DisplayCode") o.display = FormatOptions::Display::code;
      else if (s != "currency.DisplaySymbol") return std::nullopt;
      continue;
    }
    if (k == "roundingMode") {
      const auto r = parse_rounding(s.substr(s.find(".Round") + 6));
      if (!r) return std::nullopt;
      o.rounding = r;
      o.min_fraction_digits = o.min_fraction_digits.value_or(digits);
      o.max_fraction_digits = o.max_fraction_digits.value_or(digits);
      continue;
    }
    if (k == "minDigits" || k == "maxDigits") {
      const int n = s == "currency.DefaultDigits" ? digits : std::stoi(s);
      (k == "minDigits" ? o.min_fraction_digits : o.max_fraction_digits) = n;
      if (!o.rounding) o.rounding = Rounding::HalfUp;
      continue;
    }
    return std::nullopt;
  }
  // The suite's libraries round to the currency's digits, half-even, unless told otherwise.
  if (!o.rounding && !o.min_fraction_digits && !o.max_fraction_digits) {
    o.rounding = Rounding::HalfEven;
    o.min_fraction_digits = digits;
    o.max_fraction_digits = digits;
  }
  // bojanz/currency lowers minDigits to maxDigits when they cross.
  if (o.min_fraction_digits && o.max_fraction_digits && *o.min_fraction_digits > *o.max_fraction_digits)
    o.min_fraction_digits = o.max_fraction_digits;
  using S = FormatOptions::Sign;
  if (plus) sign = "always";
  if (sign == "auto") o.sign = accounting ? S::accounting : S::automatic;
  else if (sign == "always") o.sign = accounting ? S::accounting_always : S::always;
  else if (sign == "never") o.sign = S::never;
  else if (sign == "exceptZero") o.sign = accounting ? S::accounting_except_zero : S::except_zero;
  else return std::nullopt;
  return o;
}

}  // namespace

TEST_CASE("ICU 72 reproduces the shared currency-format expectations, except the listed rows") {
  LANDED_SKIP_WITHOUT_SHARED_DATA();
  const auto rows = test::read_csv(test::shared_data() / "formatting/currency_format_expectations.csv");
  REQUIRE(rows.size() > 250);
  // A row is named by source, line, locale, currency, amount and options (tc39 rows have no line).
  const auto key_of = [](const std::vector<std::string>& r, std::size_t at) {
    return r[at] + "|" + r[at + 1] + "|" + r[at + 2] + "|" + r[at + 3] + "|" + r[at + 4] + "|" + r[at + 5];
  };
  std::map<std::string, std::pair<std::string, std::string>> listed;  // key -> (ICU 72 output, why)
  const auto fixture = test::read_csv(test::fixtures() / "format_expectations_icu72.csv");
  for (std::size_t i = 1; i < fixture.size(); ++i)
    if (fixture[i].size() >= 8) listed[key_of(fixture[i], 0)] = {fixture[i][6], fixture[i][7]};

  std::ofstream write;  // LANDED_WRITE_FIXTURE=path writes the rows that differ, to review
  if (const char* p = std::getenv("LANDED_WRITE_FIXTURE")) write.open(p);
  int run = 0, matched = 0, differ = 0, not_expressible = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const auto currency = Currency::of(r[5]);
    const auto amount = Decimal::parse(r[6]);
    std::optional<FormatOptions> options;
    if (currency.ok() && amount.ok()) options = options_of(r[7], currency->digits());
    if (!options) { ++not_expressible; continue; }
    ++run;
    // bojanz's rows for its empty locale are written "(empty=en)".
    const std::string locale = r[4] == "(empty=en)" ? "en" : r[4];
    const auto got = Localizer::format_with(locale, *currency, *amount, *options);
    INFO("row " << r[0] << ":" << r[3] << " " << r[4] << " " << r[7]);
    REQUIRE(got.ok());
    const std::vector<std::string> named = {r[0], r[3], r[4], r[5], r[6], r[7]};
    const std::string key = key_of(named, 0);
    if (*got == r[8]) {
      ++matched;
      CHECK(listed.count(key) == 0);  // a listed row that now matches must leave the list
      continue;
    }
    ++differ;
    if (write.is_open()) write << i << "\t" << *got << "\n";  // data row number, ICU 72 output
    INFO("row " << key << " " << r[4] << " " << r[5] << " " << r[6] << " " << r[7] << ": expected [" << r[8]
                << "] ICU 72 gives [" << *got << "]");
    const auto it = listed.find(key);
    CHECK(it != listed.end());
    if (it == listed.end()) continue;
    CHECK(it->second.first == *got);
    CHECK_FALSE(it->second.second.empty());
  }
  WARN("formatting suite: " << run << " rows run, " << matched << " match ICU 72, " << differ
                            << " listed as differing, " << not_expressible << " use options Landed does not offer");
  CHECK(matched > 100);
  CHECK(differ == int(listed.size()));
}
