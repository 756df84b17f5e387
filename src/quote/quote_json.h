// The JSON shape of API.md's quote, written directly as text (see core/json_writer.h for why).
#pragma once

#include <string>

#include "quote/quote.h"

namespace landed {

// Compact JSON of the quote, fields in API.md's order.
std::string to_json_text(const Quote& quote);
// The same, indented for people (CLI output).
std::string to_json_pretty(const Quote& quote);

}  // namespace landed
