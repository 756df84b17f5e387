#include "core/date.h"

#include <cstdio>

namespace landed {
namespace {

// Reads exactly n ASCII digits at text[pos...]; nullopt for anything else.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto y = digits(text, 0, 4), m = digits(text, 5, 2), d = digits(text, 8, 2);
  if (!y || !m || !d) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{*y}, std::chrono::month{unsigned(*m)},
                                        std::chrono::day{unsigned(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return Date(std::chrono::sys_days{ymd});
}

std::string Date::to_string() const {
  const std::chrono::year_month_day ymd{days_};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return buf;
}

std::optional<Timestamp> Timestamp::parse(std::string_view text) {
  const auto day = Date::parse(text.substr(0, 10));
  if (!day) return std::nullopt;
  const std::int64_t base =
      std::chrono::duration_cast<std::chrono::seconds>(day->days().time_since_epoch()).count();
  if (text.size() == 10) return Timestamp(base);
  if (text.size() < 20 || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':')
    return std::nullopt;
  const auto hh = digits(text, 11, 2), mm = digits(text, 14, 2), ss = digits(text, 17, 2);
  if (!hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 59) return std::nullopt;
  std::string_view rest = text.substr(19);
  if (!rest.empty() && rest[0] == '.') {
    std::size_t i = 1;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
    if (i == 1) return std::nullopt;
    rest = rest.substr(i);
  }
  if (rest != "Z" && rest != "z" && rest != "+00:00") return std::nullopt;
  return Timestamp(base + *hh * 3600 + *mm * 60 + *ss);
}

Date Timestamp::date() const {
  const auto days = std::chrono::floor<std::chrono::days>(
      std::chrono::sys_seconds{std::chrono::seconds{seconds_}});
  return Date::from_days(days);
}

std::string Timestamp::to_string() const {
  const std::chrono::sys_seconds t{std::chrono::seconds{seconds_}};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", Date::from_days(day).to_string().c_str(),
                int(hms.hours().count()), int(hms.minutes().count()),
                int(hms.seconds().count()));
  return buf;
}

}  // namespace landed
