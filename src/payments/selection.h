// The payments stage (issue #11): which payment methods a buyer is offered, in rank order, and
// why each other method is not. Pure: a function of the payment rules and what the quote knows
// (buyer country, presentment currency, the amount paid at checkout, channel, device, card BIN,
// date). It formats nothing; names and sentences are the display's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "money/money.h"
#include "payments/card_brand.h"
#include "rules/payment_rules.h"

namespace landed {

struct PaymentContext {
  std::string country;   // the buyer's: ship_to.country
  Money amount;          // what the buyer pays at checkout, in the presentment currency
  std::string channel = "web";
  std::optional<std::string> device;  // "ios", "android", "desktop"; none: unknown
  bool apple_desktop = false;          // a desktop whose User-Agent says Macintosh (a Mac or an iPad)
  std::string card_bin;  // 6 to 8 digits, or empty
  Date date = *Date::parse("1970-01-01");
};

// Why a method is not offered. Codes: not_in_force, country_not_supported,
// currency_not_supported, below_minimum, above_maximum, channel_not_supported,
// device_not_supported, brand_not_accepted.
struct PaymentReason {
  std::string code;
  std::optional<Money> limit;  // below_minimum: the minimum; above_maximum: the maximum
  const PaymentAmountRange* range = nullptr;  // the range that set the limit, for its source
  std::string value;           // what was tested: the country, currency, channel, device, brand
};

struct PaymentOption {
  const PaymentMethod* method = nullptr;
  int rank = 0;
  std::vector<PaymentReason> reasons;  // empty: eligible
};

struct PaymentSelection {
  std::vector<PaymentOption> eligible;  // in rank order, then id
  std::vector<PaymentOption> excluded;  // in id order
  std::vector<const CardBrand*> accepted_brands;  // the market's, in detection order
  std::optional<BrandMatch> bin;                  // when a card BIN was given
  bool brands_in_force = false;                   // card brand rules exist and are in force
};

// all_methods: every method in the rules (the explain endpoint); otherwise only those offered in
// the buyer's country, so a quote says why a local method is absent without listing the world.
PaymentSelection select_payment_methods(const PaymentRules& rules, const PaymentContext& ctx, bool all_methods);

}  // namespace landed
