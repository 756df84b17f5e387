#include "core/strict_json.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/json_positions.h"
#include "core/limits.h"

namespace landed {

nlohmann::json parse_strict_json(std::string_view text, bool allow_comments) {
  // Bounded before parsing: the depth scan does not recurse, and nothing deep is ever built.
  if (json_nesting_depth(text) > limits::json_depth_max)
    throw StrictJsonError("nesting deeper than " + std::to_string(limits::json_depth_max) + " levels");
  // The keys of each open object. nlohmann's object is a map, which keeps one value per key: an
  // object that ends with fewer members than keys read had a key twice. That check is O(1); the
  // repeated key is found (sorting, n log n) only then, so no object costs quadratic time.
  std::vector<std::vector<std::string>> keys;
  const auto callback = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if (event == E::object_start) {
      keys.emplace_back();
    } else if (event == E::object_end && !keys.empty()) {
      auto& seen = keys.back();
      if (parsed.is_object() && parsed.size() != seen.size()) {
        std::sort(seen.begin(), seen.end());
        const auto twice = std::adjacent_find(seen.begin(), seen.end());
        throw StrictJsonError("key \"" + (twice == seen.end() ? std::string("?") : *twice) + "\" appears twice in one object");
      }
      keys.pop_back();
    } else if (event == E::key && !keys.empty()) {
      keys.back().push_back(parsed.get_ref<const std::string&>());
    }
    return true;
  };
  return nlohmann::json::parse(text, callback, true, allow_comments);
}

}  // namespace landed
