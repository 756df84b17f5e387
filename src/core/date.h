// Date: a proleptic Gregorian calendar day (the day a rule takes effect, a rate's as-of day).
// Timestamp: an instant in whole seconds, UTC; printed as RFC 3339 with a Z suffix.
// Both are only ever built from validated text or from each other, so they are always valid.
#pragma once

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace landed {

class Date {
 public:
  static std::optional<Date> parse(std::string_view text);  // "YYYY-MM-DD", a real calendar day
  static Date from_days(std::chrono::sys_days days) { return Date(days); }
  std::chrono::sys_days days() const { return days_; }
  std::string to_string() const;
  auto operator<=>(const Date&) const = default;

 private:
  explicit Date(std::chrono::sys_days d) : days_(d) {}
  std::chrono::sys_days days_;
};

class Timestamp {
 public:
  // RFC 3339 in UTC: "YYYY-MM-DDTHH:MM:SSZ" (fractional seconds accepted and dropped; "+00:00"
  // accepted as Z). A bare date "YYYY-MM-DD" means its midnight UTC.
  static std::optional<Timestamp> parse(std::string_view text);
  static Timestamp from_seconds(std::int64_t s) { return Timestamp(s); }
  std::int64_t seconds() const { return seconds_; }
  Date date() const;
  Timestamp plus_seconds(std::int64_t s) const { return Timestamp(seconds_ + s); }
  std::string to_string() const;
  auto operator<=>(const Timestamp&) const = default;

 private:
  explicit Timestamp(std::int64_t s) : seconds_(s) {}
  std::int64_t seconds_;
};

}  // namespace landed
