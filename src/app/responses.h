// The responses every resource handler builds: JSON, and RFC 9457 problems (one per list of
// field errors, or one with a title, detail and type under /problems/).
#pragma once

#include <string>

#include "core/result.h"
#include "http/problem.h"
#include "http/server.h"

namespace landed::app {

using http::Response;

inline Response json_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

inline Response problem(const Errors& errors) {
  Response r;
  r.status = http::status_for(errors);
  r.content_type = "application/problem+json";
  r.body = http::problem(errors).dump();
  return r;
}

inline Response problem(int status, const std::string& title, const std::string& detail, const std::string& type) {
  return http::problem_response(status, title, detail, "/problems/" + type);
}

}  // namespace landed::app
