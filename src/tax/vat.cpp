#include "tax/vat.h"

#include "core/check.h"

namespace landed {
namespace {

// A base taxed under one rate: a line's goods, or a line's share of shipping.
struct Piece {
  std::size_t line;
  bool shipping;
  std::size_t charge;
  Money base;
  Money tax;
};

}  // namespace

Result<VatResult> compute_vat(const VatSchedule& schedule, const std::vector<TaxableLine>& lines,
                              const Money& shipping, const Date& date) {
  LANDED_CHECK(!lines.empty(), "a cart has at least one line");
  const Currency cur = shipping.currency();
  Errors errors;
  std::vector<const VatRate*> rates;
  for (const auto& l : lines) {
    const VatRate* r = schedule.find(l.category, date);
    if (!r)
      errors.push_back({ErrorCode::unsupported,
                        schedule.country + " has no " + l.category + " VAT rate in force on " + date.to_string(),
                        l.pointer + "/tax_category"});
    rates.push_back(r);
  }
  if (!errors.empty()) return errors;

  VatResult out;
  std::vector<Piece> pieces;
  const auto charge_of = [&](const VatRate* r) {
    for (std::size_t i = 0; i < out.charges.size(); ++i)
      if (out.charges[i].rule == r) return i;
    out.charges.push_back({schedule.tax_name, r, Money::zero(cur), Money::zero(cur), {}});
    return out.charges.size() - 1;
  };
  std::vector<Decimal> weights;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    pieces.push_back({i, false, charge_of(rates[i]), lines[i].base, Money::zero(cur)});
    weights.push_back(lines[i].base.amount());
  }
  if (!shipping.is_zero()) {
    const auto shares = allocate(shipping, weights);
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (!shares[i].is_zero()) pieces.push_back({i, true, charge_of(rates[i]), shares[i], Money::zero(cur)});
  }
  for (auto& p : pieces) out.charges[p.charge].base += p.base;

  // Rounds the tax on the pieces of one charge that match `which` once, over their summed base,
  // and splits it back over them by base (largest remainder).
  const auto round_once = [&](std::size_t charge, auto which) {
    std::vector<std::size_t> idx;
    std::vector<Decimal> w;
    Money base = Money::zero(cur);
    for (std::size_t k = 0; k < pieces.size(); ++k)
      if (pieces[k].charge == charge && which(pieces[k])) {
        idx.push_back(k);
        w.push_back(pieces[k].base.amount());
        base += pieces[k].base;
      }
    if (idx.empty()) return;
    const Money tax = Money::of(base.amount() * out.charges[charge].rule->rate, cur, schedule.rounding);
    const auto parts = allocate(tax, w);
    for (std::size_t k = 0; k < idx.size(); ++k) pieces[idx[k]].tax = parts[k];
  };
  for (std::size_t c = 0; c < out.charges.size(); ++c) {
    if (schedule.level == RoundingLevel::line) {
      // Each line's goods are rounded on their own; shipping is one supply per rate, rounded
      // once over its share at that rate (rounding each line's share would drift with N).
      for (auto& p : pieces)
        if (p.charge == c && !p.shipping) p.tax = Money::of(p.base.amount() * rates[p.line]->rate, cur, schedule.rounding);
      round_once(c, [](const Piece& p) { return p.shipping; });
    } else {
      round_once(c, [](const Piece&) { return true; });
    }
  }

  if (schedule.level == RoundingLevel::line) {
    for (auto& charge : out.charges) charge.parts.clear();
    std::vector<std::optional<std::size_t>> shipping_part(out.charges.size());
    for (const auto& p : pieces) {
      auto& parts = out.charges[p.charge].parts;
      if (!p.shipping) {
        parts.push_back({p.line, p.base, p.tax});
        continue;
      }
      auto& at = shipping_part[p.charge];
      if (!at) {
        at = parts.size();
        parts.push_back({std::nullopt, Money::zero(cur), Money::zero(cur)});
      }
      parts[*at].base += p.base;
      parts[*at].amount += p.tax;
    }
  }

  out.line_tax.assign(lines.size(), Money::zero(cur));
  out.shipping_tax = Money::zero(cur);
  out.total = Money::zero(cur);
  for (const auto& p : pieces) {
    (p.shipping ? out.shipping_tax : out.line_tax[p.line]) += p.tax;
    out.charges[p.charge].amount += p.tax;
    out.total += p.tax;
  }
  return out;
}

}  // namespace landed
