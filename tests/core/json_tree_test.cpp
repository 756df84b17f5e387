#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "core/limits.h"
#include "core/json_tree.h"

using namespace landed;

TEST_CASE("JsonTree reads members, elements and scalars in document order") {
  const auto t = JsonTree::parse(R"({"a": "x\u00e9\n", "n": -42, "big": 18446744073709551615, "f": 1.5,
                                     "list": [true, null, {"k": "v"}], "e": {}})");
  REQUIRE(t.ok());
  const JsonView root = t->root();
  REQUIRE(root.is_object());
  CHECK(root.size() == 6);
  CHECK(root.find("a")->str() == "x\xc3\xa9\n");
  CHECK(root.find("n")->integer() == -42);
  CHECK(root.find("big")->kind() == JsonKind::floating);  // beyond int64: out of every range here
  CHECK(root.find("f")->kind() == JsonKind::floating);
  CHECK_FALSE(root.find("missing"));
  const JsonView list = *root.find("list");
  REQUIRE(list.is_array());
  CHECK(list.size() == 3);
  std::string kinds;
  for (const JsonView e : list) kinds += std::to_string(int(e.kind()));
  CHECK(kinds == std::to_string(int(JsonKind::boolean)) + std::to_string(int(JsonKind::null)) +
                     std::to_string(int(JsonKind::object)));
  std::string keys;
  for (const JsonView m : root) keys += std::string(m.key()) + ",";
  CHECK(keys == "a,n,big,f,list,e,");
  CHECK(root.find("e")->size() == 0);
  CHECK_FALSE(root.find("e")->begin() != root.find("e")->end());
}

TEST_CASE("JsonTree refuses a key repeated in one object, but not across objects") {
  const auto twice = JsonTree::parse(R"({"a": 1, "b": {"a": 2}, "a": 3})");
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().message.find("\"a\" appears twice") != std::string::npos);
  CHECK(twice.error().code == ErrorCode::invalid_json);
  CHECK(JsonTree::parse(R"({"a": 1, "b": {"a": 2}, "c": [{"a": 1}, {"a": 2}]})").ok());
}

TEST_CASE("JsonTree finds a repeated key among many members") {
  std::string body = "{";
  for (int i = 0; i < 200; ++i) body += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",";
  CHECK(JsonTree::parse(body + "\"last\": 0}").ok());
  const auto dup = JsonTree::parse(body + "\"k7\": 0}");
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().message.find("\"k7\" appears twice") != std::string::npos);
}

TEST_CASE("JsonTree refuses nesting beyond json_depth_max without recursing") {
  const std::string ok(limits::json_depth_max, '[');
  CHECK(JsonTree::parse(ok + std::string(limits::json_depth_max, ']')).ok());
  const std::string deep(100000, '[');
  const auto r = JsonTree::parse(deep);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("nesting deeper than") != std::string::npos);
}

TEST_CASE("JsonTree reports malformed text with its line and column") {
  const auto r = JsonTree::parse("{\n  \"a\": 1,\n  \"b\" 2\n}");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.rfind("the body is not valid JSON (line 3, column 7)", 0) == 0);
  for (const char* bad : {"", "{", "[1,]", "{\"a\":1} x", "\"\\ud800\"", "nul", "{'a':1}", "01", "[1,2", "\"\\x\"", "\"\xff\""}) {
    INFO(bad);
    const auto e = JsonTree::parse(bad);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == ErrorCode::invalid_json);
  }
}

TEST_CASE("JsonTree holds a scalar root") {
  const auto r = JsonTree::parse("\"just text\"");
  REQUIRE(r.ok());
  CHECK(r->root().str() == "just text");
  CHECK(r->root().size() == 0);
  CHECK_FALSE(r->root().find("x"));
}

namespace {

// {"k0":0,"k1":0,...} with `keys` members, then `tail` before the closing brace.
std::string many_keys(std::size_t keys, const std::string& tail = "") {
  std::string body = "{";
  for (std::size_t i = 0; i < keys; ++i) body += "\"k" + std::to_string(i) + "\":0,";
  body += tail.empty() ? "\"end\":0}" : tail + "}";
  return body;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("JsonTree refuses a body of more than json_values_max values as too large and at once") {
  const std::string body = many_keys(90000);  // about 830 KB
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = JsonTree::parse(body);
  const double took = seconds_since(t0);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::too_large);
  CHECK(r.error().message.find("json_values_max") != std::string::npos);
  CHECK(took < 2.0);  // quadratic took seconds; generous for a loaded CI under ASan
  std::string list = "[";
  for (std::size_t i = 0; i < limits::json_values_max; ++i) list += "0,";
  list.back() = ']';
  CHECK(JsonTree::parse(list).error().code == ErrorCode::too_large);  // elements count too
  list.pop_back();
  list.pop_back();
  list.pop_back();
  list += ']';  // one fewer: root + json_values_max - 1 elements
  CHECK(JsonTree::parse(list).ok());
}

TEST_CASE("JsonTree finds a repeated key among nearly json_values_max keys without quadratic time") {
  const std::size_t keys = limits::json_values_max - 3;
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(JsonTree::parse(many_keys(keys)).ok());
  const auto late = JsonTree::parse(many_keys(keys, "\"k17\":1"));  // past the scanned first keys
  const auto early = JsonTree::parse(many_keys(keys, "\"k3\":1"));
  const double took = seconds_since(t0);
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().message.find("\"k17\" appears twice") != std::string::npos);
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().message.find("\"k3\" appears twice") != std::string::npos);
  CHECK(took < 4.0);
  // A repeat among the first few keys is still found as it arrives, and in nested objects too.
  CHECK_FALSE(JsonTree::parse(R"({"a": {"x": 1, "y": 2, "x": 3}})").ok());
  CHECK_FALSE(JsonTree::parse("[" + many_keys(40, "\"k39\":1") + "]").ok());
}
