// Shared pieces of the tax number checks (not part of the API): the verdict a national check
// returns, the scheme tables and the arithmetic the published algorithms have in common.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "taxid/taxid.h"

namespace landed::taxid_detail {

// What a national check says about the compact body (uppercase, separators and prefix removed).
struct Verdict {
  TaxIdProblem problem = TaxIdProblem::none;
  std::string message;
  std::string compact;  // the national part, canonical (e.g. a Belgian number padded to 10)
};

struct Scheme;
using CheckFn = Verdict (*)(std::string_view body, const Scheme& scheme);

struct Scheme {
  const char* country;  // ISO 3166-1 alpha-2
  const char* prefix;   // written before the national part in `normalized` ("EL", "GB", "" ...)
  const char* scheme;   // "EU VAT", "AU ABN" ...
  const char* noun;     // "German VAT number" (for messages)
  CheckFn check;
};

// Schemes by ISO country ("GR" for Greece); nullptr when unsupported.
const Scheme* eu_scheme(std::string_view country);
const Scheme* world_scheme(std::string_view country);
const Scheme* xi_scheme();       // Northern Ireland: UK VAT numbers written XI...
const Scheme* eu_oss_scheme();   // EU + 9 digits: the non-Union OSS scheme
std::string_view oss_country(std::string_view digits);  // member state of an OSS number, or ""

// --- verdicts, with messages naming the problem -----------------------------------------------
inline Verdict ok(std::string compact) { return {TaxIdProblem::none, {}, std::move(compact)}; }
inline Verdict fail(TaxIdProblem p, std::string message) { return {p, std::move(message), {}}; }
// "has 8 digits; a German VAT number has 9 after DE"
Verdict wrong_length(std::string_view body, const Scheme& s, std::string_view expected);
// "is not in the form of a German VAT number (9 digits after DE, the first not 0)"
Verdict wrong_pattern(const Scheme& s, std::string_view form);
// "check digit does not match: not a valid German VAT number"
Verdict wrong_check(const Scheme& s);
Verdict wrong_component(const Scheme& s, std::string_view what);
// " after DE" when the scheme has a prefix, else "".
std::string after_prefix(const Scheme& s);

// --- arithmetic ----------------------------------------------------------------------------
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline int digit(char c) { return c - '0'; }
bool all_digits(std::string_view s);  // non-empty and only 0-9
bool all_zero(std::string_view s);
// Sum of digit[i] * weight[i] over the first weights.size() characters (digits only).
int weighted_sum(std::string_view s, std::initializer_list<int> weights);
// Luhn (ISO/IEC 7812-1) over all digits of s, check digit last.
bool luhn_ok(std::string_view s);
// ISO 7064 MOD 11,10 (hybrid) over all digits of s, check digit last.
bool mod11_10_ok(std::string_view s);
// Remainder of the decimal number written in s (digits only) modulo m; any length.
int mod_of(std::string_view s, int m);
std::int64_t to_int(std::string_view s);  // digits only, at most 18
bool valid_date(int year, int month, int day);

}  // namespace landed::taxid_detail
