// Storing fetched rates in the rates folder (issue #14): the one place that decides whether a
// rate document may join rates/ and writes it there. Used by `landed rates fetch|accept` and by
// the serve refresher (app/rates_refresher.h), so both validate and store the same way.
//
// A document is validated (fx/rate_validation.h) against the last accepted table of its own
// source, which is the newest file of that source in the folder:
//   ECB      eurofxref-YYYY-MM-DD.xml, one day each, in ECB's single-day XML (the shape of the
//            shipped files); a many-day document (the 90-day file) writes one file per day.
//   JSON     <source>-YYYY-MM-DD.json, the document exactly as received.
// Files are written to a temporary name and renamed, so a reload never reads half a file. A day
// already on disk is rewritten only when it is the document's newest day and its rates differ
// (a correction, which passed the move bound); older days already held are left as they are.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "fx/rate_validation.h"

namespace landed::app {

// A feed as `--rates-feed` names it: "ecb:URL", "json:URL", "json:NAME=URL" or a bare URL (ECB).
struct RateFeed {
  RateFormat format = RateFormat::ecb_xml;
  std::string source;  // file prefix: "eurofxref" for ECB, else the JSON source name
  std::string url;
};
Result<RateFeed> parse_rate_feed(std::string_view spec);

// A JSON source name: 1 to rates_source_name_bytes_max of [a-z0-9_] (what app/files.cpp reads),
// not "eurofxref". A rates folder holds one JSON provider: storing a second is an error.
bool valid_source_name(std::string_view name);
// The name quotes show for a source: "ECB", or the JSON source name in capitals ("PROVIDER").
std::string display_source(RateFormat format, std::string_view source);

// The newest table of one source in `dir`; nullopt when the folder holds none. An unreadable or
// malformed newest file is an error (validation against nothing would let any move through).
Result<std::optional<BaseRateTable>> last_accepted(const std::filesystem::path& dir, RateFormat format,
                                                   std::string_view source);

struct StoreOutcome {
  RateVerdict verdict;
  std::vector<std::filesystem::path> written;  // files created or replaced
  std::string line;                            // one line for the operator or the log
  bool accepted() const { return verdict.accepted(); }
};

// Validates `text` against the last accepted table of its source in `dir` and, if accepted,
// writes it. An io error (the folder, the last file) is an Error; a refusal is an outcome.
Result<StoreOutcome> validate_and_store(const std::filesystem::path& dir, RateFormat format, std::string_view source,
                                        std::string_view text, Timestamp now, const ValidationPolicy& policy);

// ECB's single-day eurofxref XML for one day of a document (rates as given, in its order).
std::string ecb_day_xml(const RawDay& day);

}  // namespace landed::app
