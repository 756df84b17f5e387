// Currency: an ISO 4217 alphabetic code that ICU knows as a current (non-deprecated) currency,
// with its minor-unit digits as ICU/CLDR defines them (JPY 0, EUR 2, KWD 3). A Currency can only
// be obtained through Currency::of, so holding one means the code is real and digits are known.
#pragma once

#include <array>
#include <compare>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/result.h"

namespace landed {

class Currency {
 public:
  // ISO 4217 "XXX", the code for "no currency", 0 digits: only a placeholder before assignment.
  Currency() : code_{'X', 'X', 'X', 0}, digits_(0) {}
  static Result<Currency> of(std::string_view code);
  // The currency ICU's region data says was legal tender in a country (ISO 3166-1 alpha-2) on
  // `day`, e.g. HR -> HRK on 2022-06-01, EUR from 2023-01-01 (ucurr_forLocaleAndDate).
  static Result<Currency> of_country(std::string_view country, const Date& day);

  std::string_view code() const { return {code_.data(), 3}; }
  int digits() const { return digits_; }
  auto operator<=>(const Currency&) const = default;

 private:
  Currency(std::string_view code, int digits);
  std::array<char, 4> code_{};
  int digits_ = 2;
};

}  // namespace landed
