// The tax stage: every tax a destination levies on a cart, who collects it and when, and what is
// not charged and why. Pure function of its inputs: the rules of the quote's date, the lines
// already converted to the presentment currency, the seller's and buyer's facts, and a converter
// for regime thresholds (the regime's own rates, never the shop's marked-up ones).
//
// Who collects (issue #9 item 3):
// - a domestic sale, or a distance sale inside one VAT area (EU OSS): the seller charges it at
//   checkout and declares it (checkout + seller_return);
// - an import under a low-value regime the merchant is registered for (IOSS, UK, VOEC, AU/NZ/SG
//   GST): checkout + seller_return, whatever the incoterm;
// - an import otherwise: paid at the border (remitted import), at checkout under DDP, to the
//   carrier on delivery under DAP; its base is the goods, their share of shipping and their duty;
// - not charged at all (taxes_waived): an exempt product kind, a value under a not-levied
//   threshold (CH, IL, JP, KR, CA couriers), a regime the merchant is not registered for where
//   the border levies nothing (AU, NZ, SG), a business buyer who accounts for it himself
//   (reverse charge, import VAT by the importer), a destination outside the VAT area.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "rules/rule_set.h"

namespace landed {

struct TaxLine {
  std::string category;  // product kind or band, as the item says ("general" by default)
  Money value;           // the line's price in the presentment currency (tax included if prices include it)
  Decimal unit_value;    // one article's price, exact (per-item regimes test it)
  Money duty;            // customs duty on the line: in an import's base (zero until duties are priced)
  std::string pointer;   // "/items/N", for errors
};

// `amount` in `to` at the rates `rate_source` names (mid, no markup), or why not.
using RegimeConverter = std::function<Result<Decimal>(const Money& amount, Currency to, const std::string& rate_source)>;

enum class Collected { checkout, delivery };
enum class Remitted { seller_return, import };
const char* to_string(Collected c);
const char* to_string(Remitted r);

// Where a cart goes, for tax: a jurisdiction's file, possibly through a territory of the country
// (Busingen -> CH, Reunion -> FR-DOM), or outside the VAT area altogether.
struct Destination {
  const Jurisdiction* country = nullptr;       // the country's own file
  const Jurisdiction* jurisdiction = nullptr;  // whose taxes apply (== country unless a territory says)
  const Territory* territory = nullptr;        // the territory that matched, if any
  bool outside_vat_area() const {
    return territory && territory->treatment == TerritoryTreatment::outside_vat_area;
  }
};

// The destination for a ship_to, or errors on /ship_to/country and /ship_to/region.
Result<Destination> resolve_destination(const RuleSet& rules, const std::string& country, const std::string& region,
                                        const std::string& postal_code, const Date& date);

// Every item's tax_category resolved against the jurisdiction's taxes on `date`, or one error
// per item that cannot be (a band the jurisdiction has no rate for then).
Errors check_categories(const Jurisdiction& j, const std::string& region, const std::vector<TaxLine>& lines, const Date& date);

struct TaxInput {
  const RuleSet* rules = nullptr;
  Destination destination;
  std::string ship_from;       // ISO country the goods leave from
  std::string region;          // ship_to.region, "" if none
  bool business = false;       // a business buyer with a valid tax number
  bool ddp = true;             // DDP: import taxes at checkout; DAP: on delivery
  const Merchant* merchant = nullptr;
  std::vector<TaxLine> lines;  // at least one
  Money shipping;              // the cart's shipping price, in the presentment currency
  Date date = *Date::parse("1970-01-01");
  RegimeConverter convert;
};

// How a line's kind met a tax: the band it got, and from which mapping (empty: the standard
// rate, because the jurisdiction does not map the kind; or a band named explicitly).
struct TaxCategoryUse {
  std::string category, band, rule;
  bool fallback = false;  // the kind is not mapped: standard rate
  bool override_band = false;  // the item named a band, not a kind
};

struct RegimeTest {
  const TaxRegime* regime = nullptr;
  Money threshold;     // in the regime's currency
  Money value_tested;  // the value the regime names, converted at its rates
  bool within = false;
  bool excluded = false;  // within, but the item's kind is outside the regime (NO VOEC: food)
};

// A base rounded on its own inside a per-line-rounded charge.
struct TaxPart {
  std::optional<std::size_t> line;  // nullopt: shipping
  Money base, amount;
};

// One row of the quote's taxes[]: everything charged under one rate, collected one way.
struct TaxCharge {
  const TaxDef* tax = nullptr;
  const TaxRate* rate = nullptr;
  Collected collected = Collected::checkout;
  Remitted remitted = Remitted::seller_return;
  std::string reason;  // domestic | distance_sale | low_value_regime | import
  bool included = false;  // extracted from a tax-inclusive price
  std::optional<RegimeTest> regime;
  Money base, amount;
  std::vector<TaxPart> parts;  // per-line rounding: each base rounded on its own
  std::vector<TaxCategoryUse> categories;
};

// What is not charged, and why (taxes_waived[]).
struct TaxWaiver {
  std::string reason;  // exempt | reverse_charge | importer_accounts | below_threshold | not_registered | outside_vat_area | no_tax_in_region
  std::string tax_id, tax_name;
  std::string rule, source;  // what waived it: a category mapping, a regime, a territory
  std::vector<std::size_t> lines;
  std::optional<RegimeTest> test;
  std::string territory;  // outside_vat_area: its name
  std::string category;   // exempt: the product kind
};

// A statement the quote must carry (notes[]): the reverse-charge mention, who accounts for
// import VAT, a price basis that could not apply.
struct TaxNote {
  std::string code;  // reverse_charge | importer_accounts | prices_exclusive_here
  std::string rule, source;
};

struct TaxResult {
  std::vector<Money> line_tax;  // per line: all tax on its goods
  std::vector<Money> line_tax_on_delivery;  // per line: the part of line_tax collected on delivery
  std::vector<Money> line_net;  // per line: value less the tax included in it
  Money shipping_tax, shipping_net;
  Money shipping_tax_on_delivery;
  std::vector<TaxCharge> charges;
  std::vector<TaxWaiver> waived;
  std::vector<TaxNote> notes;
  Money total;  // = sum of charges = sum of line_tax + shipping_tax
  bool prices_include_tax = false;
};

Result<TaxResult> compute_taxes(const TaxInput& in);

}  // namespace landed
