// RateHistory: every day of reference rates Landed holds, immutable. A quote is priced with the
// newest table published on or before its date, so a back-dated quote gets the rates of its own
// day, never later ones. (Refusing rates that are too old for a live quote comes with live FX.)
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "fx/rate_table.h"

namespace landed {

class RateHistory {
 public:
  // Tables in any order; at least one; no two for the same day.
  static Result<RateHistory> of(std::vector<RateTable> tables);

  const RateTable* at(const Date& day) const;  // newest as_of <= day, or nullptr
  const RateTable& latest() const { return *tables_.back(); }
  std::size_t size() const { return tables_.size(); }
  const std::string& version() const { return version_; }  // over every table's version

 private:
  std::vector<std::shared_ptr<const RateTable>> tables_;  // by as_of, oldest first
  std::string version_;
};

}  // namespace landed
