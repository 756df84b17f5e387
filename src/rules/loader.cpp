#include "rules/loader.h"

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>

#include "core/country.h"
#include "core/json_positions.h"
#include "core/limits.h"
#include "core/sha256.h"
#include "core/strict_json.h"
#include "rules/file_reader.h"
#include "rules/duty_loader.h"
#include "rules/payments_loader.h"

namespace landed {
namespace {

using json = nlohmann::json;
using rules_internal::FileReader;
using rules_internal::Ids;
using rules_internal::read_strings;

// "payments/methods/klarna.json" -> "klarna".
std::string file_stem(const std::string& path) {
  const auto slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (const auto dot = name.rfind('.'); dot != std::string::npos) name.resize(dot);
  return name;
}

// "duty/EU/tariff.json" -> "EU": the territory a duty file belongs to (empty when not in one).
std::string duty_folder(const std::string& path) {
  if (path.rfind("duty/", 0) != 0) return "";
  const auto slash = path.find('/', 5);
  return slash == std::string::npos ? "" : path.substr(5, slash - 5);
}

std::optional<std::pair<Rounding, RoundingLevel>> read_rounding(FileReader& r, const json& doc, std::string& source) {
  const json* rounding = r.object(doc, "", "rounding", true);
  if (!rounding) return std::nullopt;
  r.only_keys(*rounding, "/rounding", {"mode", "level", "source", "note"});
  const auto mode = r.one_of(*rounding, "/rounding", "mode", true, {"HalfEven", "HalfUp", "HalfDown", "Up", "Down"});
  const auto level = r.one_of(*rounding, "/rounding", "level", true, {"line", "total"});
  const auto src = r.string(*rounding, "/rounding", "source", true);
  r.string(*rounding, "/rounding", "note", false);
  if (!mode || !level || !src) return std::nullopt;
  source = *src;
  return std::pair{*parse_rounding(*mode), *level == "line" ? RoundingLevel::line : RoundingLevel::total};
}

// An ISO 3166-2 code of `country`: "CA-QC". Which codes exist is what the file declares (ICU
// knows countries, not their subdivisions); this checks the shape and the country part.
bool region_shape_ok(const std::string& code, const std::string& country) {
  if (code.size() < 4 || code.size() > 6 || code.compare(0, 2, country) != 0 || code[2] != '-') return false;
  return std::all_of(code.begin() + 3, code.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

// Periods of one key must not overlap: on any date, one entry per key.
template <typename T, typename Key>
void check_overlaps(FileReader& r, const std::vector<T>& entries, const std::vector<std::string>& pointers, Key key,
                    const std::string& what) {
  for (std::size_t a = 0; a < entries.size(); ++a)
    for (std::size_t b = a + 1; b < entries.size(); ++b) {
      if (key(entries[a]) != key(entries[b])) continue;
      const Provenance& x = entries[a].provenance;
      const Provenance& y = entries[b].provenance;
      const bool overlap = (!x.effective_to || y.effective_from < *x.effective_to) && (!y.effective_to || x.effective_from < *y.effective_to);
      if (overlap) r.error(pointers[b], "\"" + y.id + "\" overlaps \"" + x.id + "\" for " + what + " " + key(entries[b]));
    }
}

std::size_t read_tax(FileReader& r, const json& doc, RuleSet& set, Ids& ids) {
  r.only_keys(doc, "", {"concern", "jurisdiction", "country", "name", "vat_area", "note", "rounding", "regions", "taxes",
                        "territories", "import_base"});
  Jurisdiction j;
  j.file = r.file();
  if (const json* ib = r.object(doc, "", "import_base", false)) {
    r.only_keys(*ib, "/import_base", {"duty", "source", "note"});
    const auto duty = r.one_of(*ib, "/import_base", "duty", true, {"included", "excluded"});
    r.string(*ib, "/import_base", "source", true);
    r.string(*ib, "/import_base", "note", false);
    if (duty) j.duty_in_import_base = *duty == "included";
  }
  const auto id = r.string(doc, "", "jurisdiction", true, limits::id_bytes_max);
  const auto country = r.country(doc, "", "country", true);
  const auto name = r.string(doc, "", "name", true);
  const auto area = r.one_of(doc, "", "vat_area", false, {"EU"});
  j.note = r.string(doc, "", "note", false).value_or("");
  const auto rounding = read_rounding(r, doc, j.rounding_source);
  if (rounding) std::tie(j.rounding, j.level) = *rounding;
  if (country && !is_country(*country)) r.error("/country", "\"" + *country + "\" is not a country ICU knows (ISO 3166-1 alpha-2)");
  if (id && country) {
    // The file stem is the id, so that a territory's "jurisdiction" names a file one can open.
    const std::string stem = [&] {
      std::string f = r.file();
      if (const auto slash = f.rfind('/'); slash != std::string::npos) f = f.substr(slash + 1);
      if (const auto dot = f.rfind('.'); dot != std::string::npos) f = f.substr(0, dot);
      return f;
    }();
    if (*id != stem) r.error("/jurisdiction", "must be the file's name without .json (\"" + stem + "\")");
    else if (*id != *country && (id->size() < 4 || id->compare(0, 3, *country + "-") != 0))
      r.error("/jurisdiction", "must be the country (\"" + *country + "\") or start with \"" + *country + "-\"");
  }
  if (const json* regions = r.object(doc, "", "regions", false)) {
    r.only_keys(*regions, "/regions", {"codes", "complete", "source", "note"});
    const auto codes = read_strings(r, *regions, "/regions", "codes", true, [&](const std::string& c, const std::string& at) {
      if (country && region_shape_ok(c, *country)) return true;
      r.error(at, "\"" + c + "\" is not an ISO 3166-2 code of " + country.value_or("the country") + " (such as \"" +
                      country.value_or("CA") + "-QC\")");
      return false;
    });
    if (const json* complete = r.field(*regions, "/regions", "complete", true)) {
      if (!complete->is_boolean()) r.error("/regions/complete", "must be true or false");
      else j.regions_complete = complete->get<bool>();
    }
    j.regions_source = r.string(*regions, "/regions", "source", true).value_or("");
    r.string(*regions, "/regions", "note", false);
    if (codes) j.region_codes = *codes;
  }
  const auto known_region = [&](const std::string& c, const std::string& at) {
    if (j.has_region(c)) return true;
    r.error(at, "region \"" + c + "\" is not in /regions/codes of this file");
    return false;
  };
  std::size_t count = 0;
  if (const json* taxes = r.array(doc, "", "taxes", true)) {
    if (taxes->empty()) r.error("/taxes", "must list at least one tax");
    for (std::size_t t = 0; t < taxes->size(); ++t) {
      const std::string tp = pointer_append("/taxes", t);
      const json& e = (*taxes)[t];
      if (!e.is_object()) { r.error(tp, "must be an object"); continue; }
      r.only_keys(e, tp, {"id", "name", "regions", "shipping", "base", "rates", "categories", "note"});
      TaxDef def;
      const auto tid = r.string(e, tp, "id", true, limits::id_bytes_max);
      const auto tname = r.string(e, tp, "name", true, limits::id_bytes_max);
      r.string(e, tp, "note", false);
      const auto regions = read_strings(r, e, tp, "regions", false, known_region);
      if (const auto ship = r.one_of(e, tp, "shipping", false, {"taxed", "not_taxed"})) def.shipping_taxed = *ship == "taxed";
      if (const auto base = r.one_of(e, tp, "base", false, {"price", "gross_up"}))
        def.base = *base == "gross_up" ? TaxBaseMethod::gross_up : TaxBaseMethod::price;
      if (tid) ids.emplace_back(*tid, tp + "/id");
      if (tid && id && tid->rfind(*id + ".", 0) != 0) r.error(tp + "/id", "must start with \"" + *id + ".\"");
      std::vector<std::string> rate_ptrs, cat_ptrs;
      if (const json* rates = r.array(e, tp, "rates", true)) {
        if (rates->empty()) r.error(tp + "/rates", "must list at least one rate");
        for (std::size_t i = 0; i < rates->size(); ++i) {
          const std::string ptr = pointer_append(tp + "/rates", i);
          const json& x = (*rates)[i];
          if (!x.is_object()) { r.error(ptr, "must be an object"); continue; }
          r.only_keys(x, ptr, {"id", "band", "rate", "effective_from", "effective_to", "source", "note"});
          auto prov = r.provenance(x, ptr, true);
          auto band = r.string(x, ptr, "band", true, limits::id_bytes_max);
          if (band && !is_tax_band(*band)) {
            r.error(ptr + "/band", "must be one of: standard, reduced, reduced2, super_reduced, parking, zero");
            band.reset();
          }
          const auto rate = r.rate(x, ptr, "rate", true);
          if (band && rate && (*band == "zero") != rate->is_zero())
            r.error(ptr + "/rate", *band == "zero" ? "must be \"0\" for the zero band" : "must not be 0: use the \"zero\" band");
          if (!prov || !band || !rate) continue;
          ids.emplace_back(prov->id, ptr + "/id");
          def.rates.push_back({std::move(*prov), std::move(*band), *rate});
          rate_ptrs.push_back(ptr);
          ++count;
        }
      }
      if (r.field(e, tp, "categories", false)) {
        if (const json* cats = r.array(e, tp, "categories", false)) {
          for (std::size_t i = 0; i < cats->size(); ++i) {
            const std::string ptr = pointer_append(tp + "/categories", i);
            const json& x = (*cats)[i];
            if (!x.is_object()) { r.error(ptr, "must be an object"); continue; }
            r.only_keys(x, ptr, {"id", "category", "band", "effective_from", "effective_to", "source", "note"});
            auto prov = r.provenance(x, ptr, true);
            auto kind = r.string(x, ptr, "category", true, limits::id_bytes_max);
            if (kind && (!is_product_kind(*kind) || *kind == "general")) {
              std::string list;
              for (const auto k : product_kinds)
                if (k != "general") list += (list.empty() ? "" : ", ") + std::string(k);
              r.error(ptr + "/category", "must be a product kind: " + list + " (general is the standard rate)");
              kind.reset();
            }
            auto band = r.string(x, ptr, "band", true, limits::id_bytes_max);
            if (band && !is_tax_band(*band) && *band != tax_band_exempt) {
              r.error(ptr + "/band", "must be a band (standard, reduced, reduced2, super_reduced, parking, zero) or exempt");
              band.reset();
            }
            if (!prov || !kind || !band) continue;
            ids.emplace_back(prov->id, ptr + "/id");
            def.categories.push_back({std::move(*prov), std::move(*kind), std::move(*band)});
            cat_ptrs.push_back(ptr);
            ++count;
          }
        }
      }
      check_overlaps(r, def.rates, rate_ptrs, [](const TaxRate& x) { return x.band; }, "band");
      check_overlaps(r, def.categories, cat_ptrs, [](const TaxCategoryRule& x) { return x.category; }, "category");
      // A kind mapped to a band must find that band's rate over the whole mapping period: checked
      // on each day a mapping or a rate starts, which is where a gap could begin.
      for (std::size_t i = 0; i < def.categories.size(); ++i) {
        const TaxCategoryRule& c = def.categories[i];
        if (c.band == tax_band_exempt) continue;
        std::vector<Date> days{c.provenance.effective_from};
        for (const auto& x : def.rates)
          if (x.band == c.band && c.provenance.in_force(x.provenance.effective_from)) days.push_back(x.provenance.effective_from);
        for (const auto& x : def.rates)
          if (x.band == c.band && x.provenance.effective_to && c.provenance.in_force(*x.provenance.effective_to))
            days.push_back(*x.provenance.effective_to);
        for (const Date& d : days)
          if (!def.rate(c.band, d)) {
            r.error(cat_ptrs[i] + "/band", "maps " + c.category + " to " + c.band + ", which has no rate in force on " + d.to_string());
            break;
          }
      }
      if (!tid || !tname || !regions) continue;
      def.id = *tid;
      def.name = *tname;
      def.regions = *regions;
      j.taxes.push_back(std::move(def));
    }
  }
  if (const json* terrs = r.array(doc, "", "territories", false)) {
    for (std::size_t i = 0; i < terrs->size(); ++i) {
      const std::string ptr = pointer_append("/territories", i);
      const json& x = (*terrs)[i];
      if (!x.is_object()) { r.error(ptr, "must be an object"); continue; }
      r.only_keys(x, ptr, {"id", "name", "postal_codes", "regions", "treatment", "jurisdiction", "effective_from",
                           "effective_to", "source", "note"});
      Territory t;
      auto prov = r.provenance(x, ptr, true);
      const auto tname = r.string(x, ptr, "name", true);
      const auto prefixes = read_strings(r, x, ptr, "postal_codes", false, [&](const std::string& p, const std::string& at) {
        if (std::all_of(p.begin(), p.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); })) return true;
        r.error(at, "must be a postcode prefix of digits and capital letters, without spaces");
        return false;
      });
      const auto regions = read_strings(r, x, ptr, "regions", false, known_region);
      const auto treatment = r.one_of(x, ptr, "treatment", true, {"outside_vat_area", "jurisdiction"});
      const auto target = r.string(x, ptr, "jurisdiction", false, limits::id_bytes_max);
      if (treatment && (*treatment == "jurisdiction") != target.has_value())
        r.error(ptr + (target ? "/jurisdiction" : "/treatment"),
                target ? "is only for treatment \"jurisdiction\"" : "treatment \"jurisdiction\" needs \"jurisdiction\": the id of the file whose taxes apply");
      if (prefixes && regions && prefixes->empty() && regions->empty())
        r.error(ptr, "matches nothing: give postal_codes or regions");
      if (!prov || !tname || !prefixes || !regions || !treatment) continue;
      ids.emplace_back(prov->id, ptr + "/id");
      t.provenance = std::move(*prov);
      t.name = *tname;
      t.postal_prefixes = *prefixes;
      t.regions = *regions;
      t.treatment = *treatment == "jurisdiction" ? TerritoryTreatment::jurisdiction : TerritoryTreatment::outside_vat_area;
      t.jurisdiction = target.value_or("");
      j.territories.push_back(std::move(t));
      ++count;
    }
  }
  if (!id || !country || !name || !rounding || r.failed()) return count;
  j.id = *id;
  j.country = *country;
  j.name = *name;
  j.vat_area = area.value_or("");
  if (const auto it = set.tax.find(j.id); it != set.tax.end())
    r.error("/jurisdiction", "jurisdiction " + j.id + " is already defined in " + it->second.file);
  else
    set.tax.emplace(j.id, std::move(j));
  return count;
}

std::size_t read_regime(FileReader& r, const json& doc, RuleSet& set, Ids& ids) {
  r.only_keys(doc, "", {"concern", "id", "name", "scheme", "jurisdictions", "thresholds", "boundary", "value",
                        "value_factor", "per", "rate_source", "outcome", "unregistered", "business",
                        "excluded_categories", "effective_from", "effective_to", "source", "note"});
  TaxRegime g;
  g.file = r.file();
  auto prov = r.provenance(doc, "", true);
  const auto name = r.string(doc, "", "name", true);
  const auto scheme = r.string(doc, "", "scheme", false, limits::id_bytes_max);
  const auto jurisdictions = read_strings(r, doc, "", "jurisdictions", true, [](const std::string&, const std::string&) { return true; });
  const auto boundary = r.one_of(doc, "", "boundary", true, {"at_or_below", "below"});
  const auto value = r.one_of(doc, "", "value", true, {"goods", "goods_and_shipping", "tax_amount"});
  const auto per = r.one_of(doc, "", "per", true, {"consignment", "item"});
  const auto rate_source = r.one_of(doc, "", "rate_source", true, {"ECB"});
  const auto outcome = r.one_of(doc, "", "outcome", true, {"seller_return", "not_levied"});
  const auto unregistered = r.one_of(doc, "", "unregistered", false, {"import", "not_levied"});
  const auto business = r.one_of(doc, "", "business", false, {"reverse_charge", "importer_accounts"});
  const auto excluded = read_strings(r, doc, "", "excluded_categories", false, [&](const std::string& c, const std::string& at) {
    if (is_product_kind(c) && c != "general") return true;
    r.error(at, "\"" + c + "\" is not a product kind");
    return false;
  });
  if (r.field(doc, "", "value_factor", false)) {
    const auto f = r.rate(doc, "", "value_factor", true);
    if (f && f->is_zero()) r.error("/value_factor", "must be above 0");
    else g.value_factor = f;
  }
  if (outcome && *outcome == "seller_return" && !scheme)
    r.error("", "a seller_return regime names the \"scheme\" a merchant registers for");
  if (outcome && *outcome == "not_levied" && unregistered)
    r.error("/unregistered", "is for seller_return regimes: a not_levied regime waives the tax for every merchant");
  if (value && *value == "tax_amount" && per && *per == "item")
    r.error("/per", "a tax_amount regime tests the tax due on the consignment");
  if (const json* list = r.array(doc, "", "thresholds", true)) {
    if (list->empty()) r.error("/thresholds", "must list at least one threshold");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string ptr = pointer_append("/thresholds", i);
      const json& x = (*list)[i];
      if (!x.is_object()) { r.error(ptr, "must be an object"); continue; }
      r.only_keys(x, ptr, {"origins", "amount", "currency"});
      const auto origins = read_strings(r, x, ptr, "origins", false, [&](const std::string& c, const std::string& at) {
        if (is_country(c)) return true;
        r.error(at, "\"" + c + "\" is not a country ICU knows (ISO 3166-1 alpha-2)");
        return false;
      });
      const auto amount = r.decimal(x, ptr, "amount", true);
      const auto cur = r.currency(x, ptr, "currency", true);
      if (!origins || !amount || !cur) continue;
      auto money = Money::exact(*amount, *cur);
      if (!money.ok() || amount->is_negative()) { r.error(ptr + "/amount", money.ok() ? "must not be negative" : money.error().message); continue; }
      if (!g.thresholds.empty() && g.thresholds.back().origins.empty())
        r.error(ptr, "is never used: the threshold before it applies to every origin");
      g.thresholds.push_back({*origins, *money});
    }
  }
  if (!prov || !name || !jurisdictions || !boundary || !value || !per || !rate_source || !outcome || !excluded ||
      r.failed())
    return 0;
  ids.emplace_back(prov->id, "/id");
  g.provenance = std::move(*prov);
  g.name = *name;
  g.scheme = scheme.value_or("");
  g.jurisdictions = *jurisdictions;
  g.boundary = *boundary == "below" ? RegimeBoundary::below : RegimeBoundary::at_or_below;
  g.value = *value == "goods" ? RegimeValue::goods : *value == "goods_and_shipping" ? RegimeValue::goods_and_shipping : RegimeValue::tax_amount;
  g.per_item = *per == "item";
  g.rate_source = *rate_source;
  g.outcome = *outcome == "not_levied" ? RegimeOutcome::not_levied : RegimeOutcome::seller_return;
  g.unregistered = unregistered.value_or("import") == "import" ? RegimeUnregistered::import : RegimeUnregistered::not_levied;
  g.business = business.value_or("importer_accounts") == "reverse_charge" ? RegimeBusiness::reverse_charge : RegimeBusiness::importer_accounts;
  g.excluded_categories = *excluded;
  set.regimes.push_back(std::move(g));
  return 1;
}

std::size_t read_merchant(FileReader& r, const json& doc, RuleSet& set) {
  r.only_keys(doc, "", {"concern", "id", "name", "default", "origin", "currency", "price_basis", "incoterm", "fx",
                        "cash_rounding", "line_rounding", "shipping", "registrations", "price_basis_by_market", "source", "effective_from", "effective_to",
                        "note", "rates_staleness"});
  Merchant m;
  auto prov = r.provenance(doc, "", true);
  const auto name = r.string(doc, "", "name", true);
  const auto origin = r.country(doc, "", "origin", true);
  const auto currency = r.currency(doc, "", "currency", true);
  const auto basis = r.one_of(doc, "", "price_basis", true, {"exclusive", "inclusive"});
  if (basis) m.prices_include_tax.by_default = *basis == "inclusive";
  if (const json* markets = r.object(doc, "", "price_basis_by_market", false)) {
    for (const auto& [market, v] : markets->items()) {
      const std::string ptr = pointer_append("/price_basis_by_market", market);
      if (!v.is_string() || (v != "inclusive" && v != "exclusive")) { r.error(ptr, "must be \"inclusive\" or \"exclusive\""); continue; }
      m.prices_include_tax.markets.emplace(market, v == "inclusive");
    }
  }
  const auto incoterm = r.one_of(doc, "", "incoterm", true, {"DDP", "DAP"});
  if (const auto policy = r.one_of(doc, "", "line_rounding", false, {"line", "unit"}))
    m.line_rounding = *policy == "unit" ? LineRounding::unit : LineRounding::line;
  if (const json* d = r.field(doc, "", "default", false)) {
    if (!d->is_boolean()) r.error("/default", "must be true or false");
    else m.is_default = d->get<bool>();
  }
  bool ok = prov && name && origin && currency && basis && incoterm;
  if (const json* fx = r.object(doc, "", "fx", true)) {
    r.only_keys(*fx, "/fx", {"markup", "markups", "rounding", "source", "note"});
    const auto markup = r.markup(*fx, "/fx", "markup", true);
    const auto rounding = r.one_of(*fx, "/fx", "rounding", true, {"HalfEven", "HalfUp", "HalfDown", "Up", "Down"});
    const auto source = r.string(*fx, "/fx", "source", true);
    r.string(*fx, "/fx", "note", false);
    if (markup) m.fx_markup = *markup;
    if (rounding) m.fx_rounding = *parse_rounding(*rounding);
    ok = ok && markup && rounding && source;
    if (const json* list = r.array(*fx, "/fx", "markups", false)) {
      std::vector<std::size_t> at;  // the file index of each accepted entry, for the duplicate error
      for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string ptr = pointer_append("/fx/markups", i);
        const json& e = (*list)[i];
        if (!e.is_object()) { r.error(ptr, "must be an object"); ok = false; continue; }
        r.only_keys(e, ptr, {"from", "to", "markup", "source", "note"});
        FxMarkup pair;
        pair.from = r.currency(e, ptr, "from", false);
        pair.to = r.currency(e, ptr, "to", false);
        const auto value = r.markup(e, ptr, "markup", true);
        const auto entry_source = r.string(e, ptr, "source", false);
        const auto note = r.string(e, ptr, "note", false);
        // A side that is present but bad has been reported; one that is absent means any.
        const bool sides_ok = (pair.from || !r.field(e, ptr, "from", false)) && (pair.to || !r.field(e, ptr, "to", false));
        if (!sides_ok || !value) { ok = false; continue; }
        if (!pair.from && !pair.to) {
          r.error(ptr, "names neither \"from\" nor \"to\": the markup for every pair is fx.markup");
          ok = false;
          continue;
        }
        if (pair.from && pair.to && *pair.from == *pair.to) {
          r.error(ptr, "converts " + std::string(pair.from->code()) + " to itself: a price in the presentment currency is not converted");
          ok = false;
          continue;
        }
        const auto side = [](const std::optional<Currency>& c) { return c ? std::string(c->code()) : std::string("any"); };
        const auto same = std::find_if(m.fx_markups.begin(), m.fx_markups.end(),
                                       [&](const FxMarkup& o) { return o.from == pair.from && o.to == pair.to; });
        if (same != m.fx_markups.end()) {
          r.error(ptr, "repeats the pair " + side(pair.from) + " -> " + side(pair.to) + " of /fx/markups/" +
                           std::to_string(at[std::size_t(same - m.fx_markups.begin())]));
          ok = false;
          continue;
        }
        pair.markup = *value;
        pair.source = entry_source.value_or(source.value_or(""));
        pair.note = note.value_or("");
        m.fx_markups.push_back(std::move(pair));
        at.push_back(i);
      }
    } else if (r.field(*fx, "/fx", "markups", false)) {
      ok = false;
    }
  } else {
    ok = false;
  }
  if (const json* cash = r.object(doc, "", "cash_rounding", false)) {
    r.only_keys(*cash, "/cash_rounding", {"currencies", "rounding", "source", "note"});
    CashRounding c;
    const auto mode = r.one_of(*cash, "/cash_rounding", "rounding", true, {"HalfEven", "HalfUp", "HalfDown", "Up", "Down"});
    const auto source = r.string(*cash, "/cash_rounding", "source", true);
    const auto note = r.string(*cash, "/cash_rounding", "note", false);
    bool cash_ok = mode && source;
    if (const json* list = r.array(*cash, "/cash_rounding", "currencies", true)) {
      if (list->empty()) { r.error("/cash_rounding/currencies", "must list at least one currency"); cash_ok = false; }
      for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string ptr = pointer_append("/cash_rounding/currencies", i);
        const json& e = (*list)[i];
        if (!e.is_string()) { r.error(ptr, "must be an ISO 4217 currency code such as \"CHF\""); cash_ok = false; continue; }
        auto cur = Currency::of(e.get_ref<const std::string&>());
        if (!cur.ok()) { r.error(ptr, cur.error().message); cash_ok = false; continue; }
        if (!cur->cash_increment()) {
          r.error(ptr, std::string(cur->code()) + " has no cash rounding (" + Currency::cash_rounding_source() +
                           "): its cash amounts are in minor units already");
          cash_ok = false;
          continue;
        }
        if (c.applies_to(*cur)) { r.error(ptr, std::string(cur->code()) + " is listed twice"); cash_ok = false; continue; }
        c.currencies.push_back(*cur);
      }
    } else {
      cash_ok = false;
    }
    if (cash_ok) {
      c.mode = *parse_rounding(*mode);
      c.source = *source;
      c.note = note.value_or("");
      m.cash_rounding = std::move(c);
    }
    ok = ok && cash_ok;
  } else if (r.field(doc, "", "cash_rounding", false)) {
    ok = false;
  }
  if (const json* st = r.object(doc, "", "rates_staleness", false)) {
    // Absent: the defaults of rules/rule_set.h (RatesStaleness), with their provenance.
    const std::string sp = "/rates_staleness";
    r.only_keys(*st, sp, {"warn_after_hours", "refuse_after_hours", "source", "note"});
    const int max = int(limits::rates_staleness_hours_max);
    const auto warn = r.integer(*st, sp, "warn_after_hours", true, 1, max);
    const auto refuse = r.integer(*st, sp, "refuse_after_hours", true, 1, max);
    const auto source = r.string(*st, sp, "source", true);
    r.string(*st, sp, "note", false);
    if (warn && refuse && *refuse < *warn) {
      r.error(sp + "/refuse_after_hours", "must not be below warn_after_hours (" + std::to_string(*warn) + ")");
      ok = false;
    } else if (warn && refuse && source) {
      m.rates_staleness = {*warn, *refuse, *source};
    } else {
      ok = false;
    }
  }
  if (const json* ship = r.array(doc, "", "shipping", false)) {
    for (std::size_t i = 0; i < ship->size(); ++i) {
      const std::string ptr = pointer_append("/shipping", i);
      const json& e = (*ship)[i];
      if (!e.is_object()) { r.error(ptr, "must be an object"); ok = false; continue; }
      r.only_keys(e, ptr, {"service", "price", "delivery"});
      const auto service = r.string(e, ptr, "service", true, limits::id_bytes_max);
      std::optional<Money> price;
      if (const json* p = r.object(e, ptr, "price", true)) {
        const std::string pp = ptr + "/price";
        r.only_keys(*p, pp, {"amount", "currency"});
        const auto amount = r.decimal(*p, pp, "amount", true);
        const auto cur = r.currency(*p, pp, "currency", true);
        if (amount && cur) {
          auto money = Money::exact(*amount, *cur);
          if (!money.ok()) r.error(pp + "/amount", money.error().message);
          else if (amount->is_negative()) r.error(pp + "/amount", "must not be negative");
          else price = *money;
        }
      }
      int days[2] = {-1, -1};  // min, max; -1 while unknown
      if (const json* d = r.object(e, ptr, "delivery", true)) {
        r.only_keys(*d, ptr + "/delivery", {"min_days", "max_days"});
        days[0] = r.integer(*d, ptr + "/delivery", "min_days", true, 0, 365).value_or(-1);
        days[1] = r.integer(*d, ptr + "/delivery", "max_days", true, 0, 365).value_or(-1);
        if (days[0] >= 0 && days[1] >= 0 && days[1] < days[0]) {
          r.error(ptr + "/delivery/max_days", "must not be below min_days");
          days[1] = -1;
        }
      }
      if (service && m.find_shipping(*service)) { r.error(ptr + "/service", "service \"" + *service + "\" is listed twice"); ok = false; continue; }
      if (!service || !price || days[0] < 0 || days[1] < 0) { ok = false; continue; }
      m.shipping.push_back({*service, *price, days[0], days[1]});
    }
  }
  if (const json* regs = r.array(doc, "", "registrations", false)) {
    for (std::size_t i = 0; i < regs->size(); ++i) {
      const std::string ptr = pointer_append("/registrations", i);
      const json& e = (*regs)[i];
      if (!e.is_object()) { r.error(ptr, "must be an object"); ok = false; continue; }
      r.only_keys(e, ptr, {"scheme", "number", "country"});
      const auto scheme = r.string(e, ptr, "scheme", true, limits::id_bytes_max);
      const auto number = r.string(e, ptr, "number", true, limits::id_bytes_max);
      const auto where = r.string(e, ptr, "country", true, limits::id_bytes_max);
      if (!scheme || !number || !where) { ok = false; continue; }
      m.registrations.push_back({*scheme, *number, *where});
    }
  }
  if (!ok) return 0;
  m.provenance = std::move(*prov);
  m.id = m.provenance.id;
  m.file = r.file();
  m.name = *name;
  m.origin = *origin;
  m.currency = *currency;
  m.incoterm = *incoterm;
  if (set.merchants.count(m.id)) {
    r.error("/id", "merchant \"" + m.id + "\" is defined twice");
    return 0;
  }
  if (m.is_default) {
    if (!set.default_merchant.empty()) {
      r.error("/default", "merchant \"" + set.default_merchant + "\" is already the default");
      return 0;
    }
    set.default_merchant = m.id;
  }
  set.merchants.emplace(m.id, std::move(m));
  return 1;
}

std::size_t read_country_currency(FileReader& r, const json& doc, RuleSet& set) {
  r.only_keys(doc, "", {"concern", "countries", "note"});
  std::size_t count = 0;
  if (const json* list = r.array(doc, "", "countries", true)) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string ptr = pointer_append("/countries", i);
      const json& e = (*list)[i];
      if (!e.is_object()) { r.error(ptr, "must be an object"); continue; }
      r.only_keys(e, ptr, {"id", "country", "currency", "effective_from", "effective_to", "source", "note"});
      auto prov = r.provenance(e, ptr, true);
      const auto country = r.country(e, ptr, "country", true);
      const auto currency = r.currency(e, ptr, "currency", true);
      if (!prov || !country || !currency) continue;
      for (const auto& other : set.country_currencies) {
        const bool overlap = other.country == *country &&
                             (!other.provenance.effective_to || prov->effective_from < *other.provenance.effective_to) &&
                             (!prov->effective_to || other.provenance.effective_from < *prov->effective_to);
        if (overlap) r.error(ptr, "overlaps \"" + other.provenance.id + "\" for " + *country);
      }
      set.country_currencies.push_back({std::move(*prov), *country, *currency});
      ++count;
    }
  }
  return count;
}

// What one file names in another: a territory's jurisdiction, a regime's jurisdictions, a
// merchant's markets and registrations. Checked once every file is read.
bool check_references(const RuleSet& set, const std::map<std::string, const RuleSource*>& by_path,
                      std::vector<Diagnostic>& diags) {
  bool ok = true;
  const auto error = [&](const std::string& file, const std::string& pointer, std::string message) {
    ok = false;
    FileReader(*by_path.at(file), diags).error(pointer, std::move(message));
  };
  for (const auto& [id, j] : set.tax) {
    for (std::size_t i = 0; i < j.territories.size(); ++i) {
      const Territory& t = j.territories[i];
      if (t.treatment != TerritoryTreatment::jurisdiction) continue;
      const auto target = set.tax.find(t.jurisdiction);
      const std::string ptr = pointer_append("/territories", i) + "/jurisdiction";
      if (target == set.tax.end()) error(j.file, ptr, "names jurisdiction \"" + t.jurisdiction + "\", which no tax file defines");
      else if (target->first == id) error(j.file, ptr, "names this file's own jurisdiction");
      else if (!target->second.territories.empty() && target->second.country == j.country)
        error(j.file, ptr, "names \"" + t.jurisdiction + "\", which has territories of its own: one step only");
    }
  }
  for (std::size_t a = 0; a < set.regimes.size(); ++a) {
    const TaxRegime& g = set.regimes[a];
    for (std::size_t i = 0; i < g.jurisdictions.size(); ++i) {
      const std::string& jid = g.jurisdictions[i];
      if (!set.tax.count(jid)) {
        error(g.file, pointer_append("/jurisdictions", i), "\"" + jid + "\" is not a jurisdiction any tax file defines");
        continue;
      }
      for (std::size_t b = 0; b < a; ++b) {
        const TaxRegime& o = set.regimes[b];
        const bool overlap = (!o.provenance.effective_to || g.provenance.effective_from < *o.provenance.effective_to) &&
                             (!g.provenance.effective_to || o.provenance.effective_from < *g.provenance.effective_to);
        if (overlap && std::find(o.jurisdictions.begin(), o.jurisdictions.end(), jid) != o.jurisdictions.end())
          error(g.file, pointer_append("/jurisdictions", i), jid + " is already under regime " + o.provenance.id + " (" + o.file + ") then");
      }
    }
  }
  for (const auto& [mid, m] : set.merchants) {
    for (const auto& [market, inclusive] : m.prices_include_tax.markets) {
      const std::string ptr = pointer_append("/price_basis_by_market", market);
      const auto j = set.tax.find(market);
      if (market != "EU" && j == set.tax.end()) {
        error(m.file, ptr, "\"" + market + "\" is neither a jurisdiction a tax file defines nor a VAT area (EU)");
      } else if (inclusive && j != set.tax.end() && j->second.taxes.size() > 1) {
        // Extracting two taxes from one price has no single right answer per line; such
        // markets (CA, US) price exclusive of tax, as their shops do.
        error(m.file, ptr, market + " has " + std::to_string(j->second.taxes.size()) +
                               " taxes: prices there cannot include tax (inclusive pricing is for single-tax markets)");
      }
    }
    for (std::size_t i = 0; i < m.registrations.size(); ++i) {
      const std::string& scheme = m.registrations[i].scheme;
      if (std::none_of(set.regimes.begin(), set.regimes.end(), [&](const TaxRegime& g) { return g.scheme == scheme; }))
        error(m.file, pointer_append("/registrations", i) + "/scheme", "\"" + scheme + "\" is not the scheme of any regime under tax/regimes/");
    }
  }
  return ok;
}

}  // namespace

std::string Diagnostic::to_string() const {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

RuleLoad load_rules(const std::vector<RuleSource>& files) {
  RuleLoad out;
  auto set = std::make_shared<RuleSet>();
  if (files.size() > limits::rule_files_max) {
    out.diagnostics.push_back({"", 0, 0, "", "more than rule_files_max (" + std::to_string(limits::rule_files_max) + ") rule files"});
    return out;
  }
  std::vector<const RuleSource*> ordered;
  for (const auto& f : files) ordered.push_back(&f);
  std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->path < b->path; });

  std::map<std::string, const RuleSource*> by_path;
  std::map<std::string, std::string> ids;  // rule id -> file, ids are unique across the set
  Sha256 version;
  bool failed = false;  // any error in any file, listed or not
  for (const RuleSource* src : ordered) {
    version.update(src->path);
    version.update(std::string_view("\0", 1));
    version.update(src->text);
    version.update(std::string_view("\0", 1));
    auto& diags = out.diagnostics;
    const auto fail_file = [&](Diagnostic d) {
      failed = true;
      if (diags.size() < limits::rule_errors_max) diags.push_back(std::move(d));
    };
    if (src->text.size() > limits::rule_file_bytes_max) {
      fail_file({src->path, 0, 0, "", "file is larger than rule_file_bytes_max (" + std::to_string(limits::rule_file_bytes_max) + " bytes)"});
      continue;
    }
    json doc;
    try {
      doc = parse_strict_json(src->text, true);
    } catch (const StrictJsonError& e) {
      fail_file({src->path, 0, 0, "", std::string("invalid JSON: ") + e.what()});
      continue;
    } catch (const json::parse_error& e) {
      const std::size_t at = e.byte == 0 ? 0 : e.byte - 1;
      const TextPosition p = position_of(src->text, at);
      std::string what = e.what();
      // nlohmann prefixes "[json.exception.parse_error.101] parse error at line 1, column 2: ".
      if (const auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
      fail_file({src->path, p.line, p.column, "", "invalid JSON: " + what});
      continue;
    } catch (const json::exception& e) {
      fail_file({src->path, 0, 0, "", std::string("invalid JSON: ") + e.what()});
      continue;
    }
    by_path[src->path] = src;
    FileReader reader(*src, diags);
    if (!doc.is_object()) {
      reader.error("", "a rule file must be a JSON object");
      failed = true;
      continue;
    }
    const auto concern =
        reader.one_of(doc, "", "concern", true, {"tax", "tax_regime", "merchant", "country_currency", "payment_method", "card_brands", "duty_territory",
                                          "duty_tariff", "duty_preferences", "duty_additional", "duty_low_value"});
    if (!concern) {
      failed = true;
      continue;
    }
    RuleFile info{src->path, Sha256::hex(src->text), *concern, 0};
    Ids file_ids;
    if (*concern == "tax") info.rules = read_tax(reader, doc, *set, file_ids);
    else if (*concern == "tax_regime") info.rules = read_regime(reader, doc, *set, file_ids);
    else if (*concern == "merchant") info.rules = read_merchant(reader, doc, *set);
    else if (*concern == "payment_method") info.rules = rules_internal::read_payment_method(reader, doc, *set, file_stem(src->path));
    else if (*concern == "card_brands") info.rules = rules_internal::read_card_brands(reader, doc, *set);
    else if (concern->rfind("duty_", 0) == 0) info.rules = rules_internal::read_duty_file(reader, doc, *set, *concern, duty_folder(src->path));
    else info.rules = read_country_currency(reader, doc, *set);
    if (!reader.failed()) {
      // Unique ids across files: a rule id names one figure in every quote that cites it.
      if (*concern == "country_currency") {
        const auto& list = doc["countries"];
        for (std::size_t i = 0; i < list.size(); ++i) file_ids.emplace_back(list[i]["id"], pointer_append("/countries", i) + "/id");
      } else if (*concern == "merchant") {
        file_ids.emplace_back(doc["id"], "/id");
      }
      for (const auto& [id, ptr] : file_ids) {
        const auto [it, fresh] = ids.emplace(id, src->path);
        if (!fresh) reader.error(ptr, "rule id \"" + id + "\" is already used in " + it->second);
      }
    }
    failed = failed || reader.failed();
    set->files.push_back(std::move(info));
  }
  if (!failed) failed = !check_references(*set, by_path, out.diagnostics);
  if (!failed) failed = !rules_internal::check_payment_rules(*set, by_path, out.diagnostics);
  if (!failed) failed = !rules_internal::check_duty_rules(*set, by_path, out.diagnostics);
  if (!failed && set->tax.empty()) {
    failed = true;
    out.diagnostics.push_back({"tax/", 0, 0, "", "no tax jurisdiction is defined (add one under tax/): every quote would be refused"});
  }
  if (!failed && set->merchants.empty()) {
    failed = true;
    out.diagnostics.push_back({"merchants/", 0, 0, "", "no merchant is defined (add one under merchants/)"});
  }
  if (failed) return out;
  const auto digest = version.finish();
  set->version = "sha256:" + to_hex(digest.data(), digest.size());
  out.rules = std::move(set);
  return out;
}

}  // namespace landed
