// RateSources: the rates a quote converts with, from a primary source (the ECB, per EUR) and
// optionally a secondary one (a JSON provider, per its own base, e.g. USD) for the currencies the
// primary lacks (KWD, AED, SAR, ...). Issue #14: "rates from the second source are used only for
// currencies the first lacks, and each quote's fx[] entry names the source actually used".
//
// How a conversion from -> to is formed (every case one division, rounded once by the shared rule
// in fx/base_rate_table.h, then × (1 + markup)):
//   1. The primary has both: the primary alone.                       source "ECB"
//   2. Only the secondary has one of them (say `to`) and the primary has the other and the
//      secondary's base B: the value of `to` is the secondary's, carried into the primary's unit
//      through B:  rate = s[to] × p[B] / p[from].                     source "ECB+PROVIDER"
//      When `from` is B itself (USD -> KWD with a USD-based provider) the primary's part is the
//      identity p[B] / p[B], so the rate is the provider's own quote.  source "PROVIDER"
//   3. Neither is in the primary (KWD -> AED), or the primary lacks B so nothing can be carried
//      across: the secondary alone, if it has both.                   source "PROVIDER"
//   4. Otherwise not_found, naming the currency no source has.
// So a currency's value comes from the first source that lists it (bar case 3's fallback):
// EUR -> KWD takes EUR -> USD from the ECB even if the provider also lists EUR.
// `as_of` of a cross is the older of the tables used: a cross is as stale as its oldest part.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "fx/base_rate_table.h"

namespace landed {

struct SourcedRate {
  AppliedRate rate;
  std::string source;  // "ECB", "PROVIDER" or "ECB+PROVIDER": table sources, primary first
  Date as_of;
};

class RateSources {
 public:
  explicit RateSources(BaseRateTable primary) : primary_(std::make_shared<const BaseRateTable>(std::move(primary))) {}
  RateSources(BaseRateTable primary, BaseRateTable secondary)
      : primary_(std::make_shared<const BaseRateTable>(std::move(primary))),
        secondary_(std::make_shared<const BaseRateTable>(std::move(secondary))) {}
  // Shares the tables (a quote builds one per request from the snapshot's history: no copies).
  // `secondary` may be null.
  RateSources(std::shared_ptr<const BaseRateTable> primary, std::shared_ptr<const BaseRateTable> secondary)
      : primary_(std::move(primary)), secondary_(std::move(secondary)) {}

  const BaseRateTable& primary() const { return *primary_; }
  const BaseRateTable* secondary() const { return secondary_.get(); }

  bool has(std::string_view code) const;
  // The source a currency's value comes from: the primary's name if it lists it, else the
  // secondary's, else empty.
  std::string source_of(std::string_view code) const;

  Result<SourcedRate> rate(Currency from, Currency to, const Decimal& markup) const;

 private:
  std::shared_ptr<const BaseRateTable> primary_;  // never null
  std::shared_ptr<const BaseRateTable> secondary_;
};

}  // namespace landed
