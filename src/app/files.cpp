#include "app/files.h"

#include "l10n/localizer.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "app/rates_history.h"
#include "core/limits.h"
#include "fx/rate_document.h"

namespace landed::app {
namespace fs = std::filesystem;

DataPaths DataPaths::defaults() {
  const char* env = std::getenv("LANDED_HOME");
  const fs::path home = env && *env ? fs::path(env) : fs::path(LANDED_HOME);
  return {home / "rules", home / "rates", home / "locales"};
}

namespace {

Result<std::string> read_file(const fs::path& p, std::size_t bytes_max) {
  std::error_code ec;
  const auto size = fs::file_size(p, ec);
  if (ec) return Error{ErrorCode::io_error, p.string() + ": " + ec.message(), ""};
  if (size > bytes_max)
    return Error{ErrorCode::out_of_range, p.string() + ": larger than " + std::to_string(bytes_max) + " bytes", ""};
  std::ifstream in(p, std::ios::binary);
  if (!in) return Error{ErrorCode::io_error, p.string() + ": cannot be opened", ""};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The database history's days join the days of rates/; a day in both is the file's (files.h).
// Each served day the history holds with the same rates (by value) gets its fetch time.
void merge_history(const HistoryRates& history, std::vector<RateTable>& tables, std::vector<BaseRateTable>& provider,
                   SnapshotLoad& out) {
  const auto fetched = [&](const std::string& source, const Date& day, const BaseRateTable::Rates& rates,
                           const std::string& base) {
    const auto it = history.sets.find({source, day});
    if (it == history.sets.end()) return;
    BaseRateTable::Rates held;
    for (const auto& [code, rate] : it->second.rates)
      if (auto d = Decimal::parse(rate); d.ok()) held.emplace(code, *d);
    BaseRateTable::Rates served = rates;
    served.erase(base);
    if (held == served) out.fetched_at.emplace(std::pair{source, day}, it->second.fetched_at);
  };
  std::set<Date> files_ecb;
  for (const auto& t : tables) {
    files_ecb.insert(t.as_of());
    fetched(t.source(), t.as_of(), t.per_eur(), "EUR");
  }
  for (const auto& t : history.ecb)
    if (!files_ecb.count(t.as_of())) {
      out.fetched_at.emplace(std::pair{t.source(), t.as_of()}, history.sets.at({t.source(), t.as_of()}).fetched_at);
      tables.push_back(t);
    }
  std::set<std::pair<std::string, Date>> files_provider;
  for (const auto& t : provider) {
    files_provider.insert({t.source(), t.as_of()});
    fetched(t.source(), t.as_of(), t.per_base(), std::string(t.base().code()));
  }
  for (const auto& t : history.provider)
    if (!files_provider.count({t.source(), t.as_of()})) {
      out.fetched_at.emplace(std::pair{t.source(), t.as_of()}, history.sets.at({t.source(), t.as_of()}).fetched_at);
      provider.push_back(t);
    }
  if (tables.size() > limits::rate_history_days_max || provider.size() > limits::rate_history_days_max)
    out.errors.push_back({ErrorCode::out_of_range, "rates/ and the rate history together hold more than rate_history_days_max (" +
                                                       std::to_string(limits::rate_history_days_max) + ") days of a source", ""});
}

}  // namespace

Result<std::vector<RuleSource>> read_json_tree(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Error{ErrorCode::io_error, dir.string() + ": not a folder", ""};
  std::vector<RuleSource> out;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() != ".json") continue;
    if (out.size() >= limits::rule_files_max)
      return Error{ErrorCode::out_of_range, dir.string() + ": more than rule_files_max files", ""};
    // One byte over the bound, so that the loader reports the oversize file by name.
    auto text = read_file(it->path(), limits::rule_file_bytes_max + 1);
    if (!text.ok()) return text.errors();
    out.push_back({fs::relative(it->path(), dir).generic_string(), std::move(text).value()});
  }
  if (ec) return Error{ErrorCode::io_error, dir.string() + ": " + ec.message(), ""};
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return out;
}

SnapshotLoad load_snapshot(const DataPaths& paths, const HistoryRates* history) {
  SnapshotLoad out;
  auto rule_files = read_json_tree(paths.rules);
  if (!rule_files.ok()) {
    out.errors = rule_files.errors();
    return out;
  }
  RuleLoad rules = load_rules(*rule_files);
  out.diagnostics = rules.diagnostics;

  // rates/: every ECB file, one day each (eurofxref-YYYY-MM-DD.xml), and the days of at most one
  // JSON provider for the currencies the ECB lacks (<source>-YYYY-MM-DD.json, e.g.
  // provider-2026-11-30.json; the source is the name before the date, shown upper-cased in fx[]).
  std::shared_ptr<const RateHistory> rates;
  std::vector<fs::path> rate_files, provider_files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(paths.rates, ec)) {
    if (!e.is_regular_file()) continue;
    if (e.path().extension() == ".xml") rate_files.push_back(e.path());
    else if (e.path().extension() == ".json") provider_files.push_back(e.path());
  }
  std::sort(rate_files.begin(), rate_files.end());
  std::sort(provider_files.begin(), provider_files.end());
  if (ec || rate_files.empty() || rate_files.size() + provider_files.size() > limits::rate_files_max) {
    out.errors.push_back({ErrorCode::io_error, paths.rates.string() + ": expected 1 to " +
                                                   std::to_string(limits::rate_files_max) + " ECB rates files (*.xml)", ""});
  } else {
    std::vector<RateTable> tables;
    for (const auto& file : rate_files) {
      auto text = read_file(file, limits::rates_file_bytes_max);
      if (!text.ok()) {
        out.errors.push_back(text.error());
        continue;
      }
      auto table = RateTable::parse_ecb_xml(*text, "ECB");
      if (!table.ok())
        for (const auto& e : table.errors()) out.errors.push_back({e.code, file.string() + ": " + e.message, ""});
      else
        tables.push_back(std::move(table).value());
    }
    std::vector<BaseRateTable> provider;
    for (const auto& file : provider_files) {
      const std::string stem = file.stem().string();  // "<source>-YYYY-MM-DD"
      const auto day = stem.size() > 11 ? Date::parse(std::string_view(stem).substr(stem.size() - 10)) : std::nullopt;
      std::string source = stem.size() > 11 ? stem.substr(0, stem.size() - 11) : "";
      const bool named = day && stem[stem.size() - 11] == '-' && !source.empty() &&
                         std::all_of(source.begin(), source.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                         });
      if (!named) {
        out.errors.push_back({ErrorCode::invalid_field,
                              file.string() + ": a provider rates file is named <source>-YYYY-MM-DD.json (source: a-z, 0-9, _)", ""});
        continue;
      }
      for (auto& c : source) c = char(std::toupper(static_cast<unsigned char>(c)));
      auto text = read_file(file, limits::rates_file_bytes_max);
      if (!text.ok()) {
        out.errors.push_back(text.error());
        continue;
      }
      auto table = parse_provider_json(*text, source);
      if (!table.ok()) {
        for (const auto& e : table.errors()) out.errors.push_back({e.code, file.string() + ": " + e.message, ""});
      } else if (table->as_of() != *day) {
        out.errors.push_back({ErrorCode::invalid_field, file.string() + ": the document's date is " +
                                                            table->as_of().to_string() + ", not the file's", ""});
      } else {
        provider.push_back(std::move(table).value());
      }
    }
    if (out.errors.empty() && history) merge_history(*history, tables, provider, out);
    if (out.errors.empty()) {
      auto held = RateHistory::of(std::move(tables), std::move(provider));
      if (!held.ok()) out.errors.push_back({held.error().code, paths.rates.string() + ": " + held.error().message, ""});
      else rates = std::make_shared<const RateHistory>(std::move(held).value());
    }
  }

  std::shared_ptr<const Localizer> l10n;
  auto catalog_files = read_json_tree(paths.locales);
  if (!catalog_files.ok()) {
    for (const auto& e : catalog_files.errors()) out.errors.push_back(e);
  } else if (rates) {
    std::vector<CatalogSource> catalogs;
    for (auto& f : *catalog_files) catalogs.push_back({f.path, std::move(f.text)});
    std::vector<Currency> currencies;
    for (const auto& [code, rate] : rates->latest().per_eur())
      if (auto c = Currency::of(code); c.ok()) currencies.push_back(*c);
    if (const BaseRateTable* p = rates->latest_provider())
      for (const auto& [code, rate] : p->per_base())
        if (auto c = Currency::of(code); c.ok() && !rates->latest().has(code)) currencies.push_back(*c);
    auto loaded = Localizer::load(catalogs, currencies);
    if (!loaded.ok()) {
      for (const auto& e : loaded.errors()) out.errors.push_back(e);
    } else {
      l10n = *loaded;
    }
  }
  // Every payment method a quote may list has a name in en (other catalogs fall back to it).
  if (rules.ok() && l10n)
    for (const PaymentMethod& m : rules.rules->payments.methods)
      if (!l10n->has_text(m.name_key))
        out.errors.push_back({ErrorCode::rule_error, m.file + ": payment method \"" + m.provenance.id + "\" has no name in locales/en.json (add \"" +
                                                         m.name_key + "\")", ""});
  // And every method name in en names a method: a stale or misspelt key is shown to no one.
  if (rules.ok() && l10n)
    for (const std::string& key : l10n->en_keys_with_prefix("payment_method."))
      if (!rules.rules->payments.find(std::string_view(key).substr(std::string_view("payment_method.").size())))
        out.errors.push_back({ErrorCode::rule_error, "locales/en.json: \"" + key + "\" names no payment method under rules/payments/methods/", ""});
  if (!rules.ok() || !rates || !l10n || !out.errors.empty()) return out;
  out.snapshot = std::make_shared<const Snapshot>(Snapshot{rules.rules, rates, l10n});
  return out;
}

}  // namespace landed::app
