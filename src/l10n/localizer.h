// Localizer: everything locale-sensitive a quote shows, through ICU only. It holds the message
// catalogs (ICU MessageFormat strings per language, compiled once at load) and currency
// formatters per (locale, currency), built at load for every catalog language in its likely
// region and every currency Landed can quote in, so the quote path only looks them up. A locale
// outside that set gets its formatter built once, then cached (bounded).
// Immutable apart from those internally synchronized caches; share as shared_ptr<const>.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "money/money.h"

#include <unicode/locid.h>
#include <unicode/numberformatter.h>

namespace landed {

struct CatalogSource {
  std::string path;  // e.g. "hr.json"
  std::string text;
};

class Catalog;  // one language's compiled messages

// A resolved buyer locale: the ICU locale for numbers and the catalog for words.
struct LocaleView {
  std::string tag;          // canonical BCP 47 tag, e.g. "zh-Hans-CN"
  std::string catalog;      // the catalog used, e.g. "zh-Hans" (falls back to "en")
  bool rtl = false;         // right-to-left script (Hebrew, Persian, Arabic, ...)
  std::shared_ptr<const icu::Locale> locale;
  const Catalog* messages = nullptr;
};

// How one amount is shown; the defaults are the checkout display.
struct FormatOptions {
  enum class Sign { automatic, always, never, except_zero, accounting, accounting_always,
                    accounting_never, accounting_except_zero };
  enum class Display { symbol, narrow_symbol, code, name, none };
  Sign sign = Sign::automatic;
  Display display = Display::symbol;
  bool grouping = true;
  std::optional<Rounding> rounding;      // default: half-even, where digits are cut at all
  // With no rounding and no digits given, format_with shows every digit of the amount.
  std::optional<int> min_fraction_digits;  // default: the currency's digits
  std::optional<int> max_fraction_digits;
};

class Localizer {
 public:
  // Compiles every catalog (en is required: it is the fallback) and prebuilds formatters for
  // the catalog languages × `currencies`. Errors name the file and message key.
  static Result<std::shared_ptr<const Localizer>> load(const std::vector<CatalogSource>& catalogs,
                                                       const std::vector<Currency>& currencies);
  ~Localizer();

  // Resolves a BCP 47 tag (well-formed, or an invalid_field error).
  Result<LocaleView> resolve(std::string_view tag) const;

  // ICU's formatter of (locale, currency) and its zero, formatted once: most quotes show
  // several zero amounts (no duties, no fees, nothing due on delivery).
  struct CurrencyFormatter {
    icu::number::LocalizedNumberFormatter icu;
    // The same, fed minor units (an integer) and scaled by 10^-digits inside ICU: exact, and
    // cheaper than handing ICU decimal text to parse.
    icu::number::LocalizedNumberFormatter minor_units;
    std::string zero;
  };
  // The cached checkout formatter of (locale, currency): look it up once, format many amounts.
  std::shared_ptr<const CurrencyFormatter> formatter(const LocaleView& locale, Currency c) const;
  static std::string format(const CurrencyFormatter& formatter, const Money& money);
  // An amount in the buyer's locale with the checkout's default options (cached formatter).
  std::string format(const LocaleView& locale, const Money& money) const;
  // Any decimal amount with explicit options (formatter built per call: tools, not quotes).
  static Result<std::string> format_with(std::string_view tag, Currency currency,
                                         const Decimal& amount, const FormatOptions& options);

  // For a right-to-left locale, wraps text whose own direction (ICU ubidi) is left-to-right in
  // LRI…PDI, so an amount placed in a sentence keeps its order; other text is returned as is.
  static std::string isolate(const LocaleView& locale, const std::string& text);

  // A catalog message with named string and integer arguments, falling back to en per key.
  std::string message(const LocaleView& locale, std::string_view key,
                      const std::vector<std::pair<std::string, std::string>>& strings,
                      const std::vector<std::pair<std::string, std::int64_t>>& numbers) const;

  // A message without arguments (labels), formatted once at load; falls back to en per key.
  const std::string& text(const LocaleView& locale, std::string_view key) const;

  // Whether en has this argument-free message (every other catalog falls back to en per key).
  bool has_text(std::string_view key) const;
  // Whether the locale's own catalog has it (no fallback): for completeness checks.
  bool has_own_text(const LocaleView& locale, std::string_view key) const;
  // The argument-free en keys starting with `prefix` ("payment_method."), for unused-key checks.
  std::vector<std::string> en_keys_with_prefix(std::string_view prefix) const;

  // The name of a country, a currency, in the buyer's language (ICU display names).
  std::string country_name(const LocaleView& locale, std::string_view country) const;
  std::string currency_name(const LocaleView& locale, Currency currency) const;

  std::vector<std::string> catalog_names() const;
  std::string version() const { return version_; }

 private:
  Localizer();
  std::map<std::string, std::unique_ptr<Catalog>> catalogs_;
  std::string version_;
  mutable std::shared_mutex mu_;  // guards the two caches below
  mutable std::unordered_map<std::string, std::shared_ptr<const CurrencyFormatter>> formatters_;
  mutable std::unordered_map<std::string, LocaleView> resolved_;
};

}  // namespace landed
