#include "core/result.h"

namespace landed {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_json: return "invalid_json";
    case ErrorCode::invalid_field: return "invalid_field";
    case ErrorCode::missing_field: return "missing_field";
    case ErrorCode::unsupported: return "unsupported";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::out_of_range: return "out_of_range";
    case ErrorCode::too_large: return "too_large";
    case ErrorCode::rule_error: return "rule_error";
    case ErrorCode::io_error: return "io_error";
    case ErrorCode::stale_rates: return "stale_rates";
  }
  return "unknown";
}

}  // namespace landed
