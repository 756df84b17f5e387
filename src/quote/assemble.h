// Putting a quote together from its stages' results: the tax stage's charges, waivers and notes
// as quote rows, the totals as sums of what the lines, taxes, duties, fees and adjustments say,
// and the invariants every quote must meet before it leaves the engine.
#pragma once

#include "quote/quote.h"
#include "payments/selection.h"
#include "tax/tax.h"

namespace landed {

// Lines' tax and net, shipping's, and taxes[], taxes_waived[] and notes[] (messages are the
// display stage's).
void apply_taxes(Quote& q, const TaxResult& tax, const Jurisdiction& jurisdiction);

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
