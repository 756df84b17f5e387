// EU VAT numbers: the national part after the member state's prefix, each with its national
// check-digit algorithm as the tax administrations publish it (summarised in the EU's VIES
// "VAT number validation" FAQ and the national specifications); plus the non-Union OSS
// identification (EU + 9 digits).
#include <array>
#include <string>

#include "taxid/taxid_detail.h"

namespace landed::taxid_detail {
namespace {

// Digits only, of one of the given lengths; else the matching length or pattern verdict.
bool shape_digits(std::string_view b, const Scheme& s, std::initializer_list<std::size_t> lengths,
                  std::string_view length_words, Verdict& out) {
  bool length_ok = false;
  for (std::size_t n : lengths) length_ok = length_ok || b.size() == n;
  if (!all_digits(b)) { out = wrong_pattern(s, std::string(length_words)); return false; }
  if (!length_ok) { out = wrong_length(b, s, length_words); return false; }
  return true;
}

Verdict at(std::string_view b, const Scheme& s) {
  if (b.size() != 9) return wrong_length(b, s, "U and 8 digits");
  if (b[0] != 'U' || !all_digits(b.substr(1))) return wrong_pattern(s, "U and 8 digits");
  int sum = 0;
  for (std::size_t i = 0; i < 7; ++i) {
    int p = digit(b[1 + i]) * (i % 2 == 0 ? 1 : 2);
    sum += p / 10 + p % 10;
  }
  if ((10 - (sum + 4) % 10) % 10 != digit(b[8])) return wrong_check(s);
  return ok(std::string(b));
}

Verdict be(std::string_view in, const Scheme& s) {
  std::string b(in);
  if (b.size() == 9 && all_digits(b)) b = "0" + b;  // the old 9-digit form
  if (!b.empty() && all_digits(b) && all_zero(b)) return wrong_pattern(s, "10 digits, not all zero");
  Verdict v;
  if (!shape_digits(b, s, {10}, "10 digits", v)) return v;
  if (b[0] != '0' && b[0] != '1') return wrong_component(s, "starts with " + b.substr(0, 1) + " (only 0 or 1)");
  if (97 - static_cast<int>(to_int(b.substr(0, 8)) % 97) != to_int(b.substr(8))) return wrong_check(s);
  return ok(b);
}

bool bg_egn(std::string_view b) {
  int year = static_cast<int>(to_int(b.substr(0, 2)));
  int month = static_cast<int>(to_int(b.substr(2, 2)));
  const int day = static_cast<int>(to_int(b.substr(4, 2)));
  if (month > 40) { year += 2000; month -= 40; }
  else if (month > 20) { year += 1800; month -= 20; }
  else year += 1900;
  if (!valid_date(year, month, day)) return false;
  return weighted_sum(b, {2, 4, 8, 5, 10, 9, 7, 3, 6}) % 11 % 10 == digit(b[9]);
}

Verdict bg(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {9, 10}, "9 or 10 digits", v)) return v;
  if (b.size() == 9) {
    int r = weighted_sum(b, {1, 2, 3, 4, 5, 6, 7, 8}) % 11;
    if (r == 10) r = weighted_sum(b, {3, 4, 5, 6, 7, 8, 9, 10}) % 11 % 10;
    if (r != digit(b[8])) return wrong_check(s);
    return ok(std::string(b));
  }
  // 10 digits: a person's EGN, a foreigner's number, or another registered person.
  const bool foreigner = weighted_sum(b, {21, 19, 17, 13, 11, 9, 7, 3, 1}) % 10 == digit(b[9]);
  const int other = 11 - weighted_sum(b, {4, 3, 2, 7, 6, 5, 4, 3, 2}) % 11;
  const bool others = other != 10 && other % 11 == digit(b[9]);
  if (!bg_egn(b) && !foreigner && !others) return wrong_check(s);
  return ok(std::string(b));
}

Verdict cy(std::string_view b, const Scheme& s) {
  if (b.size() != 9) return wrong_length(b, s, "9 characters (8 digits and a letter)");
  if (!all_digits(b.substr(0, 8)) || !is_upper(b[8])) return wrong_pattern(s, "8 digits and a letter");
  if (b.substr(0, 2) == "12") return wrong_component(s, "starts with 12");
  static constexpr std::array<int, 10> odd{1, 0, 5, 7, 9, 13, 15, 17, 19, 21};
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) sum += i % 2 == 0 ? odd[static_cast<std::size_t>(digit(b[i]))] : digit(b[i]);
  if ('A' + sum % 26 != b[8]) return wrong_check(s);
  return ok(std::string(b));
}

// Czech birth number (rodné číslo), the DIČ of a person.
Verdict cz_person(std::string_view b, const Scheme& s) {
  int year = 1900 + static_cast<int>(to_int(b.substr(0, 2)));
  int month = static_cast<int>(to_int(b.substr(2, 2)));
  const int day = static_cast<int>(to_int(b.substr(4, 2)));
  if (b.size() == 10 && year < 1954) year += 100;
  if (month > 70) month -= 70;        // women, from 2004
  else if (month > 50) month -= 50;   // women
  else if (month > 20) month -= 20;   // men, from 2004
  if (!valid_date(year, month, day)) return wrong_component(s, "has no valid birth date");
  if (b.size() == 9) {
    if (year >= 1954) return wrong_length(b, s, "10 digits for a person born from 1954");
    return ok(std::string(b));
  }
  if (static_cast<int>(to_int(b.substr(0, 9)) % 11 % 10) != digit(b[9])) return wrong_check(s);
  return ok(std::string(b));
}

Verdict cz(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {8, 9, 10}, "8, 9 or 10 digits", v)) return v;
  if (b.size() == 8) {
    if (b[0] == '9') return wrong_component(s, "starts with 9");
    const int r = weighted_sum(b, {8, 7, 6, 5, 4, 3, 2}) % 11;
    if ((11 - r) % 10 != digit(b[7])) return wrong_check(s);
    return ok(std::string(b));
  }
  if (b.size() == 9 && b[0] == '6') {  // individuals without a birth number
    const int r = weighted_sum(b.substr(1), {8, 7, 6, 5, 4, 3, 2}) % 11;
    if ((r + 8) % 10 != digit(b[8])) return wrong_check(s);
    return ok(std::string(b));
  }
  return cz_person(b, s);
}

Verdict de(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {9}, "9 digits", v)) return v;
  if (b[0] == '0') return wrong_pattern(s, "9 digits, the first not 0");
  if (!mod11_10_ok(b)) return wrong_check(s);
  return ok(std::string(b));
}

Verdict dk(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {8}, "8 digits", v)) return v;
  if (b[0] == '0') return wrong_pattern(s, "8 digits, the first not 0");
  if (weighted_sum(b, {2, 7, 6, 5, 4, 3, 2, 1}) % 11 != 0) return wrong_check(s);
  return ok(std::string(b));
}

Verdict ee(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {9}, "9 digits", v)) return v;
  if (weighted_sum(b, {3, 7, 1, 3, 7, 1, 3, 7, 1}) % 10 != 0) return wrong_check(s);
  return ok(std::string(b));
}

Verdict gr(std::string_view in, const Scheme& s) {
  std::string b(in);
  if (b.size() == 8 && all_digits(b)) b = "0" + b;
  Verdict v;
  if (!shape_digits(b, s, {9}, "9 digits", v)) return v;
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) sum += digit(b[i]) << (8 - i);
  if (sum % 11 % 10 != digit(b[8])) return wrong_check(s);
  return ok(b);
}

constexpr std::string_view kDniLetters = "TRWAGMYFPDXBNJZSQVHLCKE";

Verdict es(std::string_view b, const Scheme& s) {
  if (b.size() != 9) return wrong_length(b, s, "9 characters");
  const std::string_view form = "a letter or digit, 7 digits, and a letter or digit";
  if (!all_digits(b.substr(1, 7))) return wrong_pattern(s, form);
  const char first = b[0], last = b[8];
  if (is_digit(first) || first == 'X' || first == 'Y' || first == 'Z' || first == 'K' || first == 'L' || first == 'M') {
    // DNI (8 digits), NIE (X/Y/Z for 0/1/2) and K/L/M (7 digits): a letter from the number mod 23.
    if (!is_upper(last)) return wrong_pattern(s, form);
    std::int64_t n = to_int(b.substr(1, 7));
    if (is_digit(first)) n += digit(first) * 10000000LL;
    else if (first == 'Y') n += 10000000LL;
    else if (first == 'Z') n += 20000000LL;
    if (kDniLetters[static_cast<std::size_t>(n % 23)] != last) return wrong_check(s);
    return ok(std::string(b));
  }
  if (std::string_view("ABCDEFGHJNPQRSUVW").find(first) == std::string_view::npos) return wrong_pattern(s, form);
  // CIF: Luhn-like over the 7 digits; the check is a digit or a letter (J=0, A=1 ... I=9).
  int sum = 0;
  for (std::size_t i = 0; i < 7; ++i) {
    int d = digit(b[1 + i]);
    if (i % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  const int c = (10 - sum % 10) % 10;
  if (last != '0' + c && last != "JABCDEFGHI"[c]) return wrong_check(s);
  return ok(std::string(b));
}

Verdict fi(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {8}, "8 digits", v)) return v;
  if (weighted_sum(b, {7, 9, 10, 5, 8, 4, 2, 1}) % 11 != 0) return wrong_check(s);
  return ok(std::string(b));
}

Verdict fr(std::string_view b, const Scheme& s) {
  if (b.size() != 11) return wrong_length(b, s, "11 characters (2 check characters and the 9-digit SIREN)");
  constexpr std::string_view alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";  // no I, no O
  const std::string_view form = "2 check characters (digits or letters other than I and O) and the 9-digit SIREN";
  const std::size_t a = alphabet.find(b[0]), c = alphabet.find(b[1]);
  if (a == std::string_view::npos || c == std::string_view::npos || !all_digits(b.substr(2))) return wrong_pattern(s, form);
  const std::string_view siren = b.substr(2);
  if (a < 10 && c < 10) {
    if (siren.substr(0, 3) != "000" && !luhn_ok(siren)) return wrong_check(s);  // Monaco: 000...
    if (static_cast<int>(to_int(b.substr(0, 2))) != (12 + 3 * mod_of(siren, 97)) % 97) return wrong_check(s);
    return ok(std::string(b));
  }
  // New style: the two characters encode a number whose relation to the SIREN mod 11 is fixed.
  const int n = a < 10 ? static_cast<int>(a) * 24 + static_cast<int>(c) - 10
                       : static_cast<int>(a) * 34 + static_cast<int>(c) - 100;
  if ((mod_of(siren, 11) + 1 + n / 11) % 11 != n % 11) return wrong_check(s);
  return ok(std::string(b));
}

Verdict hr(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {11}, "11 digits", v)) return v;
  if (!mod11_10_ok(b)) return wrong_check(s);
  return ok(std::string(b));
}

Verdict hu(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {8}, "8 digits", v)) return v;
  if (weighted_sum(b, {9, 7, 3, 1, 9, 7, 3, 1}) % 10 != 0) return wrong_check(s);
  return ok(std::string(b));
}

Verdict ie(std::string_view in, const Scheme& s) {
  if (in.size() != 8 && in.size() != 9) return wrong_length(in, s, "8 or 9 characters");
  const std::string_view form = "7 digits and 1 or 2 letters, or the old form digit, letter, 5 digits, letter";
  std::string b(in);
  // Old form (before 2013): digit, letter (or + *), 5 digits, letter; the same check as the new
  // form once rewritten as 0, the 5 digits, the first digit, the letter.
  if (b.size() == 8 && is_digit(b[0]) && (is_upper(b[1]) || b[1] == '+' || b[1] == '*') && all_digits(b.substr(2, 5)) &&
      is_upper(b[7]))
    b = "0" + b.substr(2, 5) + b.substr(0, 1) + b.substr(7);
  if (!all_digits(b.substr(0, 7)) || !is_upper(b[7]) || (b.size() == 9 && !is_upper(b[8]))) return wrong_pattern(s, form);
  if (b[7] > 'W' || (b.size() == 9 && b[8] != 'W' && b[8] > 'I')) return wrong_pattern(s, form);
  int sum = weighted_sum(b, {8, 7, 6, 5, 4, 3, 2});
  if (b.size() == 9 && b[8] != 'W') sum += (b[8] - 'A' + 1) * 9;
  if ("WABCDEFGHIJKLMNOPQRSTUV"[sum % 23] != b[7]) return wrong_check(s);
  return ok(std::string(in));
}

Verdict it(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {11}, "11 digits", v)) return v;
  if (all_zero(b.substr(0, 7))) return wrong_component(s, "has a zero company number");
  const auto office = to_int(b.substr(7, 3));
  if (!((office >= 1 && office <= 100) || office == 120 || office == 121 || office == 888 || office == 999))
    return wrong_component(s, "has no valid tax office code (digits 8 to 10)");
  if (!luhn_ok(b)) return wrong_check(s);
  return ok(std::string(b));
}

Verdict lt(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {9, 12}, "9 or 12 digits", v)) return v;
  if (b[b.size() - 2] != '1') return wrong_component(s, "has no 1 as its next-to-last digit");
  const std::size_t n = b.size() - 1;
  int sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += digit(b[i]) * static_cast<int>(1 + i % 9);
  int r = sum % 11;
  if (r == 10) {
    sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += digit(b[i]) * static_cast<int>(1 + (i + 2) % 9);
    r = sum % 11 % 10;
  }
  if (r != digit(b[n])) return wrong_check(s);
  return ok(std::string(b));
}

Verdict lu(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {8}, "8 digits", v)) return v;
  if (to_int(b.substr(0, 6)) % 89 != to_int(b.substr(6))) return wrong_check(s);
  return ok(std::string(b));
}

Verdict lv(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {11}, "11 digits", v)) return v;
  if (b[0] > '3') {  // a legal person
    if (weighted_sum(b, {9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1}) % 11 != 3) return wrong_check(s);
    return ok(std::string(b));
  }
  // A natural person's code: ddmmyy + century digit (old form) or 32... (new form, no date).
  if (b.substr(0, 2) != "32") {
    const int year = 2000;  // the century digit is not checked; a leap year admits 29 February
    if (!valid_date(year, static_cast<int>(to_int(b.substr(2, 2))), static_cast<int>(to_int(b.substr(0, 2)))))
      return wrong_component(s, "has no valid birth date");
  }
  const int r = (1101 - weighted_sum(b, {1, 6, 3, 7, 9, 10, 5, 8, 4, 2})) % 11;
  if (r != digit(b[10])) return wrong_check(s);
  return ok(std::string(b));
}

Verdict mt(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {8}, "8 digits", v)) return v;
  if (b[0] == '0') return wrong_pattern(s, "8 digits, the first not 0");
  if (weighted_sum(b, {3, 4, 6, 7, 8, 9, 10, 1}) % 37 != 0) return wrong_check(s);
  return ok(std::string(b));
}

Verdict nl(std::string_view in, const Scheme& s) {
  std::string b(in);
  // Leading zeros of the 9-digit part are often left out: "NL4495445B01".
  if (b.size() >= 4 && b.size() < 12 && b[b.size() - 3] == 'B') b = std::string(12 - b.size(), '0') + b;
  if (b.size() != 12) return wrong_length(in, s, "12 characters (9 digits, B, 2 digits)");
  const std::string_view form = "9 digits, B and 2 digits, not B00";
  if (!all_digits(b.substr(0, 9)) || b[9] != 'B' || !all_digits(b.substr(10)) || b.substr(10) == "00")
    return wrong_pattern(s, form);
  // Companies: mod 11 over the 9 digits. Sole traders (since 2020): ISO 7064 MOD 97-10 over
  // "NL" + the number, letters as 10..35.
  const int r = weighted_sum(b, {9, 8, 7, 6, 5, 4, 3, 2}) % 11;
  bool valid = r != 10 && r == digit(b[8]);
  if (!valid) {
    int m = 0;
    for (char c : std::string("NL") + b) {
      if (is_digit(c)) m = (m * 10 + digit(c)) % 97;
      else m = (m * 100 + (c - 'A' + 10)) % 97;
    }
    valid = m == 1;
  }
  if (!valid) return wrong_check(s);
  return ok(b);
}

Verdict pl(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {10}, "10 digits", v)) return v;
  if (weighted_sum(b, {6, 5, 7, 2, 3, 4, 5, 6, 7}) % 11 != digit(b[9])) return wrong_check(s);
  return ok(std::string(b));
}

Verdict pt(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {9}, "9 digits", v)) return v;
  if (b[0] == '0') return wrong_pattern(s, "9 digits, the first not 0");
  int c = 11 - weighted_sum(b, {9, 8, 7, 6, 5, 4, 3, 2}) % 11;
  if (c >= 10) c = 0;
  if (c != digit(b[8])) return wrong_check(s);
  return ok(std::string(b));
}

Verdict ro(std::string_view b, const Scheme& s) {
  if (b.size() < 2 || (b.size() > 10 && b.size() != 13))
    return wrong_length(b, s, "2 to 10 digits (CUI), or 13 (a person's CNP)");
  if (!all_digits(b)) return wrong_pattern(s, "2 to 10 digits, or 13");
  if (b[0] == '0') return wrong_pattern(s, "digits, the first not 0");
  if (b.size() == 13) {  // CNP: sex/century digit, yymmdd, county, serial, check
    const int sc = digit(b[0]);
    const int century = (sc == 1 || sc == 2) ? 1900 : (sc == 3 || sc == 4) ? 1800 : (sc == 5 || sc == 6) ? 2000 : 1900;
    if (!valid_date(century + static_cast<int>(to_int(b.substr(1, 2))), static_cast<int>(to_int(b.substr(3, 2))),
                    static_cast<int>(to_int(b.substr(5, 2)))))
      return wrong_component(s, "has no valid birth date");
    int c = weighted_sum(b, {2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9}) % 11;
    if (c == 10) c = 1;
    if (c != digit(b[12])) return wrong_check(s);
    return ok(std::string(b));
  }
  const std::string padded = std::string(10 - b.size(), '0') + std::string(b);
  const int c = weighted_sum(padded, {7, 5, 3, 2, 1, 7, 5, 3, 2}) * 10 % 11 % 10;
  if (c != digit(padded[9])) return wrong_check(s);
  return ok(std::string(b));
}

Verdict se(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {12}, "12 digits (organisation number and 01)", v)) return v;
  if (b.substr(10) != "01") return wrong_pattern(s, "the 10-digit organisation number and 01");
  if (!luhn_ok(b.substr(0, 10))) return wrong_check(s);
  return ok(std::string(b));
}

Verdict si(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {8}, "8 digits", v)) return v;
  if (b[0] == '0') return wrong_pattern(s, "8 digits, the first not 0");
  int c = 11 - weighted_sum(b, {8, 7, 6, 5, 4, 3, 2}) % 11;
  if (c == 10) c = 0;
  if (c != digit(b[7])) return wrong_check(s);
  return ok(std::string(b));
}

Verdict sk(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {10}, "10 digits", v)) return v;
  if (b[0] == '0' || std::string_view("234789").find(b[2]) == std::string_view::npos)
    return wrong_pattern(s, "10 digits, the first not 0, the third 2, 3, 4, 7, 8 or 9");
  if (mod_of(b, 11) != 0) return wrong_check(s);
  return ok(std::string(b));
}

// The member states' ISO 3166 numeric codes, which open an OSS number.
struct OssCode { const char* numeric; const char* country; };
constexpr std::array<OssCode, 27> kOss{{{"040", "AT"}, {"056", "BE"}, {"100", "BG"}, {"191", "HR"}, {"196", "CY"},
                                        {"203", "CZ"}, {"208", "DK"}, {"233", "EE"}, {"246", "FI"}, {"250", "FR"},
                                        {"276", "DE"}, {"300", "GR"}, {"348", "HU"}, {"372", "IE"}, {"380", "IT"},
                                        {"428", "LV"}, {"440", "LT"}, {"442", "LU"}, {"470", "MT"}, {"528", "NL"},
                                        {"616", "PL"}, {"620", "PT"}, {"642", "RO"}, {"703", "SK"}, {"705", "SI"},
                                        {"724", "ES"}, {"752", "SE"}}};

Verdict oss(std::string_view b, const Scheme& s) {
  Verdict v;
  if (!shape_digits(b, s, {9}, "9 digits", v)) return v;
  for (const OssCode& c : kOss)
    if (b.substr(0, 3) == c.numeric) return ok(std::string(b));
  return wrong_component(s, "does not start with a member state's numeric code");
}

constexpr std::array<Scheme, 27> kEu{{
    {"AT", "AT", "EU VAT", "Austrian VAT number", at},   {"BE", "BE", "EU VAT", "Belgian VAT number", be},
    {"BG", "BG", "EU VAT", "Bulgarian VAT number", bg},  {"CY", "CY", "EU VAT", "Cypriot VAT number", cy},
    {"CZ", "CZ", "EU VAT", "Czech VAT number", cz},      {"DE", "DE", "EU VAT", "German VAT number", de},
    {"DK", "DK", "EU VAT", "Danish VAT number", dk},     {"EE", "EE", "EU VAT", "Estonian VAT number", ee},
    {"GR", "EL", "EU VAT", "Greek VAT number", gr},      {"ES", "ES", "EU VAT", "Spanish VAT number", es},
    {"FI", "FI", "EU VAT", "Finnish VAT number", fi},    {"FR", "FR", "EU VAT", "French VAT number", fr},
    {"HR", "HR", "EU VAT", "Croatian VAT number", hr},   {"HU", "HU", "EU VAT", "Hungarian VAT number", hu},
    {"IE", "IE", "EU VAT", "Irish VAT number", ie},      {"IT", "IT", "EU VAT", "Italian VAT number", it},
    {"LT", "LT", "EU VAT", "Lithuanian VAT number", lt}, {"LU", "LU", "EU VAT", "Luxembourg VAT number", lu},
    {"LV", "LV", "EU VAT", "Latvian VAT number", lv},    {"MT", "MT", "EU VAT", "Maltese VAT number", mt},
    {"NL", "NL", "EU VAT", "Dutch VAT number", nl},      {"PL", "PL", "EU VAT", "Polish VAT number", pl},
    {"PT", "PT", "EU VAT", "Portuguese VAT number", pt}, {"RO", "RO", "EU VAT", "Romanian VAT number", ro},
    {"SE", "SE", "EU VAT", "Swedish VAT number", se},    {"SI", "SI", "EU VAT", "Slovenian VAT number", si},
    {"SK", "SK", "EU VAT", "Slovak VAT number", sk},
}};

constexpr Scheme kOssScheme{"", "EU", "EU OSS", "EU OSS identification number", oss};

}  // namespace

const Scheme* eu_scheme(std::string_view country) {
  for (const Scheme& s : kEu)
    if (country == s.country) return &s;
  return nullptr;
}

const Scheme* eu_oss_scheme() { return &kOssScheme; }

// The member state that identified an OSS number ("" when the code is unknown).
std::string_view oss_country(std::string_view digits) {
  for (const OssCode& c : kOss)
    if (digits.substr(0, 3) == c.numeric) return c.country;
  return {};
}

}  // namespace landed::taxid_detail
