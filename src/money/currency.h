// Currency: an ISO 4217 alphabetic code that ICU knows as a current (non-deprecated) currency,
// with its minor-unit digits as ICU/CLDR defines them (JPY 0, EUR 2, KWD 3). A Currency can only
// be obtained through Currency::of, so holding one means the code is real and digits are known.
// It also knows its cash rounding (CLDR's cashDigits and cashRounding, read through ICU).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/result.h"
#include "money/decimal.h"

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

  // The smallest amount payable in cash where it is coarser than the minor unit, exactly, at the
  // cash digits: CHF and CAD "0.05", DKK "0.50", HUF, CZK, SEK, NOK "1" (ICU 72; see README).
  // nullopt where cash is paid in minor units like everything else (EUR, USD, JPY, GBP...).
  // Always a whole number of minor units (checked when ICU's table is read).
  std::optional<Decimal> cash_increment() const;
  // Where cash_increment comes from, for quotes to cite: "CLDR cash rounding in ICU 72.1".
  static const std::string& cash_rounding_source();

  auto operator<=>(const Currency&) const = default;

 private:
  Currency(std::string_view code, int digits, int cash_digits, std::int32_t cash_units);
  std::array<char, 4> code_{};
  int digits_ = 2;
  // Cash increment = cash_units_ × 10^-cash_digits_. Equal to one minor unit (cash_units_ 1,
  // cash_digits_ digits_) where no cash rounding applies.
  int cash_digits_ = 0;
  std::int32_t cash_units_ = 1;
};

}  // namespace landed
