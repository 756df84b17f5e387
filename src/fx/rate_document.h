// Rate documents as feeds publish them, read in two steps so that every refusal has a stable
// reason (fx/rate_validation.h builds on both):
//   1. read_*: the document's structure only, values kept as text. Anything wrong here is
//      "malformed": not the format, truncated, a missing field, a date that is not a day, a JSON
//      number where a decimal string belongs, a currency or a day given twice, beyond a bound.
//   2. tables_of: the content. A code ICU does not know as a current ISO 4217 currency is
//      "unknown_currency"; a rate that is not a positive decimal with at most
//      rate_fraction_digits_max fraction and amount_integer_digits_max integer digits is "bad_rate".
// Formats:
//   - ECB eurofxref XML, daily or many days (the 90-day and full-history files: one dated Cube per
//     day, newest first). RateTable::parse_ecb_xml (rates/ files) reads through the same reader
//     and keeps the newest day.
//   - JSON provider: {"base": "USD", "date": "2026-11-30", "rates": {"KWD": "0.3072", ...}},
//     units of each currency per 1 base; rates are decimal strings, JSON numbers are refused (no
//     binary floating point for money). Other top-level members are ignored; a key repeated in one
//     object is malformed.
//   - ECB history CSV ("Date,USD,JPY,...," newest first, "N/A" for no rate that day), for the
//     tools/ importer. Columns of currencies ICU no longer knows as current (CYP, EEK, ROL, ...)
//     cannot be quoted: they are skipped and listed in ignored_currencies, not refused.
// A day's table version is "sha256:" over its base, date and rates (not over the file), so the same
// day read from the daily file and from the 90-day file has the same version.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "fx/base_rate_table.h"
#include "fx/rate_table.h"

namespace landed {

enum class RateFormat { ecb_xml, provider_json, ecb_csv };
std::string_view to_string(RateFormat format);                   // "ecb-xml", "json", "ecb-csv"
std::optional<RateFormat> parse_rate_format(std::string_view s);  // the same names (CLI --format)

// Stable refusal reasons: the set the `reason` label of landed_rates_rejected_total takes.
namespace rate_refusal {
inline constexpr std::string_view malformed = "malformed";
inline constexpr std::string_view unknown_currency = "unknown_currency";
inline constexpr std::string_view bad_rate = "bad_rate";
inline constexpr std::string_view future_date = "future_date";
inline constexpr std::string_view stale_document = "stale_document";
inline constexpr std::string_view moved_too_far = "moved_too_far";
inline constexpr std::string_view base_changed = "base_changed";
}  // namespace rate_refusal

struct Refusal {
  std::string reason;                   // one of rate_refusal
  std::vector<std::string> currencies;  // the codes concerned, sorted; empty when about the whole document
  std::string message;                  // one line
};

struct RawRate {
  std::string currency;
  std::string rate;
};
struct RawDay {
  Date date;
  std::vector<RawRate> rates;
};
struct RateDocument {
  RateFormat format = RateFormat::ecb_xml;
  std::string source;   // the name quotes show in fx[].source ("ECB", "PROVIDER", ...)
  std::string base;     // "EUR" for ECB documents
  std::string version;  // "sha256:" of the document's text
  std::vector<RawDay> days;                     // in document order
  std::vector<std::string> ignored_currencies;  // ECB CSV only (see above)
};

Result<RateDocument> read_ecb_xml(std::string_view xml, std::string source);
Result<RateDocument> read_provider_json(std::string_view json, std::string source);
Result<RateDocument> read_ecb_history_csv(std::string_view csv, std::string source);
Result<RateDocument> read_rate_document(std::string_view text, RateFormat format, std::string source);

struct DocumentTables {
  std::vector<BaseRateTable> days;  // oldest first; empty when refused
  std::vector<Refusal> refusals;    // unknown_currency and/or bad_rate; empty when all is well
};
DocumentTables tables_of(const RateDocument& document);
// A day's table version as tables_of computes it: "sha256:" over base, date and the rates given
// (the base's own 1 only if the source listed it). The rate history (src/store) keys days by it.
std::string rate_day_version(std::string_view base, const Date& date, const BaseRateTable::Rates& rates);

// One step each, for callers that need only the tables (errors carry the refusals' messages).
Result<std::vector<RateTable>> parse_ecb_xml_days(std::string_view xml, std::string source);  // oldest first
Result<BaseRateTable> parse_provider_json(std::string_view json, std::string source);
struct EcbHistory {
  std::vector<RateTable> days;  // oldest first
  std::vector<std::string> ignored_currencies;
};
Result<EcbHistory> parse_ecb_history_csv(std::string_view csv, std::string source);

}  // namespace landed
