// Quote: the priced answer to a Request, as a value. Amounts are Money in the presentment
// currency; every figure names the rule and source it came from. Invariants (checked when the
// Engine builds it): items = Σ line subtotals; taxes = Σ tax charges = Σ line taxes + shipping
// tax; total = items + shipping + duties + taxes + fees collected at checkout; what is collected
// on delivery is in due_on_delivery and not in total.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "fx/rate_history.h"
#include "l10n/localizer.h"
#include "money/money.h"
#include "rules/rule_set.h"

namespace landed {

// Everything a quote is priced with: immutable, loaded and validated whole, swapped atomically.
struct Snapshot {
  std::shared_ptr<const RuleSet> rules;
  std::shared_ptr<const RateHistory> rates;
  std::shared_ptr<const Localizer> l10n;
};

// What the caller decides: the instant of the quote (rules in force on its date) and its id.
struct QuoteContext {
  Timestamp now = Timestamp::from_seconds(0);
  std::string quote_id;
  std::int64_t ttl_seconds = 30 * 60;
};

struct QuoteLine {
  std::string sku;
  std::int64_t quantity = 0;
  Money unit_price, subtotal, duty, tax, total;
};

struct QuoteShipping {
  std::string service;
  Money price, tax;
  std::optional<int> min_days, max_days;
};

struct QuoteTax {
  std::string name;
  Money amount;
  Decimal rate;
  Money base;
  std::string collected;  // "checkout" or "delivery"
  std::string rule, source;
};

struct QuoteFee {
  std::string name;
  Money amount;
  std::string rule;
};

struct QuoteFx {
  AppliedRate rate;
  std::string source;
  Date as_of;
};

struct Totals {
  Money items, shipping, duties, taxes, fees, total, due_on_delivery;
};

struct Display {
  std::string total, items, shipping, duties, taxes, fees, due_on_delivery, summary, direction;
  std::vector<std::pair<std::string, std::string>> labels;
};

struct Quote {
  std::string id;
  Timestamp created_at = Timestamp::from_seconds(0);
  Timestamp expires_at = Timestamp::from_seconds(0);
  std::string merchant;
  std::string channel;
  Currency currency;
  std::string locale;
  std::string incoterm;
  std::string ship_from, ship_to;
  std::vector<QuoteLine> lines;
  QuoteShipping shipping;
  std::vector<QuoteTax> duties;  // customs duties arrive with the duty engine; empty until then
  std::vector<QuoteTax> taxes;
  std::vector<QuoteFee> fees;    // likewise
  Totals totals;
  std::vector<QuoteFx> fx;
  Display display;
  std::string rules_version, rates_version;
};

}  // namespace landed
