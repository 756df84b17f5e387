// The landed command line: quote, format, rules check. Returns the process exit status:
// 0 success, 1 the data could not be loaded, 2 bad input or usage.
#pragma once

#include <iosfwd>

#include "core/date.h"
#include <string>
#include <vector>

namespace landed::app {

int run_cli(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err);
std::string new_quote_id(Timestamp now);

}  // namespace landed::app
