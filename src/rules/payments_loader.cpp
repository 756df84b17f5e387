#include "rules/payments_loader.h"

#include <algorithm>
#include <set>

namespace landed::rules_internal {
namespace {

bool is_snake_id(const std::string& s) {
  if (s.empty() || s.size() > limits::id_bytes_max || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

template <std::size_t N>
bool listed(const std::string_view (&values)[N], std::string_view v) {
  return std::find(std::begin(values), std::end(values), v) != std::end(values);
}

template <std::size_t N>
std::string joined(const std::string_view (&values)[N]) {
  std::string out;
  for (std::string_view v : values) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

bool country_ok(FileReader& r, const std::string& v, const std::string& at) {
  if (v.size() != 2 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= 'A' && c <= 'Z'; }) || !is_country(v)) {
    r.error(at, "\"" + v + "\" is not an ISO 3166-1 alpha-2 country ICU knows");
    return false;
  }
  return true;
}

// ["*"] or a list of values each checked by `valid`; sorted.
std::optional<AnyOf> read_any_of(FileReader& r, const json& obj, const std::string& ptr, const char* key, bool required,
                                 const std::function<bool(const std::string&, const std::string&)>& valid) {
  bool star = false;
  auto list = read_strings(r, obj, ptr, key, required, [&](const std::string& v, const std::string& at) {
    if (v == "*") return star = true;
    return valid(v, at);
  });
  if (!list) return std::nullopt;
  AnyOf out;
  if (star) {
    if (list->size() != 1) {
      r.error(pointer_append(ptr, key), "\"*\" means every value: list it alone");
      return std::nullopt;
    }
    out.any = true;
    return out;
  }
  if (required && list->empty()) {
    r.error(pointer_append(ptr, key), "must name at least one value, or [\"*\"]");
    return std::nullopt;
  }
  out.values = std::move(*list);
  std::sort(out.values.begin(), out.values.end());
  return out;
}

std::optional<std::int64_t> minor_units(FileReader& r, const json& obj, const std::string& ptr, const char* key) {
  const json* v = r.field(obj, ptr, key, true);
  if (!v) return std::nullopt;
  const std::string p = pointer_append(ptr, key);
  // An integer count of minor units (cents): exact as JSON, unlike a decimal amount.
  if (!v->is_number_integer()) return r.error(p, "must be an integer number of minor units (5000 = 50.00 in a 2-digit currency)"), std::nullopt;
  const auto n = v->get<std::int64_t>();
  if (n < 0 || n > limits::payment_amount_minor_max)
    return r.error(p, "must be from 0 to payment_amount_minor_max (" + std::to_string(limits::payment_amount_minor_max) + ")"), std::nullopt;
  return n;
}

std::optional<std::map<std::string, int, std::less<>>> read_ranks(FileReader& r, const json& obj, const std::string& ptr,
                                                                  const char* key, bool countries) {
  std::map<std::string, int, std::less<>> out;
  const json* m = r.field(obj, ptr, key, false);
  if (!m) return out;
  const std::string at = pointer_append(ptr, key);
  if (!m->is_object()) return r.error(at, "must be an object"), std::nullopt;
  bool ok = true;
  for (const auto& [k, v] : m->items()) {
    const std::string p = pointer_append(at, k);
    if (countries ? !country_ok(r, k, p) : !listed(channels, k)) {
      if (!countries) r.error(p, "\"" + k + "\" is not a channel (" + joined(channels) + ")");
      ok = false;
      continue;
    }
    if (!v.is_number_integer() || v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > limits::payment_rank_max) {
      r.error(p, "must be an integer rank from 0 to " + std::to_string(limits::payment_rank_max));
      ok = false;
      continue;
    }
    out.emplace(k, int(v.get<std::int64_t>()));
  }
  if (!ok) return std::nullopt;
  return out;
}

bool digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::size_t read_payment_method(FileReader& r, const json& doc, RuleSet& set, const std::string& stem) {
  r.only_keys(doc, "", {"concern", "id", "kind", "countries", "currencies", "amounts", "channels", "channels_excluded", "devices",
                        "delayed_capture", "rank", "effective_from", "effective_to", "source", "rank_source", "note"});
  PaymentMethod m;
  auto prov = r.provenance(doc, "", true);
  if (prov && !is_snake_id(prov->id)) { r.error("/id", "must be a snake_case id such as \"apple_pay\""); prov.reset(); }
  else if (prov && prov->id != stem) { r.error("/id", "must equal the file name: \"" + stem + "\""); prov.reset(); }
  const auto kind = r.string(doc, "", "kind", true, limits::id_bytes_max);
  if (kind && !listed(payment_kinds, *kind)) r.error("/kind", "must be one of: " + joined(payment_kinds));
  const auto rank_source = r.string(doc, "", "rank_source", true);
  auto countries = read_any_of(r, doc, "", "countries", true, [&](const std::string& v, const std::string& at) { return country_ok(r, v, at); });
  auto currencies = read_any_of(r, doc, "", "currencies", true, [&](const std::string& v, const std::string& at) {
    if (Currency::of(v).ok()) return true;
    r.error(at, "\"" + v + "\" is not an ISO 4217 currency ICU knows");
    return false;
  });
  auto channel_list = read_any_of(r, doc, "", "channels", true, [&](const std::string& v, const std::string& at) {
    if (listed(channels, v)) return true;
    r.error(at, "\"" + v + "\" is not a channel (" + joined(channels) + ")");
    return false;
  });
  auto excluded = read_strings(r, doc, "", "channels_excluded", false, [&](const std::string& v, const std::string& at) {
    if (listed(channels, v)) return true;
    r.error(at, "\"" + v + "\" is not a channel (" + joined(channels) + ")");
    return false;
  });
  if (excluded && !excluded->empty() && channel_list && !channel_list->any)
    r.error("/channels_excluded", "excludes channels from a list that is not [\"*\"]: name only the channels it works in");
  auto device_list = read_any_of(r, doc, "", "devices", true, [&](const std::string& v, const std::string& at) {
    if (listed(rule_devices, v)) return true;
    r.error(at, "\"" + v + "\" is not a device (" + joined(rule_devices) + ")");
    return false;
  });
  const json* capture = r.field(doc, "", "delayed_capture", true);
  if (capture && !capture->is_boolean()) r.error("/delayed_capture", "must be true or false");
  if (const json* rank = r.object(doc, "", "rank", true)) {
    r.only_keys(*rank, "/rank", {"default", "markets", "channels"});
    const auto d = r.integer(*rank, "/rank", "default", true, 0, int(limits::payment_rank_max));
    auto markets = read_ranks(r, *rank, "/rank", "markets", true);
    auto chans = read_ranks(r, *rank, "/rank", "channels", false);
    if (d) m.rank_default = *d;
    if (markets && countries && !countries->any)
      for (const auto& entry : *markets)
        if (!countries->has(entry.first))
          r.error(pointer_append("/rank/markets", entry.first), entry.first + " is not one of the method's countries: a rank there is never used");
    if (markets) m.rank_markets = std::move(*markets);
    if (chans) m.rank_channels = std::move(*chans);
  }
  if (const json* amounts = r.array(doc, "", "amounts", false)) {
    for (std::size_t i = 0; i < amounts->size(); ++i) {
      const std::string ptr = pointer_append("/amounts", i);
      const json& e = (*amounts)[i];
      if (!e.is_object()) { r.error(ptr, "must be an object"); continue; }
      r.only_keys(e, ptr, {"currency", "countries", "min_minor", "max_minor", "source", "note"});
      const auto cur = r.currency(e, ptr, "currency", true);
      auto where = read_strings(r, e, ptr, "countries", false, [&](const std::string& v, const std::string& at) { return country_ok(r, v, at); });
      const auto lo = minor_units(r, e, ptr, "min_minor");
      const auto hi = minor_units(r, e, ptr, "max_minor");
      const auto src = r.string(e, ptr, "source", true);
      r.string(e, ptr, "note", false);
      if (!cur || !where || !lo || !hi || !src) continue;
      if (*lo > *hi) { r.error(pointer_append(ptr, "min_minor"), "must not exceed max_minor"); continue; }
      if (currencies && !currencies->has(cur->code())) {
        r.error(pointer_append(ptr, "currency"), std::string(cur->code()) + " is not one of the method's currencies");
        continue;
      }
      std::sort(where->begin(), where->end());
      bool clash = false;
      for (const std::string& c : *where)
        if (countries && !countries->has(c)) {
          r.error(pointer_append(ptr, "countries"), c + " is not one of the method's countries");
          clash = true;
        }
      // One range per currency for any buyer: a country in two ranges would depend on file order.
      for (const PaymentAmountRange& o : m.amounts) {
        if (o.currency != *cur) continue;
        if (o.countries.empty() && where->empty()) {
          r.error(ptr, "a second range for " + std::string(cur->code()) + " for every country");
          clash = true;
        }
        for (const std::string& c : *where)
          if (std::find(o.countries.begin(), o.countries.end(), c) != o.countries.end()) {
            r.error(ptr, "a second range for " + std::string(cur->code()) + " in " + c);
            clash = true;
          }
      }
      if (clash) continue;
      m.amounts.push_back({*cur, std::move(*where), *lo, *hi, *src});
    }
  }
  if (r.failed() || !prov || !kind || !rank_source || !countries || !currencies || !channel_list || !excluded || !device_list ||
      !capture || !capture->is_boolean())
    return 0;
  if (std::any_of(set.payments.methods.begin(), set.payments.methods.end(),
                                                  [&](const PaymentMethod& o) { return o.provenance.id == prov->id; })) {
    r.error("/id", "payment method \"" + prov->id + "\" is defined twice");
    return 0;
  }
  m.provenance = std::move(*prov);
  m.kind = *kind;
  m.rank_source = *rank_source;
  m.countries = std::move(*countries);
  m.currencies = std::move(*currencies);
  m.channels = std::move(*channel_list);
  m.channels_excluded = std::move(*excluded);
  std::sort(m.channels_excluded.begin(), m.channels_excluded.end());
  m.devices = std::move(*device_list);
  m.delayed_capture = capture->get<bool>();
  m.name_key = "payment_method." + m.provenance.id;
  m.file = r.file();
  set.payments.methods.push_back(std::move(m));
  return 1;
}

std::size_t read_card_brands(FileReader& r, const json& doc, RuleSet& set) {
  r.only_keys(doc, "", {"concern", "id", "brands", "local_brands", "acceptance", "effective_from", "effective_to", "source", "note"});
  CardBrandRules c;
  auto prov = r.provenance(doc, "", false);
  if (set.payments.cards) r.error("", "card brands are already defined in " + set.payments.cards->file + ": one file only");
  std::set<std::string> ids;
  const auto read_brands = [&](const char* key, bool local, std::vector<CardBrand>& out) {
    const json* list = r.array(doc, "", key, !local);
    if (!list) return;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string ptr = pointer_append(std::string("/") + key, i);
      const json& e = (*list)[i];
      if (!e.is_object()) { r.error(ptr, "must be an object"); continue; }
      if (local) r.only_keys(e, ptr, {"id", "name", "patterns", "markets", "source", "note"});
      else r.only_keys(e, ptr, {"id", "name", "patterns", "note"});
      const auto id = r.string(e, ptr, "id", true, limits::id_bytes_max);
      const auto name = r.string(e, ptr, "name", true, limits::id_bytes_max);
      const auto note = r.string(e, ptr, "note", false);
      const auto source = local ? r.string(e, ptr, "source", true) : std::optional<std::string>("");
      std::vector<CardPattern> patterns;
      auto pats = read_strings(r, e, ptr, "patterns", true, [&](const std::string& v, const std::string& at) {
        const auto dash = v.find('-');
        CardPattern p{v.substr(0, dash), dash == std::string::npos ? v : v.substr(dash + 1)};
        if (!digits(p.lo) || !digits(p.hi) || p.lo.size() != p.hi.size() || p.lo > p.hi || p.lo.size() > limits::card_bin_digits_max) {
          r.error(at, "must be a BIN prefix (\"4\") or an inclusive range of equal-length prefixes (\"51-55\"), at most " +
                          std::to_string(limits::card_bin_digits_max) + " digits");
          return false;
        }
        patterns.push_back(std::move(p));
        return true;
      });
      std::optional<std::vector<std::string>> markets = std::vector<std::string>{};
      if (local)
        markets = read_strings(r, e, ptr, "markets", true, [&](const std::string& v, const std::string& at) { return country_ok(r, v, at); });
      if (!id || !name || !pats || !markets || !source) continue;
      if (!is_snake_id(*id)) { r.error(pointer_append(ptr, "id"), "must be a snake_case id such as \"american_express\""); continue; }
      if (!ids.insert(*id).second) { r.error(pointer_append(ptr, "id"), "brand \"" + *id + "\" is listed twice"); continue; }
      // A local scheme may have no published ranges; an international brand must be detectable.
      if (patterns.empty() && !local) { r.error(pointer_append(ptr, "patterns"), "must name at least one pattern"); continue; }
      if (local && markets->empty()) { r.error(pointer_append(ptr, "markets"), "must name the markets where the scheme is domestic"); continue; }
      out.push_back({*id, *name, std::move(patterns), std::move(*markets), source.value_or(""), note.value_or("")});
    }
  };
  read_brands("brands", false, c.brands);
  read_brands("local_brands", true, c.local_brands);
  const auto known = [&](const std::string& v, const std::string& at) {
    if (ids.count(v)) return true;
    r.error(at, "\"" + v + "\" is not a brand listed under /brands");
    return false;
  };
  if (const json* acc = r.object(doc, "", "acceptance", true)) {
    r.only_keys(*acc, "/acceptance", {"default", "markets", "source", "note"});
    auto d = read_strings(r, *acc, "/acceptance", "default", true, known);
    const auto src = r.string(*acc, "/acceptance", "source", true);
    const auto note = r.string(*acc, "/acceptance", "note", false);
    if (d) c.accepted_default = std::move(*d);
    if (src) c.acceptance_source = *src;
    if (note) c.acceptance_note = *note;
    if (const json* markets = r.object(*acc, "/acceptance", "markets", false)) {
      for (const auto& [country, list] : markets->items()) {
        const std::string at = pointer_append("/acceptance/markets", country);
        if (!country_ok(r, country, at)) continue;
        auto brands = read_strings(r, *markets, "/acceptance/markets", country.c_str(), true, known);
        if (brands) c.accepted_markets.emplace(country, std::move(*brands));
      }
    }
  }
  if (r.failed() || !prov) return 0;
  c.provenance = std::move(*prov);
  c.file = r.file();
  const std::size_t n = c.brands.size() + c.local_brands.size();
  set.payments.cards = std::move(c);
  return n;
}

bool check_payment_rules(RuleSet& set, const std::map<std::string, const RuleSource*>& by_path, std::vector<Diagnostic>& diags) {
  bool ok = true;
  if (const PaymentMethod* card = set.payments.find("card"); card && !set.payments.cards) {
    ok = false;
    FileReader(*by_path.at(card->file), diags).error("/id", "the card method needs the card brands (payments/card_brands.json)");
  }
  set.payments.index();
  return ok;
}

}  // namespace landed::rules_internal
