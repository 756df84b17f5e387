// FileReader: reads one rule file's JSON into typed values, every problem a Diagnostic with the
// value's line and column. Shared by the rule readers of each concern (loader.cpp,
// payments_loader.cpp); internal to the rules library.
#pragma once

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/country.h"
#include "core/json_positions.h"
#include "core/limits.h"
#include "rules/loader.h"

namespace landed::rules_internal {

using json = nlohmann::json;

// Reads one file's JSON into typed values, turning every problem into a Diagnostic that points
// at the value's line and column.
class FileReader {
 public:
  FileReader(const RuleSource& src, std::vector<Diagnostic>& out)
      : file_(src.path), text_(src.text), out_(out) {}

  const std::string& file() const { return file_; }

  // True once this file has had any error, even one not listed past rule_errors_max.
  bool failed() const { return failed_; }

  void error(const std::string& pointer, std::string message) {
    failed_ = true;
    if (out_.size() >= limits::rule_errors_max) return;
    // Positions are indexed on the first error only: a valid file (the common case, and the
    // large tariffs) is never walked twice.
    if (!positions_) positions_.emplace(text_);
    const TextPosition p = positions_->at(pointer);
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
    if (!is_country(*s))
      return error(pointer_append(ptr, key), "\"" + *s + "\" is not a country ICU knows (ISO 3166-1 alpha-2)"), std::nullopt;
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
  std::string_view text_;  // the RuleSource's, which outlives every reader of it
  std::optional<JsonPositions> positions_;
  std::vector<Diagnostic>& out_;
  bool failed_ = false;
};

using Ids = std::vector<std::pair<std::string, std::string>>;  // rule id, its pointer

// A list of strings, each checked by `valid` (which reports its own error and returns false).
inline std::optional<std::vector<std::string>> read_strings(FileReader& r, const json& obj, const std::string& ptr, const char* key,
                                                     bool required, const std::function<bool(const std::string&, const std::string&)>& valid) {
  const json* list = r.array(obj, ptr, key, required);
  if (!list) return r.field(obj, ptr, key, false) ? std::nullopt : std::optional<std::vector<std::string>>(std::vector<std::string>{});
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string at = pointer_append(pointer_append(ptr, key), i);
    const json& e = (*list)[i];
    if (!e.is_string() || e.get_ref<const std::string&>().empty() || e.get_ref<const std::string&>().size() > limits::id_bytes_max) {
      r.error(at, "must be a non-empty string of at most " + std::to_string(limits::id_bytes_max) + " bytes");
      ok = false;
      continue;
    }
    const std::string& v = e.get_ref<const std::string&>();
    if (std::find(out.begin(), out.end(), v) != out.end()) { r.error(at, "\"" + v + "\" is listed twice"); ok = false; continue; }
    if (!valid(v, at)) { ok = false; continue; }
    out.push_back(v);
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace landed::rules_internal
