// UTF-8 for text from the wire. JSON must be valid UTF-8 (nlohmann's dump() throws otherwise),
// and a path, method, header value or command-line argument is whatever bytes a client sent.
// Every such string passes through valid_utf8() before it is embedded in a response.
#pragma once

#include <string>
#include <string_view>

namespace landed {

// True if text is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
bool is_valid_utf8(std::string_view text);

// text itself when it is valid UTF-8, otherwise a copy in which each ill-formed sequence is
// replaced by U+FFFD (one per maximal invalid subpart, as Unicode recommends).
std::string valid_utf8(std::string_view text);

}  // namespace landed
