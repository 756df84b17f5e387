// RateHistory: every day of reference rates Landed holds, immutable. A quote is priced with the
// newest table that had been published at its instant, so a back-dated quote gets the rates of
// its own day, never later ones, and pricing the same cart later in the day does not change its
// past. (Refusing rates that are too old for a live quote comes with live FX.)
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "fx/base_rate_table.h"
#include "fx/rate_sources.h"
#include "fx/rate_table.h"

namespace landed {

class RateHistory {
 public:
  // ECB tables in any order; at least one; no two for the same day. `provider`: days of one JSON
  // provider (fx/rate_document.h), for the currencies the ECB lacks; no two for the same day.
  static Result<RateHistory> of(std::vector<RateTable> tables, std::vector<BaseRateTable> provider = {});

  const RateTable* at(const Date& day) const;  // newest as_of <= day, or nullptr
  // The newest table published by `t`, or nullptr. The ECB publishes a day's reference rates at
  // around 16:00 Frankfurt time (CET/CEST), so the table of day D is in force from D 16:00 in
  // Germany: a quote at 06:00Z on a business day gets the previous business day's rates.
  const RateTable* in_force(Timestamp t) const;
  static Date publication_day(Timestamp t);  // the newest as_of that `t` may use
  static Timestamp published_at(const Date& as_of);  // as_of at 16:00 Frankfurt time
  // What a quote at `t` converts with: the ECB table in force and, if any, the provider's newest
  // day on or before t's UTC date (a provider's "date" is its day, from its start in UTC).
  // nullopt when no ECB table was published by `t`.
  std::optional<RateSources> sources_at(Timestamp t) const;
  const BaseRateTable* latest_provider() const { return provider_.empty() ? nullptr : provider_.back().get(); }
  const RateTable& latest() const { return *tables_.back(); }
  const RateTable& earliest() const { return *tables_.front(); }
  std::size_t size() const { return tables_.size(); }
  const std::string& version() const { return version_; }  // over every table's version

 private:
  std::vector<std::shared_ptr<const RateTable>> tables_;  // by as_of, oldest first
  std::vector<std::int64_t> published_;  // per table: the instant it comes into force (seconds)
  std::vector<std::shared_ptr<const BaseRateTable>> ecb_;       // tables_ as per-base tables
  std::vector<std::shared_ptr<const BaseRateTable>> provider_;  // by as_of, oldest first
  std::string version_;
};

}  // namespace landed
