// Reading the on-disk data (rules/, rates/, locales/) into a Snapshot. The only code that turns
// folders into the pure loaders' inputs.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "quote/quote.h"
#include "rules/loader.h"

namespace landed::app {

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
};

SnapshotLoad load_snapshot(const DataPaths& paths);

}  // namespace landed::app
