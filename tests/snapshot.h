// The project's shipped rules, rates and catalogs as a Snapshot, loaded once per test program.
#pragma once

#include "app/files.h"
#include "support.h"

namespace landed::test {

inline std::shared_ptr<const Snapshot> shipped_snapshot() {
  static const auto snap = [] {
    auto load = app::load_snapshot(app::DataPaths{home() / "rules", home() / "rates", home() / "locales"});
    for (const auto& d : load.diagnostics) UNSCOPED_INFO(d.to_string());
    for (const auto& e : load.errors) UNSCOPED_INFO(e.message);
    REQUIRE(load.snapshot);
    return load.snapshot;
  }();
  return snap;
}

// The shipped snapshot without its duty rules: for tests of the tax, adjustment and payment
// stages on carts that carry no HS codes (quote/engine_duty_test.cpp prices duties with taxes).
// Its quotes say customs duties were not calculated.
inline std::shared_ptr<const Snapshot> shipped_snapshot_without_duties() {
  static const auto snap = [] {
    const auto base = shipped_snapshot();
    auto rules = std::make_shared<RuleSet>(*base->rules);
    rules->duty = DutyRules{};
    return std::make_shared<const Snapshot>(Snapshot{rules, base->rates, base->l10n});
  }();
  return snap;
}

// The context most engine tests price in: an instant, a fixed quote id, and warn-only staleness,
// because the shipped rates are of 2026-04-13, months past refuse_after on the days the tests use;
// they test pricing, not staleness (quote/staleness_test.cpp tests both modes).
inline QuoteContext warn_only_at(const char* when, const char* quote_id = "q_test") {
  QuoteContext c;
  c.now = *Timestamp::parse(when);
  c.quote_id = quote_id;
  c.stale_rates = StaleRatesMode::warn;
  return c;
}

}  // namespace landed::test
