// Entry point: cleans what the buyer typed, finds the country (prefix, else the hint) and hands
// the compact body to that country's check (taxid_eu.cpp, taxid_world.cpp).
#include "taxid/taxid.h"

#include <array>
#include <optional>

#include "core/limits.h"
#include "taxid/taxid_detail.h"

namespace landed {

const char* to_string(TaxIdProblem p) {
  switch (p) {
    case TaxIdProblem::none: return "none";
    case TaxIdProblem::length: return "length";
    case TaxIdProblem::pattern: return "pattern";
    case TaxIdProblem::check_digit: return "check_digit";
    case TaxIdProblem::component: return "component";
    case TaxIdProblem::unsupported_country: return "unsupported_country";
  }
  return "none";
}

namespace taxid_detail {

std::string after_prefix(const Scheme& s) {
  return *s.prefix ? std::string(" after ") + s.prefix : std::string();
}

Verdict wrong_length(std::string_view body, const Scheme& s, std::string_view expected) {
  std::string m = "has " + std::to_string(body.size()) + (all_digits(body) ? " digit" : " character") +
                  (body.size() == 1 ? "" : "s") + "; a " + s.noun + " has " + std::string(expected) +
                  after_prefix(s);
  return fail(TaxIdProblem::length, std::move(m));
}

Verdict wrong_pattern(const Scheme& s, std::string_view form) {
  return fail(TaxIdProblem::pattern, std::string("is not in the form of a ") + s.noun + " (" +
                                         std::string(form) + after_prefix(s) + ")");
}

Verdict wrong_check(const Scheme& s) {
  return fail(TaxIdProblem::check_digit, std::string("check digit does not match: not a valid ") + s.noun);
}

Verdict wrong_component(const Scheme& s, std::string_view what) {
  return fail(TaxIdProblem::component, std::string(what) + ": not a valid " + s.noun);
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

bool all_zero(std::string_view s) {
  for (char c : s)
    if (c != '0') return false;
  return true;
}

int weighted_sum(std::string_view s, std::initializer_list<int> weights) {
  int sum = 0;
  std::size_t i = 0;
  for (int w : weights) sum += digit(s[i++]) * w;
  return sum;
}

bool luhn_ok(std::string_view s) {
  int sum = 0;
  bool twice = false;
  for (std::size_t i = s.size(); i-- > 0;) {
    int d = digit(s[i]);
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool mod11_10_ok(std::string_view s) {
  int product = 10;
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    int sum = (digit(s[i]) + product) % 10;
    if (sum == 0) sum = 10;
    product = (2 * sum) % 11;
  }
  return (11 - product) % 10 == digit(s.back());
}

int mod_of(std::string_view s, int m) {
  int r = 0;
  for (char c : s) r = (r * 10 + digit(c)) % m;
  return r;
}

std::int64_t to_int(std::string_view s) {
  std::int64_t n = 0;
  for (char c : s) n = n * 10 + digit(c);
  return n;
}

bool valid_date(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= days[static_cast<std::size_t>(month - 1)] + (month == 2 && leap ? 1 : 0);
}

}  // namespace taxid_detail

namespace {

using namespace taxid_detail;

// Separators a buyer may type or paste inside a number, beyond ASCII " .-/,:()" and tab: no-break
// and thin spaces, Unicode hyphens and dashes, the minus sign. Returns the byte length of the
// separator at s[i], or 0.
std::size_t unicode_separator(std::string_view s, std::size_t i) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  if (i + 1 < s.size() && at(i) == 0xC2 && at(i + 1) == 0xA0) return 2;  // U+00A0
  if (i + 2 < s.size() && at(i) == 0xE2 && at(i + 1) == 0x80) {
    const unsigned char c = at(i + 2);
    if ((c >= 0x80 && c <= 0x8A) || (c >= 0x90 && c <= 0x95) || c == 0xAF) return 3;  // spaces, dashes
  }
  if (i + 2 < s.size() && at(i) == 0xE2 && at(i + 1) == 0x88 && at(i + 2) == 0x92) return 3;  // U+2212
  return 0;
}

struct Cleaned {
  std::string text;  // uppercase letters and digits only
  std::optional<TaxIdCheck> error;
};

Cleaned clean(std::string_view number) {
  Cleaned out;
  const auto refuse = [&](TaxIdProblem p, std::string message) {
    TaxIdCheck c;
    c.problem = p;
    c.message = std::move(message);
    out.error = std::move(c);
    return out;
  };
  if (number.size() > limits::tax_id_bytes_max)
    return refuse(TaxIdProblem::length, "is " + std::to_string(number.size()) + " bytes long; a tax number has at most " +
                                            std::to_string(limits::tax_id_bytes_max));
  for (std::size_t i = 0; i < number.size();) {
    const char c = number[i];
    if (is_digit(c) || is_upper(c)) {
      out.text += c;
    } else if (c >= 'a' && c <= 'z') {
      out.text += static_cast<char>(c - 'a' + 'A');
    } else if (c == ' ' || c == '.' || c == '-' || c == '/' || c == ',' || c == ':' || c == '\t' || c == '(' || c == ')') {
    } else if (const std::size_t n = unicode_separator(number, i); n > 0) {
      i += n;
      continue;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      return refuse(TaxIdProblem::pattern, "contains a non-ASCII character; a tax number has only letters, digits and separators");
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return refuse(TaxIdProblem::pattern, "contains a control character; a tax number has only letters, digits and separators");
    } else {
      return refuse(TaxIdProblem::pattern, std::string("contains '") + c +
                                               "', which is not part of a tax number (letters, digits and separators only)");
    }
    ++i;
  }
  if (out.text.empty())
    return refuse(TaxIdProblem::length, number.empty() ? "is empty" : "has no letters or digits");
  return out;
}

// The scheme a two-letter prefix names (EL and GR: Greece; XI: Northern Ireland; EU: OSS).
const Scheme* prefix_scheme(std::string_view two) {
  if (two == "EL" || two == "GR") return eu_scheme("GR");
  if (two == "XI") return xi_scheme();
  if (two == "EU") return eu_oss_scheme();
  if (const Scheme* s = eu_scheme(two)) return s;
  if (two == "CH") return nullptr;  // Swiss numbers start CHE (handled before)
  return world_scheme(two);
}

const Scheme* hint_scheme(std::string_view hint) {
  std::string h;
  for (char c : hint) h += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  if (h == "EL") h = "GR";
  if (h == "XI") h = "GB";
  if (const Scheme* s = eu_scheme(h)) return s;
  return world_scheme(h);
}

TaxIdCheck finish(const Scheme& s, std::string_view body) {
  Verdict v = s.check(body, s);
  TaxIdCheck c;
  c.problem = v.problem;
  c.country = s.country;
  c.scheme = s.scheme;
  c.message = std::move(v.message);
  if (c.valid()) c.normalized = std::string(s.prefix) + v.compact;
  if (&s == eu_oss_scheme()) c.country = c.valid() ? std::string(oss_country(v.compact)) : std::string();
  return c;
}

}  // namespace

TaxIdCheck check_tax_id(std::string_view number, std::string_view country_hint) {
  Cleaned cleaned = clean(number);
  const Scheme* hinted = hint_scheme(country_hint);
  if (cleaned.error) {
    if (hinted) {
      cleaned.error->country = hinted->country;
      cleaned.error->scheme = hinted->scheme;
    }
    return *cleaned.error;
  }
  const std::string_view s = cleaned.text;

  // A prefix names the country. The hint's own scheme is tried first on the whole text, so that a
  // national number whose first letters look like a prefix (an alphanumeric CNPJ "DE...", a new
  // French number "AT...") is still read as the hint's.
  const Scheme* prefixed = nullptr;
  std::string_view body = s;
  if (s.size() >= 3 && s.substr(0, 3) == "CHE") {
    prefixed = world_scheme("CH");
    body = s.substr(3);
  } else if (s.size() >= 2 && is_upper(s[0]) && is_upper(s[1])) {
    prefixed = prefix_scheme(s.substr(0, 2));
    if (prefixed) body = s.substr(2);
  }
  if (prefixed && hinted && prefixed != hinted && prefixed != xi_scheme() && prefixed != eu_oss_scheme()) {
    TaxIdCheck as_hinted = finish(*hinted, s);
    if (as_hinted.valid()) return as_hinted;
  }
  if (prefixed) {
    if (body.empty()) {
      TaxIdCheck c;
      c.problem = TaxIdProblem::pattern;
      c.country = prefixed->country;
      c.scheme = prefixed->scheme;
      c.message = std::string("is only the prefix ") + std::string(s) + "; the " + prefixed->noun + " follows it";
      return c;
    }
    return finish(*prefixed, body);
  }
  if (hinted) return finish(*hinted, s);

  TaxIdCheck c;
  c.problem = TaxIdProblem::unsupported_country;
  std::string hint;
  for (char ch : country_hint.substr(0, 2)) hint += is_upper(ch) || (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch & ~0x20) : '?';
  if (hint.size() == 2 && hint.find('?') == std::string::npos && country_hint.size() == 2) c.country = hint;
  c.message = c.country.empty()
                  ? std::string("has no country prefix Landed knows, and no country was given to tell its scheme")
                  : "has no country prefix Landed knows, and Landed does not check tax numbers of " + c.country;
  return c;
}

}  // namespace landed
