#include "money/currency.h"

#include <unicode/ucurr.h>
#include <unicode/uenum.h>
#include <unicode/uloc.h>
#include <unicode/uversion.h>

#include <cmath>
#include <map>
#include <string>

#include "core/check.h"

namespace landed {
namespace {

struct Info {
  int digits = 2;
  int cash_digits = 2;
  std::int32_t cash_units = 1;  // cash increment = cash_units × 10^-cash_digits
};

// The cash increment of `code` as an exact whole number of units of its cash digits.
//
// ICU hands the increment over as a double (ucurr_getRoundingIncrementForUsage). CLDR stores it
// as an integer ("cashRounding" 5 with "cashDigits" 2 for CHF) and ICU divides it, double(5) /
// 100, or returns 0 when the increment is one unit of the cash digits. The double is read here
// only to recover CLDR's integer: k = llround(increment × 10^cash_digits), accepted only if the
// same division gives back the very same double, so k is exactly the integer ICU started from.
// From then on the increment is the Decimal k × 10^-cash_digits: no floating-point value ever
// takes part in an amount. A value that does not round-trip is ICU data Landed cannot read
// exactly, and fails loudly at the first currency lookup rather than rounding money by a guess.
Info read_info(const char* code, const std::u16string& wide) {
  Info info;
  UErrorCode st = U_ZERO_ERROR;
  info.digits = int(ucurr_getDefaultFractionDigits(wide.c_str(), &st));
  info.cash_digits = int(ucurr_getDefaultFractionDigitsForUsage(wide.c_str(), UCURR_USAGE_CASH, &st));
  const double increment = ucurr_getRoundingIncrementForUsage(wide.c_str(), UCURR_USAGE_CASH, &st);
  LANDED_CHECK(U_SUCCESS(st), "ICU answers for a currency it listed");
  // CLDR has cash digits 0..3 (and never more than the standard ones); 9 bounds the powers below.
  LANDED_CHECK(info.cash_digits >= 0 && info.cash_digits <= info.digits && info.cash_digits <= 9,
               "cash digits are no finer than the currency's minor unit");
  if (increment == 0.0) return info;  // one unit of the cash digits
  double scale = 1.0;  // 10^cash_digits, exact in a double
  for (int i = 0; i < info.cash_digits; ++i) scale *= 10.0;
  const long long k = std::llround(increment * scale);
  const bool exact = k >= 1 && k <= 1000000 && double(k) / scale == increment;
  if (!exact) std::fprintf(stderr, "landed: ICU cash increment of %s is %.17g, not a whole number of 10^-%d\n", code,
                           increment, info.cash_digits);
  LANDED_CHECK(exact, "ICU's cash increment is a whole number of units of the cash digits");
  info.cash_units = std::int32_t(k);
  return info;
}

// Built once from ICU, immutable afterwards: code -> digits and cash rounding.
const std::map<std::string, Info, std::less<>>& registry() {
  static const std::map<std::string, Info, std::less<>> table = [] {
    std::map<std::string, Info, std::less<>> t;
    UErrorCode status = U_ZERO_ERROR;
    UEnumeration* codes =
        ucurr_openISOCurrencies(UCURR_COMMON | UCURR_NON_DEPRECATED, &status);
    if (U_FAILURE(status)) return t;
    const char* code = nullptr;
    int32_t len = 0;
    while ((code = uenum_next(codes, &len, &status)) != nullptr && U_SUCCESS(status)) {
      if (len != 3) continue;
      const std::u16string wide(code, code + len);
      t.emplace(std::string(code, std::size_t(len)), read_info(code, wide));
    }
    uenum_close(codes);
    return t;
  }();
  return table;
}

bool is_upper_alpha(std::string_view s, std::size_t n) {
  if (s.size() != n) return false;
  for (char c : s)
    if (c < 'A' || c > 'Z') return false;
  return true;
}

}  // namespace

Currency::Currency(std::string_view code, int digits, int cash_digits, std::int32_t cash_units)
    : digits_(digits), cash_digits_(cash_digits), cash_units_(cash_units) {
  for (std::size_t i = 0; i < 3; ++i) code_[i] = code[i];
}

std::optional<Decimal> Currency::cash_increment() const {
  const Decimal increment(Decimal::Int(cash_units_), cash_digits_);
  if (increment == Decimal(Decimal::Int(1), digits_)) return std::nullopt;  // the minor unit itself
  // A whole number of minor units, so a Money rounded to it is still a Money of this currency.
  LANDED_CHECK(cash_digits_ <= digits_, "the cash increment is a multiple of the minor unit");
  return increment;
}

const std::string& Currency::cash_rounding_source() {
  static const std::string source = [] {
    UVersionInfo v{};
    u_getVersion(v);
    return "CLDR cash rounding in ICU " + std::to_string(int(v[0])) + "." + std::to_string(int(v[1]));
  }();
  return source;
}

Result<Currency> Currency::of(std::string_view code) {
  if (!is_upper_alpha(code, 3))
    return Error{ErrorCode::invalid_field, "must be an ISO 4217 currency code such as \"EUR\"", ""};
  const auto& t = registry();
  const auto it = t.find(code);
  if (it == t.end())
    return Error{ErrorCode::invalid_field, "is not a current ISO 4217 currency: " + std::string(code), ""};
  return Currency(code, it->second.digits, it->second.cash_digits, it->second.cash_units);
}

Result<Currency> Currency::of_country(std::string_view country, const Date& day) {
  if (!is_upper_alpha(country, 2))
    return Error{ErrorCode::invalid_field, "must be an ISO 3166-1 alpha-2 country code", ""};
  const std::string locale = "und_" + std::string(country);
  UChar buf[4] = {};
  UErrorCode status = U_ZERO_ERROR;
  // Noon UTC of the day: inside the day wherever ICU's tender dates are cut. ICU's UDate is a
  // count of milliseconds (exact in a double at this range), not an amount.
  const std::int64_t noon_seconds =
      std::int64_t(day.days().time_since_epoch().count()) * 86400 + 12 * 3600;
  const int32_t n = ucurr_forLocaleAndDate(locale.c_str(), double(noon_seconds) * 1000.0, 1, buf, 4, &status);
  if (U_FAILURE(status) || n != 3)
    return Error{ErrorCode::not_found, "has no known currency: " + std::string(country), ""};
  const char code[3] = {char(buf[0]), char(buf[1]), char(buf[2])};
  return of(std::string_view(code, 3));
}

}  // namespace landed
