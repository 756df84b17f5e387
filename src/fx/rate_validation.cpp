#include "fx/rate_validation.h"

#include <algorithm>

#include "core/check.h"
#include "core/limits.h"
#include "core/time_zone.h"

namespace landed {
namespace {

std::string_view default_zone(RateFormat format) {
  switch (format) {
    case RateFormat::ecb_xml:
    case RateFormat::ecb_csv: return "Europe/Berlin";
    case RateFormat::provider_json: return "Etc/GMT-14";  // POSIX sign: UTC+14, where each day begins first
  }
  return "Etc/GMT-14";
}

// "USD 1.1684 -> 1.7526 (+50.0 %)"
std::string describe_move(const std::string& code, const Decimal& before, const Decimal& after) {
  const Decimal percent = Decimal::divide((after - before) * Decimal::from_int(100), before, 1, Rounding::HalfEven);
  return code + " " + before.to_string() + " -> " + after.to_string() + " (" + (percent.sign() > 0 ? "+" : "") +
         percent.to_string() + " %)";
}

}  // namespace

Decimal ValidationPolicy::default_move_fraction_max() {
  const auto d = Decimal::parse(limits::fx_move_fraction_max);
  LANDED_CHECK(d.ok() && d->sign() > 0, "fx_move_fraction_max is a positive decimal");
  return *d;
}

const BaseRateTable& RateVerdict::newest() const {
  LANDED_CHECK(accepted() && !days.empty(), "newest() of an accepted verdict");
  return days.back();
}

bool RateVerdict::refused_for(std::string_view reason) const {
  return std::any_of(refusals.begin(), refusals.end(), [&](const Refusal& r) { return r.reason == reason; });
}

std::string RateVerdict::summary(std::string_view source) const {
  std::string out;
  if (accepted()) {
    out = "accepted " + std::string(source) + " " + newest().as_of().to_string() + ": " +
          std::to_string(newest().per_base().size()) + " currencies, " + std::to_string(days.size()) +
          (days.size() == 1 ? " day" : " days");
    if (unchanged) out += " (unchanged)";
    if (!moved.empty()) {
      out += "; operator accepted moves of";
      for (const auto& c : moved) out += " " + c;
    }
    if (!dropped.empty()) {
      out += "; no longer listed:";
      for (const auto& c : dropped) out += " " + c;
    }
    return out;
  }
  out = "refused " + std::string(source) + ":";
  for (std::size_t i = 0; i < refusals.size(); ++i) {
    const auto& r = refusals[i];
    out += (i ? "; " : " ") + r.reason;
    if (!r.currencies.empty()) {
      out += " (";
      for (std::size_t j = 0; j < r.currencies.size() && j < 10; ++j) out += (j ? ", " : "") + r.currencies[j];
      if (r.currencies.size() > 10) out += ", ...";
      out += ")";
    }
    out += ": " + r.message;
  }
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

RateVerdict validate_rates(const RateDocument& doc, const BaseRateTable* last, Timestamp now, const ValidationPolicy& policy) {
  RateVerdict v;
  if (doc.days.empty()) {
    v.refusals.push_back({std::string(rate_refusal::malformed), {}, "no day of rates"});
    return v;
  }
  DocumentTables tables = tables_of(doc);
  v.refusals = tables.refusals;

  Date newest = doc.days.front().date;
  for (const auto& d : doc.days) newest = std::max(newest, d.date);
  const std::string zone(policy.zone.empty() ? default_zone(doc.format) : std::string_view(policy.zone));
  const auto today = local_date_in(zone, now);
  LANDED_CHECK(today.ok(), "ValidationPolicy::zone is a zone ICU knows (checked when configured)");
  if (newest > *today)
    v.refusals.push_back({std::string(rate_refusal::future_date), {},
                          "dated " + newest.to_string() + ", after today (" + today->to_string() + " in " + zone + ")"});

  if (last != nullptr) {
    if (newest < last->as_of())
      v.refusals.push_back({std::string(rate_refusal::stale_document), {},
                            "newest day " + newest.to_string() + " is older than the last accepted, " + last->as_of().to_string()});
    if (doc.base != last->base().code()) {
      if (!policy.operator_accepted)
        v.refusals.push_back({std::string(rate_refusal::base_changed), {doc.base, std::string(last->base().code())},
                              "base " + doc.base + " is not the last accepted table's base " + std::string(last->base().code()) +
                                  ": moves cannot be checked (an operator may accept it)"});
    } else if (!tables.days.empty()) {
      const BaseRateTable& candidate = tables.days.back();
      std::vector<std::string> moved;
      std::string examples;
      for (const auto& [code, after] : candidate.per_base()) {
        const Decimal* before = last->find(code);
        if (before == nullptr || code == doc.base) continue;
        const Decimal diff = after > *before ? after - *before : *before - after;
        if (diff > policy.move_fraction_max * *before) {
          if (moved.size() < 5) examples += (moved.empty() ? "" : ", ") + describe_move(code, *before, after);
          moved.push_back(code);
        }
      }
      if (!moved.empty()) {
        if (policy.operator_accepted) {
          v.moved = moved;
        } else {
          v.refusals.push_back({std::string(rate_refusal::moved_too_far), moved,
                                "moved more than " + policy.move_fraction_max.to_string() + " from the last accepted rates of " +
                                    last->as_of().to_string() + ": " + examples + (moved.size() > 5 ? ", ..." : "")});
        }
      }
      for (const auto& [code, before] : last->per_base())
        if (!candidate.has(code)) v.dropped.push_back(code);
      v.unchanged = candidate.as_of() == last->as_of() && candidate.per_base() == last->per_base();
    }
  }
  if (v.accepted()) v.days = std::move(tables.days);
  return v;
}

RateVerdict validate_document(std::string_view text, RateFormat format, std::string source, const BaseRateTable* last,
                              Timestamp now, const ValidationPolicy& policy) {
  auto doc = read_rate_document(text, format, std::move(source));
  if (!doc.ok()) {
    RateVerdict v;
    std::string message = doc.error().message;
    if (!doc.error().pointer.empty()) message += " (at " + doc.error().pointer + ")";
    v.refusals.push_back({std::string(rate_refusal::malformed), {}, std::move(message)});
    return v;
  }
  return validate_rates(*doc, last, now, policy);
}

RateVerdict AcceptedRates::offer(std::string_view text, RateFormat format, std::string source, Timestamp now,
                                 const ValidationPolicy& policy) {
  RateVerdict v = validate_document(text, format, std::move(source), current(), now, policy);
  if (v.accepted()) current_ = v.newest();
  return v;
}

}  // namespace landed
