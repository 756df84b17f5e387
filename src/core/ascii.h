// ASCII case folding for protocol tokens (HTTP schemes, media types): RFC 9110 makes them
// case-insensitive in ASCII only, so no locale may take part (ICU is for what buyers read).
#pragma once

#include <string_view>

namespace landed {

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

constexpr bool equals_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

}  // namespace landed
