#include <catch2/catch.hpp>

#include "core/sha256.h"
#include "http/auth.h"
#include "http/problem.h"

using namespace landed;
using namespace landed::http;

namespace {
std::string keys_json() {
  return R"([{"id": "c1", "role": "checkout", "merchants": ["demo", "acme"], "sha256": ")" + Sha256::hex("secret-c") + R"("},
             {"id": "a1", "role": "admin", "merchants": ["*"], "sha256": ")" + Sha256::hex("secret-a") + R"("}])";
}
std::string one_key(const std::string& role, const std::string& merchants_field) {
  return R"([{"id": "k", "role": ")" + role + "\"" + merchants_field + R"(, "sha256": ")" + Sha256::hex("t") + R"("}])";
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
  CHECK_FALSE(keys->authenticate("secret-c"));
  CHECK_FALSE(keys->authenticate(""));
  CHECK_FALSE(keys->authenticate("Bearersecret-c"));
  CHECK_FALSE(keys->authenticate("Basic secret-c"));
}

TEST_CASE("The Bearer scheme is case-insensitive as RFC 9110 says") {
  const auto keys = Keys::parse(keys_json());
  REQUIRE(keys.ok());
  CHECK(keys->authenticate("bearer secret-c")->id == "c1");
  CHECK(keys->authenticate("BEARER secret-c")->id == "c1");
  CHECK(keys->authenticate("bEaReR secret-a")->id == "a1");
  CHECK(keys->authenticate("Bearer  secret-c")->id == "c1");  // 1*SP
  CHECK_FALSE(keys->authenticate("bearer  "));
  CHECK_FALSE(keys->authenticate("bearer secret-C"));  // the token itself is exact
}

TEST_CASE("Keys act for the merchants they name and admin for every one") {
  const auto keys = Keys::parse(keys_json());
  REQUIRE(keys.ok());
  const auto c = keys->authenticate("Bearer secret-c");
  CHECK(c->acts_for("demo"));
  CHECK(c->acts_for("acme"));
  CHECK_FALSE(c->acts_for("other"));
  CHECK_FALSE(c->acts_for(""));
  CHECK_FALSE(c->acts_for("*"));
  const auto a = keys->authenticate("Bearer secret-a");
  CHECK(a->acts_for("demo"));
  CHECK(a->acts_for("anything"));
}

TEST_CASE("A key without merchants or a non-admin key with every merchant is refused at load") {
  CHECK(Keys::parse(one_key("checkout", R"(, "merchants": ["demo"])")).ok());
  CHECK(Keys::parse(one_key("admin", R"(, "merchants": ["*"])")).ok());
  CHECK(Keys::parse(one_key("admin", R"(, "merchants": ["demo"])")).ok());
  for (const char* bad : {"", R"(, "merchants": [])", R"(, "merchants": "demo")", R"(, "merchants": [7])",
                          R"(, "merchants": [""])", R"(, "merchants": null)"}) {
    INFO(bad);
    const auto k = Keys::parse(one_key("checkout", bad));
    REQUIRE_FALSE(k.ok());
    CHECK(k.error().pointer == "/0/merchants");
  }
  for (const char* role : {"checkout", "finance", "reviewer"}) {
    INFO(role);
    const auto k = Keys::parse(one_key(role, R"(, "merchants": ["*"])"));
    REQUIRE_FALSE(k.ok());
    CHECK(k.error().pointer == "/0/merchants");
    CHECK(k.error().message.find("only an admin key") != std::string::npos);
  }
  CHECK_FALSE(Keys::parse(one_key("admin", R"(, "merchants": ["*", "demo"])")).ok());
  CHECK_FALSE(Keys::parse(one_key("admin", "")).ok());
}

TEST_CASE("A keys file with bad entries is refused whole") {
  CHECK_FALSE(Keys::parse("{").ok());
  CHECK_FALSE(Keys::parse("{}").ok());
  CHECK_FALSE(Keys::parse(R"([{"id": "x", "role": "root", "merchants": ["*"], "sha256": ")" + Sha256::hex("t") + R"("}])").ok());
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
