// When the next rates are expected (issue #14, staleness policy): a table of rates is stale by
// how long its successor is overdue, not by its age, because sources do not publish every day.
//
// The ECB publishes its euro reference rates on TARGET business days, at around 16:00 Frankfurt
// time (fx/rate_history.h). TARGET is closed on Saturdays and Sundays and on New Year's Day, Good
// Friday, Easter Monday, 1 May (Labour Day), Christmas Day and 26 December: the long-term calendar
// of TARGET closing days, ECB press release of 14 December 2000 ("from 2002 until further
// notice", https://www.ecb.europa.eu/press/pr/date/2000/html/pr001214_4.en.html). Easter is
// computed with the Gregorian computus, not a table, so the calendar has no last year. Before
// 2002 the ECB closed on a few more days (31 December 1999, for one); treating those as business
// days can only make a back-dated quote's rates look due sooner, never hide a stale one.
//
// A JSON provider (fx/rate_document.h) publishes every day and its "date" is a UTC day, so the
// next table after `as_of` is expected at the start of the next UTC day: as_of + 1 day, 00:00Z.
#pragma once

#include "core/date.h"

namespace landed::target {

Date easter_sunday(int year);  // Gregorian calendar, any year from 1583
bool is_business_day(const Date& day);
Date next_business_day(const Date& day);  // the first TARGET business day strictly after `day`

// The instant the table after `as_of` is due: ECB, the next TARGET business day at 16:00 Frankfurt
// time; a daily provider, the next UTC midnight.
Timestamp next_ecb_publication(const Date& as_of);
Timestamp next_daily_publication(const Date& as_of);

}  // namespace landed::target
