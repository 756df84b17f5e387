#include "fx/rate_table.h"

#include "core/limits.h"
#include "fx/rate_document.h"

namespace landed {

bool RateTable::has(std::string_view code) const { return per_eur_.find(code) != per_eur_.end(); }

// One reader for ECB XML, whether it comes from rates/ or from a feed: the document reader and
// its content checks (fx/rate_document.h), so a file and a fetched document can never be read
// differently. A file's version stays the hash of its text, as rates_version has always shown it.
Result<RateTable> RateTable::parse_ecb_xml(std::string_view xml, std::string source) {
  if (xml.size() > limits::rates_file_bytes_max)
    return Error{ErrorCode::out_of_range, "rates file is larger than rates_file_bytes_max", ""};
  auto doc = read_ecb_xml(xml, std::move(source));
  if (!doc.ok()) return doc.errors();
  auto tables = tables_of(*doc);
  if (!tables.refusals.empty()) {
    Errors errors;
    for (const auto& r : tables.refusals) errors.push_back({ErrorCode::invalid_field, r.reason + ": " + r.message, ""});
    return errors;
  }
  const BaseRateTable& newest = tables.days.back();  // oldest first
  return from_rates(newest.as_of(), newest.source(), doc->version, newest.per_base());
}

RateTable RateTable::from_rates(Date as_of, std::string source, std::string version,
                                std::map<std::string, Decimal, std::less<>> per_eur) {
  RateTable t;
  t.as_of_ = as_of;
  t.source_ = std::move(source);
  t.version_ = std::move(version);
  t.per_eur_ = std::move(per_eur);
  t.per_eur_.insert_or_assign("EUR", Decimal::from_int(1));
  return t;
}

Result<AppliedRate> RateTable::rate(Currency from, Currency to, const Decimal& markup) const {
  if (from == to) return AppliedRate{from, to, Decimal::from_int(1), Decimal(), Decimal::from_int(1)};
  const auto f = per_eur_.find(from.code());
  if (f == per_eur_.end())
    return Error{ErrorCode::not_found, "no " + source_ + " rate for " + std::string(from.code()), ""};
  const auto t = per_eur_.find(to.code());
  if (t == per_eur_.end())
    return Error{ErrorCode::not_found, "no " + source_ + " rate for " + std::string(to.code()), ""};
  // Enough fraction digits that fx_rate_digits significant digits survive for any pair.
  constexpr int work_digits = 20;  // × markup (<= 8 digits) stays within decimal_scale_max
  // The mid is rounded once, to what the quote shows; the applied rate is that shown mid times
  // (1 + markup), exactly, so anyone can recompute it (and every price) from the quote alone.
  const Decimal mid = Decimal::divide(t->second, f->second, work_digits, Rounding::HalfEven)
                          .round_significant(limits::fx_rate_digits, Rounding::HalfEven)
                          .normalized();
  return AppliedRate{from, to, mid, markup, (mid * (Decimal::from_int(1) + markup)).normalized()};
}

}  // namespace landed
