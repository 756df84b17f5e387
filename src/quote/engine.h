// The quote engine: a pure function of (request, snapshot, context). It reads no file, clock,
// network or database, so the same inputs always give the same quote.
#pragma once

#include "core/result.h"
#include "quote/quote.h"
#include "quote/request.h"

namespace landed {

Result<Quote> price(const Request& request, const Snapshot& snapshot, const QuoteContext& context);

}  // namespace landed
