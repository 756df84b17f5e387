#include "app/rates_history.h"

#include <algorithm>

#include "core/limits.h"
#include "fx/rate_document.h"

namespace landed::app {

store::RateSet rate_set_of(const BaseRateTable& table, Timestamp fetched_at, std::string origin) {
  store::RateSet set;
  set.source = table.source();
  set.base = std::string(table.base().code());
  set.as_of = table.as_of();
  BaseRateTable::Rates published;
  for (const auto& [code, rate] : table.per_base()) {
    if (code == set.base) continue;  // the base's own 1 is every table's, not the source's
    published.emplace(code, rate);
    set.rates.emplace_back(code, rate.to_string());  // the map is by code: rates come sorted
  }
  set.version = rate_day_version(set.base, set.as_of, published);
  set.fetched_at = fetched_at;
  set.origin = std::move(origin);
  return set;
}

Result<HistoryRates> history_rates(const std::vector<store::RateSet>& sets) {
  HistoryRates out;
  // One document per source (the store returns them by source, then day), checked as a fetched
  // document is.
  for (std::size_t i = 0; i < sets.size();) {
    std::size_t end = i;
    while (end < sets.size() && sets[end].source == sets[i].source) ++end;
    RateDocument doc;
    doc.source = sets[i].source;
    doc.base = sets[i].base;
    doc.format = doc.source == "ECB" ? RateFormat::ecb_csv : RateFormat::provider_json;
    if (doc.source == "ECB" && doc.base != "EUR")
      return Error{ErrorCode::invalid_field, "rate history: ECB sets must have base EUR, not " + doc.base, ""};
    for (std::size_t k = i; k < end; ++k) {
      if (sets[k].base != doc.base)
        return Error{ErrorCode::invalid_field, "rate history: " + doc.source + " " + sets[k].as_of.to_string() +
                                                   " has base " + sets[k].base + ", other days " + doc.base, ""};
      RawDay day{sets[k].as_of, {}};
      for (const auto& [code, rate] : sets[k].rates) day.rates.push_back({code, rate});
      doc.days.push_back(std::move(day));
      out.sets.emplace(std::pair{doc.source, sets[k].as_of}, sets[k]);
    }
    DocumentTables tables = tables_of(doc);
    if (!tables.refusals.empty()) {
      Errors e;
      for (const auto& r : tables.refusals)
        e.push_back({ErrorCode::invalid_field, "rate history of " + doc.source + ": " + r.reason + ": " + r.message, ""});
      return e;
    }
    for (const BaseRateTable& t : tables.days) {
      const store::RateSet& stored = out.sets.at({doc.source, t.as_of()});
      if (t.version() != stored.version)
        return Error{ErrorCode::invalid_field, "rate history: " + doc.source + " " + t.as_of().to_string() +
                                                   ": the stored version does not match its rates (edited or corrupt)", ""};
      if (doc.format == RateFormat::ecb_csv) out.ecb.push_back(*t.to_rate_table());
      else out.provider.push_back(t);
    }
    i = end;
  }
  return out;
}

Result<ImportReport> import_ecb_history(store::Store& store, std::string_view csv, Timestamp now) {
  auto doc = read_ecb_history_csv(csv, "ECB");
  if (!doc.ok()) return doc.errors();
  if (doc->days.size() > limits::rate_history_days_max)
    return Error{ErrorCode::out_of_range, "the CSV has " + std::to_string(doc->days.size()) +
                                              " days, more than rate_history_days_max (" +
                                              std::to_string(limits::rate_history_days_max) + ")", ""};
  const DocumentTables tables = tables_of(*doc);
  if (!tables.refusals.empty()) {
    Errors e;
    for (const auto& r : tables.refusals) e.push_back({ErrorCode::invalid_field, r.reason + ": " + r.message, ""});
    return e;
  }
  std::vector<store::RateSet> sets;
  sets.reserve(tables.days.size());
  for (const BaseRateTable& t : tables.days) sets.push_back(rate_set_of(t, now, "import"));
  auto saved = store.save_rate_sets(sets);
  if (!saved.ok()) return saved.errors();
  ImportReport report;
  report.days = tables.days.size();
  report.saved = *saved;
  report.first = tables.days.front().as_of();
  report.last = tables.days.back().as_of();
  report.ignored_currencies = doc->ignored_currencies;
  return report;
}

SnapshotLoad load_snapshot_with_history(const DataPaths& paths, store::Store& store) {
  const auto sets = store.load_rate_sets();
  Errors errors;
  if (!sets.ok()) errors = sets.errors();
  std::optional<HistoryRates> history;
  if (sets.ok()) {
    auto h = history_rates(*sets);
    if (h.ok()) history = std::move(h).value();
    else errors = h.errors();
  }
  if (!errors.empty()) {
    SnapshotLoad out;
    for (auto& e : errors) out.errors.push_back({e.code, "rate history: " + e.message, ""});
    return out;
  }
  return load_snapshot(paths, &*history);
}

}  // namespace landed::app
