// Business buyers' tax numbers (VAT, GST, company numbers): format and check-digit validation
// only. Nothing here asks a registry (VIES, HMRC, ABR...) whether the number is registered; that
// is the merchant's job. Pure: no I/O, no state.
#pragma once

#include <string>
#include <string_view>

namespace landed {

enum class TaxIdProblem { none, length, pattern, check_digit, component, unsupported_country };

// "none", "length", "pattern", "check_digit", "component", "unsupported_country".
const char* to_string(TaxIdProblem p);

struct TaxIdCheck {
  TaxIdProblem problem = TaxIdProblem::none;  // none: valid
  // ISO 3166-1 alpha-2 the number belongs to ("GR" for an EL number, "GB" for XI); empty when
  // no country could be told.
  std::string country;
  // Canonical form. EU, GB and XI numbers carry their prefix ("DE136695976", "EL094259216",
  // "XI432525179"), as do Swiss ("CHE100155212MWST") and Norwegian ones ("NO995525828MVA", MVA
  // only when typed); others are compact ("53004085616" ABN). Set only when valid.
  std::string normalized;
  std::string scheme;   // "EU VAT", "UK VAT", "NO MVA", "CH UID/MWST", "AU ABN", ...
  std::string message;  // when invalid: why, in words fit for a 422
  bool valid() const { return problem == TaxIdProblem::none; }
};

// `number` as the buyer typed it: spaces, dots, dashes (also Unicode dashes and no-break spaces),
// slashes, commas, parentheses, ':' and lowercase are tolerated. The country comes from a prefix when the
// number has one (an EU member state's, EL, GB, XI, CHE, NO, EU for the non-Union OSS scheme, or
// AU/NZ/IN/BR/IS/CA/JP/SG); otherwise `country_hint` (the destination country) says which scheme
// to apply. A prefix that is not the hint's scheme is still validated as its own country (the
// caller decides whether that country makes sense).
TaxIdCheck check_tax_id(std::string_view number, std::string_view country_hint);

}  // namespace landed
