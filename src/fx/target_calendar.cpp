#include "fx/target_calendar.h"

#include "fx/rate_history.h"

namespace landed::target {
namespace {

using namespace std::chrono;

Date civil(int year, unsigned month, unsigned day) {
  return Date::from_days(sys_days(year_month_day{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)}));
}

Date plus_days(const Date& d, int n) { return Date::from_days(d.days() + days(n)); }

}  // namespace

Date easter_sunday(int year) {
  // The anonymous Gregorian computus (Meeus, Astronomical Algorithms, ch. 8): the first Sunday
  // after the ecclesiastical full moon on or after 21 March.
  const int a = year % 19, b = year / 100, c = year % 100;
  const int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int n = h + l - 7 * m + 114;
  return civil(year, unsigned(n / 31), unsigned(n % 31 + 1));
}

bool is_business_day(const Date& day) {
  const weekday wd{day.days()};
  if (wd == Saturday || wd == Sunday) return false;
  const year_month_day ymd{day.days()};
  const unsigned m = unsigned(ymd.month()), d = unsigned(ymd.day());
  if ((m == 1 && d == 1) || (m == 5 && d == 1) || (m == 12 && (d == 25 || d == 26))) return false;
  const Date easter = easter_sunday(int(ymd.year()));
  return day != plus_days(easter, -2) && day != plus_days(easter, 1);  // Good Friday, Easter Monday
}

Date next_business_day(const Date& day) {
  Date d = plus_days(day, 1);
  while (!is_business_day(d)) d = plus_days(d, 1);  // at most 4 closed days in a row (Easter)
  return d;
}

Timestamp next_ecb_publication(const Date& as_of) { return RateHistory::published_at(next_business_day(as_of)); }

Timestamp next_daily_publication(const Date& as_of) {
  return Timestamp::from_seconds(std::int64_t(plus_days(as_of, 1).days().time_since_epoch().count()) * 86400);
}

}  // namespace landed::target
