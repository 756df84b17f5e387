// A URL query string (RFC 3986, application/x-www-form-urlencoded) as name/value pairs, percent-
// decoded, '+' read as a space. Malformed escapes and non-UTF-8 results are errors naming the
// parameter, so a handler can report them with its own validation in one problem.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace landed::http {

struct QueryParams {
  std::vector<std::pair<std::string, std::string>> params;  // in order, repeats kept
  Errors errors;  // pointer "/<name>" (or "" for a name that did not decode)
};

QueryParams parse_query(std::string_view query);

}  // namespace landed::http
