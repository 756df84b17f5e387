#include "rules/loader.h"

#include <algorithm>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>

#include "core/json_positions.h"
#include "core/limits.h"
#include "core/sha256.h"
#include "core/strict_json.h"

namespace landed {
namespace {

using json = nlohmann::json;

// Reads one file's JSON into typed values, turning every problem into a Diagnostic that points
// at the value's line and column.
class FileReader {
 public:
  FileReader(const RuleSource& src, std::vector<Diagnostic>& out)
      : file_(src.path), positions_(src.text), out_(out) {}

  const std::string& file() const { return file_; }

  // True once this file has had any error, even one not listed past rule_errors_max.
  bool failed() const { return failed_; }

  void error(const std::string& pointer, std::string message) {
    failed_ = true;
    if (out_.size() >= limits::rule_errors_max) return;
    const TextPosition p = positions_.at(pointer);
    out_.push_back({file_, p.line, p.column, pointer, std::move(message)});
  }

  // Refuses keys outside `allowed`, so a misspelt field is not silently ignored.
  void only_keys(const json& obj, const std::string& ptr, std::initializer_list<const char*> allowed) {
    for (const auto& [key, value] : obj.items()) {
      const bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; });
      if (!known) error(pointer_append(ptr, key), "unknown field \"" + key + "\"");
    }
  }

  const json* field(const json& obj, const std::string& ptr, const char* key, bool required) {
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) error(ptr, std::string("missing required field \"") + key + "\"");
      return nullptr;
    }
    return &*it;
  }

  std::optional<std::string> string(const json& obj, const std::string& ptr, const char* key,
                                    bool required, std::size_t bytes_max = limits::text_bytes_max) {
    const json* v = field(obj, ptr, key, required);
    if (!v) return std::nullopt;
    const std::string p = pointer_append(ptr, key);
    if (!v->is_string()) return error(p, "must be a string"), std::nullopt;
    const auto& s = v->get_ref<const std::string&>();
    if (required && s.empty()) return error(p, "must not be empty"), std::nullopt;
    if (s.size() > bytes_max) return error(p, "is longer than " + std::to_string(bytes_max) + " bytes"), std::nullopt;
    return s;
  }

  std::optional<std::string> one_of(const json& obj, const std::string& ptr, const char* key, bool required,
                                    std::initializer_list<const char*> values) {
    auto s = string(obj, ptr, key, required, limits::id_bytes_max);
    if (!s) return s;
    if (std::none_of(values.begin(), values.end(), [&](const char* v) { return *s == v; })) {
      std::string list;
      for (const char* v : values) list += (list.empty() ? "" : ", ") + std::string(v);
      error(pointer_append(ptr, key), "must be one of: " + list);
      return std::nullopt;
    }
    return s;
  }

  std::optional<Decimal> decimal(const json& obj, const std::string& ptr, const char* key, bool required) {
    const json* v = field(obj, ptr, key, required);
    if (!v) return std::nullopt;
    const std::string p = pointer_append(ptr, key);
    if (!v->is_string())
      return error(p, "must be a decimal string such as \"0.25\" (numbers would lose exactness)"), std::nullopt;
    auto d = Decimal::parse(v->get_ref<const std::string&>());
    if (!d.ok()) return error(p, d.error().message), std::nullopt;
    return *d;
  }

  // A fraction 0 <= r < 1 with at most rate_fraction_digits digits.
  std::optional<Decimal> rate(const json& obj, const std::string& ptr, const char* key, bool required) {
    auto d = decimal(obj, ptr, key, required);
    if (!d) return d;
    const std::string p = pointer_append(ptr, key);
    if (d->is_negative() || *d >= Decimal::from_int(1))
      return error(p, "must be a fraction from 0 up to 1 (\"0.25\" means 25 %)"), std::nullopt;
    if (d->scale() > limits::rate_fraction_digits_max)
      return error(p, "has more than " + std::to_string(limits::rate_fraction_digits_max) + " fraction digits"), std::nullopt;
    return d;
  }

  // An FX markup: a fraction 0 <= m < limits::fx_markup_max with at most rate_fraction_digits_max
  // digits (the applied rate's digit budget in core/limits.h counts on that).
  std::optional<Decimal> markup(const json& obj, const std::string& ptr, const char* key, bool required) {
    auto d = decimal(obj, ptr, key, required);
    if (!d) return d;
    const std::string p = pointer_append(ptr, key);
    static const Decimal max = *Decimal::parse(limits::fx_markup_max);
    if (d->is_negative() || *d >= max)
      return error(p, "must be a fraction from 0 up to, not including, " + std::string(limits::fx_markup_max) +
                          " (fx_markup_max; \"0.02\" means 2 %)"),
             std::nullopt;
    if (d->scale() > limits::rate_fraction_digits_max)
      return error(p, "has more than " + std::to_string(limits::rate_fraction_digits_max) + " fraction digits"), std::nullopt;
    return d;
  }

  std::optional<Date> date(const json& obj, const std::string& ptr, const char* key, bool required) {
    auto s = string(obj, ptr, key, required, limits::id_bytes_max);
    if (!s) return std::nullopt;
    auto d = Date::parse(*s);
    if (!d) error(pointer_append(ptr, key), "must be a date YYYY-MM-DD");
    return d;
  }

  std::optional<int> integer(const json& obj, const std::string& ptr, const char* key, bool required, int lo, int hi) {
    const json* v = field(obj, ptr, key, required);
    if (!v) return std::nullopt;
    const std::string p = pointer_append(ptr, key);
    if (!v->is_number_integer()) return error(p, "must be an integer"), std::nullopt;
    const auto n = v->get<std::int64_t>();
    if (n < lo || n > hi)
      return error(p, "must be from " + std::to_string(lo) + " to " + std::to_string(hi)), std::nullopt;
    return int(n);
  }

  std::optional<std::string> country(const json& obj, const std::string& ptr, const char* key, bool required) {
    auto s = string(obj, ptr, key, required, limits::id_bytes_max);
    if (!s) return s;
    if (s->size() != 2 || !std::all_of(s->begin(), s->end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
      return error(pointer_append(ptr, key), "must be an ISO 3166-1 alpha-2 code such as \"HR\""), std::nullopt;
    return s;
  }

  std::optional<Currency> currency(const json& obj, const std::string& ptr, const char* key, bool required) {
    auto s = string(obj, ptr, key, required, limits::id_bytes_max);
    if (!s) return std::nullopt;
    auto c = Currency::of(*s);
    if (!c.ok()) return error(pointer_append(ptr, key), c.error().message), std::nullopt;
    return *c;
  }

  const json* array(const json& obj, const std::string& ptr, const char* key, bool required) {
    const json* v = field(obj, ptr, key, required);
    if (!v) return nullptr;
    if (!v->is_array()) return error(pointer_append(ptr, key), "must be an array"), nullptr;
    if (v->size() > limits::rules_per_file_max)
      return error(pointer_append(ptr, key), "has more than rules_per_file_max entries"), nullptr;
    return v;
  }

  const json* object(const json& obj, const std::string& ptr, const char* key, bool required) {
    const json* v = field(obj, ptr, key, required);
    if (!v) return nullptr;
    if (!v->is_object()) return error(pointer_append(ptr, key), "must be an object"), nullptr;
    return v;
  }

  // id, source, effective_from, effective_to, note.
  std::optional<Provenance> provenance(const json& obj, const std::string& ptr, bool id_required) {
    Provenance p;
    const auto id = string(obj, ptr, "id", id_required, limits::id_bytes_max);
    const auto source = string(obj, ptr, "source", true);
    const auto from = date(obj, ptr, "effective_from", true);
    const auto to = date(obj, ptr, "effective_to", false);
    const auto note = string(obj, ptr, "note", false);
    if ((id_required && !id) || !source || !from) return std::nullopt;
    if (to && *to <= *from) {
      error(pointer_append(ptr, "effective_to"), "must be after effective_from");
      return std::nullopt;
    }
    p.id = id.value_or("");
    p.source = *source;
    p.note = note.value_or("");
    p.effective_from = *from;
    p.effective_to = to;
    return p;
  }

 private:
  std::string file_;
  JsonPositions positions_;
  std::vector<Diagnostic>& out_;
  bool failed_ = false;
};

std::size_t read_vat(FileReader& r, const json& doc, RuleSet& set, std::map<std::string, std::string>& vat_files) {
  r.only_keys(doc, "", {"concern", "country", "tax_name", "rounding", "rates", "note"});
  const auto country = r.country(doc, "", "country", true);
  const auto name = r.string(doc, "", "tax_name", true, limits::id_bytes_max);
  VatSchedule s;
  s.file = r.file();
  if (const json* rounding = r.object(doc, "", "rounding", true)) {
    r.only_keys(*rounding, "/rounding", {"mode", "level", "source", "note"});
    const auto mode = r.one_of(*rounding, "/rounding", "mode", true, {"HalfEven", "HalfUp", "HalfDown", "Up", "Down"});
    const auto level = r.one_of(*rounding, "/rounding", "level", true, {"line", "total"});
    const auto source = r.string(*rounding, "/rounding", "source", true);
    r.string(*rounding, "/rounding", "note", false);
    if (mode) s.rounding = *parse_rounding(*mode);
    if (level) s.level = *level == "line" ? RoundingLevel::line : RoundingLevel::total;
    if (source) s.rounding_source = *source;
  }
  std::size_t count = 0;
  if (const json* rates = r.array(doc, "", "rates", true)) {
    for (std::size_t i = 0; i < rates->size(); ++i) {
      const std::string ptr = pointer_append("/rates", i);
      const json& e = (*rates)[i];
      if (!e.is_object()) { r.error(ptr, "must be an object"); continue; }
      r.only_keys(e, ptr, {"id", "category", "rate", "effective_from", "effective_to", "source", "note"});
      auto prov = r.provenance(e, ptr, true);
      std::optional<std::string> category = r.string(e, ptr, "category", true, limits::id_bytes_max);
      if (category && std::none_of(std::begin(vat_categories), std::end(vat_categories),
                                   [&](const char* c) { return *category == c; })) {
        r.error(pointer_append(ptr, "category"), "must be one of: standard, reduced, reduced2, super_reduced, parking");
        category.reset();
      }
      const auto rate = r.rate(e, ptr, "rate", true);
      if (!prov || !category || !rate) continue;
      s.rates.push_back({std::move(*prov), std::move(*category), *rate});
      ++count;
    }
  }
  // Periods of one category must not overlap: on any date, one rate per category.
  std::vector<const VatRate*> sorted;
  for (const auto& v : s.rates) sorted.push_back(&v);
  std::sort(sorted.begin(), sorted.end(), [](const VatRate* a, const VatRate* b) {
    return std::tie(a->category, a->provenance.effective_from) < std::tie(b->category, b->provenance.effective_from);
  });
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    const VatRate& a = *sorted[i - 1];
    const VatRate& b = *sorted[i];
    if (a.category == b.category && (!a.provenance.effective_to || *a.provenance.effective_to > b.provenance.effective_from)) {
      std::size_t idx = 0;
      for (; idx < s.rates.size() && &s.rates[idx] != &b; ++idx) {}
      r.error(pointer_append("/rates", idx), "rate \"" + b.provenance.id + "\" overlaps \"" + a.provenance.id +
                                                 "\" for category " + b.category);
    }
  }
  if (country && name) {
    if (const auto it = vat_files.find(*country); it != vat_files.end()) {
      r.error("/country", "VAT for " + *country + " is already defined in " + it->second);
    } else {
      vat_files.emplace(*country, r.file());
      s.country = *country;
      s.tax_name = *name;
      set.vat.emplace(*country, std::move(s));
    }
  }
  return count;
}

std::size_t read_merchant(FileReader& r, const json& doc, RuleSet& set) {
  r.only_keys(doc, "", {"concern", "id", "name", "default", "origin", "currency", "price_basis", "incoterm", "fx",
                        "cash_rounding", "line_rounding", "shipping", "registrations", "source", "effective_from", "effective_to",
                        "note", "rates_staleness"});
  Merchant m;
  auto prov = r.provenance(doc, "", true);
  const auto name = r.string(doc, "", "name", true);
  const auto origin = r.country(doc, "", "origin", true);
  const auto currency = r.currency(doc, "", "currency", true);
  // Tax-inclusive price lists come with the tax engine (ROADMAP 3); refuse them until then.
  const auto basis = r.one_of(doc, "", "price_basis", true, {"exclusive"});
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
  m.name = *name;
  m.origin = *origin;
  m.currency = *currency;
  m.price_basis = *basis;
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

  std::map<std::string, std::string> vat_files;
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
    FileReader reader(*src, diags);
    if (!doc.is_object()) {
      reader.error("", "a rule file must be a JSON object");
      failed = true;
      continue;
    }
    const auto concern = reader.one_of(doc, "", "concern", true, {"vat", "merchant", "country_currency"});
    if (!concern) {
      failed = true;
      continue;
    }
    RuleFile info{src->path, Sha256::hex(src->text), *concern, 0};
    if (*concern == "vat") info.rules = read_vat(reader, doc, *set, vat_files);
    else if (*concern == "merchant") info.rules = read_merchant(reader, doc, *set);
    else info.rules = read_country_currency(reader, doc, *set);
    if (!reader.failed()) {
      // Unique ids across files: a rule id names one figure in every quote that cites it.
      std::vector<std::pair<std::string, std::string>> file_ids;
      if (*concern == "vat") {
        const auto& rates = doc["rates"];
        for (std::size_t i = 0; i < rates.size(); ++i) file_ids.emplace_back(rates[i]["id"], pointer_append("/rates", i) + "/id");
      } else if (*concern == "country_currency") {
        const auto& list = doc["countries"];
        for (std::size_t i = 0; i < list.size(); ++i) file_ids.emplace_back(list[i]["id"], pointer_append("/countries", i) + "/id");
      } else {
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
  if (!failed && set->merchants.empty()) {
    failed = true;
    out.diagnostics.push_back({"", 0, 0, "", "no merchant is defined (add one under merchants/)"});
  }
  if (failed) return out;
  const auto digest = version.finish();
  set->version = "sha256:" + to_hex(digest.data(), digest.size());
  out.rules = std::move(set);
  return out;
}

}  // namespace landed
