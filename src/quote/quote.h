// Quote: the priced answer to a QuoteRequest, as a value. Amounts are Money in the presentment
// currency; every figure names the rule and source it came from. Invariants (checked when the
// Engine builds it): items = Σ line subtotals; taxes = Σ tax charges = Σ line taxes + shipping
// tax; adjustments = Σ adjustment lines; total = items + shipping + duties + taxes + fees +
// adjustments collected at checkout; what is collected on delivery is in due_on_delivery and
// not in total (and never cash-rounded).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "fx/rate_history.h"
#include "money/money.h"
#include "rules/rule_set.h"

namespace landed {

class Localizer;  // l10n/localizer.h: callers that format include it; ICU stays out of here

// Everything a quote is priced with: immutable, loaded and validated whole, swapped atomically.
struct Snapshot {
  std::shared_ptr<const RuleSet> rules;
  std::shared_ptr<const RateHistory> rates;
  std::shared_ptr<const Localizer> l10n;
};

// What a quote does with a conversion whose rates are beyond its merchant's refuse_after
// (rules/rule_set.h RatesStaleness): refuse it (503 stale_rates), or price it with a stale_rates
// warning. Warn-only is a development mode (tools/serve, an offline first run on the shipped
// snapshot); `landed serve` and `landed quote` refuse unless told --stale-rates warn.
enum class StaleRatesMode { refuse, warn };

// What the caller decides: the instant of the quote (rules in force on its date) and its id.
struct QuoteContext {
  Timestamp now = Timestamp::from_seconds(0);
  std::string quote_id;
  std::int64_t ttl_seconds = 30 * 60;
  StaleRatesMode stale_rates = StaleRatesMode::refuse;
};

struct QuoteLine {
  std::string sku;
  std::int64_t quantity = 0;
  // Rounded to the minor unit. Under line rounding it is shown for the buyer and the subtotal
  // is computed from unit_price_decimal (the exact converted unit price), not from it.
  Money unit_price, subtotal, duty, tax, total;
  // total = at_checkout + on_delivery: what of the line the buyer pays at checkout (its goods, and
  // the duty and tax collected there) and what the carrier collects on delivery (DAP imports).
  Money at_checkout, on_delivery;
  std::optional<Decimal> unit_price_decimal;  // line rounding only
  std::optional<Money> customs_value;         // when duties were computed: goods + freight share (CIF)
};

struct QuoteShipping {
  std::string service;
  Money price, tax;
  Money at_checkout, on_delivery;  // price + tax, split as for lines
  std::optional<int> min_days, max_days;
};

// A base rounded on its own inside a per-line-rounded charge.
struct QuoteTaxPart {
  std::string of;  // JSON pointer into the quote: "/lines/0", "/shipping"
  Money base, amount;
};

// A regime's threshold test, as a tax or waiver entry shows it.
struct QuoteRegimeTest {
  std::string regime;  // rule id: "EU.ioss"
  std::string scheme;  // "IOSS"
  Money threshold, value_tested;
  std::string value;   // what was tested: "goods", "goods_and_shipping", "tax_amount"
  std::string per;     // "consignment" or "item"
  std::string boundary;  // "at_or_below" or "below"
  bool within = false;
  bool excluded = false;  // within, but the item's kind is outside the regime
};

// How a product kind met a tax: the band it got and the mapping that said so.
struct QuoteTaxCategory {
  std::string category, band, rule;
  bool fallback = false;        // not mapped by the jurisdiction: its standard rate
  bool override_band = false;   // the item named the band itself
};

struct QuoteTax {
  std::string name;
  std::string tax;  // the tax's id: "CA.gst"
  Money amount;
  Decimal rate;
  Money base;
  std::string collected;  // "checkout" or "delivery"
  std::string remitted;   // "seller_return" or "import"
  std::string reason;     // "domestic", "distance_sale", "low_value_regime", "import"
  bool included = false;  // extracted from a tax-inclusive price
  std::string rule, source;
  // How amount was rounded from base × rate: "total" (once) or "line" (the sum of parts).
  std::string rounding_mode, rounding_level;
  std::string base_method;  // "price" or "gross_up"
  std::vector<QuoteTaxPart> parts;
  std::vector<QuoteTaxCategory> categories;
  std::optional<QuoteRegimeTest> regime;
};

// A tax not charged, and why, with a sentence in the buyer's language.
struct QuoteTaxWaiver {
  std::string reason;
  std::string tax, name;  // the tax's id and local name; empty when the whole destination is outside
  std::string rule, source;
  std::vector<std::string> lines;  // JSON pointers into the quote: "/lines/0"
  std::optional<QuoteRegimeTest> test;
  std::string territory, category;
  std::string message;
};

// A statement the quote carries: the reverse-charge mention, who accounts for import VAT.
struct QuoteNote {
  std::string code;
  std::string rule, source;
  std::string message;
};

// A specific duty amount as the tariff states it (not rounded: "0.033" EUR per kg), in the
// territory's currency.
struct QuoteDutyPer {
  Decimal amount;
  Currency currency;
  std::string per;  // "item", "pair", "dozen", "kg", "100kg", "category"
};

// One row of duties[]: a tariff, preferential or additional duty on one line, or a flat amount
// for one HS 6 category spread over its lines.
struct QuoteDuty {
  std::string name;     // for the buyer, from the catalog
  std::string kind;     // "tariff", "preference", "additional", "flat_per_category"
  std::string measure;  // "ad_valorem", "specific", "compound", "flat_item_category"
  std::string hs_code;  // the tariff line matched; the HS 6 of a flat category
  std::optional<Decimal> rate;
  std::optional<QuoteDutyPer> specific, minimum, maximum;  // flat: specific is the per-category amount
  Money base, amount;
  std::optional<Money> mfn_amount;  // a preference: the tariff's duty it replaced
  std::string preference;           // agreement id
  std::string collected;            // "checkout" or "delivery"
  std::string rule, source;
  std::vector<QuoteTaxPart> parts;  // per line: its share of amount
};

// A relief's threshold test as the quote shows it.
struct QuoteReliefTest {
  std::string relief;     // rule id: "EU.flat_duty_low_value"
  std::string treatment;  // "no_duty" or "flat_per_category"
  Money threshold, value_tested;
  std::string value;      // "goods", "goods_and_shipping", "customs_value", "duty"
  std::string boundary;   // "at_or_below" or "below"
  bool within = false;
};

// Duty not charged, and why, with a sentence in the buyer's language.
struct QuoteDutyWaiver {
  std::string reason;  // "below_threshold", "same_customs_territory"
  std::string name;    // the relief's or territory's name (English, from the rules)
  std::string rule, source;
  std::vector<std::string> lines;
  std::optional<QuoteReliefTest> test;
  std::string message;
};

// How the border was priced: the customs territory, its valuation basis, the customs value, and
// the low-value reliefs tested.
struct QuoteCustoms {
  bool computed = false;  // false: Landed has no duty rules for the destination
  std::string territory, name, valuation;
  std::string customs_rate;  // the rate the territory's law names ("HMRC"); Landed converts at the ECB's
  std::string rate_source = "ECB";
  Money customs_value;
  std::vector<QuoteReliefTest> low_value;  // every relief in force that was tested
  std::string rounding = "HalfUp";         // each duty entry, to the minor unit
};

struct QuoteFee {
  std::string name;
  Money amount;
  std::string rule;
};

// A named line that changes the checkout total after everything else is priced; today only
// cash rounding ("cash_rounding"): the total rounded to the currency's cash increment, by a
// named mode, and the difference shown here (negative when rounded down).
struct QuoteAdjustment {
  std::string name;  // for the buyer, from the catalog: "Cash rounding"
  std::string code;  // stable: "cash_rounding"
  Money amount;
  Decimal increment;           // "0.05"
  std::string rounding_mode;   // "HalfUp"
  std::string applies_to;      // "total": what is collected at checkout, never due_on_delivery
  std::string rule, source;    // the merchant setting and its source
  std::string increment_source;  // "CLDR cash rounding in ICU 72.1"
};

struct QuoteFx {
  AppliedRate rate;
  std::string source;
  Date as_of;
};

// A rate table a quote converted with is beyond its merchant's warn_after: code "stale_rates",
// the table's source and as_of, the currencies of the conversions that used it, and words.
struct QuoteWarning {
  std::string code;
  std::string source;
  Date as_of = *Date::parse("1970-01-01");
  std::vector<std::string> currencies;  // sorted, unique
  std::string message;
};

// Why a payment method the buyer's country has is not offered (payments/selection.h codes).
struct QuotePaymentReason {
  std::string code;
  std::optional<Money> limit;  // below_minimum / above_maximum
  std::string value;           // what was tested
};

// A payment method as the quote lists it; name is the display stage's (catalog, brands as brands).
struct QuotePaymentMethod {
  std::string id, kind, name;
  bool delayed_capture = false;
  int rank = 0;
  std::vector<std::string> brands;  // card: the brands the market accepts
  std::vector<QuotePaymentReason> reasons;  // excluded methods only
};

// What the payments stage knew: the device (and where it came from), the BIN's brand.
struct QuotePayment {
  bool computed = false;      // false: no payment rules are loaded, and the quote says nothing
  std::string device;         // empty: unknown
  std::string device_source;  // "request", "user_agent" or empty
  std::string channel_source = "request";  // or "user_agent", "default"
  bool bin_given = false;
  bool brand_decided = false;
  std::vector<std::string> bin_brands;  // the brand, or the brands the BIN may still be
};

struct Totals {
  Money items, shipping, duties, taxes, fees, adjustments, total, due_on_delivery;
};

struct Display {
  std::string total, items, shipping, duties, taxes, fees, adjustments, due_on_delivery, summary, direction;
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
  LineRounding line_rounding = LineRounding::line;
  // The destination's civil date at created_at, and its zone: the date whose rules priced it.
  Date local_date = *Date::parse("1970-01-01");
  std::string time_zone;
  std::string ship_from, ship_to;
  std::vector<QuoteLine> lines;
  QuoteShipping shipping;
  QuoteCustoms customs;
  std::vector<QuoteDuty> duties;
  std::vector<QuoteDutyWaiver> duties_waived;
  std::vector<QuoteTax> taxes;
  std::vector<QuoteTaxWaiver> taxes_waived;
  std::vector<QuoteNote> notes;
  std::string tax_jurisdiction;  // the rule file whose taxes applied: "HR", "FR-DOM"
  std::string territory;         // the territory rule that matched ship_to, if any
  bool prices_include_tax = false;
  std::string buyer_type = "consumer";
  std::string buyer_vat_id;      // normalized, for a business buyer
  std::vector<QuoteFee> fees;    // likewise
  std::vector<QuoteAdjustment> adjustments;  // cash rounding, when the merchant applies it
  Totals totals;
  std::vector<QuoteFx> fx;
  std::vector<QuoteWarning> warnings;  // empty: the JSON has no "warnings"
  QuotePayment payment;
  std::vector<QuotePaymentMethod> payment_methods;           // eligible, in rank order
  std::vector<QuotePaymentMethod> payment_methods_excluded;  // offered in the country, not to this buyer
  Display display;
  std::string rules_version, rates_version;
};

}  // namespace landed
