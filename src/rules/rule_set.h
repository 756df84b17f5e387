// RuleSet: every tax and merchant rule, typed and validated as a whole, immutable once built.
// Each rule carries where it comes from (source) and when it is in force (effective_from,
// optional effective_to, exclusive), so a quote can be priced with the rules of its own date
// and explain every figure. Shared between requests as std::shared_ptr<const RuleSet>.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "money/money.h"
#include "money/rounding.h"

namespace landed {

// What every dated rule has.
struct Provenance {
  std::string id;
  std::string source;
  std::string note;
  Date effective_from = *Date::parse("1970-01-01");
  std::optional<Date> effective_to;  // exclusive
  bool in_force(const Date& d) const {
    return effective_from <= d && (!effective_to || d < *effective_to);
  }
};

// Categories a VAT rate applies to; the vocabulary items use in `tax_category`.
inline constexpr const char* vat_categories[] = {"standard", "reduced", "reduced2", "super_reduced",
                                                 "parking"};

struct VatRate {
  Provenance provenance;
  std::string category;
  Decimal rate;  // fraction: "0.25" = 25 %
};

// Per line: each line's tax is rounded. Per total: tax on the sum of bases at one rate is
// rounded once and allocated back to lines by largest remainder.
enum class RoundingLevel { line, total };

struct VatSchedule {
  std::string country;   // ISO 3166-1 alpha-2
  std::string tax_name;  // local name, e.g. "PDV"
  Rounding rounding = Rounding::HalfUp;
  RoundingLevel level = RoundingLevel::line;
  std::string rounding_source;
  std::string file;
  std::vector<VatRate> rates;
  // The rate of `category` in force on `date`, or nullptr.
  const VatRate* find(const std::string& category, const Date& date) const;
};

struct ShippingService {
  std::string service;
  Money price;
  int min_days = 0;
  int max_days = 0;
};

struct Registration {
  std::string scheme;   // e.g. "IOSS", "UK-VAT", "VOEC"
  std::string number;
  std::string country;  // where it applies; "EU" for IOSS
};

// How a line's subtotal is rounded into the presentment currency.
// line: subtotal = round(unit × quantity × rate), once (Stripe's unit_amount_decimal): a unit
//       price finer than the minor unit (0.004999 EUR) is priced exactly, never zeroed.
// unit: the converted unit price is rounded, then multiplied by the quantity, for merchants who
//       print unit prices; their unit prices must be whole minor units.
enum class LineRounding { line, unit };
constexpr std::string_view to_string(LineRounding r) { return r == LineRounding::line ? "line" : "unit"; }

// A markup for some currency pairs, overriding the merchant's default (fx.markups[] in its file).
// A missing side matches any currency. See Merchant::markup_for for which one wins.
struct FxMarkup {
  std::optional<Currency> from, to;
  Decimal markup;  // fraction added to the mid rate, 0 <= markup < limits::fx_markup_max
  std::string source, note;
};

// Cash rounding of the presentment total, in the currencies the merchant lists, to each one's
// cash increment as ICU/CLDR knows it (CHF 0.05). Applied once, to what is collected at checkout,
// and shown in the quote as an adjustment line.
struct CashRounding {
  std::vector<Currency> currencies;  // each has a cash increment (checked at load)
  Rounding mode = Rounding::HalfUp;
  std::string source, note;
  bool applies_to(Currency c) const;
};

// How old a quote's rates may be (issue #14, staleness policy), per merchant: hours past the next
// expected publication of the table a conversion used (fx/target_calendar.h). Beyond warn_after
// the quote carries a stale_rates warning; beyond refuse_after it is refused (503) unless the
// service runs in warn-only mode. A merchant file's "rates_staleness" sets them; without one the
// defaults below apply, and their provenance is this declaration: the figures of issue #14
// ("default 36 h past the next expected publication", "default 96 h"), which leave a day and a
// half for a late publication or a fetch retried through an outage, and refuse once four days'
// worth of market moves may be missing.
inline constexpr std::int64_t rates_warn_after_hours_default = 36;
inline constexpr std::int64_t rates_refuse_after_hours_default = 96;
inline constexpr const char* rates_staleness_default_source =
    "Landed default (issue #14): warn 36 h, refuse 96 h past the next expected publication";

struct RatesStaleness {
  std::int64_t warn_after_hours = rates_warn_after_hours_default;
  std::int64_t refuse_after_hours = rates_refuse_after_hours_default;
  std::string source = rates_staleness_default_source;
};

struct Merchant {
  Provenance provenance;
  std::string id;
  std::string name;
  std::string origin;            // ISO 3166-1 alpha-2
  Currency currency;             // price list currency
  std::string price_basis;       // "exclusive": prices exclude tax
  std::string incoterm;          // default incoterm: "DDP" or "DAP"
  bool is_default = false;
  Decimal fx_markup;             // fraction added to the mid rate: the default for every pair
  std::vector<FxMarkup> fx_markups;  // per-pair overrides of fx_markup
  Rounding fx_rounding = Rounding::HalfEven;  // converted prices
  LineRounding line_rounding = LineRounding::line;
  std::vector<ShippingService> shipping;
  std::vector<Registration> registrations;
  std::optional<CashRounding> cash_rounding;  // absent: totals are not cash-rounded
  RatesStaleness rates_staleness;
  const ShippingService* find_shipping(const std::string& service) const;
  // The markup applied from -> to. Most specific wins: an override naming both currencies, else
  // one naming only `to`, else one naming only `from`, else fx_markup. (The loader refuses two
  // overrides for the same pair, so at most one matches at each level.)
  const Decimal& markup_for(Currency from, Currency to) const;
};

// A country's currency from a date, where ICU's data is behind the law (BG adopted the euro on
// 2026-01-01; ICU 72 still says BGN).
struct CountryCurrency {
  Provenance provenance;
  std::string country;
  Currency currency;
};

struct RuleFile {
  std::string path;     // relative to the rules folder
  std::string sha256;
  std::string concern;
  std::size_t rules = 0;
};

struct RuleSet {
  std::map<std::string, VatSchedule, std::less<>> vat;   // by country
  std::map<std::string, Merchant, std::less<>> merchants;  // by id
  std::string default_merchant;  // empty if none is marked default
  std::vector<CountryCurrency> country_currencies;
  // The currency a rule sets for `country` on `date`, or nullptr (then ICU's applies).
  const CountryCurrency* currency_of(const std::string& country, const Date& date) const;
  std::vector<RuleFile> files;
  std::string version;  // "sha256:" over every file's path and content, in path order
  std::size_t rule_count() const;
};

}  // namespace landed
