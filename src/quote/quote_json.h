// The JSON shapes of API.md: Quote -> response body; Errors -> RFC 9457 problem details body.
#pragma once

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "quote/quote.h"

namespace landed {

nlohmann::ordered_json to_json(const Quote& quote);
nlohmann::ordered_json money_json(const Money& m);

}  // namespace landed
