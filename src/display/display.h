// The display stage, last: every figure of a priced quote in the buyer's language and numbering
// system through ICU (totals, summary, labels), and every waiver, note and adjustment in words
// from the catalogs, right-to-left text isolating what runs left to right. It computes nothing.
#pragma once

#include <string>

#include "quote/quote.h"

namespace landed {

struct LocaleView;

// `region`: the ship_to.region the waivers may name ("US-OR levies no state sales tax").
void display_quote(Quote& q, const Localizer& l10n, const LocaleView& locale, const std::string& region);

// Why a payment method is not offered, as a sentence in `locale` (payment_reason.<code>):
// `method` its localized name, `country` the buyer's (ISO code; ICU names it), `brand` the card
// brand's name for brand_not_accepted (a BIN of no known brand is worded with `card_bin`).
// Amounts through ICU, LTR runs isolated in RTL text.
std::string payment_reason_message(const Localizer& l10n, const LocaleView& locale, const std::string& method,
                                   const QuotePaymentReason& reason, const std::string& country, const std::string& brand,
                                   const std::string& card_bin);

}  // namespace landed
