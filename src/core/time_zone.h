// Civil time where a rule applies. A tax rate "from 2025-07-01" in Estonia takes effect at
// midnight in Tallinn, not in UTC, so a quote's rules are those of its local date at the
// destination. Zones and their offsets come from ICU's tz data; nothing here is a hand-written
// table.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/result.h"

namespace landed {

struct LocalDate {
  Date date;
  std::string zone;                 // IANA id, e.g. "Europe/Tallinn"
  std::int64_t utc_offset_seconds;  // of that zone at the instant asked about
};

// The local date of `t` at a destination country (ISO 3166-1 alpha-2). The zone is the
// country's only canonical zone, or CLDR's primary zone for it (ES -> Europe/Madrid, not the
// Canaries). A country whose zones disagree on the date at `t` (US, CA, AU, RU, BR, MX...) gets
// the latest of their dates: a rule is in force as soon as its day has begun somewhere in the
// country. A country ICU knows no zone for is not_found.
Result<LocalDate> local_date(std::string_view country, Timestamp t);

// The local date of `t` in the IANA zone `zone`; not_found if ICU does not know the zone.
Result<Date> local_date_in(std::string_view zone, Timestamp t);

// Seconds east of UTC in `zone` at `t` (standard plus daylight offset).
Result<std::int64_t> utc_offset_seconds(std::string_view zone, Timestamp t);

}  // namespace landed
