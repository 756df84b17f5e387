#include "fx/rate_table.h"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <sstream>

#include "core/limits.h"
#include "core/sha256.h"

namespace landed {

bool RateTable::has(std::string_view code) const { return per_eur_.find(code) != per_eur_.end(); }

Result<RateTable> RateTable::parse_ecb_xml(std::string_view xml, std::string source) {
  if (xml.size() > limits::rates_file_bytes_max)
    return Error{ErrorCode::out_of_range, "rates file is larger than rates_file_bytes_max", ""};
  namespace pt = boost::property_tree;
  pt::ptree tree;
  try {
    std::istringstream in{std::string(xml)};
    pt::read_xml(in, tree);
  } catch (const pt::xml_parser_error& e) {
    return Error{ErrorCode::invalid_field,
                 "not well-formed XML at line " + std::to_string(e.line()) + ": " + e.message(), ""};
  }
  const auto envelope = tree.get_child_optional("gesmes:Envelope");
  if (!envelope) return Error{ErrorCode::invalid_field, "no gesmes:Envelope element (not ECB eurofxref XML)", ""};
  const auto outer = envelope->get_child_optional("Cube");
  if (!outer) return Error{ErrorCode::invalid_field, "no Cube element", ""};
  RateTable t;
  t.source_ = std::move(source);
  t.version_ = "sha256:" + Sha256::hex(xml);
  Errors errors;
  bool found_day = false;
  for (const auto& [name, day] : *outer) {
    if (name != "Cube") continue;
    const auto time = day.get_optional<std::string>("<xmlattr>.time");
    if (!time) continue;
    const auto date = Date::parse(*time);
    if (!date) return Error{ErrorCode::invalid_field, "Cube time is not a date: " + *time, ""};
    t.as_of_ = *date;
    found_day = true;
    for (const auto& [cname, cube] : day) {
      if (cname != "Cube") continue;
      const auto code = cube.get_optional<std::string>("<xmlattr>.currency");
      const auto rate = cube.get_optional<std::string>("<xmlattr>.rate");
      if (!code || !rate) {
        errors.push_back({ErrorCode::invalid_field, "Cube without currency or rate", ""});
        continue;
      }
      const auto currency = Currency::of(*code);
      const auto value = Decimal::parse(*rate);
      if (!currency.ok()) {
        errors.push_back({ErrorCode::invalid_field, "currency " + *code + " " + currency.error().message, ""});
      } else if (!value.ok() || value->sign() <= 0 || value->scale() > limits::rate_fraction_digits_max ||
                 value->integer_digits() > limits::amount_integer_digits_max) {
        errors.push_back({ErrorCode::invalid_field, "rate for " + *code + " is not a positive decimal with at most 8 fraction digits: " + *rate, ""});
      } else {
        t.per_eur_.insert_or_assign(*code, *value);
      }
    }
    break;  // the first (newest) day only
  }
  if (!found_day) return Error{ErrorCode::invalid_field, "no dated Cube (Cube time='YYYY-MM-DD')", ""};
  if (!errors.empty()) return errors;
  t.per_eur_.insert_or_assign("EUR", Decimal::from_int(1));
  return t;
}

RateTable RateTable::from_rates(Date as_of, std::string source, std::string version,
                                std::map<std::string, Decimal, std::less<>> per_eur) {
  RateTable t;
  t.as_of_ = as_of;
  t.source_ = std::move(source);
  t.version_ = std::move(version);
  t.per_eur_ = std::move(per_eur);
  t.per_eur_.insert_or_assign("EUR", Decimal::from_int(1));
  return t;
}

Result<AppliedRate> RateTable::rate(Currency from, Currency to, const Decimal& markup) const {
  if (from == to) return AppliedRate{from, to, Decimal::from_int(1), Decimal(), Decimal::from_int(1)};
  const auto f = per_eur_.find(from.code());
  if (f == per_eur_.end())
    return Error{ErrorCode::not_found, "no " + source_ + " rate for " + std::string(from.code()), ""};
  const auto t = per_eur_.find(to.code());
  if (t == per_eur_.end())
    return Error{ErrorCode::not_found, "no " + source_ + " rate for " + std::string(to.code()), ""};
  // Enough fraction digits that fx_rate_digits significant digits survive for any pair.
  constexpr int work_digits = 20;  // × markup (<= 8 digits) stays within decimal_scale_max
  // The mid is rounded once, to what the quote shows; the applied rate is that shown mid times
  // (1 + markup), exactly, so anyone can recompute it (and every price) from the quote alone.
  const Decimal mid = Decimal::divide(t->second, f->second, work_digits, Rounding::HalfEven)
                          .round_significant(limits::fx_rate_digits, Rounding::HalfEven)
                          .normalized();
  return AppliedRate{from, to, mid, markup, (mid * (Decimal::from_int(1) + markup)).normalized()};
}

}  // namespace landed
