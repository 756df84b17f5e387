// RuleSet: every tax and merchant rule, typed and validated as a whole, immutable once built.
// Each rule carries where it comes from (source) and when it is in force (effective_from,
// optional effective_to, exclusive), so a quote can be priced with the rules of its own date
// and explain every figure. Shared between requests as std::shared_ptr<const RuleSet>.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "money/money.h"
#include "money/rounding.h"
#include "rules/duty_rules.h"
#include "rules/payment_rules.h"
#include "rules/provenance.h"

namespace landed {

// Rate bands a tax sets rates for ("zero": taxable at 0 %, zero-rated). An item may name one
// in `tax_category` as an explicit override of its product kind's mapping.
inline constexpr std::string_view tax_bands[] = {"standard", "reduced", "reduced2", "super_reduced", "parking", "zero"};
// What a product kind maps to when it is not taxed at all (exempt: no rate, no tax).
inline constexpr std::string_view tax_band_exempt = "exempt";
// Kinds of product a merchant tags items with; each jurisdiction maps a kind to one of its
// bands (or exempt), with a source. A kind a jurisdiction does not map is taxed at its standard
// rate, and the quote says so. Adding a kind is a code change on purpose: every jurisdiction's
// mapping is then reviewed against it.
inline constexpr std::string_view product_kinds[] = {"general", "books", "ebooks", "newspapers", "children_clothing",
                                                     "food", "medicines", "cosmetics", "digital_services"};
bool is_tax_band(std::string_view s);
bool is_product_kind(std::string_view s);

struct TaxRate {
  Provenance provenance;
  std::string band;
  Decimal rate;  // fraction: "0.25" = 25 %
};

// Product kind -> band ("exempt" included), in force over a period.
struct TaxCategoryRule {
  Provenance provenance;
  std::string category;
  std::string band;
};

// Per line: each line's tax is rounded. Per total: tax on the sum of bases at one rate is
// rounded once and allocated back to lines by largest remainder.
enum class RoundingLevel { line, total };

// How a tax's amount comes from its base: on the price (amount = base x rate), or grossed up
// ("por dentro", Brazil's ICMS: the tax is part of its own base, amount = base x rate / (1 - rate)).
enum class TaxBaseMethod { price, gross_up };

// One tax of a jurisdiction (VAT, GST, HST, QST, a US state's sales tax, ICMS).
struct TaxDef {
  std::string id;    // "CA.gst"
  std::string name;  // local name shown to the buyer: "PDV", "GST"
  std::vector<std::string> regions;  // ISO 3166-2 codes it applies in; empty: everywhere
  bool shipping_taxed = true;        // the line's share of shipping is in its base
  TaxBaseMethod base = TaxBaseMethod::price;
  std::vector<TaxRate> rates;
  std::vector<TaxCategoryRule> categories;
  bool applies_in(std::string_view region) const;
  const TaxRate* rate(std::string_view band, const Date& date) const;
  const TaxCategoryRule* category(std::string_view kind, const Date& date) const;
  std::vector<std::string> bands_in_force(const Date& date) const;
};

// A part of a country taxed differently, matched by ship_to.postal_code prefix or region:
// outside the VAT area altogether (Canary Islands, Heligoland), or under another jurisdiction's
// taxes (Busingen: Swiss VAT; the French overseas departments' own rates).
enum class TerritoryTreatment { outside_vat_area, jurisdiction };

struct Territory {
  Provenance provenance;
  std::string name;
  std::vector<std::string> postal_prefixes;  // compared with the postcode without spaces, uppercased
  std::vector<std::string> regions;
  TerritoryTreatment treatment = TerritoryTreatment::outside_vat_area;
  std::string jurisdiction;  // treatment jurisdiction: the id of the file whose taxes apply
  // How specifically it matches: region_match for a region, else the length of the longest
  // postcode prefix that matches (0: no match). The most specific territory wins, so that
  // Saint-Barthelemy's 97133 is not taken for Guadeloupe's 971.
  static constexpr std::size_t region_match = 1000;
  std::size_t match_length(std::string_view region, std::string_view postal_code_compact) const;
};

// Every tax of one destination: a country, or a territory with its own taxes ("FR-DOM").
struct Jurisdiction {
  std::string id;        // file stem: "HR", "CA", "FR-DOM"
  std::string country;   // ISO 3166-1 alpha-2 its rules belong to
  std::string name;
  std::string vat_area;  // "EU" for member states; empty otherwise
  std::string note;
  std::string file;
  Rounding rounding = Rounding::HalfUp;
  RoundingLevel level = RoundingLevel::line;
  std::string rounding_source;
  std::vector<std::string> region_codes;  // the ISO 3166-2 codes this file names
  bool regions_complete = false;          // ship_to.region is required and must be one of them
  std::string regions_source;
  std::vector<TaxDef> taxes;
  std::vector<Territory> territories;
  // Whether an import's tax base includes the customs duty (VAT and GST: customs value + duty);
  // a retail sales tax (US states) is on the sale price alone.
  bool duty_in_import_base = true;
  bool has_region(std::string_view code) const;
};

// A low-value or who-collects regime (EU IOSS, UK <= GBP 135, NO VOEC, AU/NZ/SG GST on low-value
// goods, CH small amounts, IL, JP, KR, CA courier): below its threshold, a registered merchant
// collects the tax at checkout and declares it (seller_return), or no tax is levied at all.
enum class RegimeBoundary { at_or_below, below };
enum class RegimeValue { goods, goods_and_shipping, tax_amount };
enum class RegimeOutcome { seller_return, not_levied };
enum class RegimeUnregistered { import, not_levied };
enum class RegimeBusiness { reverse_charge, importer_accounts };

struct RegimeThreshold {
  std::vector<std::string> origins;  // ship_from countries it is for; empty: any
  Money amount;
};

struct TaxRegime {
  Provenance provenance;
  std::string name;
  std::string scheme;  // the registration a merchant needs: "IOSS", "VOEC"
  std::vector<std::string> jurisdictions;
  std::vector<RegimeThreshold> thresholds;
  RegimeBoundary boundary = RegimeBoundary::at_or_below;
  RegimeValue value = RegimeValue::goods;
  std::optional<Decimal> value_factor;  // JP: 60 % of the retail price
  bool per_item = false;                // tested on each article, not on the consignment
  std::string rate_source;              // "ECB"
  RegimeOutcome outcome = RegimeOutcome::seller_return;
  RegimeUnregistered unregistered = RegimeUnregistered::import;
  RegimeBusiness business = RegimeBusiness::importer_accounts;
  std::vector<std::string> excluded_categories;
  std::string file;
  const RegimeThreshold* threshold_for(std::string_view origin) const;
  bool within(const Decimal& tested, const Decimal& threshold) const {
    return boundary == RegimeBoundary::at_or_below ? tested <= threshold : tested < threshold;
  }
  bool excludes(std::string_view category) const;
};

struct ShippingService {
  std::string service;
  Money price;
  int min_days = 0;
  int max_days = 0;
};

struct Registration {
  std::string scheme;   // e.g. "IOSS", "UK-VAT", "VOEC"
  std::string number;
  std::string country;  // where it applies; "EU" for IOSS
};

// How a line's subtotal is rounded into the presentment currency.
// line: subtotal = round(unit × quantity × rate), once (Stripe's unit_amount_decimal): a unit
//       price finer than the minor unit (0.004999 EUR) is priced exactly, never zeroed.
// unit: the converted unit price is rounded, then multiplied by the quantity, for merchants who
//       print unit prices; their unit prices must be whole minor units.
enum class LineRounding { line, unit };
constexpr std::string_view to_string(LineRounding r) { return r == LineRounding::line ? "line" : "unit"; }

// A markup for some currency pairs, overriding the merchant's default (fx.markups[] in its file).
// A missing side matches any currency. See Merchant::markup_for for which one wins.
struct FxMarkup {
  std::optional<Currency> from, to;
  Decimal markup;  // fraction added to the mid rate, 0 <= markup < limits::fx_markup_max
  std::string source, note;
};

// Cash rounding of the presentment total, in the currencies the merchant lists, to each one's
// cash increment as ICU/CLDR knows it (CHF 0.05). Applied once, to what is collected at checkout,
// and shown in the quote as an adjustment line.
struct CashRounding {
  std::vector<Currency> currencies;  // each has a cash increment (checked at load)
  Rounding mode = Rounding::HalfUp;
  std::string source, note;
  bool applies_to(Currency c) const;
};

// How old a quote's rates may be (issue #14, staleness policy), per merchant: hours past the next
// expected publication of the table a conversion used (fx/target_calendar.h). Beyond warn_after
// the quote carries a stale_rates warning; beyond refuse_after it is refused (503) unless the
// service runs in warn-only mode. A merchant file's "rates_staleness" sets them; without one the
// defaults below apply, and their provenance is this declaration: the figures of issue #14
// ("default 36 h past the next expected publication", "default 96 h"), which leave a day and a
// half for a late publication or a fetch retried through an outage, and refuse once four days'
// worth of market moves may be missing.
inline constexpr std::int64_t rates_warn_after_hours_default = 36;
inline constexpr std::int64_t rates_refuse_after_hours_default = 96;
inline constexpr const char* rates_staleness_default_source =
    "Landed default (issue #14): warn 36 h, refuse 96 h past the next expected publication";

struct RatesStaleness {
  std::int64_t warn_after_hours = rates_warn_after_hours_default;
  std::int64_t refuse_after_hours = rates_refuse_after_hours_default;
  std::string source = rates_staleness_default_source;
};

// Whether a merchant's prices include the destination's tax: a default, and per market (a
// jurisdiction id such as "GB", or a VAT area such as "EU"; the jurisdiction wins).
struct PricesIncludeTax {
  bool by_default = false;
  std::map<std::string, bool, std::less<>> markets;
  bool for_market(const std::string& jurisdiction, const std::string& vat_area) const;
};

struct Merchant {
  Provenance provenance;
  std::string id;
  std::string name;
  std::string origin;            // ISO 3166-1 alpha-2
  Currency currency;             // price list currency
  std::string incoterm;          // default incoterm: "DDP" or "DAP"
  bool is_default = false;
  Decimal fx_markup;             // fraction added to the mid rate: the default for every pair
  std::vector<FxMarkup> fx_markups;  // per-pair overrides of fx_markup
  Rounding fx_rounding = Rounding::HalfEven;  // converted prices
  LineRounding line_rounding = LineRounding::line;
  std::vector<ShippingService> shipping;
  std::vector<Registration> registrations;
  PricesIncludeTax prices_include_tax;
  std::string file;  // the rule file it was read from
  bool registered_for(std::string_view scheme) const;
  std::optional<CashRounding> cash_rounding;  // absent: totals are not cash-rounded
  RatesStaleness rates_staleness;
  const ShippingService* find_shipping(const std::string& service) const;
  // The markup applied from -> to. Most specific wins: an override naming both currencies, else
  // one naming only `to`, else one naming only `from`, else fx_markup. (The loader refuses two
  // overrides for the same pair, so at most one matches at each level.)
  const Decimal& markup_for(Currency from, Currency to) const;
};

// A country's currency from a date, where ICU's data is behind the law (BG adopted the euro on
// 2026-01-01; ICU 72 still says BGN).
struct CountryCurrency {
  Provenance provenance;
  std::string country;
  Currency currency;
};

struct RuleFile {
  std::string path;     // relative to the rules folder
  std::string sha256;
  std::string concern;
  std::size_t rules = 0;
};

struct RuleSet {
  std::map<std::string, Jurisdiction, std::less<>> tax;  // by jurisdiction id
  std::vector<TaxRegime> regimes;
  // The regime covering `jurisdiction` on `date`, or nullptr.
  const TaxRegime* regime_for(std::string_view jurisdiction, const Date& date) const;
  std::map<std::string, Merchant, std::less<>> merchants;  // by id
  std::string default_merchant;  // empty if none is marked default
  std::vector<CountryCurrency> country_currencies;
  // The currency a rule sets for `country` on `date`, or nullptr (then ICU's applies).
  const CountryCurrency* currency_of(const std::string& country, const Date& date) const;
  PaymentRules payments;
  DutyRules duty;  // customs territories (rules/duty/): tariffs, preferences, additional duties
  std::vector<RuleFile> files;
  std::string version;  // "sha256:" over every file's path and content, in path order
  std::size_t rule_count() const;
};

}  // namespace landed
