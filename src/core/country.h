// Whether a code is an ISO 3166-1 alpha-2 country (or territory with its own code) as ICU knows
// it. Request parsing and rule loading both ask; neither should need the display layer for it.
#pragma once

#include <string_view>

namespace landed {

// True for a current ISO 3166-1 alpha-2 region code as ICU knows them ("HR", not "YU").
bool is_country(std::string_view code);

}  // namespace landed
