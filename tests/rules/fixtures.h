// What every rule loader test builds on: the smallest valid merchant and tax files, a one-place
// text edit that fails the test when its target is missing, and the first diagnostic as text.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "rules/loader.h"

namespace landed::test {

inline const char* merchant = R"({
  "concern": "merchant", "id": "m1", "name": "Shop", "default": true, "origin": "US", "currency": "USD",
  "price_basis": "exclusive", "incoterm": "DDP",
  "fx": {"markup": "0.02", "rounding": "HalfEven", "source": "agreement"},
  "source": "agreement", "effective_from": "2026-01-01"
})";

inline const char* vat = R"({
  "concern": "tax", "jurisdiction": "HR", "country": "HR", "name": "Croatia",
  "rounding": {"mode": "HalfUp", "level": "line", "source": "s"},
  "taxes": [{"id": "HR.vat", "name": "PDV", "rates": [
    {"id": "HR.std", "band": "standard", "rate": "0.25", "effective_from": "2012-03-01", "source": "s"}]}]
})";

// `s` with the first `from` replaced by `to`; `from` must be there.
inline std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

// The first diagnostic of a refused load, as "file:line:column: message".
inline std::string first(const RuleLoad& l) {
  REQUIRE_FALSE(l.ok());
  REQUIRE_FALSE(l.diagnostics.empty());
  return l.diagnostics.front().to_string();
}

}  // namespace landed::test
