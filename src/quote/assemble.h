// Putting a quote together from its stages' results: the tax stage's charges, waivers and notes
// as quote rows, the totals as sums of what the lines, taxes, duties, fees and adjustments say,
// and the invariants every quote must meet before it leaves the engine.
#pragma once

#include "duty/duty.h"
#include "quote/quote.h"
#include "payments/selection.h"
#include "tax/tax.h"

namespace landed {

// Lines' tax and net (and what of each is collected at checkout and on delivery), shipping's, and taxes[], taxes_waived[] and notes[] (messages are the
// display stage's).
void apply_taxes(Quote& q, const TaxResult& tax, const Jurisdiction& jurisdiction);

// customs, lines' duty and customs value, duties[] and duties_waived[] from the duty stage
// (names and messages are the display stage's). `ddp`: duties collected at checkout, else on
// delivery.
void apply_duties(Quote& q, const DutyResult& duty, bool ddp);

// A flat low-value duty (the EU's EUR 3) is collected with the VAT of the low-value regime that
// collects it at checkout (IOSS), whatever the incoterm: moves such duties, and their lines'
// shares, from delivery to checkout. After apply_taxes.
void collect_flat_duties_with_regime(Quote& q);

// payment_methods[] and payment_methods_excluded[] from the payments stage (names are the
// display stage's).
void apply_payments(Quote& q, const PaymentSelection& selection);

// totals from the quote's parts: items = sum of line subtotals, taxes = sum of taxes[], total =
// everything collected at checkout, due_on_delivery = the rest.
void sum_totals(Quote& q);

// Items, taxes and totals are the sums of their parts; total is what is collected at checkout.
// A broken invariant is a bug: it fails loudly.
void check_invariants(const Quote& q);

}  // namespace landed
