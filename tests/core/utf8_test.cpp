#include <catch2/catch.hpp>

#include "core/ascii.h"
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

TEST_CASE("equals_ignoring_ascii_case folds ASCII letters only") {
  CHECK(landed::equals_ignoring_ascii_case("Bearer", "bEARER"));
  CHECK(landed::equals_ignoring_ascii_case("application/JSON", "application/json"));
  CHECK_FALSE(landed::equals_ignoring_ascii_case("bearer", "bearer "));
  CHECK_FALSE(landed::equals_ignoring_ascii_case("\xc3\x89", "\xc3\xa9"));  // É vs é: not ASCII
  CHECK_FALSE(landed::equals_ignoring_ascii_case("[", "{"));  // '[' + 32 is '{', not a letter
}
