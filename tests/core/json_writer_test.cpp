#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/json_writer.h"

using landed::JsonWriter;

TEST_CASE("JsonWriter writes nested objects and arrays with commas in the right places") {
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("a", "1").key("b").begin_array().integer(1).integer(-2).begin_object().end_object().end_array();
  w.key("c").begin_object().key("d").boolean(true).key("e").null().end_object().end_object();
  CHECK(out == R"({"a":"1","b":[1,-2,{}],"c":{"d":true,"e":null}})");
}

TEST_CASE("JsonWriter escapes quotes, backslashes and control characters, and keeps UTF-8") {
  std::string out;
  JsonWriter w(out);
  const std::string nasty = std::string("q\"b\\n\n\t\x01") + "\u202f€ ۱";
  w.begin_array().string(nasty).end_array();
  CHECK(out == "[\"q\\\"b\\\\n\\n\\t\\u0001\u202f€ ۱\"]");
  CHECK(nlohmann::json::parse(out)[0] == nasty);
}

TEST_CASE("JsonWriter writes literal keys and caller-appended strings with the same separators") {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key_literal("a").begin_raw_string().append("-0.05");
  w.end_raw_string().field_literal("b", "x\"y").key_literal("c").begin_array();
  w.begin_raw_string().append("1");
  w.end_raw_string().begin_raw_string();
  w.end_raw_string().end_array().end_object();
  CHECK(out == R"({"a":"-0.05","b":"x\"y","c":["1",""]})");
  CHECK(nlohmann::json::parse(out)["c"][1] == "");
}
