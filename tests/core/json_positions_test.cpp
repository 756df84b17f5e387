#include <catch2/catch.hpp>

#include "core/json_positions.h"

using landed::JsonPositions;

TEST_CASE("JsonPositions finds values by pointer across comments and lines") {
  const std::string text =
      "// header comment with { and [\n"
      "{\n"
      "  \"a\": 1, /* inline { */ \"b\": [\n"
      "    {\"c\": \"x\\\"y\"},\n"
      "    {\"d/e\": true}\n"
      "  ]\n"
      "}\n";
  const JsonPositions p(text);
  CHECK(p.at("").line == 2);
  CHECK(p.at("/a").line == 3);
  CHECK(p.at("/a").column == 8);
  CHECK(p.at("/b/0/c").line == 4);
  CHECK(p.at("/b/0/c").column == 11);
  CHECK(p.at("/b/1/d~1e").line == 5);
  // An unknown pointer falls back to its nearest known ancestor.
  CHECK(p.at("/b/1/zzz").line == 5);
  CHECK(p.at("/b/1/zzz").column == 5);
}

TEST_CASE("json_nesting_depth counts brackets outside strings and comments") {
  CHECK(landed::json_nesting_depth("{\"a\": [1, {\"b\": []}]}") == 4);
  CHECK(landed::json_nesting_depth("{\"a\": \"[[[[\"} // [[[[") == 1);
  CHECK(landed::json_nesting_depth(std::string(100000, '[')) == 100000);
}

TEST_CASE("pointer_append escapes ~ and / as RFC 6901 says") {
  CHECK(landed::pointer_append("/x", "a/b~c") == "/x/a~1b~0c");
  CHECK(landed::pointer_append("", std::size_t{3}) == "/3");
}
