// Tax numbers outside the EU: the UK (GB and XI), Norway, Switzerland, Australia, New Zealand,
// India, Brazil, Iceland, Canada and Japan, from each administration's published format and
// check-digit rule.
#include <array>
#include <string>

#include "taxid/taxid_detail.h"

namespace landed::taxid_detail {
namespace {

int base36(char c) { return is_digit(c) ? digit(c) : c - 'A' + 10; }
bool is_alnum(char c) { return is_digit(c) || is_upper(c); }

// UK: 9 digits (mod 97, or mod 97 after adding 55 for numbers issued since 2010), 12 digits for a
// branch (the first 9 checked), GD + 3 digits (government departments, under 500), HA + 3 digits
// (health authorities, 500 and over), and their 11-character EU forms GD8888nnncc / HA8888nnncc
// (cc = nnn mod 97).
Verdict gb(std::string_view b, const Scheme& s) {
  if ((b.size() == 5 || b.size() == 11) && is_upper(b[0]) && is_upper(b[1])) {
    const std::string_view code = b.substr(0, 2), rest = b.substr(2);
    if (code != "GD" && code != "HA")
      return wrong_component(s, "starts with " + std::string(code) + " (only GD or HA, for government departments and health authorities)");
    if (!all_digits(rest)) return wrong_pattern(s, std::string(code) + " and 3 digits, or " + std::string(code) + "8888 and 5 digits");
    std::string_view nnn = rest;
    if (b.size() == 11) {
      if (rest.substr(0, 4) != "8888") return wrong_component(s, "has no 8888 after " + std::string(code));
      nnn = rest.substr(4, 3);
    }
    const auto n = to_int(nnn);
    if (code == "GD" && n >= 500) return wrong_component(s, "has a government department number of 500 or more");
    if (code == "HA" && n < 500) return wrong_component(s, "has a health authority number under 500");
    if (b.size() == 11 && n % 97 != to_int(rest.substr(7))) return wrong_check(s);
    return ok(std::string(b));
  }
  if (b.size() != 9 && b.size() != 12) return wrong_length(b, s, "9 or 12 digits");
  if (!all_digits(b)) return wrong_pattern(s, "9 or 12 digits, or GD/HA and 3 digits");
  const int r = weighted_sum(b, {8, 7, 6, 5, 4, 3, 2, 10, 1}) % 97;
  if (r != 0 && r != 42) return wrong_check(s);  // 42: (sum + 55) % 97 == 0
  return ok(std::string(b));
}

Verdict no(std::string_view b, const Scheme& s) {
  const bool mva = b.size() >= 3 && b.substr(b.size() - 3) == "MVA";
  const std::string_view d = mva ? b.substr(0, b.size() - 3) : b;
  if (d.size() != 9) return wrong_length(d, s, "9 digits (the organisation number), then MVA");
  if (!all_digits(d)) return wrong_pattern(s, "9 digits, then MVA");
  int c = 11 - weighted_sum(d, {3, 2, 7, 6, 5, 4, 3, 2}) % 11;
  if (c == 11) c = 0;
  if (c != digit(d[8])) return wrong_check(s);
  return ok(std::string(d) + (mva ? "MVA" : ""));
}

Verdict ch(std::string_view b, const Scheme& s) {
  if (b.size() >= 3 && is_upper(b[0]) && is_upper(b[1]) && is_upper(b[2]))
    return wrong_component(s, "starts with " + std::string(b.substr(0, 3)) + ", not CHE");
  const std::string_view form = "CHE, 9 digits, and MWST, TVA, IVA or TPV for a VAT registration";
  if (b.size() < 9) return all_digits(b) ? wrong_length(b, s, "9 digits") : wrong_pattern(s, form);
  const std::string_view d = b.substr(0, 9), suffix = b.substr(9);
  if (!all_digits(d)) return wrong_pattern(s, form);
  if (!suffix.empty() && suffix != "MWST" && suffix != "TVA" && suffix != "IVA" && suffix != "TPV") {
    if (all_digits(suffix)) return wrong_length(b, s, "9 digits");
    return wrong_component(s, "ends " + std::string(suffix) + ", not MWST, TVA, IVA or TPV");
  }
  int c = 11 - weighted_sum(d, {5, 4, 3, 2, 7, 6, 5, 4}) % 11;
  if (c == 11) c = 0;
  if (c != digit(d[8])) return wrong_check(s);
  return ok(std::string(b));
}

Verdict au(std::string_view b, const Scheme& s) {
  if (b.size() != 11) return wrong_length(b, s, "11 digits");
  if (!all_digits(b) || b[0] == '0') return wrong_pattern(s, "11 digits, the first not 0");
  const int sum = (digit(b[0]) - 1) * 10 + weighted_sum(b.substr(1), {1, 3, 5, 7, 9, 11, 13, 15, 17, 19});
  if (sum % 89 != 0) return wrong_check(s);
  return ok(std::string(b));
}

int nz_check(std::string_view nine, std::initializer_list<int> weights) {
  const int r = weighted_sum(nine, weights) % 11;
  return r == 0 ? 0 : 11 - r;
}

Verdict nz(std::string_view b, const Scheme& s) {
  if (b.size() != 8 && b.size() != 9) return wrong_length(b, s, "8 or 9 digits");
  if (!all_digits(b)) return wrong_pattern(s, "8 or 9 digits");
  const auto n = to_int(b);
  if (n <= 10000000 || n >= 150000000) return wrong_component(s, "is outside 10,000,001 to 149,999,999");
  const std::string nine = b.size() == 8 ? "0" + std::string(b) : std::string(b);
  int c = nz_check(nine, {3, 2, 7, 6, 5, 4, 3, 2});
  if (c == 10) c = nz_check(nine, {7, 4, 3, 2, 5, 2, 7, 6});
  if (c != digit(nine[8])) return wrong_check(s);
  return ok(std::string(b));
}

// GSTIN: state code (2 digits), the holder's PAN (5 letters, 4 digits, a letter), the entity
// number (1-9 or a letter), Z, and a check character (mod 36, weights 1 and 2 alternating).
Verdict in(std::string_view b, const Scheme& s) {
  if (b.size() != 15) return wrong_length(b, s, "15 characters");
  bool shape = all_digits(b.substr(0, 2)) && all_digits(b.substr(7, 4)) && is_upper(b[11]) && is_alnum(b[12]) &&
               b[12] != '0' && is_alnum(b[13]) && is_alnum(b[14]);
  for (std::size_t i = 2; i < 7; ++i) shape = shape && is_upper(b[i]);
  if (!shape) return wrong_pattern(s, "2-digit state code, PAN (5 letters, 4 digits, a letter), entity number, Z, check character");
  const auto state = to_int(b.substr(0, 2));
  if (!((state >= 1 && state <= 38) || state == 97 || state == 99)) return wrong_component(s, "has no valid state code");
  if (b[13] != 'Z') return wrong_component(s, "has " + std::string(1, b[13]) + " as its 14th character, not Z");
  int sum = 0;
  for (std::size_t i = 0; i < 14; ++i) {
    const int p = base36(b[i]) * (i % 2 == 0 ? 1 : 2);
    sum += p / 36 + p % 36;
  }
  const int c = (36 - sum % 36) % 36;
  if ("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[c] != b[14]) return wrong_check(s);
  return ok(std::string(b));
}

// CNPJ: 12 characters (digits, and from July 2026 also capital letters; each worth its ASCII code
// minus 48) and 2 check digits, each mod 11 with weights 2..9 repeating from the right.
int cnpj_digit(std::string_view head) {
  int sum = 0, w = 2;
  for (std::size_t i = head.size(); i-- > 0;) {
    sum += (head[i] - '0') * w;
    w = w == 9 ? 2 : w + 1;
  }
  const int r = sum % 11;
  return r < 2 ? 0 : 11 - r;
}

Verdict br(std::string_view b, const Scheme& s) {
  if (b.size() != 14) return wrong_length(b, s, "14 characters");
  bool shape = all_digits(b.substr(12));
  for (std::size_t i = 0; i < 12; ++i) shape = shape && is_alnum(b[i]);
  if (!shape || all_zero(b)) return wrong_pattern(s, "12 digits or capital letters and 2 check digits, not all zero");
  if (cnpj_digit(b.substr(0, 12)) != digit(b[12]) || cnpj_digit(b.substr(0, 13)) != digit(b[13])) return wrong_check(s);
  return ok(std::string(b));
}

Verdict is(std::string_view b, const Scheme& s) {
  if (b.size() != 5 && b.size() != 6) return wrong_length(b, s, "5 or 6 digits");
  if (!all_digits(b)) return wrong_pattern(s, "5 or 6 digits");
  return ok(std::string(b));  // no check digit is published
}

Verdict ca(std::string_view b, const Scheme& s) {
  if (b.size() != 9 && b.size() != 15) return wrong_length(b, s, "9 digits, or 15 with a program account (RT0001)");
  const std::string_view form = "9 digits, optionally a 2-letter program and a 4-digit reference";
  if (!all_digits(b.substr(0, 9))) return wrong_pattern(s, form);
  if (b.size() == 15) {
    const std::string_view program = b.substr(9, 2);
    if (!is_upper(program[0]) || !is_upper(program[1]) || !all_digits(b.substr(11))) return wrong_pattern(s, form);
    constexpr std::array<std::string_view, 10> programs{"RC", "RD", "RE", "RG", "RM", "RN", "RP", "RR", "RT", "RZ"};
    bool known = false;
    for (std::string_view p : programs) known = known || p == program;
    if (!known) return wrong_component(s, "has the unknown program " + std::string(program));
  }
  if (!luhn_ok(b.substr(0, 9))) return wrong_check(s);
  return ok(std::string(b));
}

// Japan's corporate number: a check digit first, then 12 digits weighted 1, 2 from the right, mod 9.
Verdict jp(std::string_view b, const Scheme& s) {
  if (b.size() != 13) return wrong_length(b, s, "13 digits");
  if (!all_digits(b)) return wrong_pattern(s, "13 digits");
  int sum = 0;
  for (std::size_t i = 0; i < 12; ++i) sum += digit(b[12 - i]) * (i % 2 == 0 ? 1 : 2);
  if (9 - sum % 9 != digit(b[0])) return wrong_check(s);
  return ok(std::string(b));
}

constexpr std::array<Scheme, 11> kWorld{{
    {"GB", "GB", "UK VAT", "UK VAT number", gb},
    {"NO", "NO", "NO MVA", "Norwegian VAT number (organisasjonsnummer)", no},
    {"CH", "CHE", "CH UID/MWST", "Swiss UID", ch},
    {"AU", "", "AU ABN", "Australian Business Number", au},
    {"NZ", "", "NZ IRD", "New Zealand IRD number", nz},
    {"IN", "", "IN GSTIN", "Indian GSTIN", in},
    {"BR", "", "BR CNPJ", "Brazilian CNPJ", br},
    {"IS", "", "IS VSK", "Icelandic VAT number (VSK)", is},
    {"CA", "", "CA BN", "Canadian Business Number", ca},
    {"JP", "", "JP CN", "Japanese corporate number", jp},
    {"SG", "", "SG UEN", "Singapore UEN", nullptr},
}};

constexpr Scheme kXi{"GB", "XI", "UK VAT", "Northern Ireland VAT number", gb};

}  // namespace

const Scheme* world_scheme(std::string_view country) {
  for (const Scheme& s : kWorld)
    if (country == s.country && s.check) return &s;
  return nullptr;
}

const Scheme* xi_scheme() { return &kXi; }

}  // namespace landed::taxid_detail
