#include "rules/strict_json.h"

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
  std::vector<std::vector<std::string>> keys;  // the keys seen so far in each open object
  const auto callback = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if (event == E::object_start) {
      keys.emplace_back();
    } else if (event == E::object_end) {
      if (!keys.empty()) keys.pop_back();
    } else if (event == E::key && !keys.empty()) {
      const auto& k = parsed.get_ref<const std::string&>();
      auto& seen = keys.back();
      if (std::find(seen.begin(), seen.end(), k) != seen.end()) throw StrictJsonError("key \"" + k + "\" appears twice in one object");
      seen.push_back(k);
    }
    return true;
  };
  return nlohmann::json::parse(text, callback, true, allow_comments);
}

}  // namespace landed
