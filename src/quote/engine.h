// The quote engine: a pure function of (request, snapshot, context). It reads no file, clock,
// network or database, so the same inputs always give the same quote.
#pragma once

#include "convert/converter.h"  // RatesState, rates_state, next_expected_publication
#include "core/result.h"
#include "quote/quote.h"
#include "quote/request.h"

namespace landed {

// `prior`: errors the request's parse already found (parse_request_partial); the engine adds
// its own (merchant, destination, region, categories, buyer number, currency, locale) and
// returns them all at once, so that fixing one field never reveals another.
Result<Quote> price(const QuoteRequest& request, const Snapshot& snapshot, const QuoteContext& context, Errors prior = {});

}  // namespace landed
