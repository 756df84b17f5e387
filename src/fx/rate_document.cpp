#include "fx/rate_document.h"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <set>
#include <sstream>

#include "core/limits.h"
#include "core/sha256.h"

namespace landed {
namespace {

Error malformed(std::string message, std::string pointer = "") {
  return Error{ErrorCode::invalid_field, std::move(message), std::move(pointer)};
}

std::optional<Error> check_size(std::string_view text, const char* what) {
  if (text.empty()) return malformed(std::string("empty document (no ") + what + ")");
  if (text.size() > limits::fx_document_bytes_max)
    return malformed("document of " + std::to_string(text.size()) + " bytes is larger than fx_document_bytes_max");
  return std::nullopt;
}

std::string day_version(std::string_view base, const Date& date, const BaseRateTable::Rates& rates) {
  Sha256 h;
  h.update(base);
  h.update("\n");
  h.update(date.to_string());
  h.update("\n");
  for (const auto& [code, value] : rates) {
    h.update(code);
    h.update("=");
    h.update(value.to_string());
    h.update("\n");
  }
  const auto d = h.finish();
  return "sha256:" + to_hex(d.data(), d.size());
}

// Adds a day, refusing a second day for the same date and a currency given twice in one day.
std::optional<Error> add_day(RateDocument& doc, RawDay day) {
  if (doc.days.size() >= limits::fx_document_days_max)
    return malformed("more than fx_document_days_max (" + std::to_string(limits::fx_document_days_max) + ") days");
  if (day.rates.size() > limits::fx_document_currencies_max)
    return malformed("more than fx_document_currencies_max rates on " + day.date.to_string());
  std::set<std::string_view> seen;
  for (const auto& r : day.rates)
    if (!seen.insert(r.currency).second) return malformed(r.currency + " is given twice on " + day.date.to_string());
  doc.days.push_back(std::move(day));
  return std::nullopt;
}

// After the last day: no two days with one date (sorted, so 7000 days cost no quadratic scan).
std::optional<Error> check_dates(const RateDocument& doc) {
  std::vector<Date> dates;
  dates.reserve(doc.days.size());
  for (const auto& d : doc.days) dates.push_back(d.date);
  std::sort(dates.begin(), dates.end());
  const auto twice = std::adjacent_find(dates.begin(), dates.end());
  if (twice != dates.end()) return malformed("two days dated " + twice->to_string());
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view line, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = line.find(sep, start);
    out.push_back(trim(line.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start)));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

// "2026-04-13", or the ECB daily CSV's "13 April 2026".
std::optional<Date> csv_date(std::string_view s) {
  if (auto d = Date::parse(s)) return d;
  static constexpr std::array<std::string_view, 12> months = {"January", "February", "March",     "April",   "May",      "June",
                                                              "July",    "August",   "September", "October", "November", "December"};
  const auto parts = split(s, ' ');
  if (parts.size() != 3 || parts[0].empty() || parts[0].size() > 2 || parts[2].size() != 4) return std::nullopt;
  const auto m = std::find(months.begin(), months.end(), parts[1]);
  if (m == months.end()) return std::nullopt;
  const std::string day = parts[0].size() == 1 ? "0" + std::string(parts[0]) : std::string(parts[0]);
  const int month = int(m - months.begin()) + 1;
  return Date::parse(std::string(parts[2]) + "-" + (month < 10 ? "0" : "") + std::to_string(month) + "-" + day);
}

bool is_code_shape(std::string_view s) {
  return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string list(const std::set<std::string>& items, std::size_t shown_max = 10) {
  std::string out;
  std::size_t n = 0;
  for (const auto& s : items) {
    if (n == shown_max) {
      out += " and " + std::to_string(items.size() - n) + " more";
      break;
    }
    if (n++ > 0) out += ", ";
    out += s;
  }
  return out;
}

Errors errors_of(const std::vector<Refusal>& refusals) {
  Errors e;
  for (const auto& r : refusals) e.push_back({ErrorCode::invalid_field, r.reason + ": " + r.message, ""});
  return e;
}

}  // namespace

std::string_view to_string(RateFormat format) {
  switch (format) {
    case RateFormat::ecb_xml: return "ecb-xml";
    case RateFormat::provider_json: return "json";
    case RateFormat::ecb_csv: return "ecb-csv";
  }
  return "unknown";
}

std::optional<RateFormat> parse_rate_format(std::string_view s) {
  for (RateFormat f : {RateFormat::ecb_xml, RateFormat::provider_json, RateFormat::ecb_csv})
    if (to_string(f) == s) return f;
  return std::nullopt;
}

Result<RateDocument> read_ecb_xml(std::string_view xml, std::string source) {
  if (auto e = check_size(xml, "gesmes:Envelope")) return *e;
  namespace pt = boost::property_tree;
  pt::ptree tree;
  try {
    std::istringstream in{std::string(xml)};
    pt::read_xml(in, tree);
  } catch (const pt::xml_parser_error& e) {
    return malformed("not well-formed XML at line " + std::to_string(e.line()) + ": " + e.message());
  }
  const auto envelope = tree.get_child_optional("gesmes:Envelope");
  if (!envelope) return malformed("no gesmes:Envelope element (not ECB eurofxref XML)");
  const auto outer = envelope->get_child_optional("Cube");
  if (!outer) return malformed("no Cube element");
  RateDocument doc;
  doc.format = RateFormat::ecb_xml;
  doc.source = std::move(source);
  doc.base = "EUR";
  doc.version = "sha256:" + Sha256::hex(xml);
  for (const auto& [name, cube] : *outer) {
    if (name != "Cube") continue;
    const auto time = cube.get_optional<std::string>("<xmlattr>.time");
    if (!time) return malformed("a day's Cube has no time attribute");
    const auto date = Date::parse(*time);
    if (!date) return malformed("Cube time is not a date: " + *time);
    RawDay day{*date, {}};
    for (const auto& [cname, rate] : cube) {
      if (cname != "Cube") continue;
      const auto code = rate.get_optional<std::string>("<xmlattr>.currency");
      const auto value = rate.get_optional<std::string>("<xmlattr>.rate");
      if (!code || !value) return malformed("a Cube on " + *time + " has no currency or no rate attribute");
      day.rates.push_back({*code, *value});
    }
    if (day.rates.empty()) return malformed("no rates on " + *time);
    if (auto e = add_day(doc, std::move(day))) return *e;
  }
  if (doc.days.empty()) return malformed("no dated Cube (Cube time='YYYY-MM-DD')");
  if (auto e = check_dates(doc)) return *e;
  return doc;
}

Result<RateDocument> read_provider_json(std::string_view text, std::string source) {
  if (auto e = check_size(text, "JSON object")) return *e;
  using nlohmann::json;
  struct Refused {
    std::string why;
  };
  json root;
  try {
    std::vector<std::set<std::string>> keys;  // one set per open object: a repeated key is refused
    const json::parser_callback_t strict = [&](int depth, json::parse_event_t event, json& parsed) {
      if (std::size_t(depth) > limits::json_depth_max) throw Refused{"nested deeper than json_depth_max"};
      switch (event) {
        case json::parse_event_t::object_start: keys.emplace_back(); break;
        case json::parse_event_t::object_end: keys.pop_back(); break;
        case json::parse_event_t::key:
          if (!keys.back().insert(parsed.get<std::string>()).second)
            throw Refused{"key \"" + parsed.get<std::string>() + "\" is repeated in one object"};
          break;
        default: break;
      }
      return true;
    };
    root = json::parse(text.begin(), text.end(), strict);
  } catch (const Refused& r) {
    return malformed(r.why);
  } catch (const json::exception& e) {
    return malformed(std::string("not JSON: ") + e.what());
  }
  if (!root.is_object()) return malformed("the document is not a JSON object");
  RateDocument doc;
  doc.format = RateFormat::provider_json;
  doc.source = std::move(source);
  doc.version = "sha256:" + Sha256::hex(text);
  const auto base = root.find("base");
  if (base == root.end()) return malformed("no \"base\" currency", "/base");
  if (!base->is_string()) return malformed("\"base\" must be a currency code string", "/base");
  doc.base = base->get<std::string>();
  const auto date_field = root.find("date");
  if (date_field == root.end()) return malformed("no \"date\"", "/date");
  const auto date = date_field->is_string() ? Date::parse(date_field->get<std::string>()) : std::nullopt;
  if (!date) return malformed("\"date\" must be a date string \"YYYY-MM-DD\"", "/date");
  const auto rates = root.find("rates");
  if (rates == root.end()) return malformed("no \"rates\" object", "/rates");
  if (!rates->is_object()) return malformed("\"rates\" must be an object of decimal strings", "/rates");
  if (rates->empty()) return malformed("\"rates\" is empty", "/rates");
  RawDay day{*date, {}};
  for (const auto& [code, value] : rates->items()) {
    if (!value.is_string()) {
      const char* what = value.is_number() ? "a JSON number (binary floating point is never used for money)" : "not a string";
      return malformed("rate for " + code + " must be a decimal string such as \"0.3072\", and is " + what, "/rates/" + code);
    }
    day.rates.push_back({code, value.get<std::string>()});
  }
  if (auto e = add_day(doc, std::move(day))) return *e;
  return doc;
}

Result<RateDocument> read_ecb_history_csv(std::string_view csv, std::string source) {
  if (auto e = check_size(csv, "header row")) return *e;
  RateDocument doc;
  doc.format = RateFormat::ecb_csv;
  doc.source = std::move(source);
  doc.base = "EUR";
  doc.version = "sha256:" + Sha256::hex(csv);
  std::vector<std::string_view> lines = split(csv, '\n');
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  if (lines.empty()) return malformed("empty document (no header row)");
  auto header = split(lines[0], ',');
  if (!header.empty() && header.back().empty()) header.pop_back();  // ECB ends every row with ','
  if (header.empty() || header[0] != "Date") return malformed("the header row does not start with \"Date\"");
  if (header.size() > limits::fx_document_currencies_max + 1) return malformed("more than fx_document_currencies_max columns");
  std::vector<bool> used(header.size(), false);
  for (std::size_t i = 1; i < header.size(); ++i) {
    if (!is_code_shape(header[i])) return malformed("column " + std::to_string(i + 1) + " is not a currency code: " + std::string(header[i]));
    if (Currency::of(header[i]).ok()) used[i] = true;
    else doc.ignored_currencies.emplace_back(header[i]);
  }
  for (std::size_t i = 1; i < header.size(); ++i)
    for (std::size_t j = i + 1; j < header.size(); ++j)
      if (header[i] == header[j]) return malformed(std::string(header[i]) + " is given twice in the header row");
  for (std::size_t n = 1; n < lines.size(); ++n) {
    if (lines[n].empty()) continue;
    auto fields = split(lines[n], ',');
    if (fields.size() == header.size() + 1 && fields.back().empty()) fields.pop_back();
    if (fields.size() != header.size())
      return malformed("line " + std::to_string(n + 1) + " has " + std::to_string(fields.size()) + " fields, the header " +
                       std::to_string(header.size()));
    const auto date = csv_date(fields[0]);
    if (!date) return malformed("line " + std::to_string(n + 1) + ": not a date: " + std::string(fields[0]));
    RawDay day{*date, {}};
    for (std::size_t i = 1; i < fields.size(); ++i)
      if (used[i] && !fields[i].empty() && fields[i] != "N/A") day.rates.push_back({std::string(header[i]), std::string(fields[i])});
    if (day.rates.empty()) continue;  // no rate at all that day: no table
    if (auto e = add_day(doc, std::move(day))) return *e;
  }
  if (doc.days.empty()) return malformed("no day with rates");
  if (auto e = check_dates(doc)) return *e;
  return doc;
}

Result<RateDocument> read_rate_document(std::string_view text, RateFormat format, std::string source) {
  switch (format) {
    case RateFormat::ecb_xml: return read_ecb_xml(text, std::move(source));
    case RateFormat::provider_json: return read_provider_json(text, std::move(source));
    case RateFormat::ecb_csv: return read_ecb_history_csv(text, std::move(source));
  }
  return malformed("unknown format");
}

std::string rate_day_version(std::string_view base, const Date& date, const BaseRateTable::Rates& rates) {
  return day_version(base, date, rates);
}

DocumentTables tables_of(const RateDocument& doc) {
  DocumentTables out;
  std::set<std::string> unknown, bad, bad_examples;
  const auto base = Currency::of(doc.base);
  if (!base.ok()) unknown.insert(doc.base);
  for (const auto& day : doc.days) {
    BaseRateTable::Rates rates;
    for (const auto& r : day.rates) {
      if (!Currency::of(r.currency).ok()) {
        unknown.insert(r.currency);
        continue;
      }
      const auto value = Decimal::parse(r.rate);
      const bool good = value.ok() && value->sign() > 0 && value->scale() <= limits::rate_fraction_digits_max &&
                        value->integer_digits() <= limits::amount_integer_digits_max &&
                        (r.currency != doc.base || *value == Decimal::from_int(1));
      if (!good) {
        bad.insert(r.currency);
        bad_examples.insert(r.currency + "=\"" + r.rate.substr(0, 40) + "\" on " + day.date.to_string());
        continue;
      }
      rates.emplace(r.currency, *value);
    }
    if (base.ok() && unknown.empty() && bad.empty()) {
      std::string version = day_version(doc.base, day.date, rates);
      out.days.push_back(BaseRateTable::of(*base, day.date, doc.source, std::move(version), std::move(rates)));
    }
  }
  if (!unknown.empty())
    out.refusals.push_back({std::string(rate_refusal::unknown_currency), {unknown.begin(), unknown.end()},
                            "not current ISO 4217 currencies: " + list(unknown)});
  if (!bad.empty())
    out.refusals.push_back({std::string(rate_refusal::bad_rate), {bad.begin(), bad.end()},
                            "not positive decimals with at most " + std::to_string(limits::rate_fraction_digits_max) +
                                " fraction and " + std::to_string(limits::amount_integer_digits_max) +
                                " integer digits (the base at exactly 1): " + list(bad_examples, 5)});
  if (!out.refusals.empty()) out.days.clear();
  std::sort(out.days.begin(), out.days.end(), [](const auto& a, const auto& b) { return a.as_of() < b.as_of(); });
  return out;
}

Result<std::vector<RateTable>> parse_ecb_xml_days(std::string_view xml, std::string source) {
  auto doc = read_ecb_xml(xml, std::move(source));
  if (!doc.ok()) return doc.errors();
  auto tables = tables_of(*doc);
  if (!tables.refusals.empty()) return errors_of(tables.refusals);
  std::vector<RateTable> days;
  for (const auto& t : tables.days) days.push_back(*t.to_rate_table());
  return days;
}

Result<BaseRateTable> parse_provider_json(std::string_view json, std::string source) {
  auto doc = read_provider_json(json, std::move(source));
  if (!doc.ok()) return doc.errors();
  auto tables = tables_of(*doc);
  if (!tables.refusals.empty()) return errors_of(tables.refusals);
  return std::move(tables.days.front());
}

Result<EcbHistory> parse_ecb_history_csv(std::string_view csv, std::string source) {
  auto doc = read_ecb_history_csv(csv, std::move(source));
  if (!doc.ok()) return doc.errors();
  auto tables = tables_of(*doc);
  if (!tables.refusals.empty()) return errors_of(tables.refusals);
  EcbHistory h;
  for (const auto& t : tables.days) h.days.push_back(*t.to_rate_table());
  h.ignored_currencies = doc->ignored_currencies;
  return h;
}

}  // namespace landed
