// Issue #14 end to end: stale rates warn and then refuse (503 problem naming the conversion, with
// Retry-After), /readyz reports each source's state, and an operator accepts a document the
// refresher held back for a 50 % jump through the admin endpoint. The real service on loopback;
// the feed is a fake one on loopback too, never the internet.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "../fetch/fake_feed.h"
#include "http_client.h"
#include "running_service.h"
#include "shipped_rates.h"
#include "support.h"

using namespace landed;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string checkout = "dev-checkout-token";
const std::string finance = "dev-finance-token";
const std::string admin = "dev-admin-token";
using test::ecb_day;
using test::shipped_day;
using test::shipped_usd;

std::string cart() { return test::read_text(test::home() / "tools/examples/cart-us-hr.json"); }

void refuse(app::ServiceOptions& o, const fs::path&) { o.stale_rates = StaleRatesMode::refuse; }

// The clock of the fixture stands at 2026-11-23T16:00Z; move it to `t`.
void set_clock(test::Running& s, const char* t) { s.clock->advance(Timestamp::parse(t)->seconds() - s.clock->now().seconds()); }

}  // namespace

TEST_CASE("Stale rates e2e: a quote past refuse_after is a 503 problem naming the conversion with Retry-After") {
  test::Running s(false, refuse);  // 2026-11-23, rates of 2026-04-13: months past 96 h
  test::HttpClient c(s.base);
  const auto r = c.request("POST", "/v1/quotes", checkout, cart());
  CHECK(r.status == 503);
  CHECK(r.headers["content-type"] == "application/problem+json");
  CHECK(r.headers["retry-after"] == "3600");
  const auto p = json::parse(r.body);
  CHECK(p["type"] == "/problems/stale_rates");
  REQUIRE(p["errors"].size() == 1);
  CHECK(p["errors"][0]["pointer"] == "/items/0/unit_price/currency");
  const std::string message = p["errors"][0]["message"];
  CHECK(message.find("USD to EUR") != std::string::npos);
  CHECK(message.find("ECB rates of 2026-04-13") != std::string::npos);
  CHECK(p["detail"].get<std::string>().find("USD to EUR") != std::string::npos);
}

TEST_CASE("Stale rates e2e: a same-currency quote is priced even when every rate is expired") {
  test::Running s(false, refuse);
  test::HttpClient c(s.base);
  json body = json::parse(cart());
  for (auto& item : body["items"]) item["unit_price"]["currency"] = "EUR";
  body["shipping"] = {{"price", {{"amount", "9.00"}, {"currency", "EUR"}}}};
  const auto r = c.request("POST", "/v1/quotes", checkout, body.dump());
  REQUIRE(r.status == 201);
  const auto q = json::parse(r.body);
  CHECK(q["fx"].empty());
  CHECK_FALSE(q.contains("warnings"));
}

TEST_CASE("Stale rates e2e: warn-only mode prices the quote and carries the stale_rates warning") {
  test::Running s;  // the fixture's default: warn-only
  test::HttpClient c(s.base);
  const auto r = c.request("POST", "/v1/quotes", checkout, cart());
  REQUIRE(r.status == 201);
  const auto q = json::parse(r.body);
  REQUIRE(q["warnings"].size() == 1);
  CHECK(q["warnings"][0]["code"] == "stale_rates");
  CHECK(q["warnings"][0]["as_of"] == shipped_day);
  CHECK(q["warnings"][0]["currencies"] == json::array({"EUR", "USD"}));
  CHECK(q["totals"]["total"]["amount"] == "1202.68");  // the same figures as on fresh rates
  // The stored quote is the response: GET shows the warning too.
  CHECK(json::parse(c.request("GET", "/v1/quotes/" + q["quote_id"].get<std::string>(), checkout).body)["warnings"] ==
        q["warnings"]);
}

TEST_CASE("Stale rates e2e: fresh rates quote with no warning and readyz says fresh") {
  test::Running s(false, refuse);
  set_clock(s, "2026-04-14T12:00:00Z");  // before the next ECB publication (2026-04-14T14:00Z)
  test::HttpClient c(s.base);
  const auto r = c.request("POST", "/v1/quotes", checkout, cart());
  REQUIRE(r.status == 201);
  CHECK_FALSE(json::parse(r.body).contains("warnings"));
  const auto ready = c.request("GET", "/readyz");
  CHECK(ready.status == 200);
  const auto j = json::parse(ready.body);
  REQUIRE(j["rates"].size() == 1);
  CHECK(j["rates"][0]["source"] == "ECB");
  CHECK(j["rates"][0]["as_of"] == shipped_day);
  CHECK(j["rates"][0]["next_expected"] == "2026-04-14T14:00:00Z");
  CHECK(j["rates"][0]["state"] == "fresh");
  CHECK(j["stale_rates"] == "refuse");
}

TEST_CASE("Stale rates e2e: readyz is not ready when every source is expired and the mode refuses") {
  test::Running s(false, refuse);
  test::HttpClient c(s.base);
  const auto r = c.request("GET", "/readyz");
  CHECK(r.status == 503);
  const auto j = json::parse(r.body);
  CHECK(j["status"] == "not ready");
  CHECK(j["reason"].get<std::string>().find("refuse_after") != std::string::npos);
  CHECK(j["rates"][0]["state"] == "expired");
  // 36 h past the due instant is stale but ready; the state follows the clock.
  set_clock(s, "2026-04-16T02:00:01Z");  // due 2026-04-14T14:00Z + 36 h + 1 s
  const auto stale = c.request("GET", "/readyz");
  CHECK(stale.status == 200);
  CHECK(json::parse(stale.body)["rates"][0]["state"] == "stale");
}

TEST_CASE("Stale rates e2e: readyz stays ready in warn-only mode and reports the expired state") {
  test::Running s;
  test::HttpClient c(s.base);
  const auto r = c.request("GET", "/readyz");
  CHECK(r.status == 200);
  const auto j = json::parse(r.body);
  CHECK(j["rates"][0]["state"] == "expired");
  CHECK(j["stale_rates"] == "warn");
}

namespace {

void jump_feed(app::ServiceOptions& o, const fs::path& dir, const std::string& url) {
  fs::create_directories(dir);
  fs::copy(test::home() / "rates", dir / "rates", fs::copy_options::recursive);
  o.paths.rates = dir / "rates";
  test::fast_feed(o, "ecb:" + url);
  o.log = [](const std::string&) {};
}

std::string rates_as_of(test::HttpClient& c) { return json::parse(c.request("GET", "/v1/rates", finance).body)["as_of"]; }

}  // namespace

TEST_CASE("Pending rates: a 50 % jump refused by the refresher is shown and accepted by an admin") {
  const std::string jumped = (Decimal::parse(shipped_usd()).value() * Decimal::parse("1.5").value()).to_string();
  test::FakeFeed feed([&](const test::FeedRequest&) { return test::respond(200, ecb_day("2026-04-14", jumped)); });
  test::Running s(false, [&](app::ServiceOptions& o, const fs::path& dir) { jump_feed(o, dir, feed.url("/daily.xml")); });
  test::HttpClient c(s.base);
  REQUIRE(test::await([&] { return s.service->rates_refresh_passes() >= 1; }));
  CHECK(rates_as_of(c) == shipped_day);  // refused: the old rates keep serving

  const auto list = c.request("GET", "/v1/rates/pending", finance);
  REQUIRE(list.status == 200);
  const auto pending = json::parse(list.body)["pending"];
  REQUIRE(pending.size() == 1);
  CHECK(pending[0]["source"] == "ecb");
  CHECK(pending[0]["reason"] == "moved_too_far");
  CHECK(pending[0]["as_of"] == "2026-04-14");
  CHECK(pending[0]["accept"] == "/v1/rates/pending/ecb/accept");
  REQUIRE(pending[0]["moves"].size() == 1);
  CHECK(pending[0]["moves"][0] == json({{"currency", "USD"}, {"from", shipped_usd()}, {"to", jumped}}));

  CHECK(c.request("GET", "/v1/rates/pending", checkout).status == 403);
  CHECK(c.request("POST", "/v1/rates/pending/ecb/accept", checkout).status == 403);
  CHECK(c.request("POST", "/v1/rates/pending/ecb/accept", finance).status == 403);  // admin only
  CHECK(c.request("GET", "/v1/rates/pending/ecb/accept", admin).status == 405);
  CHECK(c.request("POST", "/v1/rates/pending/provider/accept", admin).status == 404);

  const auto accepted = c.request("POST", "/v1/rates/pending/ecb/accept", admin);
  INFO(accepted.body);
  REQUIRE(accepted.status == 200);
  const auto a = json::parse(accepted.body);
  CHECK(a["accepted"] == true);
  CHECK(a["reloaded"] == true);
  CHECK(fs::exists(s.dir / "rates" / "eurofxref-2026-04-14.xml"));
  CHECK(rates_as_of(c) == "2026-04-14");
  CHECK(test::read_text(s.dir / "rates" / "eurofxref-2026-04-14.xml").find("rate='" + jumped + "'") != std::string::npos);
  // Accepted now, the feed's same document is no longer a move: nothing stays pending.
  CHECK(test::await([&] {
    return json::parse(c.request("GET", "/v1/rates/pending", finance).body)["pending"].empty();
  }));
  CHECK(c.request("POST", "/v1/rates/pending/ecb/accept", admin).status == 404);
}

TEST_CASE("Pending rates: without feeds nothing is pending and accept is 404") {
  test::Running s;
  test::HttpClient c(s.base);
  const auto list = c.request("GET", "/v1/rates/pending", finance);
  REQUIRE(list.status == 200);
  CHECK(json::parse(list.body)["pending"].empty());
  const auto none = c.request("POST", "/v1/rates/pending/ecb/accept", admin);
  CHECK(none.status == 404);
  CHECK(none.headers["content-type"] == "application/problem+json");
}
