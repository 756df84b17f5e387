#include "http/problem.h"

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
  for (const auto& e : errors) list.push_back({{"pointer", e.pointer}, {"message", e.message}, {"code", to_string(e.code)}});
  std::string detail;
  if (errors.size() == 1) {
    detail = (errors[0].pointer.empty() ? "" : errors[0].pointer + " ") + errors[0].message;
  } else {
    detail = std::to_string(errors.size()) + " problems; see errors";
  }
  return {{"type", "/problems/" + std::string(to_string(errors.front().code))},
          {"title", title_of(status)},
          {"status", status},
          {"detail", detail},
          {"errors", list}};
}

}  // namespace landed::http
