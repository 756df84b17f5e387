#include "core/country.h"

#include <algorithm>
#include <string>
#include <unicode/locid.h>
#include <vector>

namespace landed {

bool is_country(std::string_view code) {
  static const std::vector<std::string> countries = [] {
    std::vector<std::string> v;
    for (const char* const* p = icu::Locale::getISOCountries(); *p; ++p) v.emplace_back(*p);
    std::sort(v.begin(), v.end());
    return v;
  }();
  return code.size() == 2 && std::binary_search(countries.begin(), countries.end(), code);
}

}  // namespace landed
