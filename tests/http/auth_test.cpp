#include <catch2/catch.hpp>

#include "core/sha256.h"
#include "http/auth.h"
#include "http/problem.h"

using namespace landed;
using namespace landed::http;

namespace {
std::string keys_json() {
  return R"([{"id": "c1", "role": "checkout", "sha256": ")" + Sha256::hex("secret-c") + R"("},
             {"id": "a1", "role": "admin", "sha256": ")" + Sha256::hex("secret-a") + R"("}])";
}
}  // namespace

TEST_CASE("Keys authenticate bearer tokens by their SHA-256 digest") {
  const auto keys = Keys::parse(keys_json());
  REQUIRE(keys.ok());
  CHECK(keys->size() == 2);
  CHECK(keys->authenticate("Bearer secret-c")->id == "c1");
  CHECK(keys->authenticate("Bearer secret-a")->role == Role::admin);
  CHECK_FALSE(keys->authenticate("Bearer secret-x"));
  CHECK_FALSE(keys->authenticate("Bearer "));
  CHECK_FALSE(keys->authenticate("bearer secret-c"));
  CHECK_FALSE(keys->authenticate("secret-c"));
  CHECK_FALSE(keys->authenticate(""));
}

TEST_CASE("A keys file with bad entries is refused whole") {
  CHECK_FALSE(Keys::parse("{").ok());
  CHECK_FALSE(Keys::parse("{}").ok());
  CHECK_FALSE(Keys::parse(R"([{"id": "x", "role": "root", "sha256": ")" + Sha256::hex("t") + R"("}])").ok());
  CHECK_FALSE(Keys::parse(R"([{"id": "x", "role": "admin", "sha256": "abc"}])").ok());
  CHECK_FALSE(Keys::parse(R"([{"id": "x", "role": "admin"}])").ok());
  const auto dup = R"([{"id": "x", "role": "admin", "sha256": ")" + Sha256::hex("t") +
                   R"("}, {"id": "x", "role": "finance", "sha256": ")" + Sha256::hex("u") + R"("}])";
  CHECK_FALSE(Keys::parse(dup).ok());
  CHECK(Keys::parse("[]").ok());
}

TEST_CASE("Problem details map error codes to statuses and list every pointer") {
  const Errors bad_json = {{ErrorCode::invalid_json, "not JSON", ""}};
  CHECK(status_for(bad_json) == 400);
  const Errors fields = {{ErrorCode::invalid_field, "must be a positive integer", "/items/0/quantity"},
                         {ErrorCode::missing_field, "is required", "/locale"}};
  const auto p = problem(fields);
  CHECK(p["status"] == 422);
  CHECK(p["errors"].size() == 2);
  CHECK(p["errors"][0]["pointer"] == "/items/0/quantity");
  CHECK(p["type"] == "/problems/invalid_field");
}
