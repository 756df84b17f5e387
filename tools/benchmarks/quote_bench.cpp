// In-process benchmarks of the quote core. First the headline: the pure pricing step (engine
// with display strings) on a 5-line cross-border cart, timed call by call for p50/p99. Then
// Google Benchmark runs of the pieces, including the Decimal candidates the representation was
// chosen between. Timings use double: they are measurements, never money.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <boost/multiprecision/cpp_dec_float.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "app/files.h"
#include "duty/tariff.h"
#include "l10n/localizer.h"
#include "payments/selection.h"
#include "quote/engine.h"
#include "quote/quote_json.h"

using namespace landed;

namespace {

// A 5-line cart from a US shop to Croatia, mixed tax categories, priced in EUR for hr-HR; every
// line has a code the EU tariff lists, so the quote carries five duty rows (one a TCA preference).
const char* cart_text = R"({
  "merchant": "demo", "channel": "instagram", "locale": "hr-HR", "currency": "EUR",
  "ship_to": {"country": "HR", "postal_code": "10000", "city": "Zagreb"}, "incoterm": "DDP",
  "buyer": {"type": "consumer", "email": "a@example.com", "ip": "203.0.113.9", "device_id": "d-1"},
  "shipping": {"service": "express"},
  "items": [
    {"sku": "TEE-1", "description": "Cotton T-shirt", "quantity": 2, "unit_price": {"amount": "19.99", "currency": "USD"},
     "hs_code": "610910", "origin_country": "CN", "tax_category": "general", "weight": {"value": "0.2", "unit": "kg"}},
    {"sku": "BOOK-7", "description": "Cookbook", "quantity": 1, "unit_price": {"amount": "34.50", "currency": "USD"},
     "hs_code": "490199", "origin_country": "US", "tax_category": "books", "weight": {"value": "0.9", "unit": "kg"}},
    {"sku": "TOY-3", "description": "Building blocks", "quantity": 4, "unit_price": {"amount": "12.00", "currency": "USD"},
     "hs_code": "95030041", "origin_country": "CN", "tax_category": "general", "weight": {"value": "0.35", "unit": "kg"}},
    {"sku": "CREAM-2", "description": "Face cream", "quantity": 3, "unit_price": {"amount": "7.25", "currency": "USD"},
     "hs_code": "330499", "origin_country": "FR", "tax_category": "general", "weight": {"value": "0.3", "unit": "kg"}},
    {"sku": "HAT-9", "description": "Wool hat", "quantity": 1, "unit_price": {"amount": "45.00", "currency": "USD"},
     "hs_code": "65050010", "origin_country": "GB", "tax_category": "general", "weight": {"value": "0.15", "unit": "kg"}}
  ]
})";

std::shared_ptr<const Snapshot> snapshot() {
  static const auto s = [] {
    auto load = app::load_snapshot(app::DataPaths::defaults());
    if (!load.snapshot) {
      std::fprintf(stderr, "cannot load rules/rates/locales\n");
      std::exit(1);
    }
    return load.snapshot;
  }();
  return s;
}

QuoteContext context() {
  QuoteContext c;
  c.now = *Timestamp::parse("2026-11-23T16:00:00Z");
  c.quote_id = "q_bench";
  c.stale_rates = StaleRatesMode::warn;  // the shipped rates are old by then: price, with the warning
  return c;
}

void percentiles(const char* what, std::vector<double>& ns) {
  std::sort(ns.begin(), ns.end());
  const auto at = [&](double p) { return ns[std::min(ns.size() - 1, std::size_t(p * double(ns.size())))] / 1000.0; };
  std::printf("%-44s n=%zu  p50 %7.2f us  p90 %7.2f us  p99 %7.2f us  max %8.2f us\n", what, ns.size(), at(0.50),
              at(0.90), at(0.99), ns.back() / 1000.0);
}

// Per-call timings, so that percentiles are real and not derived from a mean.
void headline() {
  const auto snap = snapshot();
  const auto req = *parse_request_text(cart_text);
  const auto ctx = context();
  constexpr int warmup = 2000, runs = 50000;
  for (int i = 0; i < warmup; ++i) benchmark::DoNotOptimize(price(req, *snap, ctx));
  std::vector<double> pricing, full;
  pricing.reserve(runs);
  full.reserve(runs);
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    auto q = price(req, *snap, ctx);
    const auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(q);
    pricing.push_back(double(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
  }
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = parse_request_text(cart_text);
    auto q = price(*r, *snap, ctx);
    auto body = to_json_text(*q);
    const auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(body);
    full.push_back(double(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
  }
  std::printf("== quote core, 5-line US->HR cart, EUR, hr-HR (goal: pricing p50 <= 15 us, p99 <= 60 us)\n");
  percentiles("pricing with display strings (engine only)", pricing);
  percentiles("parse JSON + validate + price + dump JSON", full);

  // What the payments stage (issue #11, goal: <= 3 us p50 per quote) costs: the same quote with
  // and without payment rules, interleaved so that drift hits both alike; and the selection alone.
  auto bare_rules = std::make_shared<RuleSet>(*snap->rules);
  bare_rules->payments = PaymentRules{};
  const Snapshot bare{bare_rules, snap->rates, snap->l10n};
  std::vector<double> with, without, select;
  with.reserve(runs);
  without.reserve(runs);
  select.reserve(runs);
  PaymentContext pay;
  pay.country = "HR";
  pay.amount = price(req, *snap, ctx)->totals.total;
  pay.channel = "instagram";
  pay.device = "ios";
  pay.date = *Date::parse("2026-11-23");
  for (int i = 0; i < runs; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto a = price(req, *snap, ctx);
    auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(a);
    with.push_back(double(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
    t0 = std::chrono::steady_clock::now();
    auto b = price(req, bare, ctx);
    t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(b);
    without.push_back(double(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
    t0 = std::chrono::steady_clock::now();
    auto c = select_payment_methods(snap->rules->payments, pay, false);
    t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(c);
    select.push_back(double(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
  }
  std::printf("== payment methods (goal: <= 3 us p50 added to a quote)\n");
  percentiles("pricing, with payment methods", with);
  percentiles("pricing, without payment rules", without);
  percentiles("payment selection alone (HR, instagram, ios)", select);
  std::printf("%-44s p50 %+7.2f us\n", "payment methods add", (with[with.size() / 2] - without[without.size() / 2]) / 1000.0);

  // What duties (issue #10) cost: the same quote with and without duty rules, interleaved.
  auto no_duty_rules = std::make_shared<RuleSet>(*snap->rules);
  no_duty_rules->duty = DutyRules{};
  const Snapshot no_duty{no_duty_rules, snap->rates, snap->l10n};
  std::vector<double> duty_on, duty_off;
  duty_on.reserve(runs);
  duty_off.reserve(runs);
  for (int i = 0; i < runs; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto a = price(req, *snap, ctx);
    auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(a);
    duty_on.push_back(double(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
    t0 = std::chrono::steady_clock::now();
    auto b = price(req, no_duty, ctx);
    t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(b);
    duty_off.push_back(double(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
  }
  std::printf("== duties (5 duty rows on the cart above)\n");
  percentiles("pricing, with duty rules", duty_on);
  percentiles("pricing, without duty rules", duty_off);
  std::printf("%-44s p50 %+7.2f us\n", "duties add", (duty_on[duty_on.size() / 2] - duty_off[duty_off.size() / 2]) / 1000.0);
  std::printf("\n");
}

void BM_Price(benchmark::State& state) {
  const auto snap = snapshot();
  const auto req = *parse_request_text(cart_text);
  const auto ctx = context();
  for (auto _ : state) benchmark::DoNotOptimize(price(req, *snap, ctx));
}
BENCHMARK(BM_Price);

// One tariff lookup: the EU tariff (about 200 lines), an 8-digit code under a heading with
// several subheadings. The issue's goal is <= 1 us per lookup.
void BM_TariffLookup(benchmark::State& state) {
  const auto snap = snapshot();
  const DutyTerritory& eu = snap->rules->duty.territories.at("EU");
  const Date day = *Date::parse("2026-11-23");
  const std::string at = "/items/0/hs_code";
  for (auto _ : state) benchmark::DoNotOptimize(match_tariff_line(eu.tariff, "95030041", day, at));
}
BENCHMARK(BM_TariffLookup);

void BM_JsonParse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(nlohmann::json::parse(cart_text));
  state.SetLabel(std::to_string(std::strlen(cart_text)) + " bytes");
}
BENCHMARK(BM_JsonParse);

void BM_ParseAndValidateRequest(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(parse_request_text(cart_text));
}
BENCHMARK(BM_ParseAndValidateRequest);

void BM_QuoteToJsonDump(benchmark::State& state) {
  const auto q = *price(*parse_request_text(cart_text), *snapshot(), context());
  for (auto _ : state) benchmark::DoNotOptimize(to_json_text(q));
}
BENCHMARK(BM_QuoteToJsonDump);

// The representation choice: Landed's Decimal (checked 128-bit mantissa) against
// cpp_dec_float_50 for the operation pricing does most, amount × rate + amount, then rounding.
void BM_Decimal_MulAddRound(benchmark::State& state) {
  const Decimal a = *Decimal::parse("19.99"), r = *Decimal::parse("0.8729887025"), b = *Decimal::parse("1077.70");
  for (auto _ : state) benchmark::DoNotOptimize((a * r + b).round(2, Rounding::HalfEven));
}
BENCHMARK(BM_Decimal_MulAddRound);

void BM_CppDecFloat50_MulAdd(benchmark::State& state) {
  using F = boost::multiprecision::cpp_dec_float_50;
  const F a("19.99"), r("0.8729887025"), b("1077.70");
  for (auto _ : state) benchmark::DoNotOptimize(F(a * r + b));
}
BENCHMARK(BM_CppDecFloat50_MulAdd);

void BM_CheckedInt128_MulDiv(benchmark::State& state) {
  const Decimal::Int a = 1999, r = 8729887025LL, d = 10000000000LL;
  for (auto _ : state) benchmark::DoNotOptimize(Decimal::Int(a * r / d));
}
BENCHMARK(BM_CheckedInt128_MulDiv);

void BM_Decimal_ParseToString(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Decimal::parse("1234.56")->to_string());
}
BENCHMARK(BM_Decimal_ParseToString);

void BM_IcuFormat_Cached(benchmark::State& state) {
  const auto l10n = snapshot()->l10n;
  const auto hr = *l10n->resolve("hr-HR");
  const Money m = Money::of(*Decimal::parse("1234.56"), *Currency::of("EUR"), Rounding::HalfEven);
  for (auto _ : state) benchmark::DoNotOptimize(l10n->format(hr, m));
}
BENCHMARK(BM_IcuFormat_Cached);

void BM_IcuFormatter_Create(benchmark::State& state) {
  const Decimal d = *Decimal::parse("1234.56");
  const Currency eur = *Currency::of("EUR");
  for (auto _ : state) benchmark::DoNotOptimize(Localizer::format_with("hr-HR", eur, d, {}));
}
BENCHMARK(BM_IcuFormatter_Create);

void BM_CatalogSummary(benchmark::State& state) {
  const auto l10n = snapshot()->l10n;
  const auto hr = *l10n->resolve("hr-HR");
  for (auto _ : state)
    benchmark::DoNotOptimize(l10n->message(hr, "summary.checkout", {{"total", "1.197,35 €"}}, {{"count", 11}}));
}
BENCHMARK(BM_CatalogSummary);

}  // namespace

int main(int argc, char** argv) {
  // LANDED_BENCH_HEADLINE=0 skips the percentile run (for profiling one benchmark alone).
  if (const char* h = std::getenv("LANDED_BENCH_HEADLINE"); !h || std::string(h) != "0") headline();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
