// The rate history in the database (store rate_sets, issue #14 "History") as fx tables, and back:
// what the serve refresher records for each accepted document, what `landed rates import` writes
// from ECB's history CSV, and what a snapshot load reads to price back-dated quotes.
//
// A stored set holds the rates as the source published them, without the base's own 1 (which
// every table adds). Reading sets back runs them through the same checks as a fetched document
// (fx/rate_document.h tables_of: current ISO 4217 codes, positive rates within the digit bounds),
// and a set whose version does not match its rates is refused: the database was edited or is
// corrupt, and a wrong rate is a wrong price.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "fx/base_rate_table.h"
#include "fx/rate_table.h"
#include "app/files.h"
#include "store/store.h"

namespace landed::app {

// The set to store for one accepted day of `table.source()` ("ECB", "PROVIDER", ...).
store::RateSet rate_set_of(const BaseRateTable& table, Timestamp fetched_at, std::string origin);

// The database's current sets as tables: the ECB's, and those of the other sources (JSON
// providers), each oldest first; and when each was fetched.
struct HistoryRates {
  std::vector<RateTable> ecb;
  std::vector<BaseRateTable> provider;
  std::map<std::pair<std::string, Date>, store::RateSet> sets;  // (source, day) -> the set, for fetched_at
};
Result<HistoryRates> history_rates(const std::vector<store::RateSet>& sets);

// `landed rates import`: every day of ECB's history CSV into the database, in one transaction.
// Idempotent: a day already held with the same rates is left as it is.
struct ImportReport {
  std::size_t days = 0;  // days in the CSV (with at least one rate)
  store::RateSetsSaved saved;
  Date first = *Date::parse("1999-01-04"), last = first;
  std::vector<std::string> ignored_currencies;  // columns of currencies no longer current
};
Result<ImportReport> import_ecb_history(store::Store& store, std::string_view csv, Timestamp now);

// A snapshot of rates/ (and rules, catalogs) with the database's rate history merged in
// (app/files.h says how). A history that cannot be read is an error: the snapshot is not built.
SnapshotLoad load_snapshot_with_history(const DataPaths& paths, store::Store& store);

}  // namespace landed::app
