// Payment method rules (rules/payments/, issue #11): where each method is offered (buyer
// countries, presentment currencies, amount ranges in minor units, channels, devices), whether it
// can capture later, and its rank per market; and card brands with their BIN patterns and the
// brands each market accepts. Typed and validated by the loader; the selection is src/payments/.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "money/money.h"
#include "rules/provenance.h"

namespace landed {

// What a method is, for the buyer and for reports; the loader refuses anything else.
inline constexpr std::string_view payment_kinds[] = {"card", "wallet", "bnpl", "bank_redirect", "real_time_payment",
                                                     "bank_transfer", "voucher", "mobile_money"};
// Where a checkout runs: a social app's in-app browser, or the web (QuoteRequest.channel).
inline constexpr std::string_view channels[] = {"instagram", "facebook", "tiktok", "pinterest", "snapchat", "wechat",
                                           "douyin", "line", "kakaotalk", "whatsapp", "web"};
// The devices a checkout can be on (buyer.device, or derived from buyer.user_agent).
inline constexpr std::string_view devices[] = {"ios", "android", "desktop"};
// What a method's rule may name: the devices, and "macos" for a desktop whose User-Agent says
// Macintosh (a Mac, or an iPad asking for desktop sites): Apple Pay works there too.
inline constexpr std::string_view rule_devices[] = {"ios", "android", "desktop", "macos"};

// An inclusive amount range in minor units of one currency, for buyers anywhere (countries
// empty) or in the countries listed; the entry naming the buyer's country wins.
struct PaymentAmountRange {
  Currency currency;
  std::vector<std::string> countries;
  std::int64_t min_minor = 0;
  std::int64_t max_minor = 0;
  std::string source;
};

// A list that is either everything ("*") or the values named, sorted for lookup.
struct AnyOf {
  bool any = false;
  std::vector<std::string> values;  // sorted
  bool has(std::string_view v) const;
};

struct PaymentMethod {
  Provenance provenance;  // id: snake_case, stable; the catalog key is payment_method.<id>
  std::string kind;
  std::string rank_source;
  AnyOf countries, currencies, channels, devices;
  std::vector<std::string> channels_excluded;  // sorted
  std::vector<PaymentAmountRange> amounts;
  bool delayed_capture = false;
  int rank_default = 0;
  std::map<std::string, int, std::less<>> rank_markets, rank_channels;
  std::string name_key;  // "payment_method.<id>", built once
  std::string file;
  // The range that applies to a buyer in `country` paying in `currency`, or nullptr (no limit).
  const PaymentAmountRange* range_for(std::string_view currency, std::string_view country) const;
  int rank_in(std::string_view country, std::string_view channel) const;
};

// A BIN prefix or an inclusive range of equal-length prefixes ("51-55"); lo == hi for a prefix.
struct CardPattern {
  std::string lo, hi;
};

struct CardBrand {
  std::string id;    // snake_case: "american_express"
  std::string name;  // the brand as written everywhere: "American Express"
  std::vector<CardPattern> patterns;
  // A domestic scheme (RuPay, mada): the markets where it is tested before the international
  // brands, whose prefixes its BINs share. Without patterns it cannot be detected at all: a BIN
  // there may be one of its cards whatever international brand the prefix resembles.
  std::vector<std::string> markets;
  std::string source, note;
};

struct CardBrandRules {
  Provenance provenance;
  std::string acceptance_source, acceptance_note, file;
  std::vector<CardBrand> brands;  // in detection order
  std::vector<CardBrand> local_brands;
  std::vector<std::string> accepted_default;
  std::map<std::string, std::vector<std::string>, std::less<>> accepted_markets;
  const std::vector<std::string>& accepted_in(std::string_view country) const;
  const CardBrand* brand(std::string_view id) const;  // international or local
};

struct PaymentRules {
  std::vector<PaymentMethod> methods;  // sorted by id
  std::optional<CardBrandRules> cards;
  // Built once the set is read: for each country, the methods offered there, ids in order,
  // then those offered everywhere; a country no method names gets `everywhere`.
  std::unordered_map<std::string, std::vector<std::size_t>> by_country;
  std::vector<std::size_t> everywhere;
  const std::vector<std::size_t>& offered_in(const std::string& country) const;
  const PaymentMethod* find(std::string_view id) const;
  void index();
};

}  // namespace landed
