// parse_strict_json: nlohmann/json parsing that refuses what it would otherwise accept silently:
// a key repeated in one object (nlohmann keeps the last, so two readers of one body could
// disagree on what it says) and nesting beyond json_depth_max, both in linear (n log n) time.
// Used for rule files; every request body is read by JsonTree (core/json_tree.h), which
// applies the same rules and bounds the number of values.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>

namespace landed {

// Thrown for a repeated key or excess depth; carries the byte offset where it was noticed.
class StrictJsonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws nlohmann::json::exception for malformed JSON, StrictJsonError for the rest.
nlohmann::json parse_strict_json(std::string_view text, bool allow_comments);

}  // namespace landed
