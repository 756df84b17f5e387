// Reading the on-disk data (rules/, rates/, locales/) into a Snapshot. The only code that turns
// folders into the pure loaders' inputs.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "quote/quote.h"
#include "rules/loader.h"

namespace landed::app {

struct HistoryRates;  // app/rates_history.h

struct DataPaths {
  std::filesystem::path rules, rates, locales;
  static DataPaths defaults();  // $LANDED_HOME or the source tree the binary was built from
};

// Every *.json under dir (recursively), with paths relative to dir, sorted.
Result<std::vector<RuleSource>> read_json_tree(const std::filesystem::path& dir);

struct SnapshotLoad {
  std::shared_ptr<const Snapshot> snapshot;  // null on failure
  std::vector<Diagnostic> diagnostics;       // rule errors, with file:line:column
  Errors errors;                             // rates / locales / io errors
  // (source, day) -> when Landed fetched it, for the served days the database history holds
  // with these very rates (a day only in rates/ has no known fetch time).
  std::map<std::pair<std::string, Date>, Timestamp> fetched_at;
};

// `history`: the database's rate history (app/rates_history.h), or null for rates/ alone. The
// snapshot's rates are the days of rates/ and of the history together; a day in both is priced
// from its file in rates/ (what the operator deploys and `landed rates accept` writes: the
// newer decision for that day when the two differ; the refresher writes the same rates to both).
SnapshotLoad load_snapshot(const DataPaths& paths, const HistoryRates* history = nullptr);

}  // namespace landed::app
