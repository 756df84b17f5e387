// Validation of a candidate rate document before any quote may use it (issue #14, item 2). Pure:
// "now" and the last accepted table are passed in. A candidate is refused, with every reason
// that applies (each a stable code of rate_refusal, fx/rate_document.h, naming the currencies):
//   malformed        not the format, truncated, empty, ... (fx/rate_document.h)
//   unknown_currency a code ICU does not know as a current ISO 4217 currency (the base included)
//   bad_rate         not a positive decimal within rate_fraction_digits_max / amount_integer_digits_max
//   future_date      its newest day is after today's date in the source's zone (below)
//   stale_document   its newest day is older than the last accepted table's day
//   moved_too_far    a rate differs from the last accepted one by more than move_fraction_max
//                    (|new - old| > max × old, exactly) and no operator accepted the document
//   base_changed     its base is not the last accepted table's, so moves cannot be compared
//                    (an operator's acceptance lets it through, as for a move)
// "Today" is the date in `ValidationPolicy::zone` at `now`. Default by format: ECB documents
// (XML, CSV) use Europe/Berlin, where the ECB publishes; a JSON provider's zone is not known, so
// its date is future only once no place on Earth has reached it yet: UTC+14 (Etc/GMT-14). A
// document for the same day as the last accepted is not stale (a re-publication or a correction,
// still subject to the move bound). Moves are checked for the newest day only, against the last
// accepted table; the older days of a 90-day file are history from the same publisher.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "fx/rate_document.h"

namespace landed {

struct ValidationPolicy {
  // limits::fx_move_fraction_max unless set; a fraction, "0.20" = 20 %.
  Decimal move_fraction_max = default_move_fraction_max();
  // An operator accepted this document (`landed rates accept FILE`): moves beyond the bound and a
  // changed base pass. Nothing else does: a malformed, future or stale document is never accepted.
  bool operator_accepted = false;
  // IANA zone for "today"; empty: the format's default (above). Must be a zone ICU knows (check it
  // when configuring: local_date_in in core/time_zone.h).
  std::string zone;

  static Decimal default_move_fraction_max();
};

struct RateVerdict {
  std::vector<Refusal> refusals;  // empty: accepted
  std::vector<BaseRateTable> days;  // accepted: the document's tables, oldest first; else empty
  // Informational, for the one-line log:
  std::vector<std::string> moved;    // beyond the bound but accepted by an operator
  std::vector<std::string> dropped;  // in the last accepted table, absent from the newest day
  bool unchanged = false;            // same day and same rates as the last accepted table

  bool accepted() const { return refusals.empty(); }
  const BaseRateTable& newest() const;  // accepted only
  bool refused_for(std::string_view reason) const;
  // One line: "accepted ECB 2026-04-13: 31 currencies, 1 day" or
  // "refused PROVIDER: moved_too_far (KWD): KWD 0.3072 -> 0.4608 (+50.0 %)".
  std::string summary(std::string_view source) const;
};

RateVerdict validate_rates(const RateDocument& document, const BaseRateTable* last_accepted, Timestamp now,
                           const ValidationPolicy& policy = {});

// Reads `text` in `format` (a failure is one "malformed" refusal) and validates it.
RateVerdict validate_document(std::string_view text, RateFormat format, std::string source,
                              const BaseRateTable* last_accepted, Timestamp now, const ValidationPolicy& policy = {});

// The last accepted table of one source. A refused document leaves it exactly as it was, so the
// last good rates keep serving; an accepted one replaces it with its newest day.
class AcceptedRates {
 public:
  AcceptedRates() = default;
  explicit AcceptedRates(BaseRateTable last) : current_(std::move(last)) {}

  const BaseRateTable* current() const { return current_ ? &*current_ : nullptr; }
  RateVerdict offer(std::string_view text, RateFormat format, std::string source, Timestamp now,
                    const ValidationPolicy& policy = {});

 private:
  std::optional<BaseRateTable> current_;
};

}  // namespace landed
