// Rounding: the named ways an exact value is cut to fewer digits. Every rounding in Landed names
// one of these; none happens implicitly.
#pragma once

#include <optional>
#include <string_view>

namespace landed {

enum class Rounding {
  HalfEven,  // to nearest; ties to the even digit (banker's rounding)
  HalfUp,    // to nearest; ties away from zero (commercial rounding)
  HalfDown,  // to nearest; ties toward zero
  Up,        // away from zero
  Down,      // toward zero (truncation)
};

constexpr std::string_view to_string(Rounding r) {
  switch (r) {
    case Rounding::HalfEven: return "HalfEven";
    case Rounding::HalfUp: return "HalfUp";
    case Rounding::HalfDown: return "HalfDown";
    case Rounding::Up: return "Up";
    case Rounding::Down: return "Down";
  }
  return "?";
}

constexpr std::optional<Rounding> parse_rounding(std::string_view s) {
  for (Rounding r : {Rounding::HalfEven, Rounding::HalfUp, Rounding::HalfDown, Rounding::Up,
                     Rounding::Down})
    if (to_string(r) == s) return r;
  return std::nullopt;
}

}  // namespace landed
