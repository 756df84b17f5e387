#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/limits.h"
#include "http/problem.h"
#include "http/server.h"

using namespace landed;

TEST_CASE("A problem lists at most problem_errors_max errors and counts the rest") {
  Errors errors;
  for (int i = 0; i < 5000; ++i) errors.push_back({ErrorCode::invalid_field, "is not a known field", "/x" + std::to_string(i)});
  const auto p = http::problem(errors);
  CHECK(p["errors"].size() == limits::problem_errors_max);
  CHECK(p["errors_omitted"] == 5000 - limits::problem_errors_max);
  CHECK(p["detail"] == "5000 problems; the first 100 are listed in errors, 4900 omitted");
  CHECK(p.dump().size() < 10000);
  errors.resize(limits::problem_errors_max);
  const auto whole = http::problem(errors);
  CHECK(whole["errors"].size() == limits::problem_errors_max);
  CHECK_FALSE(whole.contains("errors_omitted"));
}

TEST_CASE("Text from the wire in a problem is made valid UTF-8 and never makes dump() throw") {
  const auto p = http::problem({{ErrorCode::invalid_field, "bad \xff value", "/k\xc3"}});
  std::string text;
  REQUIRE_NOTHROW(text = p.dump());
  CHECK(nlohmann::json::parse(text)["errors"][0]["pointer"] == "/k\xef\xbf\xbd");
  const auto r = http::problem_response(404, "Not found", "no such endpoint: /\xff\xfe");
  CHECK(nlohmann::json::parse(r.body)["detail"] == "no such endpoint: /\xef\xbf\xbd\xef\xbf\xbd");
}
