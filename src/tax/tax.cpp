#include "tax/tax.h"

#include <algorithm>
#include <cctype>

#include "core/check.h"

namespace landed {
namespace {

enum class Sale { domestic, distance, import };

// The legal basis of an intra-EU business supply without VAT: exempt in the seller's state,
// accounted for by the buyer (the invoice says "reverse charge"). Article numbers are not cited:
// they were not verified against the consolidated text.
constexpr const char* eu_reverse_charge_source =
    "Council Directive 2006/112/EC on the common system of VAT (intra-Community supplies to taxable persons; "
    "reverse charge): https://eur-lex.europa.eu/eli/dir/2006/112/oj";

// How one line is treated by one tax, before amounts: charged (how), or waived (why).
struct Treatment {
  bool charged = true;
  Collected collected = Collected::checkout;
  Remitted remitted = Remitted::seller_return;
  std::string reason;
  std::optional<RegimeTest> regime;
  std::string waiver;  // when not charged
  std::string waiver_rule, waiver_source;
};

// A line's band under one tax: a named band, the kind's mapping in force, or standard.
struct Band {
  std::string band;
  TaxCategoryUse use;
  const TaxCategoryRule* mapping = nullptr;
};

Band band_of(const TaxDef& tax, const std::string& category, const Date& date) {
  Band b;
  b.use.category = category;
  if (is_tax_band(category)) {
    b.band = category;
    b.use.override_band = true;
  } else if (const TaxCategoryRule* c = tax.category(category, date)) {
    b.band = c->band;
    b.mapping = c;
    b.use.rule = c->provenance.id;
  } else {
    b.band = "standard";
    b.use.fallback = category != "general";
  }
  b.use.band = b.band;
  return b;
}

std::string compact_postcode(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '-') continue;
    out += (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
  }
  return out;
}

std::vector<const TaxDef*> taxes_in(const Jurisdiction& j, const std::string& region) {
  std::vector<const TaxDef*> out;
  for (const auto& t : j.taxes)
    if (t.applies_in(region)) out.push_back(&t);
  return out;
}

// A piece of base under one charge: a line's goods (with its duty, for an import), or its
// share of shipping.
struct Piece {
  std::size_t line;
  bool shipping;
  std::size_t charge;
  Money base;  // the amount the rate applies to; for an included tax, the gross amount
  Money tax;
};

}  // namespace

const char* to_string(Collected c) { return c == Collected::checkout ? "checkout" : "delivery"; }
const char* to_string(Remitted r) { return r == Remitted::seller_return ? "seller_return" : "import"; }

Result<Destination> resolve_destination(const RuleSet& rules, const std::string& country, const std::string& region,
                                        const std::string& postal_code, const Date& date) {
  const auto it = rules.tax.find(country);
  if (it == rules.tax.end())
    return Error{ErrorCode::unsupported, "Landed has no tax rules for " + country + " yet", "/ship_to/country"};
  Destination d;
  d.country = d.jurisdiction = &it->second;
  const Jurisdiction& j = it->second;
  if (!region.empty() && !j.region_codes.empty() && !j.has_region(region) && j.regions_complete) {
    std::string list;
    for (const auto& c : j.region_codes) list += (list.empty() ? "" : ", ") + c;
    return Error{ErrorCode::invalid_field, "is not a region of " + country + " (one of: " + list + ")", "/ship_to/region"};
  }
  if (region.empty() && j.regions_complete) {
    std::string list;
    for (const auto& c : j.region_codes) list += (list.empty() ? "" : ", ") + c;
    return Error{ErrorCode::missing_field, "is required for " + country + ", whose taxes differ by region (one of: " + list + ")",
                 "/ship_to/region"};
  }
  // A postcode may carry its country's letters ("AX-22100" on Aland, "FI-22100"): matched as written
  // and without them.
  std::string postal = compact_postcode(postal_code);
  if (postal.size() > 2 && std::isalpha(static_cast<unsigned char>(postal[0])) &&
      std::isalpha(static_cast<unsigned char>(postal[1])) && std::isdigit(static_cast<unsigned char>(postal[2])))
    postal = postal.substr(2);
  std::size_t best = 0;
  for (const auto& t : j.territories) {
    if (!t.provenance.in_force(date)) continue;
    const std::size_t len = t.match_length(region, postal);
    if (len <= best) continue;
    best = len;
    d.territory = &t;
  }
  if (d.territory && d.territory->treatment == TerritoryTreatment::jurisdiction)
    d.jurisdiction = &rules.tax.at(d.territory->jurisdiction);
  return d;
}

Errors check_categories(const Jurisdiction& j, const std::string& region, const std::vector<TaxLine>& lines, const Date& date) {
  Errors errors;
  const auto taxes = taxes_in(j, region);
  for (const auto& l : lines) {
    for (const TaxDef* t : taxes) {
      const Band b = band_of(*t, l.category, date);
      if (b.band == tax_band_exempt || t->rate(b.band, date)) continue;
      std::string bands;
      for (const auto& x : t->bands_in_force(date)) bands += (bands.empty() ? "" : ", ") + x;
      errors.push_back({ErrorCode::unsupported,
                        b.use.override_band
                            ? j.id + " " + t->name + " has no " + b.band + " rate in force on " + date.to_string() +
                                  " (its bands then: " + (bands.empty() ? "none" : bands) +
                                  "); tag the item with its product kind instead, e.g. \"books\""
                            : j.id + " " + t->name + " has no " + b.band + " rate in force on " + date.to_string(),
                        l.pointer + "/tax_category"});
      break;
    }
  }
  return errors;
}

Result<TaxResult> compute_taxes(const TaxInput& in) {
  LANDED_CHECK(!in.lines.empty(), "a cart has at least one line");
  LANDED_CHECK(in.destination.jurisdiction && in.merchant && in.rules, "the tax stage has its rules");
  const Currency cur = in.shipping.currency();
  const Jurisdiction& j = *in.destination.jurisdiction;
  const std::size_t n = in.lines.size();
  TaxResult out;
  out.line_tax.assign(n, Money::zero(cur));
  out.line_tax_on_delivery.assign(n, Money::zero(cur));
  out.shipping_tax = out.shipping_tax_on_delivery = Money::zero(cur);
  out.total = Money::zero(cur);
  out.line_net.reserve(n);
  for (const auto& l : in.lines) out.line_net.push_back(l.value);
  out.shipping_net = in.shipping;

  // Said even where no tax is due (outside the VAT area, a business buyer): the price is the
  // catalog's either way.
  out.prices_include_tax = in.merchant->prices_include_tax.for_market(j.id, j.vat_area);
  std::vector<std::size_t> all_lines(n);
  for (std::size_t i = 0; i < n; ++i) all_lines[i] = i;

  if (in.destination.outside_vat_area()) {
    const Territory& t = *in.destination.territory;
    out.waived.push_back({"outside_vat_area", "", "", t.provenance.id, t.provenance.source, all_lines, std::nullopt, t.name, ""});
    return out;
  }
  const auto taxes = taxes_in(j, in.region);
  if (taxes.empty()) {
    out.waived.push_back({"no_tax_in_region", "", "", j.id, j.regions_source, all_lines, std::nullopt, in.region, ""});
    return out;
  }

  const Sale sale = [&] {
    // Inside one country and one VAT area: mainland France to Reunion (FR-DOM, outside the EU VAT
    // area) is an import; Lisbon to the Azores (PT-20, inside it) is domestic.
    if (in.ship_from == j.country) {
      const auto from = in.rules->tax.find(in.ship_from);
      if (j.id == j.country || (from != in.rules->tax.end() && from->second.vat_area == j.vat_area)) return Sale::domestic;
      return Sale::import;
    }
    if (!j.vat_area.empty()) {
      const auto from = in.rules->tax.find(in.ship_from);
      if (from != in.rules->tax.end() && from->second.vat_area == j.vat_area) return Sale::distance;
    }
    return Sale::import;
  }();
  // A territory's own file inside its country's VAT area (the Azores' PT-20) is under the
  // country's regimes (IOSS for PT); one outside it (FR-DOM: the overseas departments are not in
  // the EU VAT area) is not.
  const TaxRegime* regime = nullptr;
  if (sale == Sale::import) {
    regime = in.rules->regime_for(j.id, in.date);
    const Jurisdiction* country = in.destination.country;
    if (!regime && country && country != &j && country->country == j.country && !j.vat_area.empty() &&
        j.vat_area == country->vat_area)
      regime = in.rules->regime_for(country->id, in.date);
  }

  if (out.prices_include_tax && taxes.size() > 1) {
    // Two taxes out of one price have no single right split per line; price exclusive here.
    out.prices_include_tax = false;
    out.notes.push_back({"prices_exclusive_here", j.id, in.merchant->provenance.source});
  }

  // Bands per line per tax.
  std::vector<std::vector<Band>> bands(n);
  for (std::size_t i = 0; i < n; ++i)
    for (const TaxDef* t : taxes) bands[i].push_back(band_of(*t, in.lines[i].category, in.date));

  // The regime's test. Values in the presentment currency: net of an included tax (the
  // intrinsic value excludes the VAT), converted at the regime's rates.
  const auto net_estimate = [&](std::size_t i, const Decimal& amount) {
    if (!out.prices_include_tax) return amount;
    const TaxRate* r = bands[i][0].band == tax_band_exempt ? nullptr : taxes[0]->rate(bands[i][0].band, in.date);
    if (!r) return amount;
    if (taxes[0]->base == TaxBaseMethod::gross_up) return amount - amount * r->rate;
    return Decimal::divide(amount, Decimal::from_int(1) + r->rate, cur.digits(), Rounding::HalfUp);
  };
  const RegimeThreshold* threshold = regime ? regime->threshold_for(in.ship_from) : nullptr;
  // The verdict is on the exact value (JPY 16,667 x 0.6 = 10,000.2 is above JPY 10,000); the
  // value shown is rounded toward the verdict (up for at_or_below, down for below), so that it
  // never reads as within a threshold it is not.
  const auto test_value = [&](const Decimal& value_in_cur) -> Result<RegimeTest> {
    Decimal v = value_in_cur;
    if (regime->value_factor) v = v * *regime->value_factor;
    const Currency tc = threshold->amount.currency();
    Decimal converted = v;
    if (tc != cur) {
      auto c = in.convert(Money::of(v, cur, Rounding::HalfUp), tc, regime->rate_source);
      if (!c.ok()) return c.errors();
      converted = *c;
    }
    const bool within = regime->within(converted, threshold->amount.amount());
    const Money tested = Money::of(converted, tc, regime->boundary == RegimeBoundary::below ? Rounding::Down : Rounding::Up);
    return RegimeTest{regime, threshold->amount, tested, within};
  };

  // A business buyer with a valid number accounts for the tax himself: across a VAT area by
  // reverse charge; on an import under a regime that says so (UK, SG, AU), by reverse charge while
  // within its threshold; otherwise as the importer (postponed accounting or payment at the border,
  // as the destination provides). A domestic business sale is taxed as any other.
  if (in.business && sale != Sale::domestic) {
    bool reverse = sale == Sale::distance;
    std::optional<RegimeTest> test;
    if (sale == Sale::import && regime && threshold && regime->business == RegimeBusiness::reverse_charge &&
        regime->value != RegimeValue::tax_amount) {
      bool within = true;
      if (regime->per_item) {
        for (std::size_t i = 0; i < n && within; ++i) {
          auto t = test_value(net_estimate(i, in.lines[i].unit_value));
          if (!t.ok()) return t.errors();
          within = t->within;
          test = *t;
        }
      } else {
        Decimal total;
        for (std::size_t i = 0; i < n; ++i) total += net_estimate(i, in.lines[i].value.amount());
        if (regime->value == RegimeValue::goods_and_shipping) total += net_estimate(0, in.shipping.amount());
        auto t = test_value(total);
        if (!t.ok()) return t.errors();
        within = t->within;
        test = *t;
      }
      reverse = within;
    }
    const std::string reason = reverse ? "reverse_charge" : "importer_accounts";
    std::string rule = j.id, source = eu_reverse_charge_source;
    if (sale == Sale::import) {
      if (regime) {
        rule = regime->provenance.id;
        source = regime->provenance.source;
      } else if (const TaxRate* standard = taxes.front()->rate("standard", in.date)) {
        rule = standard->provenance.id;  // the destination's own import VAT
        source = standard->provenance.source;
      }
    }
    for (const TaxDef* t : taxes) out.waived.push_back({reason, t->id, t->name, rule, source, all_lines, test, "", ""});
    // The mention differs: inside the EU it is the VAT Directive's; on an import the destination's
    // own reverse charge (UK, SG, AU) or the importer's accounting.
    out.notes.push_back({sale == Sale::distance ? "reverse_charge" : reverse ? "reverse_charge_import" : "importer_accounts", rule, source});
    return out;
  }

  // Treatment per line (the same for every tax of the line but exempt ones).
  const Treatment import_treatment{true, in.ddp ? Collected::checkout : Collected::delivery, Remitted::import, "import", {}, "", "", ""};
  std::vector<Treatment> treat(n);
  if (sale != Sale::import) {
    for (auto& t : treat) t = {true, Collected::checkout, Remitted::seller_return, sale == Sale::domestic ? "domestic" : "distance_sale", {}, "", "", ""};
  } else if (!regime || !threshold || regime->value == RegimeValue::tax_amount) {
    for (auto& t : treat) t = import_treatment;  // tax_amount regimes are tested once the tax is known
  } else {
    std::optional<RegimeTest> consignment;
    if (!regime->per_item) {
      Decimal total;
      for (std::size_t i = 0; i < n; ++i) total += net_estimate(i, in.lines[i].value.amount());
      if (regime->value == RegimeValue::goods_and_shipping) total += net_estimate(0, in.shipping.amount());
      auto t = test_value(total);
      if (!t.ok()) return t.errors();
      consignment = *t;
    }
    const bool registered = in.merchant->registered_for(regime->scheme);
    for (std::size_t i = 0; i < n; ++i) {
      RegimeTest test;
      if (consignment) {
        test = *consignment;
      } else {
        auto t = test_value(net_estimate(i, in.lines[i].unit_value));
        if (!t.ok()) return t.errors();
        test = *t;
      }
      Treatment t = import_treatment;
      t.regime = test;
      if (test.within && regime->excludes(in.lines[i].category)) t.regime->excluded = true;
      if (test.within && !regime->excludes(in.lines[i].category)) {
        if (regime->outcome == RegimeOutcome::not_levied) {
          t = {false, {}, {}, "", test, "below_threshold", regime->provenance.id, regime->provenance.source};
        } else if (registered) {
          t = {true, Collected::checkout, Remitted::seller_return, "low_value_regime", test, "", "", ""};
        } else if (regime->unregistered == RegimeUnregistered::not_levied) {
          t = {false, {}, {}, "", test, "not_registered", regime->provenance.id, regime->provenance.source};
        }
      }
      treat[i] = std::move(t);
    }
  }

  // Shipping shares by goods value (largest remainder), the same for every tax that taxes it.
  std::vector<Money> ship_share(n, Money::zero(cur));
  if (!in.shipping.is_zero()) {
    std::vector<Decimal> w;
    for (const auto& l : in.lines) w.push_back(l.value.amount());
    ship_share = allocate(in.shipping, w);
  }

  // The waiver entry `match` finds, or a new one `make` builds.
  const auto waiver_for = [&](auto match, auto make) -> TaxWaiver& {
    for (auto& w : out.waived)
      if (match(w)) return w;
    out.waived.push_back(make());
    return out.waived.back();
  };

  // Pieces and charges.
  std::vector<Piece> pieces;
  const auto charge_of = [&](const TaxDef* tax, const TaxRate* rate, const Treatment& t, bool included) {
    for (std::size_t c = 0; c < out.charges.size(); ++c) {
      const TaxCharge& x = out.charges[c];
      if (x.tax == tax && x.rate == rate && x.collected == t.collected && x.remitted == t.remitted && x.reason == t.reason &&
          x.included == included && x.regime.has_value() == t.regime.has_value() &&
          (!x.regime || (x.regime->within == t.regime->within && x.regime->value_tested == t.regime->value_tested &&
                         x.regime->excluded == t.regime->excluded)))
        return c;
    }
    TaxCharge ch;
    ch.tax = tax;
    ch.rate = rate;
    ch.collected = t.collected;
    ch.remitted = t.remitted;
    ch.reason = t.reason;
    ch.included = included;
    ch.regime = t.regime;
    ch.base = ch.amount = Money::zero(cur);
    out.charges.push_back(std::move(ch));
    return out.charges.size() - 1;
  };
  for (std::size_t k = 0; k < taxes.size(); ++k) {
    const TaxDef* tax = taxes[k];
    for (std::size_t i = 0; i < n; ++i) {
      const Band& b = bands[i][k];
      const Treatment& t = treat[i];
      if (b.band == tax_band_exempt) {
        waiver_for([&](const TaxWaiver& x) { return x.reason == "exempt" && x.tax_id == tax->id && x.rule == b.mapping->provenance.id; },
                   [&] {
                     return TaxWaiver{"exempt", tax->id, tax->name, b.mapping->provenance.id, b.mapping->provenance.source, {},
                                      std::nullopt, "", b.use.category};
                   })
            .lines.push_back(i);
        continue;
      }
      if (!t.charged) {
        waiver_for([&](const TaxWaiver& x) { return x.reason == t.waiver && x.tax_id == tax->id; },
                   [&] { return TaxWaiver{t.waiver, tax->id, tax->name, t.waiver_rule, t.waiver_source, {}, t.regime, "", ""}; })
            .lines.push_back(i);
        continue;
      }
      const TaxRate* rate = tax->rate(b.band, in.date);
      LANDED_CHECK(rate, "categories were checked before pricing");
      // An inclusive price includes the tax however it is paid: collected at checkout it stays in
      // the price; paid on delivery (DAP import) it comes out of the checkout price and is due to
      // the carrier, so the buyer pays the catalog price in all.
      const bool included = out.prices_include_tax;
      const std::size_t c = charge_of(tax, rate, t, included);
      auto& uses = out.charges[c].categories;
      if (std::none_of(uses.begin(), uses.end(), [&](const TaxCategoryUse& u) { return u.category == b.use.category; }))
        uses.push_back(b.use);
      Money goods = in.lines[i].value;
      if (t.remitted == Remitted::import && j.duty_in_import_base) goods += in.lines[i].duty;
      pieces.push_back({i, false, c, goods, Money::zero(cur)});
      if (tax->shipping_taxed && !ship_share[i].is_zero()) pieces.push_back({i, true, c, ship_share[i], Money::zero(cur)});
    }
  }

  // amount = round(base x factor): on the price, grossed up, or extracted from a gross price.
  const auto tax_on = [&](const TaxCharge& ch, const Decimal& base) {
    const Decimal& r = ch.rate->rate;
    const Decimal one = Decimal::from_int(1);
    // Extracted from a price that includes it: by r / (1 + r), or, for a tax already part of its
    // own base ("por dentro"), by r itself.
    if (ch.included && ch.tax->base == TaxBaseMethod::gross_up) return Money::of(base * r, cur, j.rounding);
    if (ch.included) return Money::of(Decimal::divide(base * r, one + r, cur.digits(), j.rounding), cur, Rounding::Down);
    if (ch.tax->base == TaxBaseMethod::gross_up)
      return Money::of(Decimal::divide(base * r, one - r, cur.digits(), j.rounding), cur, Rounding::Down);
    return Money::of(base * r, cur, j.rounding);
  };
  // Rounds the tax on the pieces of one charge that match `which` once, over their summed
  // base, and splits it back over them by base (largest remainder).
  const auto round_once = [&](std::size_t c, auto which) {
    std::vector<std::size_t> idx;
    std::vector<Decimal> w;
    Decimal base;
    for (std::size_t k = 0; k < pieces.size(); ++k)
      if (pieces[k].charge == c && which(pieces[k])) {
        idx.push_back(k);
        w.push_back(pieces[k].base.amount());
        base += pieces[k].base.amount();
      }
    if (idx.empty()) return;
    const auto parts = allocate(tax_on(out.charges[c], base), w);
    for (std::size_t k = 0; k < idx.size(); ++k) pieces[idx[k]].tax = parts[k];
  };
  for (std::size_t c = 0; c < out.charges.size(); ++c) {
    if (j.level == RoundingLevel::line) {
      // Each line's goods are rounded on their own; shipping is one supply per rate, rounded
      // once over its share at that rate (rounding each line's share would drift with N).
      for (auto& p : pieces)
        if (p.charge == c && !p.shipping) p.tax = tax_on(out.charges[c], p.base.amount());
      round_once(c, [](const Piece& p) { return p.shipping; });
    } else {
      round_once(c, [](const Piece&) { return true; });
    }
  }

  // A tax_amount regime (CH: import VAT of CHF 5 or less is not levied) is tested on the tax.
  if (regime && threshold && regime->value == RegimeValue::tax_amount) {
    Money due = Money::zero(cur);
    for (const auto& p : pieces) due += p.tax;
    auto test = test_value(due.amount());
    if (!test.ok()) return test.errors();
    if (test->within) {
      for (const TaxDef* tax : taxes) {
        TaxWaiver w{"below_threshold", tax->id, tax->name, regime->provenance.id, regime->provenance.source, {}, *test, "", ""};
        for (std::size_t i = 0; i < n; ++i)
          if (std::any_of(pieces.begin(), pieces.end(), [&](const Piece& p) { return p.line == i && out.charges[p.charge].tax == tax; }))
            w.lines.push_back(i);
        if (!w.lines.empty()) out.waived.push_back(std::move(w));
      }
      pieces.clear();
      out.charges.clear();
    } else {
      for (auto& ch : out.charges) ch.regime = *test;
    }
  }

  // Included taxes come out of the price: the base shown is the net, the line keeps its gross.
  for (const auto& p : pieces) {
    TaxCharge& ch = out.charges[p.charge];
    const Money base = ch.included ? p.base - p.tax : p.base;
    ch.base += base;
    ch.amount += p.tax;
    (p.shipping ? out.shipping_tax : out.line_tax[p.line]) += p.tax;
    if (ch.collected == Collected::delivery) (p.shipping ? out.shipping_tax_on_delivery : out.line_tax_on_delivery[p.line]) += p.tax;
    out.total += p.tax;
    if (ch.included) (p.shipping ? out.shipping_net : out.line_net[p.line]) = (p.shipping ? out.shipping_net : out.line_net[p.line]) - p.tax;
    if (j.level == RoundingLevel::line) {
      if (!p.shipping) {
        ch.parts.push_back({p.line, base, p.tax});
      } else {
        auto s = std::find_if(ch.parts.begin(), ch.parts.end(), [](const TaxPart& x) { return !x.line; });
        if (s == ch.parts.end()) ch.parts.push_back({std::nullopt, base, p.tax});
        else { s->base += base; s->amount += p.tax; }
      }
    }
  }
  // Shipping parts last, after the lines, so that parts read in quote order.
  for (auto& ch : out.charges)
    std::stable_partition(ch.parts.begin(), ch.parts.end(), [](const TaxPart& x) { return x.line.has_value(); });
  return out;
}

}  // namespace landed
