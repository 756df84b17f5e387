#include "http/problem.h"

#include <algorithm>

#include "core/limits.h"
#include "core/utf8.h"

namespace landed::http {
namespace {

int status_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_json: return 400;
    case ErrorCode::invalid_field:
    case ErrorCode::missing_field:
    case ErrorCode::unsupported:
    case ErrorCode::out_of_range:
    case ErrorCode::not_found:  // a reference inside a valid body: the body is what is wrong
      return 422;
    case ErrorCode::rule_error: return 422;
    case ErrorCode::too_large: return 413;
    case ErrorCode::io_error: return 503;
    case ErrorCode::stale_rates: return 503;  // not the caller's fault: try again with fresh rates
  }
  return 500;
}

const char* title_of(int status) {
  switch (status) {
    case 400: return "Malformed request";
    case 413: return "Request too large";
    case 422: return "Invalid request";
    case 503: return "Service unavailable";
  }
  return "Error";
}

}  // namespace

int status_for(const Errors& errors) {
  // The body-level failure wins: if the JSON could not be read, nothing else was checked.
  int status = 422;
  for (const auto& e : errors)
    if (status_of(e.code) != 422) return status_of(e.code);
  return status;
}

nlohmann::ordered_json problem(const Errors& errors) {
  const int status = status_for(errors);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  // Pointers and messages may quote what a client sent: made valid UTF-8 before they become JSON.
  const std::size_t listed = std::min(errors.size(), limits::problem_errors_max);
  for (std::size_t i = 0; i < listed; ++i) {
    const auto& e = errors[i];
    list.push_back({{"pointer", valid_utf8(e.pointer)}, {"message", valid_utf8(e.message)}, {"code", to_string(e.code)}});
  }
  std::string detail;
  if (errors.size() == 1) {
    detail = valid_utf8((errors[0].pointer.empty() ? "" : errors[0].pointer + " ") + errors[0].message);
  } else if (listed < errors.size()) {
    detail = std::to_string(errors.size()) + " problems; the first " + std::to_string(listed) +
             " are listed in errors, " + std::to_string(errors.size() - listed) + " omitted";
  } else {
    detail = std::to_string(errors.size()) + " problems; see errors";
  }
  nlohmann::ordered_json p{{"type", "/problems/" + std::string(to_string(errors.front().code))},
                           {"title", title_of(status)},
                           {"status", status},
                           {"detail", detail},
                           {"errors", list}};
  if (listed < errors.size()) p["errors_omitted"] = errors.size() - listed;
  return p;
}

}  // namespace landed::http
