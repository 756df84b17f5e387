#include "fx/rate_sources.h"

#include <algorithm>
#include <stdexcept>

namespace landed {

bool RateSources::has(std::string_view code) const {
  return primary_->has(code) || (secondary_ && secondary_->has(code));
}

std::string RateSources::source_of(std::string_view code) const {
  if (primary_->has(code)) return primary_->source();
  if (secondary_ && secondary_->has(code)) return secondary_->source();
  return {};
}

Result<SourcedRate> RateSources::rate(Currency from, Currency to, const Decimal& markup) const {
  const BaseRateTable& p = *primary_;
  if (from == to || (p.has(from.code()) && p.has(to.code()))) {
    auto r = p.rate(from, to, markup);
    if (!r.ok()) return r.errors();
    return SourcedRate{*r, p.source(), p.as_of()};
  }
  for (const Currency& c : {from, to}) {
    if (!has(c.code())) {
      std::string names = p.source();
      if (secondary_) names += " or " + secondary_->source();
      return Error{ErrorCode::not_found, "no " + names + " rate for " + std::string(c.code()), ""};
    }
  }
  const BaseRateTable& s = *secondary_;  // one of the two is only in the secondary
  const std::string bridge(s.base().code());
  const Decimal* p_bridge = p.find(bridge);
  const bool from_in_p = p.has(from.code());
  const bool to_in_p = p.has(to.code());
  const bool secondary_alone = (s.has(from.code()) && s.has(to.code()) && (p_bridge == nullptr || (!from_in_p && !to_in_p) ||
                                                                        (from_in_p && from.code() == bridge) ||
                                                                        (to_in_p && to.code() == bridge)));
  if (secondary_alone) {
    auto r = s.rate(from, to, markup);
    if (!r.ok()) return r.errors();
    return SourcedRate{*r, s.source(), s.as_of()};
  }
  if (p_bridge == nullptr) {
    return Error{ErrorCode::not_found,
                 "no " + p.source() + " rate for " + bridge + " (" + s.source() + "'s base), so " +
                     std::string((from_in_p ? to : from).code()) + " cannot be crossed with " +
                     std::string((from_in_p ? from : to).code()), ""};
  }
  // One side in the primary, the other only in the secondary: carry it across through the bridge.
  Result<AppliedRate> r = Error{ErrorCode::not_found, "", ""};
  try {
    if (from_in_p) r = applied_rate(from, to, *s.find(to.code()) * *p_bridge, *p.find(from.code()), markup);
    else r = applied_rate(from, to, *p.find(to.code()), *s.find(from.code()) * *p_bridge, markup);
  } catch (const std::overflow_error&) {
    return Error{ErrorCode::out_of_range,
                 "the cross rate " + std::string(from.code()) + "->" + std::string(to.code()) + " is beyond the range of exact decimals", ""};
  }
  if (!r.ok()) return r.errors();
  return SourcedRate{*r, p.source() + "+" + s.source(), std::min(p.as_of(), s.as_of())};
}

}  // namespace landed
