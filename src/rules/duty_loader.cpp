#include "rules/duty_loader.h"

#include <algorithm>
#include <set>

namespace landed::rules_internal {
namespace {

// A duty rate is a fraction, but some duties exceed 100 % of the value (US Section 301 stacks,
// Indian BCD on some goods); ten times the value bounds every real one and keeps the arithmetic
// far inside the engine's digit budget.
constexpr int duty_rate_max = 10;
constexpr std::size_t hs_digits_min = 4;
constexpr std::size_t hs_digits_max = 10;

bool digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool snake_id(const std::string& s) {
  if (s.empty() || s.size() > limits::id_bytes_max || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::optional<Decimal> duty_rate(FileReader& r, const json& obj, const std::string& ptr, const char* key, bool required) {
  auto d = r.decimal(obj, ptr, key, required);
  if (!d) return d;
  if (d->is_negative() || *d > Decimal::from_int(duty_rate_max))
    return r.error(pointer_append(ptr, key), "must be a fraction from 0 to " + std::to_string(duty_rate_max) + " (\"0.12\" means 12 %)"),
           std::nullopt;
  if (d->scale() > limits::rate_fraction_digits_max)
    return r.error(pointer_append(ptr, key), "has more than " + std::to_string(limits::rate_fraction_digits_max) + " fraction digits"),
           std::nullopt;
  return d;
}

std::optional<DutyUnit> unit(FileReader& r, const json& obj, const std::string& ptr) {
  const auto u = r.one_of(obj, ptr, "per", true, {"item", "pair", "dozen", "kg", "100kg", "litre"});
  if (!u) return std::nullopt;
  if (*u == "item") return DutyUnit::item;
  if (*u == "pair") return DutyUnit::pair;
  if (*u == "dozen") return DutyUnit::dozen;
  if (*u == "kg") return DutyUnit::kg;
  if (*u == "100kg") return DutyUnit::hundred_kg;
  return DutyUnit::litre;
}

std::optional<DutyPer> per_amount(FileReader& r, const json& obj, const std::string& ptr) {
  const auto amount = r.decimal(obj, ptr, "amount", true);
  const auto per = unit(r, obj, ptr);
  if (amount && amount->is_negative()) return r.error(pointer_append(ptr, "amount"), "must not be negative"), std::nullopt;
  if (amount && amount->scale() > limits::rate_fraction_digits_max)
    return r.error(pointer_append(ptr, "amount"), "has more than " + std::to_string(limits::rate_fraction_digits_max) + " fraction digits"),
           std::nullopt;
  if (amount && amount->integer_digits() > limits::amount_integer_digits_max)
    return r.error(pointer_append(ptr, "amount"), "is beyond amount_integer_digits_max"), std::nullopt;
  if (!amount || !per) return std::nullopt;
  return DutyPer{*amount, *per};
}

// The measure fields of `obj` (which holds other fields too): measure, rate, amount, per,
// minimum, maximum.
std::optional<DutyMeasure> read_measure(FileReader& r, const json& obj, const std::string& ptr) {
  const auto kind = r.one_of(obj, ptr, "measure", true, {"ad_valorem", "specific", "compound"});
  if (!kind) return std::nullopt;
  DutyMeasure m;
  m.kind = *kind == "ad_valorem" ? DutyMeasureKind::ad_valorem : *kind == "specific" ? DutyMeasureKind::specific : DutyMeasureKind::compound;
  const bool wants_rate = m.kind != DutyMeasureKind::specific;
  const bool wants_amount = m.kind != DutyMeasureKind::ad_valorem;
  bool ok = true;
  if (wants_rate) {
    m.rate = duty_rate(r, obj, ptr, "rate", true);
    ok = ok && m.rate;
  } else if (r.field(obj, ptr, "rate", false)) {
    r.error(pointer_append(ptr, "rate"), "a specific measure has no rate: use \"compound\" for a rate plus an amount");
    ok = false;
  }
  if (wants_amount) {
    m.specific = per_amount(r, obj, ptr);
    ok = ok && m.specific;
  } else if (r.field(obj, ptr, "amount", false) || r.field(obj, ptr, "per", false)) {
    r.error(ptr, "an ad_valorem measure has no amount or per: use \"compound\" for a rate plus an amount");
    ok = false;
  }
  for (const char* bound : {"minimum", "maximum"}) {
    const json* b = r.object(obj, ptr, bound, false);
    if (!b) continue;
    const std::string at = pointer_append(ptr, bound);
    r.only_keys(*b, at, {"amount", "per"});
    auto p = per_amount(r, *b, at);
    if (!p) { ok = false; continue; }
    (std::string(bound) == "minimum" ? m.minimum : m.maximum) = *p;
  }
  if (m.minimum && m.maximum && m.minimum->per == m.maximum->per && m.minimum->amount > m.maximum->amount) {
    r.error(pointer_append(ptr, "minimum"), "is above the maximum");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return m;
}

std::optional<std::string> hs_code(FileReader& r, const json& obj, const std::string& ptr, bool star_allowed) {
  auto hs = r.string(obj, ptr, "hs", true, limits::id_bytes_max);
  if (!hs) return hs;
  if (star_allowed && *hs == "*") return hs;
  if (!digits(*hs) || hs->size() < hs_digits_min || hs->size() > hs_digits_max)
    return r.error(pointer_append(ptr, "hs"), "must be 4 to 10 digits with no dots or spaces (\"61091000\")" +
                                                 std::string(star_allowed ? ", or \"*\" for every code" : "")),
           std::nullopt;
  return hs;
}

// Lines of a tariff or of an agreement; ids are "<prefix>.<hs>" (+ ".<effective_from>" when a
// code has more than one period).
std::optional<std::vector<TariffLine>> read_lines(FileReader& r, const json& doc, const std::string& ptr, const std::string& id_prefix,
                                                  bool star_allowed, const std::optional<std::string>& inherited_source) {
  const json* list = r.array(doc, ptr, "lines", true);
  if (!list) return std::nullopt;
  std::vector<TariffLine> out;
  bool ok = true;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string at = pointer_append(pointer_append(ptr, "lines"), i);
    const json& e = (*list)[i];
    if (!e.is_object()) { r.error(at, "must be an object"); ok = false; continue; }
    r.only_keys(e, at, {"hs", "measure", "rate", "amount", "per", "minimum", "maximum", "description", "effective_from", "effective_to",
                        "source", "note"});
    TariffLine line;
    auto hs = hs_code(r, e, at, star_allowed);
    auto m = read_measure(r, e, at);
    auto desc = r.string(e, at, "description", !star_allowed);
    std::optional<Provenance> prov;
    if (inherited_source && !r.field(e, at, "source", false) && !r.field(e, at, "effective_from", false)) {
      prov = Provenance{};  // an agreement line without its own dates and source has the agreement's
      prov->source = *inherited_source;
      prov->effective_from = *Date::parse("1970-01-01");
    } else {
      prov = r.provenance(e, at, false);
    }
    if (!hs || !m || (!star_allowed && !desc) || !prov) { ok = false; continue; }
    line.hs = *hs;
    line.measure = *m;
    line.description = desc.value_or("");
    line.provenance = *prov;
    line.provenance.id = id_prefix + "." + *hs;
    line.file = r.file();
    out.push_back(std::move(line));
  }
  if (!ok) return std::nullopt;
  std::stable_sort(out.begin(), out.end(), [](const TariffLine& a, const TariffLine& b) {
    return a.hs != b.hs ? a.hs < b.hs : a.provenance.effective_from < b.provenance.effective_from;
  });
  // One line per code at any date; a code with several periods gets its start date in its id.
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].hs != out[i - 1].hs) continue;
    const Provenance& a = out[i - 1].provenance;
    if (!a.effective_to || *a.effective_to > out[i].provenance.effective_from) {
      r.error(pointer_append(ptr, "lines"), "hs " + out[i].hs + " is listed twice for overlapping periods");
      return std::nullopt;
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    const bool repeated = (i > 0 && out[i - 1].hs == out[i].hs) || (i + 1 < out.size() && out[i + 1].hs == out[i].hs);
    if (repeated) out[i].provenance.id += "." + out[i].provenance.effective_from.to_string();
  }
  return out;
}

std::optional<std::vector<std::string>> countries(FileReader& r, const json& obj, const std::string& ptr, const char* key) {
  auto list = read_strings(r, obj, ptr, key, true, [&](const std::string& v, const std::string& at) {
    if (v.size() == 2 && is_country(v)) return true;
    r.error(at, "\"" + v + "\" is not an ISO 3166-1 alpha-2 country ICU knows");
    return false;
  });
  if (!list) return list;
  if (list->empty()) return r.error(pointer_append(ptr, key), "must name at least one country"), std::nullopt;
  std::sort(list->begin(), list->end());
  if (std::adjacent_find(list->begin(), list->end()) != list->end())
    return r.error(pointer_append(ptr, key), "names a country twice"), std::nullopt;
  return list;
}

std::size_t read_territory(FileReader& r, const json& doc, DutyTerritory& t) {
  r.only_keys(doc, "", {"concern", "territory", "name", "members", "currency", "nomenclature", "valuation", "customs_rate", "fallback",
                        "effective_from", "effective_to", "source", "note"});
  auto prov = r.provenance(doc, "", false);
  auto name = r.string(doc, "", "name", true);
  auto members = countries(r, doc, "", "members");
  auto cur = r.currency(doc, "", "currency", true);
  auto nomenclature = r.string(doc, "", "nomenclature", true);
  std::optional<std::string> basis, basis_source, rate_source, rate_doc;
  if (const json* v = r.object(doc, "", "valuation", true)) {
    r.only_keys(*v, "/valuation", {"basis", "effective_from", "source", "note"});
    basis = r.one_of(*v, "/valuation", "basis", true, {"CIF", "FOB"});
    basis_source = r.string(*v, "/valuation", "source", true);
    r.date(*v, "/valuation", "effective_from", true);
    r.string(*v, "/valuation", "note", false);
  }
  if (const json* v = r.object(doc, "", "customs_rate", true)) {
    r.only_keys(*v, "/customs_rate", {"source", "source_doc", "effective_from", "note"});
    rate_source = r.string(*v, "/customs_rate", "source", true, limits::id_bytes_max);
    rate_doc = r.string(*v, "/customs_rate", "source_doc", false);
    r.date(*v, "/customs_rate", "effective_from", true);
    r.string(*v, "/customs_rate", "note", false);
  }
  if (const json* f = r.field(doc, "", "fallback", false)) {
    if (!f->is_object()) {
      r.error("/fallback", "must be a measure object, or null when an unlisted code is refused");
    } else {
      r.only_keys(*f, "/fallback", {"measure", "rate", "amount", "per", "minimum", "maximum", "description", "effective_from", "effective_to",
                                    "source", "note"});
      auto m = read_measure(r, *f, "/fallback");
      auto fp = r.provenance(*f, "/fallback", false);
      if (m && fp) {
        TariffLine line;
        line.hs = "*";
        line.measure = *m;
        line.description = r.string(*f, "/fallback", "description", false).value_or("");
        line.provenance = *fp;
        line.file = r.file();
        t.fallback = std::move(line);
      }
    }
  }
  if (r.failed() || !prov || !name || !members || !cur || !nomenclature || !basis || !basis_source || !rate_source) return 0;
  const std::string id = t.provenance.id;
  t.provenance = *prov;
  t.provenance.id = id;
  if (t.fallback) t.fallback->provenance.id = id + ".fallback";
  t.name = *name;
  t.members = *members;
  t.currency = *cur;
  t.nomenclature = *nomenclature;
  t.valuation = *basis;
  t.valuation_source = *basis_source;
  t.customs_rate = *rate_source;
  t.customs_rate_source = rate_doc.value_or("");
  return 1 + (t.fallback ? 1 : 0);
}

std::size_t read_preferences(FileReader& r, const json& doc, DutyTerritory& t) {
  r.only_keys(doc, "", {"concern", "territory", "agreements", "note"});
  r.string(doc, "", "note", false);
  const json* list = r.array(doc, "", "agreements", true);
  if (!list) return 0;
  std::vector<DutyAgreement> out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string at = pointer_append("/agreements", i);
    const json& e = (*list)[i];
    if (!e.is_object()) { r.error(at, "must be an object"); continue; }
    r.only_keys(e, at, {"id", "name", "partners", "lines", "effective_from", "effective_to", "source", "note"});
    auto prov = r.provenance(e, at, true);
    if (prov && !snake_id(prov->id)) { r.error(pointer_append(at, "id"), "must be a snake_case id such as \"eu_uk_tca\""); prov.reset(); }
    auto name = r.string(e, at, "name", true);
    auto partners = countries(r, e, at, "partners");
    if (!prov) continue;
    auto lines = read_lines(r, e, at, t.provenance.id + "." + prov->id, true, prov->source);
    if (!name || !partners || !lines) continue;
    if (std::any_of(out.begin(), out.end(), [&](const DutyAgreement& a) { return a.provenance.id == prov->id; })) {
      r.error(pointer_append(at, "id"), "agreement \"" + prov->id + "\" is listed twice");
      continue;
    }
    for (TariffLine& l : *lines)
      if (l.provenance.effective_from < prov->effective_from) l.provenance.effective_from = prov->effective_from;
    DutyAgreement a;
    a.provenance = *prov;
    a.name = *name;
    a.partners = std::move(*partners);
    a.lines = std::move(*lines);
    n += a.lines.size();
    out.push_back(std::move(a));
  }
  if (r.failed()) return 0;
  t.agreements = std::move(out);
  return n;
}

std::size_t read_additional(FileReader& r, const json& doc, DutyTerritory& t) {
  r.only_keys(doc, "", {"concern", "territory", "measures", "note"});
  r.string(doc, "", "note", false);
  const json* list = r.array(doc, "", "measures", true);
  if (!list) return 0;
  std::vector<AdditionalDuty> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string at = pointer_append("/measures", i);
    const json& e = (*list)[i];
    if (!e.is_object()) { r.error(at, "must be an object"); continue; }
    r.only_keys(e, at, {"id", "name", "origins", "hs", "hs_excluded", "measure", "rate", "amount", "per", "minimum", "maximum", "legal",
                        "effective_from", "effective_to", "source", "note"});
    auto prov = r.provenance(e, at, true);
    if (prov && !snake_id(prov->id)) { r.error(pointer_append(at, "id"), "must be a snake_case id such as \"us_301_cn_list4a\""); prov.reset(); }
    auto name = r.string(e, at, "name", true);
    auto legal = r.string(e, at, "legal", true);
    auto origins = countries(r, e, at, "origins");
    bool star = false;
    auto prefixes = [&](const char* key, bool required, bool star_ok) {
      return read_strings(r, e, at, key, required, [&](const std::string& v, const std::string& p) {
        if (star_ok && v == "*") return star = true;
        if (digits(v) && v.size() >= 2 && v.size() <= hs_digits_max) return true;
        r.error(p, "\"" + v + "\" is not an HS prefix (2 to 10 digits)" + std::string(star_ok ? " or \"*\"" : ""));
        return false;
      });
    };
    auto hs = prefixes("hs", true, true);
    auto excluded = prefixes("hs_excluded", false, false);
    auto m = read_measure(r, e, at);
    if (hs && star && hs->size() != 1) { r.error(pointer_append(at, "hs"), "\"*\" means every code: list it alone"); continue; }
    if (hs && hs->empty()) { r.error(pointer_append(at, "hs"), "must name at least one prefix, or [\"*\"]"); continue; }
    if (!prov || !name || !legal || !origins || !hs || !excluded || !m) continue;
    AdditionalDuty d;
    d.provenance = *prov;
    d.provenance.id = t.provenance.id + "." + prov->id;
    d.name = *name;
    d.legal = *legal;
    d.origins = std::move(*origins);
    d.all_hs = star;
    if (!star) d.hs = std::move(*hs);
    d.hs_excluded = std::move(*excluded);
    d.measure = *m;
    if (std::any_of(out.begin(), out.end(), [&](const AdditionalDuty& o) { return o.provenance.id == d.provenance.id; })) {
      r.error(pointer_append(at, "id"), "measure \"" + prov->id + "\" is listed twice");
      continue;
    }
    out.push_back(std::move(d));
  }
  if (r.failed()) return 0;
  t.additional = std::move(out);
  return t.additional.size();
}

std::size_t read_low_value(FileReader& r, const json& doc, DutyTerritory& t) {
  r.only_keys(doc, "", {"concern", "territory", "reliefs", "note"});
  r.string(doc, "", "note", false);
  t.has_low_value_file = true;
  const json* list = r.array(doc, "", "reliefs", true);
  if (!list) return 0;
  std::vector<DutyRelief> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string at = pointer_append("/reliefs", i);
    const json& e = (*list)[i];
    if (!e.is_object()) { r.error(at, "must be an object"); continue; }
    r.only_keys(e, at, {"id", "name", "treatment", "amount", "category", "thresholds", "boundary", "value", "rate_source", "buyers",
                        "scheme", "hs_excluded", "value_factor", "effective_from", "effective_to", "source", "note"});
    auto prov = r.provenance(e, at, true);
    const std::string prefix = t.provenance.id + ".";
    if (prov && (prov->id.rfind(prefix, 0) != 0 || !snake_id(prov->id.substr(prefix.size())))) {
      r.error(pointer_append(at, "id"), "must be \"" + prefix + "\" and a snake_case name, such as \"" + prefix + "duty_relief\"");
      prov.reset();
    }
    auto name = r.string(e, at, "name", true);
    auto treatment = r.one_of(e, at, "treatment", true, {"no_duty", "flat_per_category"});
    auto boundary = r.one_of(e, at, "boundary", true, {"at_or_below", "below"});
    auto value = r.one_of(e, at, "value", true, {"goods", "goods_and_shipping", "customs_value", "duty"});
    auto rate_source = r.one_of(e, at, "rate_source", true, {"ECB"});
    auto buyers = r.one_of(e, at, "buyers", false, {"any", "consumer"});
    auto scheme = r.string(e, at, "scheme", false, limits::id_bytes_max);
    auto excluded = read_strings(r, e, at, "hs_excluded", false, [&](const std::string& v, const std::string& p) {
      if (digits(v) && v.size() >= 2 && v.size() <= hs_digits_max) return true;
      r.error(p, "\"" + v + "\" is not an HS prefix (2 to 10 digits)");
      return false;
    });
    DutyRelief d;
    bool ok = excluded.has_value();
    if (r.field(e, at, "value_factor", false)) {
      d.value_factor = r.rate(e, at, "value_factor", true);
      if (d.value_factor && d.value_factor->is_zero()) { r.error(pointer_append(at, "value_factor"), "must be above 0"); ok = false; }
      ok = ok && d.value_factor;
    }
    if (treatment && *treatment == "flat_per_category") {
      d.flat_amount = r.decimal(e, at, "amount", true);
      const auto category = r.one_of(e, at, "category", true, {"hs6"});
      if (d.flat_amount && (d.flat_amount->is_negative() || d.flat_amount->scale() > limits::rate_fraction_digits_max ||
                            d.flat_amount->integer_digits() > limits::amount_integer_digits_max)) {
        r.error(pointer_append(at, "amount"), "must be a non-negative amount with at most " +
                                                  std::to_string(limits::rate_fraction_digits_max) + " fraction digits");
        ok = false;
      }
      ok = ok && d.flat_amount && category;
    } else if (treatment) {
      for (const char* key : {"amount", "category"})
        if (r.field(e, at, key, false)) { r.error(pointer_append(at, key), "is for flat_per_category reliefs only"); ok = false; }
    }
    if (const json* th = r.array(e, at, "thresholds", true)) {
      const std::string tp = pointer_append(at, "thresholds");
      if (th->empty()) { r.error(tp, "must list at least one threshold"); ok = false; }
      for (std::size_t k = 0; k < th->size(); ++k) {
        const std::string ptr = pointer_append(tp, k);
        const json& x = (*th)[k];
        if (!x.is_object()) { r.error(ptr, "must be an object"); ok = false; continue; }
        r.only_keys(x, ptr, {"ship_from", "amount", "currency"});
        auto from = r.field(x, ptr, "ship_from", false) ? countries(r, x, ptr, "ship_from") : std::optional<std::vector<std::string>>(std::vector<std::string>{});
        const auto amount = r.decimal(x, ptr, "amount", true);
        const auto cur = r.currency(x, ptr, "currency", true);
        if (!from || !amount || !cur) { ok = false; continue; }
        auto money = Money::exact(*amount, *cur);
        if (!money.ok() || amount->is_negative()) {
          r.error(ptr + "/amount", money.ok() ? "must not be negative" : money.error().message);
          ok = false;
          continue;
        }
        if (!d.thresholds.empty() && d.thresholds.back().ship_from.empty()) {
          r.error(ptr, "is never used: the threshold before it applies to every ship_from");
          ok = false;
        }
        d.thresholds.push_back({std::move(*from), *money});
      }
    } else {
      ok = false;
    }
    if (!prov || !name || !treatment || !boundary || !value || !rate_source || !ok) continue;
    if (std::any_of(out.begin(), out.end(), [&](const DutyRelief& o) { return o.provenance.id == prov->id; })) {
      r.error(pointer_append(at, "id"), "relief \"" + prov->id + "\" is listed twice");
      continue;
    }
    d.provenance = std::move(*prov);
    d.name = *name;
    d.treatment = *treatment == "no_duty" ? ReliefTreatment::no_duty : ReliefTreatment::flat_per_category;
    d.at_or_below = *boundary == "at_or_below";
    d.value = *value == "goods" ? ReliefValue::goods
              : *value == "goods_and_shipping" ? ReliefValue::goods_and_shipping
              : *value == "customs_value" ? ReliefValue::customs_value
                                           : ReliefValue::duty;
    if (d.value == ReliefValue::duty && d.treatment == ReliefTreatment::flat_per_category) {
      r.error(pointer_append(at, "value"), "a flat_per_category relief replaces the duty: it cannot be tested on it");
      continue;
    }
    d.rate_source = *rate_source;
    d.consumers_only = buyers.value_or("any") == "consumer";
    d.scheme = scheme.value_or("");
    d.hs_excluded = std::move(*excluded);
    out.push_back(std::move(d));
  }
  if (r.failed()) return 0;
  t.reliefs = std::move(out);
  return t.reliefs.size();
}

}  // namespace

std::size_t read_duty_file(FileReader& r, const json& doc, RuleSet& set, const std::string& concern, const std::string& folder) {
  const auto territory = r.string(doc, "", "territory", true, limits::id_bytes_max);
  if (!territory) return 0;
  if (*territory != folder) {
    r.error("/territory", "must equal the folder the file is in: \"" + folder + "\" (rules/duty/<territory>/)");
    return 0;
  }
  DutyTerritory& t = set.duty.territories[*territory];
  if (t.provenance.id.empty()) t.provenance.id = *territory;
  t.files.push_back(r.file());
  // One file of each kind per territory: a second would silently replace the first.
  const bool again = (concern == "duty_territory" && !t.name.empty()) || (concern == "duty_tariff" && !t.tariff.empty()) ||
                     (concern == "duty_preferences" && !t.agreements.empty()) || (concern == "duty_additional" && !t.additional.empty()) ||
                     (concern == "duty_low_value" && t.has_low_value_file);
  if (again) {
    r.error("/concern", "territory " + *territory + " already has a " + concern + " file");
    return 0;
  }
  if (concern == "duty_territory") return read_territory(r, doc, t);
  if (concern == "duty_preferences") return read_preferences(r, doc, t);
  if (concern == "duty_additional") return read_additional(r, doc, t);
  if (concern == "duty_low_value") return read_low_value(r, doc, t);
  // duty_tariff
  r.only_keys(doc, "", {"concern", "territory", "lines", "note"});
  r.string(doc, "", "note", false);
  auto lines = read_lines(r, doc, "", *territory + ".tariff", false, std::nullopt);
  if (!lines) return 0;
  t.tariff = std::move(*lines);
  return t.tariff.size();
}

bool check_duty_rules(RuleSet& set, const std::map<std::string, const RuleSource*>& by_path, std::vector<Diagnostic>& diags) {
  bool ok = true;
  set.duty.territory_of.clear();
  for (auto& [id, t] : set.duty.territories) {
    if (t.name.empty()) {  // no territory.json was read
      diags.push_back({"duty/" + id + "/", 0, 0, "", "territory " + id + " has rule files but no territory.json (members, currency, valuation)"});
      ok = false;
      continue;
    }
    if (t.tariff.empty()) {
      diags.push_back({"duty/" + id + "/", 0, 0, "", "territory " + id + " has no tariff.json lines: every line would be refused"});
      ok = false;
    }
    for (const std::string& c : t.members) {
      const auto [it, fresh] = set.duty.territory_of.emplace(c, id);
      if (!fresh) {
        const std::string file = "duty/" + id + "/territory.json";
        if (by_path.count(file)) FileReader(*by_path.at(file), diags).error("/members", c + " is already in customs territory " + it->second);
        else diags.push_back({file, 0, 0, "/members", c + " is already in customs territory " + it->second});
        ok = false;
      }
    }
  }
  return ok;
}

}  // namespace landed::rules_internal
