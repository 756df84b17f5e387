// The adjust stage: lines that change the checkout total after everything else is priced.
// Today cash rounding: the total rounded to the presentment currency's cash increment (ICU/CLDR,
// CHF 0.05) by the merchant's named mode, the difference a named line, so the total stays the
// sum of its parts. Applied once, to what is collected at checkout: due_on_delivery is collected
// by someone else, later, and is never rounded. Pure.
#pragma once

#include <optional>

#include "quote/quote.h"

namespace landed {

// The adjustment for `total` (its name is the display stage's), or nothing when the merchant
// does not cash-round this currency.
std::optional<QuoteAdjustment> cash_rounding(const Money& total, const Merchant& merchant);

}  // namespace landed
