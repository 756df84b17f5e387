#include "duty/tariff.h"

#include <algorithm>

namespace landed {
namespace {

// Fraction digits kept where a specific duty divides (per dozen): far below any minor unit, so
// rounding the charge to its currency later gives what exact arithmetic would.
constexpr int dozen_fraction_digits = 12;

bool lower_hs(const TariffLine& l, std::string_view hs) { return l.hs < hs; }

std::string measure_words(const DutyMeasure& m) {
  std::string s = to_string(m.kind);
  if (m.rate) s += " " + m.rate->to_string();
  if (m.specific) s += " " + m.specific->amount.to_string() + "/" + to_string(m.specific->per);
  if (m.minimum) s += " min " + m.minimum->amount.to_string() + "/" + to_string(m.minimum->per);
  if (m.maximum) s += " max " + m.maximum->amount.to_string() + "/" + to_string(m.maximum->per);
  return s;
}

// The line with exactly `hs` in force on `date`, or nullptr.
const TariffLine* exact_line(const std::vector<TariffLine>& lines, std::string_view hs, const Date& date) {
  for (auto it = std::lower_bound(lines.begin(), lines.end(), hs, lower_hs); it != lines.end() && it->hs == hs; ++it)
    if (it->provenance.in_force(date)) return &*it;
  return nullptr;
}

Result<Decimal> units(DutyUnit per, const DutyBase& b, const std::string& pointer) {
  switch (per) {
    case DutyUnit::item:
    case DutyUnit::pair: return b.quantity;
    case DutyUnit::dozen: return b.quantity;  // divided by 12 once, at the end (measure_amount)
    case DutyUnit::kg:
    case DutyUnit::hundred_kg:
      if (!b.weight_kg)
        return Error{ErrorCode::missing_field, "is required: the duty on this line is charged by weight", pointer + "/weight"};
      if (per == DutyUnit::kg) return *b.weight_kg;
      return Decimal(b.weight_kg->mantissa(), b.weight_kg->scale() + 2);  // per 100 kg: exact shift
    case DutyUnit::litre:
      return Error{ErrorCode::unsupported, "is charged by volume (per litre), which a request cannot give yet", pointer + "/hs_code"};
  }
  return Error{ErrorCode::unsupported, "unknown duty unit", pointer};
}

Result<Decimal> per_amount(const DutyPer& p, const DutyBase& b, const std::string& pointer) {
  // Nothing per unit is nothing whatever the quantity: a free line (Swiss industrial goods, CHF 0
  // per 100 kg) needs no weight.
  if (p.amount.is_zero()) return Decimal();
  auto u = units(p.per, b, pointer);
  if (!u.ok()) return u;
  if (!b.currency_factor)
    return Error{ErrorCode::unsupported,
                 "is charged a specific duty in the customs territory's currency, which Landed has no rate to convert", pointer + "/hs_code"};
  Decimal v = p.amount * *u * *b.currency_factor;
  if (p.per == DutyUnit::dozen) v = Decimal::divide(v, Decimal::from_int(12), dozen_fraction_digits, Rounding::HalfEven);
  return v;
}

}  // namespace

Result<const TariffLine*> match_tariff_line(const std::vector<TariffLine>& lines, std::string_view hs_code, const Date& date,
                                            const std::string& pointer) {
  // The line the code itself falls under: the longest prefix in force. A longer prefix whose
  // lines are all out of force (a code retired by a nomenclature change, or not yet in force) is
  // refused, never passed down to its heading's rate.
  const TariffLine* prefix = nullptr;
  for (std::size_t n = std::min<std::size_t>(hs_code.size(), 10); n >= 2 && !prefix; --n) {
    const std::string_view p = hs_code.substr(0, n);
    prefix = exact_line(lines, p, date);
    const auto any = std::lower_bound(lines.begin(), lines.end(), p, lower_hs);
    if (!prefix && any != lines.end() && any->hs == p)
      return Error{ErrorCode::invalid_field,
                   "matches tariff line " + any->hs + ", which is not in force on " + date.to_string() + " (" +
                       (any->provenance.effective_to && *any->provenance.effective_to <= date
                            ? "ended " + any->provenance.effective_to->to_string()
                            : "from " + any->provenance.effective_from.to_string()) +
                       "): send the code in the nomenclature in force",
                   pointer};
  }
  // Lines more precise than the code: the code is a prefix of them.
  std::vector<const TariffLine*> under;
  for (auto it = std::lower_bound(lines.begin(), lines.end(), hs_code, lower_hs);
       it != lines.end() && it->hs.compare(0, hs_code.size(), hs_code) == 0; ++it)
    if (it->hs.size() > hs_code.size() && it->provenance.in_force(date)) under.push_back(&*it);
  if (under.empty()) return prefix;
  const DutyMeasure& first = under.front()->measure;
  const bool same = std::all_of(under.begin(), under.end(), [&](const TariffLine* l) { return l->measure == first; }) &&
                    (!prefix || prefix->measure == first);
  if (same) return under.front();
  std::string lines_text;
  std::size_t shown = 0;
  if (prefix) lines_text = prefix->hs + " (" + measure_words(prefix->measure) + ")", ++shown;
  for (const TariffLine* l : under) {
    if (shown == 4) { lines_text += ", ..."; break; }
    lines_text += (lines_text.empty() ? "" : ", ") + l->hs + " (" + measure_words(l->measure) + ")";
    ++shown;
  }
  return Error{ErrorCode::invalid_field,
               "is not precise enough for this tariff: its lines " + lines_text + " differ; send the full code", pointer};
}

Result<Decimal> measure_amount(const DutyMeasure& m, const DutyBase& b, const std::string& pointer) {
  Decimal duty;
  if (m.rate) duty = *m.rate * b.value;
  if (m.specific) {
    auto s = per_amount(*m.specific, b, pointer);
    if (!s.ok()) return s;
    duty += *s;
  }
  if (m.minimum) {
    auto lo = per_amount(*m.minimum, b, pointer);
    if (!lo.ok()) return lo;
    if (duty < *lo) duty = *lo;
  }
  if (m.maximum) {
    auto hi = per_amount(*m.maximum, b, pointer);
    if (!hi.ok()) return hi;
    if (duty > *hi) duty = *hi;
  }
  return duty;
}

Result<std::vector<DutyCharge>> assess_line(const DutyTerritory& t, const DutyLineInput& in) {
  const std::string hs_at = in.pointer + "/hs_code";
  if (in.hs_code.empty())
    return Error{ErrorCode::missing_field, "is required: " + t.provenance.id + " charges duty by tariff line", hs_at};
  auto matched = match_tariff_line(t.tariff, in.hs_code, in.date, hs_at);
  if (!matched.ok()) return matched.errors();
  const TariffLine* mfn = *matched;
  if (!mfn && t.fallback && t.fallback->provenance.in_force(in.date)) mfn = &*t.fallback;
  if (!mfn)
    return Error{ErrorCode::not_found,
                 "is not in Landed's " + t.provenance.id + " tariff (" + t.nomenclature +
                     "), which has no documented default rate: check the code, or ask for the line to be added",
                 hs_at};
  auto mfn_amount = measure_amount(mfn->measure, in.base, in.pointer);
  if (!mfn_amount.ok()) return mfn_amount.errors();

  std::vector<DutyCharge> out;
  DutyCharge main{mfn->provenance.id, "tariff", mfn->hs, &mfn->measure, "", mfn->provenance.source, *mfn_amount, *mfn_amount};
  // A preference the origin qualifies for, when it charges less: an importer claims one only then.
  if (!in.origin.empty()) {
    for (const DutyAgreement& a : t.agreements) {
      if (!a.provenance.in_force(in.date) || !a.partner(in.origin)) continue;
      auto line = match_tariff_line(a.lines, in.hs_code, in.date, hs_at);
      const TariffLine* pl = line.ok() ? *line : nullptr;
      if (!pl) pl = exact_line(a.lines, "*", in.date);
      if (!pl) continue;
      auto amount = measure_amount(pl->measure, in.base, in.pointer);
      if (!amount.ok() || !(*amount < main.amount)) continue;
      main = DutyCharge{pl->provenance.id, "preference", pl->hs == "*" ? mfn->hs : pl->hs, &pl->measure, a.provenance.id,
                        pl->provenance.source, *amount, *mfn_amount};
    }
  }
  out.push_back(std::move(main));
  // Additional duties depend on the origin and sometimes on digits the code may not have: an
  // unknown origin or a code too short to tell is refused, never taken as "none apply".
  for (const AdditionalDuty& d : t.additional) {
    if (!d.provenance.in_force(in.date) || !d.may_cover(in.hs_code)) continue;
    if (in.origin.empty())
      return Error{ErrorCode::missing_field,
                   "is required: " + t.provenance.id + " charges additional duties by origin on this code (" + d.provenance.id + ")",
                   in.pointer + "/origin_country"};
    const bool origin_named = std::binary_search(d.origins.begin(), d.origins.end(), in.origin);
    if (origin_named && !d.decided_by(in.hs_code))
      return Error{ErrorCode::invalid_field,
                   "is not precise enough to tell whether " + d.provenance.id + " applies (it names longer codes): send the full code",
                   hs_at};
  }
  if (!in.origin.empty()) {
    for (const AdditionalDuty& d : t.additional) {
      if (!d.provenance.in_force(in.date) || !d.covers(in.hs_code, in.origin)) continue;
      auto amount = measure_amount(d.measure, in.base, in.pointer);
      if (!amount.ok()) return amount.errors();
      out.push_back(DutyCharge{d.provenance.id, "additional", mfn->hs, &d.measure, "", d.provenance.source, *amount, *amount});
    }
  }
  return out;
}

}  // namespace landed
