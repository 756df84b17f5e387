// Issue #14, staleness policy: a conversion's table is judged by how long its successor is
// overdue at the quote's instant (fx/target_calendar.h), against the merchant's warn_after and
// refuse_after (defaults 36 h and 96 h). Test data: made-up rate days, not real rates.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "fx/rate_document.h"
#include "l10n/localizer.h"
#include "quote/engine.h"
#include "quote/quote_json.h"
#include "snapshot.h"

using namespace landed;
using json = nlohmann::json;

namespace {

// The ECB table of Friday 2026-11-20: the next is due Monday 2026-11-23 at 16:00 CET = 15:00Z,
// so 36 h later is 2026-11-25T03:00:00Z and 96 h later 2026-11-27T15:00:00Z.
constexpr const char* warn_edge = "2026-11-25T03:00:00Z";
constexpr const char* refuse_edge = "2026-11-27T15:00:00Z";

std::shared_ptr<const Snapshot> snapshot(const RatesStaleness* policy = nullptr, bool provider = false) {
  const auto shipped = test::shipped_snapshot();
  std::map<std::string, Decimal, std::less<>> per_eur{{"USD", *Decimal::parse("1.05")}};
  std::vector<BaseRateTable> days;
  if (provider)
    days.push_back(*parse_provider_json(R"({"base": "USD", "date": "2026-11-20", "rates": {"KWD": "0.3072"}})", "PROVIDER"));
  auto history = RateHistory::of({RateTable::from_rates(*Date::parse("2026-11-20"), "ECB", "sha256:test", per_eur)},
                                  std::move(days));
  REQUIRE(history.ok());
  auto rules = std::make_shared<RuleSet>(*shipped->rules);
  if (policy) rules->merchants.at("demo").rates_staleness = *policy;
  return std::make_shared<const Snapshot>(
      Snapshot{rules, std::make_shared<const RateHistory>(std::move(history).value()), shipped->l10n});
}

json cart() { return json::parse(test::read_text(test::home() / "tools/examples/cart-us-hr.json")); }

Result<Quote> quote_at(const char* t, std::int64_t plus_seconds, const json& body = cart(),
                       StaleRatesMode mode = StaleRatesMode::refuse, std::shared_ptr<const Snapshot> snap = snapshot()) {
  auto req = parse_request(body);
  REQUIRE(req.ok());
  QuoteContext c;
  c.now = Timestamp::parse(t)->plus_seconds(plus_seconds);
  c.quote_id = "q_stale";
  c.stale_rates = mode;
  return price(*req, *snap, c);
}

}  // namespace

TEST_CASE("Staleness: rates exactly warn_after past due are fresh and carry no warning") {
  const auto q = quote_at(warn_edge, 0);
  REQUIRE(q.ok());
  CHECK(q->warnings.empty());
  CHECK(json::parse(to_json_text(*q)).contains("warnings") == false);
}

TEST_CASE("Staleness: one second past warn_after the quote carries a stale_rates warning") {
  const auto q = quote_at(warn_edge, 1);
  REQUIRE(q.ok());
  REQUIRE(q->warnings.size() == 1);
  const auto j = json::parse(to_json_text(*q));
  const auto& w = j["warnings"][0];
  CHECK(w["code"] == "stale_rates");
  CHECK(w["source"] == "ECB");
  CHECK(w["as_of"] == "2026-11-20");
  CHECK(w["currencies"] == json::array({"EUR", "USD"}));
  CHECK(w["message"].get<std::string>().find("36 h past the next expected publication (2026-11-23T15:00:00Z)") !=
        std::string::npos);
  // The price is the same as a fresh quote's: a warning changes no figure.
  CHECK(q->totals.total == quote_at(warn_edge, 0)->totals.total);
}

TEST_CASE("Staleness: exactly refuse_after past due still prices with a warning") {
  const auto q = quote_at(refuse_edge, 0);
  REQUIRE(q.ok());
  CHECK(q->warnings.size() == 1);
}

TEST_CASE("Staleness: one second past refuse_after the quote is refused naming the conversion") {
  const auto q = quote_at(refuse_edge, 1);
  REQUIRE_FALSE(q.ok());
  REQUIRE(q.errors().size() == 1);  // once, at the first field that needs USD -> EUR
  CHECK(q.error().code == ErrorCode::stale_rates);
  CHECK(q.error().pointer == "/items/0/unit_price/currency");
  CHECK(q.error().message.find("needs the USD to EUR rate") != std::string::npos);
  CHECK(q.error().message.find("ECB rates of 2026-11-20") != std::string::npos);
  CHECK(q.error().message.find("refuses after 96 h") != std::string::npos);
}

TEST_CASE("Staleness: warn-only mode prices past refuse_after and says so in the warning") {
  const auto q = quote_at(refuse_edge, 1, cart(), StaleRatesMode::warn);
  REQUIRE(q.ok());
  REQUIRE(q->warnings.size() == 1);
  CHECK(q->warnings[0].message.find("refuses after 96 h") != std::string::npos);
  CHECK(q->warnings[0].message.find("--stale-rates warn") != std::string::npos);
}

TEST_CASE("Staleness: a same-currency quote needs no rate and is never refused or warned") {
  json c = cart();
  for (auto& item : c["items"]) item["unit_price"]["currency"] = "EUR";
  c["shipping"] = {{"price", {{"amount", "9.00"}, {"currency", "EUR"}}}};
  const auto q = quote_at("2027-06-01T00:00:00Z", 0, c);  // months past refuse_after
  REQUIRE(q.ok());
  CHECK(q->fx.empty());
  CHECK(q->warnings.empty());
}

TEST_CASE("Staleness: the merchant's own warn_after and refuse_after apply") {
  const RatesStaleness tight{1, 2, "test policy"};
  const auto snap = snapshot(&tight);
  const char* due = "2026-11-23T15:00:00Z";
  CHECK(quote_at(due, 3600, cart(), StaleRatesMode::refuse, snap)->warnings.empty());
  CHECK(quote_at(due, 3601, cart(), StaleRatesMode::refuse, snap)->warnings.size() == 1);
  CHECK(quote_at(due, 7200, cart(), StaleRatesMode::refuse, snap).ok());
  const auto refused = quote_at(due, 7201, cart(), StaleRatesMode::refuse, snap);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("refuses after 2 h") != std::string::npos);
}

TEST_CASE("Staleness: a provider day is due at the next UTC midnight and judged on its own") {
  // USD -> KWD is the provider's alone (source PROVIDER, as_of 2026-11-20): due 2026-11-21T00:00Z,
  // warned after 2026-11-22T12:00Z, refused after 2026-11-25T00:00Z, whatever the ECB's state.
  const auto snap = snapshot(nullptr, true);
  json c = cart();
  c["currency"] = "KWD";
  const auto fresh = quote_at("2026-11-22T12:00:00Z", 0, c, StaleRatesMode::refuse, snap);
  REQUIRE(fresh.ok());
  CHECK(fresh->fx[0].source == "PROVIDER");
  CHECK(fresh->warnings.empty());
  const auto stale = quote_at("2026-11-22T12:00:00Z", 1, c, StaleRatesMode::refuse, snap);
  REQUIRE(stale.ok());
  REQUIRE(stale->warnings.size() == 1);
  CHECK(stale->warnings[0].source == "PROVIDER");
  // EUR too: the EU IOSS threshold test converted the KWD value to EUR through the same tables.
  CHECK(stale->warnings[0].currencies == std::vector<std::string>{"EUR", "KWD", "USD"});
  CHECK(quote_at("2026-11-25T00:00:00Z", 0, c, StaleRatesMode::refuse, snap).ok());
  const auto refused = quote_at("2026-11-25T00:00:00Z", 1, c, StaleRatesMode::refuse, snap);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("PROVIDER rates of 2026-11-20") != std::string::npos);
}

TEST_CASE("Staleness: a cross through both sources is refused when either part is past refuse_after") {
  // EUR -> KWD: EUR -> USD from the ECB, USD -> KWD from the provider. At 2026-11-26 the provider
  // day is past refuse_after (2026-11-25T00:00Z) and the ECB table only stale.
  const auto snap = snapshot(nullptr, true);
  json c = cart();
  c["currency"] = "KWD";
  c["items"][0]["unit_price"]["currency"] = "EUR";
  const auto warned = quote_at("2026-11-26T00:00:00Z", 0, c, StaleRatesMode::warn, snap);
  REQUIRE(warned.ok());
  CHECK(warned->warnings.size() == 2);  // the ECB table and the provider day, each named
  const auto refused = quote_at("2026-11-26T00:00:00Z", 0, c, StaleRatesMode::refuse, snap);
  REQUIRE_FALSE(refused.ok());
  bool cross = false;
  for (const auto& e : refused.errors())
    cross = cross || (e.pointer == "/items/0/unit_price/currency" && e.message.find("EUR to KWD") != std::string::npos);
  CHECK(cross);
}

TEST_CASE("rates_state is strict at both boundaries") {
  const RatesStaleness p;  // 36 h and 96 h
  CHECK(rates_state(-1, p) == RatesState::fresh);
  CHECK(rates_state(36 * 3600, p) == RatesState::fresh);
  CHECK(rates_state(36 * 3600 + 1, p) == RatesState::stale);
  CHECK(rates_state(96 * 3600, p) == RatesState::stale);
  CHECK(rates_state(96 * 3600 + 1, p) == RatesState::expired);
}
