#include "money/currency.h"

#include <unicode/ucurr.h>
#include <unicode/uenum.h>
#include <unicode/uloc.h>

#include <map>
#include <string>

namespace landed {
namespace {

// Built once from ICU, immutable afterwards: code -> minor-unit digits.
const std::map<std::string, int, std::less<>>& registry() {
  static const std::map<std::string, int, std::less<>> table = [] {
    std::map<std::string, int, std::less<>> t;
    UErrorCode status = U_ZERO_ERROR;
    UEnumeration* codes =
        ucurr_openISOCurrencies(UCURR_COMMON | UCURR_NON_DEPRECATED, &status);
    if (U_FAILURE(status)) return t;
    const char* code = nullptr;
    int32_t len = 0;
    while ((code = uenum_next(codes, &len, &status)) != nullptr && U_SUCCESS(status)) {
      std::u16string wide(code, code + len);
      UErrorCode st = U_ZERO_ERROR;
      const int32_t d = ucurr_getDefaultFractionDigits(wide.c_str(), &st);
      if (U_SUCCESS(st) && len == 3) t.emplace(std::string(code, std::size_t(len)), int(d));
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

Currency::Currency(std::string_view code, int digits) : digits_(digits) {
  for (std::size_t i = 0; i < 3; ++i) code_[i] = code[i];
}

Result<Currency> Currency::of(std::string_view code) {
  if (!is_upper_alpha(code, 3))
    return Error{ErrorCode::invalid_field, "must be an ISO 4217 currency code such as \"EUR\"", ""};
  const auto& t = registry();
  const auto it = t.find(code);
  if (it == t.end())
    return Error{ErrorCode::invalid_field, "is not a current ISO 4217 currency: " + std::string(code), ""};
  return Currency(code, it->second);
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
