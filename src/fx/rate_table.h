// RateTable: one day of euro reference rates (units of a currency per 1 EUR) as a central bank
// publishes them, immutable once parsed. Conversion between two listed currencies goes through
// EUR; the mid cross rate is rounded to fx_rate_digits significant digits, and the applied rate
// is exactly that mid times (1 + markup). Both are shown in the quote, and prices are multiplied
// by the applied rate, so every converted price can be recomputed from the quote alone.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/result.h"
#include "money/currency.h"
#include "money/decimal.h"

namespace landed {

struct AppliedRate {
  Currency from;
  Currency to;
  Decimal mid;     // cross rate before markup, fx_rate_digits significant digits
  Decimal markup;  // fraction, "0.02" = 2 %
  Decimal rate;    // mid × (1 + markup), exactly: what prices are multiplied by
};

class RateTable {
 public:
  // Parses ECB's eurofxref XML (gesmes:Envelope / Cube time / Cube currency rate). The file's
  // first dated Cube is the table; `version` is a content hash of the text.
  static Result<RateTable> parse_ecb_xml(std::string_view xml, std::string source);
  // A table from rates already checked (fx/rate_document.h): positive, known currencies. EUR = 1
  // is added.
  static RateTable from_rates(Date as_of, std::string source, std::string version,
                              std::map<std::string, Decimal, std::less<>> per_eur);

  const Date& as_of() const { return as_of_; }
  const std::string& source() const { return source_; }
  const std::string& version() const { return version_; }
  const std::map<std::string, Decimal, std::less<>>& per_eur() const { return per_eur_; }
  bool has(std::string_view code) const;

  // Applied rate from -> to. Same currency: rate 1 and no markup. Unknown currency: not_found.
  Result<AppliedRate> rate(Currency from, Currency to, const Decimal& markup) const;

 private:
  Date as_of_ = *Date::parse("1999-01-04");
  std::string source_;
  std::string version_;
  std::map<std::string, Decimal, std::less<>> per_eur_;  // includes EUR = 1
};

}  // namespace landed
