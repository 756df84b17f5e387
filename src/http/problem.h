// RFC 9457 problem details for a list of Errors: the one place error codes become HTTP statuses.
#pragma once

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace landed::http {

int status_for(const Errors& errors);
// {"type", "title", "status", "detail", "errors": [{"pointer", "message", "code"}]}, listing at most
// problem_errors_max errors; beyond that, "errors_omitted" counts the rest (and detail says so).
nlohmann::ordered_json problem(const Errors& errors);

}  // namespace landed::http
