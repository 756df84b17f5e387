#include "duty/duty.h"

#include <map>

#include "core/check.h"

namespace landed {
namespace {

constexpr std::size_t category_digits = 6;  // a flat-rate category is a distinct HS subheading

Money zero_like(const Money& m) { return Money::zero(m.currency()); }

std::vector<Decimal> weights_of(const std::vector<Money>& values) {
  std::vector<Decimal> w;
  w.reserve(values.size());
  for (const Money& v : values) w.push_back(v.amount().is_negative() ? Decimal() : v.amount());
  return w;
}

}  // namespace

Result<DutyResult> compute_duties(const DutyInput& in) {
  LANDED_CHECK(!in.lines.empty(), "the duty stage prices at least one line");
  const Currency cur = in.lines.front().value.currency();
  const std::size_t n = in.lines.size();
  DutyResult out;
  out.line_duty.assign(n, Money::zero(cur));
  out.line_freight.assign(n, Money::zero(cur));
  out.customs_value = out.duty_total = Money::zero(cur);
  out.currency_factor = Decimal::from_int(1);
  for (const DutyItem& l : in.lines) out.line_customs_value.push_back(l.value);
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  Money goods = Money::zero(cur);
  for (const DutyItem& l : in.lines) goods += l.value;
  if (!in.territory) {
    // A sale that crosses no border needs no duty rules to know it pays no duty.
    if (!in.ship_to.empty() && in.ship_from == in.ship_to) {
      out.computed = true;
      out.customs_value = goods;
      out.waived.push_back({"same_customs_territory", "", "", in.ship_to, all, std::nullopt});
    }
    return out;
  }
  const DutyTerritory& t = *in.territory;
  out.computed = true;
  out.territory = &t;

  // Inside one customs territory goods circulate freely: no border, no duty.
  if (t.member(in.ship_from)) {
    out.customs_value = goods;
    out.waived.push_back({"same_customs_territory", t.provenance.id, t.provenance.source, t.name, all, std::nullopt});
    return out;
  }

  // CIF: the freight and insurance to the border are part of the customs value, spread over the
  // lines by their value; FOB: the goods alone.
  if (t.valuation == "CIF") {
    const Money freight = in.shipping + (in.insurance.currency() == cur ? in.insurance : zero_like(in.shipping));
    std::vector<Money> values;
    for (const DutyItem& l : in.lines) values.push_back(l.value);
    if (!freight.is_zero()) out.line_freight = allocate(freight, weights_of(values));
  }
  for (std::size_t i = 0; i < n; ++i) {
    out.line_customs_value[i] = in.lines[i].value + out.line_freight[i];
    out.customs_value += out.line_customs_value[i];
  }

  // Specific amounts are in the territory's currency; ad valorem duties need no conversion, so a
  // currency without a rate (AED) is refused only where a specific amount needs it.
  Errors factor_errors;
  if (t.currency != cur) {
    auto f = in.convert(*Money::exact(Decimal::from_int(1), t.currency), cur, t.customs_rate);
    if (f.ok()) {
      out.currency_factor = *f;
    } else {
      out.currency_factor.reset();
      factor_errors = f.errors();
    }
  }

  // The tariff's duties on the lines named; every line's problems reported together.
  const auto tariff = [&](const std::vector<std::size_t>& which) -> Result<std::vector<DutyEntry>> {
    std::vector<DutyEntry> entries;
    Errors errors;
    for (const std::size_t i : which) {
      const DutyItem& l = in.lines[i];
      DutyLineInput li;
      li.hs_code = l.hs_code;
      li.origin = l.origin;
      li.base = DutyBase{out.line_customs_value[i].amount(), Decimal::from_int(l.quantity), l.weight_kg, out.currency_factor};
      li.date = in.date;
      li.pointer = l.pointer;
      auto charges = assess_line(t, li);
      if (!charges.ok()) {
        errors.insert(errors.end(), charges.errors().begin(), charges.errors().end());
        continue;
      }
      for (const DutyCharge& c : *charges) {
        DutyEntry e;
        e.kind = c.kind;
        e.rule = c.rule;
        e.source = c.source;
        e.hs = c.hs;
        e.preference = c.preference;
        e.measure = c.measure;
        e.lines = {i};
        e.base = out.line_customs_value[i];
        e.amount = Money::of(c.amount, cur, duty_rounding);
        e.parts = {e.amount};
        if (c.kind == "preference") e.mfn_amount = Money::of(c.mfn_amount, cur, duty_rounding);
        entries.push_back(std::move(e));
      }
    }
    if (!errors.empty()) return errors;
    return entries;
  };
  std::optional<std::vector<DutyEntry>> by_tariff;  // on every line, computed once when needed
  const auto full_tariff = [&]() -> Result<std::vector<DutyEntry>> {
    if (!by_tariff) {
      auto e = tariff(all);
      if (!e.ok()) return e.errors();
      by_tariff = std::move(*e);
    }
    return *by_tariff;
  };

  const DutyRelief* applied = nullptr;
  for (const DutyRelief& r : t.reliefs) {
    if (!r.provenance.in_force(in.date) || (r.consumers_only && in.business)) continue;
    if (!r.scheme.empty() && !(in.registered && in.registered(r.scheme))) continue;
    const ReliefThreshold* th = r.threshold_for(in.ship_from);
    if (!th) continue;
    Money tested = goods;
    if (r.value == ReliefValue::goods_and_shipping) tested += in.shipping;
    if (r.value == ReliefValue::customs_value) tested = out.customs_value;
    if (r.value == ReliefValue::duty) {
      auto e = full_tariff();
      if (!e.ok()) return e.errors();
      tested = Money::zero(cur);
      for (const DutyEntry& x : *e) tested += x.amount;
    }
    const Currency tc = th->amount.currency();
    // A valuation factor (JP: 60 % of the retail price) applies to the goods; freight stays whole.
    Decimal v = tested.amount();
    if (r.value_factor && r.value != ReliefValue::duty) v = goods.amount() * *r.value_factor + (tested.amount() - goods.amount());
    if (tc != cur) {
      auto c = in.convert(Money::of(v, cur, Rounding::HalfUp), tc, r.rate_source);
      if (!c.ok()) return c.errors();
      v = *c;
    }
    const bool within = r.within(v, th->amount.amount());
    // Shown so that a value over the threshold never reads as equal to it.
    DutyReliefTest test{&r, th->amount, Money::of(v, tc, r.at_or_below ? Rounding::Up : Rounding::Down), within};
    if (!within) {
      out.reliefs_tested.push_back(test);
      continue;
    }
    applied = &r;
    // The lines it covers, and the ones it excludes by HS code (which need their code to tell).
    Errors errors;
    std::vector<std::size_t> relieved, excluded;
    for (std::size_t i = 0; i < n; ++i) {
      const DutyItem& l = in.lines[i];
      const bool needs_code = r.treatment == ReliefTreatment::flat_per_category || !r.hs_excluded.empty();
      if (needs_code && l.hs_code.size() < category_digits) {
        const std::string why = r.treatment == ReliefTreatment::flat_per_category ? " charges a flat duty per HS 6 subheading"
                                                                                  : " does not cover some goods, named by HS code";
        errors.push_back({l.hs_code.empty() ? ErrorCode::missing_field : ErrorCode::invalid_field,
                          (l.hs_code.empty() ? std::string("is required: ") : std::string("needs at least 6 digits: ")) +
                              r.provenance.id + why,
                          l.pointer + "/hs_code"});
        continue;
      }
      // An exclusion longer than the code cannot be decided by it: refused, never relieved.
      if (!r.decided_by(l.hs_code)) {
        errors.push_back({ErrorCode::invalid_field,
                          "is not precise enough to tell whether " + r.provenance.id + " covers it (it excludes longer codes): send the full code",
                          l.pointer + "/hs_code"});
        continue;
      }
      (r.excludes(l.hs_code) ? excluded : relieved).push_back(i);
    }
    if (!errors.empty()) return errors;
    if (r.treatment == ReliefTreatment::flat_per_category && !out.currency_factor) return factor_errors;
    if (r.treatment == ReliefTreatment::no_duty) {
      if (!relieved.empty()) out.waived.push_back({"below_threshold", r.provenance.id, r.provenance.source, r.name, relieved, test});
    } else {
      // A flat amount per category (distinct HS 6 subheading) replaces the tariff.
      std::map<std::string, std::vector<std::size_t>> categories;
      for (const std::size_t i : relieved) categories[in.lines[i].hs_code.substr(0, category_digits)].push_back(i);
      const Money per_category = Money::of(*r.flat_amount * *out.currency_factor, cur, duty_rounding);
      for (auto& [hs6, lines] : categories) {
        DutyEntry e;
        e.kind = "flat_per_category";
        e.rule = r.provenance.id;
        e.source = r.provenance.source;
        e.hs = hs6;
        e.flat_amount = r.flat_amount;
        e.lines = lines;
        e.base = Money::zero(cur);
        std::vector<Money> values;
        for (std::size_t i : lines) {
          e.base += out.line_customs_value[i];
          values.push_back(out.line_customs_value[i]);
        }
        e.amount = per_category;
        e.parts = allocate(per_category, weights_of(values));
        out.entries.push_back(std::move(e));
      }
      out.flat = test;
    }
    auto rest = tariff(excluded);
    if (!rest.ok()) return rest.errors();
    out.entries.insert(out.entries.end(), rest->begin(), rest->end());
    break;
  }

  if (!applied) {
    auto e = full_tariff();
    if (!e.ok()) return e.errors();
    out.entries = std::move(*e);
  }
  for (const DutyEntry& e : out.entries) {
    for (std::size_t k = 0; k < e.lines.size(); ++k) out.line_duty[e.lines[k]] += e.parts[k];
    out.duty_total += e.amount;
  }
  return out;
}

}  // namespace landed
