#include "fx/rate_history.h"

#include <algorithm>

#include "core/check.h"
#include "core/limits.h"
#include "core/sha256.h"
#include "core/time_zone.h"

namespace landed {

Result<RateHistory> RateHistory::of(std::vector<RateTable> tables, std::vector<BaseRateTable> provider) {
  if (tables.empty()) return Error{ErrorCode::not_found, "no rate tables", ""};
  std::sort(tables.begin(), tables.end(), [](const RateTable& a, const RateTable& b) { return a.as_of() < b.as_of(); });
  std::sort(provider.begin(), provider.end(),
            [](const BaseRateTable& a, const BaseRateTable& b) { return a.as_of() < b.as_of(); });
  RateHistory h;
  Sha256 version;
  for (auto& t : tables) {
    if (!h.tables_.empty() && h.tables_.back()->as_of() == t.as_of())
      return Error{ErrorCode::invalid_field, "two rate tables for " + t.as_of().to_string(), ""};
    version.update(t.version());
    h.published_.push_back(published_at(t.as_of()).seconds());
    h.ecb_.push_back(std::make_shared<const BaseRateTable>(BaseRateTable::from_ecb(t)));
    h.tables_.push_back(std::make_shared<const RateTable>(std::move(t)));
  }
  for (auto& p : provider) {
    if (!h.provider_.empty() && h.provider_.back()->as_of() == p.as_of())
      return Error{ErrorCode::invalid_field, "two " + p.source() + " rate tables for " + p.as_of().to_string(), ""};
    if (!h.provider_.empty() && h.provider_.back()->source() != p.source())
      return Error{ErrorCode::invalid_field,
                   "rates from two providers (" + h.provider_.back()->source() + ", " + p.source() + "); one is supported", ""};
    version.update(p.version());
    h.provider_.push_back(std::make_shared<const BaseRateTable>(std::move(p)));
  }
  const auto d = version.finish();
  h.version_ = "sha256:" + to_hex(d.data(), d.size());
  return h;
}

std::optional<RateSources> RateHistory::sources_at(Timestamp t) const {
  const auto it = std::upper_bound(published_.begin(), published_.end(), t.seconds());
  if (it == published_.begin()) return std::nullopt;
  std::shared_ptr<const BaseRateTable> ecb = ecb_[std::size_t(std::prev(it) - published_.begin())];
  const Date day = t.date();
  const auto p = std::upper_bound(provider_.begin(), provider_.end(), day,
                                  [](const Date& d, const auto& table) { return d < table->as_of(); });
  return RateSources(std::move(ecb), p == provider_.begin() ? nullptr : *std::prev(p));
}

const RateTable* RateHistory::at(const Date& day) const {
  const auto it = std::upper_bound(tables_.begin(), tables_.end(), day,
                                   [](const Date& d, const auto& t) { return d < t->as_of(); });
  if (it == tables_.begin()) return nullptr;
  return std::prev(it)->get();
}

Date RateHistory::publication_day(Timestamp t) {
  // ECB: "The reference rates are usually updated at around 16:00 CET" (eurofxref page). Landed
  // takes that hour exactly, in Frankfurt's civil time from ICU (Germany's zone, Europe/Berlin):
  // the day whose publication hour has passed at t's local time there.
  const auto frankfurt = local_date("DE", t);
  LANDED_CHECK(frankfurt.ok(), "ICU knows Germany's time zone");
  const std::int64_t local = t.seconds() + frankfurt->utc_offset_seconds - limits::ecb_publication_seconds_after_midnight;
  std::int64_t days = local / 86400;
  if (local % 86400 < 0) --days;
  return Date::from_days(std::chrono::sys_days(std::chrono::days(days)));
}

Timestamp RateHistory::published_at(const Date& as_of) {
  // 16:00 in Frankfurt on as_of: local noon's offset is the day's (DST changes at 01:00 UTC).
  const std::int64_t midnight_utc = std::int64_t(as_of.days().time_since_epoch().count()) * 86400;
  const auto frankfurt = local_date("DE", Timestamp::from_seconds(midnight_utc + 12 * 3600));
  LANDED_CHECK(frankfurt.ok(), "ICU knows Germany's time zone");
  return Timestamp::from_seconds(midnight_utc + limits::ecb_publication_seconds_after_midnight -
                                 frankfurt->utc_offset_seconds);
}

// Computed when the history is built, so a quote pays a binary search, not a time-zone lookup.
const RateTable* RateHistory::in_force(Timestamp t) const {
  const auto it = std::upper_bound(published_.begin(), published_.end(), t.seconds());
  if (it == published_.begin()) return nullptr;
  return tables_[std::size_t(std::prev(it) - published_.begin())].get();
}

}  // namespace landed
