// Provenance: what every dated rule has (id, source, note, the period it is in force).
#pragma once

#include <optional>
#include <string>

#include "core/date.h"

namespace landed {

// What every dated rule has.
struct Provenance {
  std::string id;
  std::string source;
  std::string note;
  Date effective_from = *Date::parse("1970-01-01");
  std::optional<Date> effective_to;  // exclusive
  bool in_force(const Date& d) const {
    return effective_from <= d && (!effective_to || d < *effective_to);
  }
};

}  // namespace landed
