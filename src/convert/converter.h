// The convert stage: every merchant-currency amount of a cart in the presentment currency, each
// rate used remembered with its source (the ECB, or a provider for what the ECB lacks) and how
// stale its table is; and the mid rates customs regimes convert thresholds with. Pure: the rates
// come in a snapshot, the instant in the quote's context.
#pragma once

#include <deque>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"
#include "fx/rate_sources.h"
#include "quote/quote.h"
#include "quote/request.h"
#include "rules/rule_set.h"

namespace landed {

// Staleness (issue #14): a table is judged by how long the next one is overdue at the quote's
// instant, `now - next expected publication` (fx/target_calendar.h): fresh up to warn_after
// hours, stale beyond it (a warning), expired beyond refuse_after (refused, unless warn-only).
// "Beyond" is strict: exactly warn_after hours overdue is still fresh.
enum class RatesState { fresh, stale, expired };
const char* to_string(RatesState s);
RatesState rates_state(std::int64_t overdue_seconds, const RatesStaleness& policy);
// The instant the table after one of `source` dated `as_of` is due: `ecb` is the primary (ECB,
// TARGET days at 16:00 Frankfurt), else a daily provider (next UTC midnight).
Timestamp next_expected_publication(bool ecb, const Date& as_of);

// One rate table's staleness as a quote saw it: the conversions that used it.
struct TableAge {
  std::string source;
  Date as_of;
  Timestamp due;                // its successor's expected publication
  std::int64_t overdue = 0;     // seconds, now - due (negative: not due yet)
  RatesState state = RatesState::fresh;
  std::set<std::string> currencies;
};

inline std::string hours(std::int64_t seconds) { return std::to_string(seconds / 3600) + " h"; }

// Converts merchant-currency amounts to the presentment currency, remembering each rate used
// and the source it came from (the ECB, or a provider for what the ECB lacks), and how stale
// each table it used is (a cross through both sources is as stale as its staler part).
class Converter {
 public:
  // `rates` may be null: Landed holds none published by the quote's instant. A cart whose
  // prices are all in the presentment currency needs none.
  Converter(const RateSources* rates, const Merchant& merchant, Currency to, std::vector<QuoteFx>& used,
            const QuoteContext& ctx)
      : rates_(rates), merchant_(merchant), to_(to), used_(used), ctx_(ctx) {}

  // The applied rate for `from`, or an error pointing at `pointer`. A same-currency price needs
  // no rate, so it is never stale.
  Result<AppliedRate> rate(Currency from, const std::string& pointer) {
    for (const auto& fx : used_)
      if (fx.rate.from == from) return fx.rate;
    if (from == to_) return AppliedRate{from, to_, Decimal::from_int(1), Decimal(), Decimal::from_int(1)};
    if (!rates_) return no_rates(pointer);
    auto r = rates_->rate(from, to_, merchant_.markup_for(from, to_));
    if (!r.ok()) return Error{ErrorCode::unsupported, r.error().message, pointer};
    if (auto refused = track(*r, from, to_, pointer)) return *refused;
    used_.push_back({r->rate, r->source, r->as_of});
    return r->rate;
  }

  // Records the tables a rate was formed from (the primary's, the secondary's, or both for a
  // cross) and their staleness; the refusal when one is past refuse_after in refuse mode.
  std::optional<Error> track(const SourcedRate& r, Currency from, Currency to, const std::string& pointer) {
    const BaseRateTable& p = rates_->primary();
    const BaseRateTable* s = rates_->secondary();
    std::vector<std::pair<const BaseRateTable*, bool>> parts;  // (table, is the ECB)
    if (r.source == p.source()) parts = {{&p, true}};
    else if (s && r.source == s->source()) parts = {{s, false}};
    else parts = {{&p, true}, {s, false}};
    std::vector<TableAge*> expired;
    for (const auto& [table, ecb] : parts) {
      if (!table) continue;
      TableAge& age = age_of(*table, ecb);
      age.currencies.insert(std::string(from.code()));
      age.currencies.insert(std::string(to.code()));
      if (age.state == RatesState::expired) expired.push_back(&age);
    }
    if (expired.empty() || ctx_.stale_rates != StaleRatesMode::refuse) return std::nullopt;
    std::string which;
    for (const TableAge* a : expired)
      which += (which.empty() ? "" : "; ") + a->source + " rates of " + a->as_of.to_string() + " (the next were due " +
               a->due.to_string() + ", " + hours(a->overdue) + " ago)";
    return Error{ErrorCode::stale_rates,
                 "needs the " + std::string(from.code()) + " to " + std::string(to.code()) +
                     " rate, and Landed holds only the " + which + "; merchant " + merchant_.id + " refuses after " +
                     hours(merchant_.rates_staleness.refuse_after_hours * 3600) +
                     ". Try again once fresh rates are loaded",
                 pointer};
  }

  // Whether any rate table priced this quote (a conversion or a regime's threshold test).
  bool used_rates() const { return !ages_.empty(); }

  // amount × rate, rounded once to the presentment currency's minor unit.
  Money convert(const Decimal& amount, const AppliedRate& rate) const {
    return Money::of(Decimal::multiply_round(amount, rate.rate, to_.digits(), merchant_.fx_rounding), to_,
                     Rounding::Down);
  }

  // `amount` in `to` at the mid rate, no markup: what customs regimes convert with (the ECB's;
  // through the second source only for a currency the ECB does not publish, such as KWD).
  Result<Decimal> mid(const Money& amount, Currency to, const std::string& pointer) {
    if (amount.currency() == to) return amount.amount();
    if (!rates_) return no_rates(pointer);
    auto r = rates_->rate(amount.currency(), to, Decimal());
    if (!r.ok()) return Error{ErrorCode::unsupported, r.error().message, pointer};
    // A threshold's verdict rests on this rate: it is as subject to the staleness policy as a price.
    if (auto refused = track(*r, amount.currency(), to, pointer)) return *refused;
    return amount.amount() * r->rate.mid;
  }

  Error no_rates(const std::string& pointer) const {
    return Error{ErrorCode::unsupported,
                 "needs an exchange rate, and Landed holds no exchange rates published by " + ctx_.now.to_string() +
                     " (a day's ECB rates apply from 16:00 Frankfurt time)",
                 pointer};
  }

  // Warnings for every table used beyond warn_after (expired ones too, in warn-only mode).
  std::vector<QuoteWarning> warnings() const {
    std::vector<QuoteWarning> out;
    const RatesStaleness& policy = merchant_.rates_staleness;
    for (const TableAge& a : ages_) {
      if (a.state == RatesState::fresh) continue;
      std::string message = "the " + a.source + " rates of " + a.as_of.to_string() + " are " + hours(a.overdue) +
                            " past the next expected publication (" + a.due.to_string() + "); merchant " +
                            merchant_.id + " warns after " + hours(policy.warn_after_hours * 3600);
      if (a.state == RatesState::expired)
        message += " and refuses after " + hours(policy.refuse_after_hours * 3600) +
                   ", but stale rates only warn here (--stale-rates warn, a development mode)";
      out.push_back({"stale_rates", a.source, a.as_of, {a.currencies.begin(), a.currencies.end()}, message});
    }
    return out;
  }

 private:
  TableAge& age_of(const BaseRateTable& table, bool ecb) {
    for (auto& a : ages_)
      if (a.source == table.source() && a.as_of == table.as_of()) return a;
    TableAge a{table.source(), table.as_of(), next_expected_publication(ecb, table.as_of()), 0, RatesState::fresh, {}};
    a.overdue = ctx_.now.seconds() - a.due.seconds();
    a.state = rates_state(a.overdue, merchant_.rates_staleness);
    ages_.push_back(std::move(a));
    return ages_.back();
  }

  const RateSources* rates_;
  const Merchant& merchant_;
  Currency to_;
  std::vector<QuoteFx>& used_;
  const QuoteContext& ctx_;
  std::deque<TableAge> ages_;  // stable references: age_of hands them out
};


// The cart in the presentment currency: each line's unit price and subtotal as the merchant's
// line rounding says, each article's exact value (per-item regimes test it), and shipping (an
// explicit price, a named service of the merchant, or its first one). Every field that cannot be
// converted is an error at its pointer.
struct ConvertedCart {
  std::vector<QuoteLine> lines;
  std::vector<Decimal> unit_values;
  QuoteShipping shipping;  // price set; tax left to the tax stage
};

Result<ConvertedCart> convert_cart(const QuoteRequest& req, const Merchant& merchant, Currency to, Converter& convert);

}  // namespace landed
