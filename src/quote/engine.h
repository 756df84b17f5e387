// The quote engine: a pure function of (request, snapshot, context). It reads no file, clock,
// network or database, so the same inputs always give the same quote.
#pragma once

#include "core/result.h"
#include "quote/quote.h"
#include "quote/request.h"

namespace landed {

// `prior`: errors the request's parse already found (parse_request_partial); the engine adds
// its own (merchant, destination, region, categories, buyer number, currency, locale) and
// returns them all at once, so that fixing one field never reveals another.
Result<Quote> price(const QuoteRequest& request, const Snapshot& snapshot, const QuoteContext& context, Errors prior = {});

// Staleness (issue #14): a table is judged by how long the next one is overdue at the quote's
// instant, `now - next expected publication` (fx/target_calendar.h): fresh up to warn_after
// hours, stale beyond it (a warning), expired beyond refuse_after (refused, unless warn-only).
// "Beyond" is strict: exactly warn_after hours overdue is still fresh.
enum class RatesState { fresh, stale, expired };
const char* to_string(RatesState s);
RatesState rates_state(std::int64_t overdue_seconds, const RatesStaleness& policy);
// The instant the table after one of `source` dated `as_of` is due: `ecb` is the primary (ECB,
// TARGET days at 16:00 Frankfurt), else a daily provider (next UTC midnight).
Timestamp next_expected_publication(bool ecb, const Date& as_of);

}  // namespace landed
