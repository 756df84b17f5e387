#include <catch2/catch.hpp>

#include "core/utf8.h"

using namespace landed;

TEST_CASE("valid_utf8 keeps well-formed text and replaces each ill-formed sequence with U+FFFD") {
  const std::string fffd = "\xef\xbf\xbd";
  for (const char* ok : {"", "ascii", "\xc3\xa9t\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf"}) {
    CHECK(is_valid_utf8(ok));
    CHECK(valid_utf8(ok) == ok);
  }
  CHECK(valid_utf8("/\xff") == "/" + fffd);
  CHECK(valid_utf8("a\xc3") == "a" + fffd);                   // truncated at the end
  CHECK(valid_utf8("\xe2\x82z") == fffd + "z");               // truncated inside: one replacement
  CHECK(valid_utf8("\xc0\xaf") == fffd + fffd);               // overlong
  CHECK(valid_utf8("\xed\xa0\x80") == fffd + fffd + fffd);    // a surrogate
  CHECK(valid_utf8("\xf4\x90\x80\x80") == fffd + fffd + fffd + fffd);  // past U+10FFFF
  CHECK_FALSE(is_valid_utf8("\x80"));
}
