#include "core/time_zone.h"

#include <unicode/basictz.h>
#include <unicode/strenum.h>
#include <unicode/tztrans.h>
#include <unicode/timezone.h>
#include <unicode/ures.h>

#include <array>
#include <limits>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace landed {
namespace {

constexpr std::int64_t seconds_per_day = 86400;

// Zones are created once and never freed: ICU's TimeZone is safe to read from many threads,
// and there are at most a few hundred of them (bounded by ICU's zone list).
const icu::TimeZone* zone_by_id(std::string_view id) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<icu::TimeZone>, std::less<>> zones;
  std::lock_guard lock(mu);
  if (const auto it = zones.find(id); it != zones.end()) return it->second.get();
  std::unique_ptr<icu::TimeZone> z(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(
      icu::StringPiece(id.data(), std::int32_t(id.size())))));
  // ICU answers an unknown id with the "Etc/Unknown" zone (offset 0), never with null.
  icu::UnicodeString got;
  z->getID(got);
  if (got == icu::UnicodeString(UCAL_UNKNOWN_ZONE_ID, -1, US_INV)) return nullptr;
  return zones.emplace(std::string(id), std::move(z)).first->second.get();
}

std::int64_t offset_of(const icu::TimeZone& z, Timestamp t) {
  std::int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  z.getOffset(double(t.seconds()) * 1000.0, false, raw, dst, status);  // ICU's UDate: ms, exact here
  if (U_FAILURE(status)) return 0;
  return (std::int64_t(raw) + dst) / 1000;
}

Date date_at(std::int64_t local_seconds) {
  std::int64_t days = local_seconds / seconds_per_day;
  if (local_seconds % seconds_per_day < 0) --days;
  return Date::from_days(std::chrono::sys_days(std::chrono::days(days)));
}

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// A country's candidate zones: its primary zone alone if CLDR names one, else every canonical
// zone ICU lists for it (in ICU's order, which is by id).
struct CountryZones {
  std::vector<std::pair<std::string, const icu::TimeZone*>> zones;
};

CountryZones zones_of(const char country[3]) {
  CountryZones out;
  UErrorCode status = U_ZERO_ERROR;
  UResourceBundle* meta = ures_openDirect(nullptr, "metaZones", &status);
  UResourceBundle* primary = ures_getByKey(meta, "primaryZones", nullptr, &status);
  std::int32_t len = 0;
  const UChar* p = ures_getStringByKey(primary, country, &len, &status);
  if (U_SUCCESS(status)) {
    const std::string id = utf8(icu::UnicodeString(p, len));
    if (const icu::TimeZone* z = zone_by_id(id)) out.zones.emplace_back(id, z);
  }
  ures_close(primary);
  ures_close(meta);
  if (!out.zones.empty()) return out;
  status = U_ZERO_ERROR;
  std::unique_ptr<icu::StringEnumeration> ids(
      icu::TimeZone::createTimeZoneIDEnumeration(UCAL_ZONE_TYPE_CANONICAL_LOCATION, country, nullptr, status));
  if (U_FAILURE(status) || !ids) return out;
  while (const icu::UnicodeString* id = ids->snext(status)) {
    if (U_FAILURE(status)) break;
    const std::string s = utf8(*id);
    if (const icu::TimeZone* z = zone_by_id(s)) out.zones.emplace_back(s, z);
  }
  return out;
}

std::size_t index_of(std::string_view country) {
  return std::size_t(country[0] - 'A') * 26 + std::size_t(country[1] - 'A');
}

// Built once per country on first use, then read without a lock: quotes ask on every request.
const CountryZones& zones_for(std::string_view country) {
  static std::array<std::atomic<const CountryZones*>, 26 * 26> table{};
  static std::mutex build_mu;
  const std::size_t index = index_of(country);
  if (const CountryZones* z = table[index].load(std::memory_order_acquire)) return *z;
  std::lock_guard lock(build_mu);
  if (const CountryZones* z = table[index].load(std::memory_order_acquire)) return *z;
  const char code[3] = {country[0], country[1], 0};
  const auto* built = new CountryZones(zones_of(code));  // kept for the process's life
  table[index].store(built, std::memory_order_release);
  return *built;
}

// A zone's offset is constant between two transitions (months, usually), so each thread keeps,
// per single-zone country, the span of the last instant asked about: a quote then costs no ICU
// offset computation at all.
struct OffsetSpan {
  std::int64_t from = 1, to = 0;  // [from, to) in seconds; empty until filled
  std::int64_t offset = 0;
};

std::int64_t cached_offset(std::size_t index, const icu::TimeZone& z, Timestamp t) {
  thread_local std::array<OffsetSpan, 26 * 26> spans;
  OffsetSpan& span = spans[index];
  if (span.from <= t.seconds() && t.seconds() < span.to) return span.offset;
  span.offset = offset_of(z, t);
  span.from = std::numeric_limits<std::int64_t>::min();
  span.to = std::numeric_limits<std::int64_t>::max();
  if (const auto* basic = dynamic_cast<const icu::BasicTimeZone*>(&z)) {
    const double at = double(t.seconds()) * 1000.0;  // ICU's UDate (ms); a time, not an amount
    icu::TimeZoneTransition tr;
    if (basic->getPreviousTransition(at, true, tr)) span.from = std::int64_t(tr.getTime() / 1000.0);
    if (basic->getNextTransition(at, false, tr)) span.to = std::int64_t(tr.getTime() / 1000.0);
  } else {
    span.from = span.to = t.seconds();  // no transition data: do not cache
  }
  return span.offset;
}

}  // namespace

Result<std::int64_t> utc_offset_seconds(std::string_view zone, Timestamp t) {
  const icu::TimeZone* z = zone_by_id(zone);
  if (!z) return Error{ErrorCode::not_found, "is not a time zone ICU knows: " + std::string(zone), ""};
  return offset_of(*z, t);
}

Result<Date> local_date_in(std::string_view zone, Timestamp t) {
  auto offset = utc_offset_seconds(zone, t);
  if (!offset.ok()) return offset.errors();
  return date_at(t.seconds() + *offset);
}

Result<LocalDate> local_date(std::string_view country, Timestamp t) {
  const bool alpha2 = country.size() == 2 && country[0] >= 'A' && country[0] <= 'Z' && country[1] >= 'A' &&
                      country[1] <= 'Z';
  if (!alpha2) return Error{ErrorCode::invalid_field, "must be an ISO 3166-1 alpha-2 country code", ""};
  const CountryZones& cz = zones_for(country);
  if (cz.zones.empty())
    return Error{ErrorCode::not_found, "ICU knows no time zone for " + std::string(country), ""};
  if (cz.zones.size() == 1) {
    const std::int64_t offset = cached_offset(index_of(country), *cz.zones.front().second, t);
    return LocalDate{date_at(t.seconds() + offset), cz.zones.front().first, offset};
  }
  std::optional<LocalDate> best;
  for (const auto& z : cz.zones) {
    const std::int64_t offset = offset_of(*z.second, t);
    const Date d = date_at(t.seconds() + offset);
    if (!best || d > best->date) best = LocalDate{d, z.first, offset};
  }
  return *best;
}

}  // namespace landed
