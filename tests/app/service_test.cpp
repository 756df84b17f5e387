// End-to-end: the real service on a free loopback port, spoken to over real HTTP. Time is a
// ManualClock, so quote expiry is tested without waiting.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>
#include <unistd.h>

#include "app/service.h"
#include "core/limits.h"
#include "core/sha256.h"
#include "http_client.h"
#include "running_service.h"
#include "support.h"

using namespace landed;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string checkout = "dev-checkout-token", finance = "dev-finance-token", reviewer = "dev-reviewer-token",
                  admin = "dev-admin-token";

using test::Running;
using test::await;
using test::millis_since;

std::string cart() { return test::read_text(test::home() / "tools/examples/cart-us-hr.json"); }

json body_of(const test::HttpResult& r) { return json::parse(r.body); }

}  // namespace

TEST_CASE("Operations endpoints answer without a key") {
  Running s;
  test::HttpClient c(s.base);
  CHECK(c.request("GET", "/healthz").status == 200);
  const auto ready = c.request("GET", "/readyz");
  CHECK(ready.status == 200);
  CHECK(body_of(ready)["status"] == "ready");
  c.request("POST", "/v1/quotes", checkout, cart());
  const auto m = c.request("GET", "/metrics");
  CHECK(m.status == 200);
  CHECK(m.headers["content-type"].rfind("text/plain", 0) == 0);
  CHECK(m.body.find("landed_http_requests_total{route=\"/v1/quotes\",method=\"POST\",status=\"201\"} 1") != std::string::npos);
  CHECK(m.body.find("landed_quotes_total{destination=\"HR\"} 1") != std::string::npos);
  CHECK(m.body.find("landed_build_info{") != std::string::npos);
  CHECK(m.body.find("rules_version=\"sha256:") != std::string::npos);
  CHECK(m.body.find("landed_http_request_duration_seconds_bucket{route=\"/v1/quotes\"") != std::string::npos);
}

TEST_CASE("A quote is created, then returned exactly as created") {
  Running s;
  test::HttpClient c(s.base);
  const auto created = c.request("POST", "/v1/quotes", checkout, cart());
  REQUIRE(created.status == 201);
  const auto q = body_of(created);
  CHECK(q["totals"]["total"] == json({{"amount", "1202.68"}, {"currency", "EUR"}}));
  CHECK(q["created_at"] == "2026-11-23T16:00:00Z");
  CHECK(q["expires_at"] == "2026-11-23T16:30:00Z");
  CHECK(created.headers["location"] == "/v1/quotes/" + q["quote_id"].get<std::string>());
  const auto got = c.request("GET", "/v1/quotes/" + q["quote_id"].get<std::string>(), checkout);
  CHECK(got.status == 200);
  CHECK(got.body == created.body);
  CHECK(c.request("GET", "/v1/quotes/q_nope", checkout).status == 404);
}

TEST_CASE("Every auth case: missing, unknown, malformed, wrong role, right role") {
  Running s;
  test::HttpClient c(s.base);
  const auto none = c.request("POST", "/v1/quotes", "", cart());
  CHECK(none.status == 401);
  CHECK(none.headers["www-authenticate"] == "Bearer");
  CHECK(none.headers["content-type"] == "application/problem+json");
  CHECK(c.request("POST", "/v1/quotes", "not-a-key", cart()).status == 401);
  CHECK(c.request("POST", "/v1/quotes", "", cart(), {"Authorization: Basic ZGV2OmRldg=="}).status == 401);
  CHECK(c.request("POST", "/v1/quotes", "", cart(), {"Authorization: Bearer"}).status == 401);
  CHECK(c.request("POST", "/v1/quotes", finance, cart()).status == 403);
  CHECK(c.request("POST", "/v1/quotes", reviewer, cart()).status == 403);
  CHECK(c.request("GET", "/v1/rules", checkout).status == 403);
  CHECK(c.request("GET", "/v1/rates", reviewer).status == 403);
  CHECK(c.request("POST", "/v1/rules/reload", finance, "").status == 403);
  CHECK(c.request("GET", "/v1/rules", finance).status == 200);
  CHECK(c.request("GET", "/v1/rates", finance).status == 200);
  CHECK(c.request("POST", "/v1/rules/reload", admin, "").status == 200);
  CHECK(c.request("POST", "/v1/quotes", admin, cart()).status == 201);  // admin may call everything
}

TEST_CASE("Bad input gets problem details naming the field, never a 500") {
  Running s;
  test::HttpClient c(s.base);
  struct Case {
    std::string body;
    long status;
    std::string pointer;
  };
  const std::string item = R"({"sku": "A", "quantity": 1, "unit_price": {"amount": "1.00", "currency": "USD"}})";
  std::string many = R"({"locale": "hr-HR", "ship_to": {"country": "HR"}, "items": [)";
  for (int i = 0; i < 501; ++i) many += (i ? "," : "") + item;
  many += "]}";
  const std::vector<Case> cases = {
      {"{", 400, ""},
      {"", 400, ""},
      {"[]", 422, ""},
      {"\"hello\"", 422, ""},
      {R"({"locale": "hr-HR", "ship_to": {"country": "HR"}, "items": [{"sku": "A", "quantity": 0, "unit_price": {"amount": "1.00", "currency": "USD"}}]})", 422, "/items/0/quantity"},
      {R"({"locale": "hr-HR", "ship_to": {"country": "HR"}, "items": [{"sku": "A", "quantity": -3, "unit_price": {"amount": "1.00", "currency": "USD"}}]})", 422, "/items/0/quantity"},
      {R"({"locale": "hr-HR", "ship_to": {"country": "HR"}, "items": [{"sku": "A", "quantity": "2", "unit_price": {"amount": "1.00", "currency": "USD"}}]})", 422, "/items/0/quantity"},
      {R"({"locale": "hr-HR", "ship_to": {"country": "HR"}, "items": [{"sku": "A", "quantity": 1, "unit_price": {"amount": "123456789012345678901234567890", "currency": "USD"}}]})", 422, "/items/0/unit_price/amount"},
      {R"({"locale": "hr-HR", "ship_to": {"country": "HR"}, "items": [{"sku": "A", "quantity": 1, "unit_price": {"amount": 1.5, "currency": "USD"}}]})", 422, "/items/0/unit_price/amount"},
      {R"({"locale": "hr-HR", "ship_to": {"country": "HR"}, "items": [{"sku": "A", "quantity": 1, "unit_price": {"amount": "1.00", "currency": "ABC"}}]})", 422, "/items/0/unit_price/currency"},
      {R"({"locale": "hr-HR", "ship_to": {"country": "XX"}, "items": [)" + item + "]}", 422, "/ship_to/country"},
      {R"({"locale": "hr-HR", "ship_to": {"country": "KE"}, "items": [)" + item + "]}", 422, "/ship_to/country"},
      {R"({"locale": "hr-HR", "currency": "EURO", "ship_to": {"country": "HR"}, "items": [)" + item + "]}", 422, "/currency"},
      {R"({"locale": 7, "ship_to": {"country": "HR"}, "items": [)" + item + "]}", 422, "/locale"},
      {R"({"ship_to": {"country": "HR"}, "items": [)" + item + "]}", 422, "/locale"},
      {many, 422, "/items"},
      {std::string(100, '[') + std::string(100, ']'), 400, ""},
      {R"({"locale": "hr-HR", "locale": "en-US", "ship_to": {"country": "HR"}, "items": [)" + item + "]}", 400, ""},
      {R"({"locale": "en-u-nu-foo", "ship_to": {"country": "HR"}, "items": [)" + item + "]}", 422, "/locale"},
      {"{\"locale\": \"hr-\xff\"}", 400, ""},
  };
  for (const auto& k : cases) {
    INFO(k.body.substr(0, 200));
    const auto r = c.request("POST", "/v1/quotes", checkout, k.body);
    REQUIRE(r.error.empty());
    CHECK(r.status == k.status);
    CHECK(r.headers["content-type"] == "application/problem+json");
    const auto p = body_of(r);
    CHECK(p["status"] == k.status);
    CHECK(p["title"].is_string());
    if (!k.pointer.empty()) CHECK(p["errors"][0]["pointer"] == k.pointer);
  }
  // Transport-level: too large, wrong media type, unknown route, wrong method.
  const auto big = c.request("POST", "/v1/quotes", checkout, std::string((1 << 20) + 10, ' '));
  CHECK(big.status == 413);
  CHECK(c.request("POST", "/v1/quotes", checkout, cart(), {"Content-Type: text/plain"}).status == 415);
  CHECK(c.request("GET", "/v2/quotes", checkout).status == 404);
  CHECK(c.request("GET", "/nothing/here", checkout).status == 404);
  const auto wrong = c.request("DELETE", "/v1/quotes", checkout);
  CHECK(wrong.status == 405);
  CHECK(wrong.headers["allow"] == "POST");
  // The server is still fine afterwards.
  CHECK(c.request("POST", "/v1/quotes", checkout, cart()).status == 201);
}

TEST_CASE("Idempotency-Key: same key and body replays, a different body conflicts") {
  Running s;
  test::HttpClient c(s.base);
  const auto first = c.request("POST", "/v1/quotes", checkout, cart(), {"Idempotency-Key: cart-42"});
  REQUIRE(first.status == 201);
  const auto again = c.request("POST", "/v1/quotes", checkout, cart(), {"Idempotency-Key: cart-42"});
  CHECK(again.status == 201);
  CHECK(again.body == first.body);
  CHECK(again.headers["idempotent-replayed"] == "true");
  CHECK(again.headers["location"] == first.headers["location"]);
  std::string other = cart();
  other.replace(other.find("\"quantity\": 2"), 13, "\"quantity\": 3");
  const auto conflict = c.request("POST", "/v1/quotes", checkout, other, {"Idempotency-Key: cart-42"});
  CHECK(conflict.status == 409);
  CHECK(body_of(conflict)["type"] == "/problems/idempotency_conflict");
  // Keys are per API key: the admin's cart-42 is a different request.
  const auto admins = c.request("POST", "/v1/quotes", admin, cart(), {"Idempotency-Key: cart-42"});
  CHECK(admins.status == 201);
  CHECK(body_of(admins)["quote_id"] != body_of(first)["quote_id"]);
  // Without a key, two requests are two quotes.
  CHECK(body_of(c.request("POST", "/v1/quotes", checkout, cart()))["quote_id"] !=
        body_of(c.request("POST", "/v1/quotes", checkout, cart()))["quote_id"]);
  // Once the quote is on disk the replay comes from the database; after 24 h the key is forgotten.
  s.clock->advance(24 * 3600 - 1);
  CHECK(c.request("POST", "/v1/quotes", checkout, cart(), {"Idempotency-Key: cart-42"}).body == first.body);
  s.clock->advance(2);
  const auto fresh = c.request("POST", "/v1/quotes", checkout, cart(), {"Idempotency-Key: cart-42"});
  CHECK(fresh.status == 201);
  CHECK(body_of(fresh)["quote_id"] != body_of(first)["quote_id"]);
}

TEST_CASE("Orders: created at the quoted price, once, and never after expiry") {
  Running s;
  test::HttpClient c(s.base);
  const auto q = body_of(c.request("POST", "/v1/quotes", checkout, cart()));
  const std::string id = q["quote_id"];
  const auto order = c.request("POST", "/v1/orders", checkout, json{{"quote_id", id}}.dump());
  REQUIRE(order.status == 201);
  const auto o = body_of(order);
  CHECK(o["quote_id"] == id);
  CHECK(o["status"] == "approved");
  const auto got = c.request("GET", "/v1/orders/" + o["order_id"].get<std::string>(), checkout);
  CHECK(got.status == 200);
  CHECK(body_of(got)["quote_id"] == id);
  CHECK(c.request("POST", "/v1/orders", checkout, json{{"quote_id", id}}.dump()).status == 409);
  CHECK(c.request("POST", "/v1/orders", checkout, json{{"quote_id", "q_unknown"}}.dump()).status == 404);
  CHECK(c.request("GET", "/v1/orders/o_unknown", checkout).status == 404);
  const auto bad = c.request("POST", "/v1/orders", checkout, R"({"quote_id": 5})");
  CHECK(bad.status == 422);
  CHECK(body_of(bad)["errors"][0]["pointer"] == "/quote_id");
  CHECK(c.request("POST", "/v1/orders", checkout, "{}").status == 422);
  CHECK(c.request("POST", "/v1/orders", checkout, "nope").status == 400);
  CHECK(c.request("POST", "/v1/orders", checkout, R"({"quote_id": "q_a", "quote_id": "q_b"})").status == 400);

  const std::string late = body_of(c.request("POST", "/v1/quotes", checkout, cart()))["quote_id"];
  s.clock->advance(30 * 60);  // expires_at is exclusive: at 16:30:00 the quote is gone
  const auto expired = c.request("POST", "/v1/orders", checkout, json{{"quote_id", late}}.dump());
  CHECK(expired.status == 410);
  CHECK(body_of(expired)["type"] == "/problems/quote_expired");
}

TEST_CASE("An order with an Idempotency-Key is replayed, not duplicated") {
  Running s;
  test::HttpClient c(s.base);
  const std::string id = body_of(c.request("POST", "/v1/quotes", checkout, cart()))["quote_id"];
  const std::string body = json{{"quote_id", id}}.dump();
  const auto first = c.request("POST", "/v1/orders", checkout, body, {"Idempotency-Key: order-1"});
  REQUIRE(first.status == 201);
  const auto again = c.request("POST", "/v1/orders", checkout, body, {"Idempotency-Key: order-1"});
  CHECK(again.status == 201);
  CHECK(again.body == first.body);
  CHECK(again.headers["idempotent-replayed"] == "true");
  CHECK(again.headers["location"] == first.headers["location"]);
  CHECK(first.headers["location"] == "/v1/orders/" + body_of(first)["order_id"].get<std::string>());
}

TEST_CASE("Rules: the active set, validation of candidates (loads nothing), and rates") {
  Running s;
  test::HttpClient c(s.base);
  const auto rules = body_of(c.request("GET", "/v1/rules", finance));
  CHECK(rules["rules_version"].get<std::string>().rfind("sha256:", 0) == 0);
  CHECK(rules["files"].size() == 222);  // 64 tax and merchant files, 68 payment files, 90 duty files (18 territories)
  CHECK(rules["loaded_at"] == "2026-11-23T16:00:00Z");
  const std::string bad_hr =
      "{\n  \"concern\": \"tax\",\n  \"jurisdiction\": \"HR\", \"country\": \"HR\",\n  \"name\": \"Croatia\",\n"
      "  \"rounding\": {\"mode\": \"HalfUp\", \"level\": \"line\", \"source\": \"s\"},\n"
      "  \"taxes\": [{\"id\": \"HR.vat\", \"name\": \"PDV\", \"rates\": [{\"id\": \"HR.x\", \"band\": \"standard\", \"rate\": \"1.25\", \"effective_from\": \"2013-01-01\", "
      "\"source\": \"s\"}]}]\n}\n";
  const auto invalid = c.request("POST", "/v1/rules/validate", finance,
                                 json{{"files", {{{"path", "tax/HR.json"}, {"content", bad_hr}}}}}.dump());
  REQUIRE(invalid.status == 200);
  const auto v = body_of(invalid);
  CHECK(v["valid"] == false);
  CHECK(v["errors"][0]["file"] == "tax/HR.json");
  CHECK(v["errors"][0]["line"] == 6);
  CHECK(v["errors"][0]["column"] == 98);
  std::string good_hr = bad_hr;
  good_hr.replace(good_hr.find("\"1.25\""), 6, "\"0.25\"");
  const auto valid = body_of(c.request("POST", "/v1/rules/validate", finance,
                                       json{{"files", {{{"path", "tax/HR.json"}, {"content", good_hr}}}}}.dump()));
  CHECK(valid["valid"] == true);
  CHECK(valid["rules_version"] != rules["rules_version"]);
  CHECK(body_of(c.request("GET", "/v1/rules", finance))["rules_version"] == rules["rules_version"]);  // nothing loaded
  CHECK(c.request("POST", "/v1/rules/validate", finance, R"({"files": [{"path": "../etc/passwd", "content": ""}]})").status == 422);
  const auto rates = body_of(c.request("GET", "/v1/rates", finance));
  CHECK(rates["source"] == "ECB");
  CHECK(rates["as_of"] == "2026-04-13");
  CHECK(rates["rates"]["USD"] == "1.1684");
  CHECK(rates["age_seconds"] == 224 * 86400 + 2 * 3600);  // since publication: 16:00 CEST = 14:00Z
}

TEST_CASE("A bad rule set is refused on reload and the old one keeps serving") {
  Running s(true);
  test::HttpClient c(s.base);
  const std::string before = body_of(c.request("GET", "/v1/rules", finance))["rules_version"];
  const auto hr = s.dir / "rules/tax/HR.json";
  const std::string original = test::read_text(hr);
  std::ofstream(hr, std::ios::trunc) << "{ broken";
  const auto refused = c.request("POST", "/v1/rules/reload", admin, "");
  CHECK(refused.status == 422);
  const auto p = body_of(refused);
  CHECK(p["reloaded"] == false);
  CHECK(p["errors"][0]["file"] == "tax/HR.json");
  CHECK(p["rules_version"] == before);
  const auto q = c.request("POST", "/v1/quotes", checkout, cart());
  CHECK(q.status == 201);
  CHECK(body_of(q)["rules_version"] == before);
  std::string changed = original;
  changed.replace(changed.find("\"0.25\""), 6, "\"0.26\"");  // a (fictional) new standard rate
  std::ofstream(hr, std::ios::trunc) << changed;
  const auto ok = body_of(c.request("POST", "/v1/rules/reload", admin, ""));
  CHECK(ok["reloaded"] == true);
  CHECK(ok["rules_version"] != before);
  const auto after = body_of(c.request("POST", "/v1/quotes", checkout, cart()));
  CHECK(after["taxes"][0]["rate"] == "0.26");
}

TEST_CASE("Reloading under concurrent load fails no request") {
  Running s;
  std::atomic<bool> done{false};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> load;
  for (int t = 0; t < 4; ++t)
    load.emplace_back([&] {
      test::HttpClient c(s.base);
      const std::string body = cart();
      while (!done) {
        const auto r = c.request("POST", "/v1/quotes", checkout, body);
        (r.status == 201 ? ok : failed)++;
      }
    });
  test::HttpClient admin_client(s.base);
  int reloads = 0;
  for (int i = 0; i < 25; ++i) {
    reloads += admin_client.request("POST", "/v1/rules/reload", admin, "").status == 200;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  done = true;
  for (auto& t : load) t.join();
  CHECK(reloads == 25);
  CHECK(failed == 0);
  CHECK(ok > 50);
  WARN("reload under load: " << ok << " quotes, " << failed << " failures, " << reloads << " reloads");
}

TEST_CASE("Stopping flushes queued quotes to the database") {
  Running s;
  test::HttpClient c(s.base);
  const std::string id = body_of(c.request("POST", "/v1/quotes", checkout, cart()))["quote_id"];
  s.service->stop();
  auto store = store::Store::open((s.dir / "landed.db").string());
  REQUIRE(store.ok());
  const auto q = *(*store)->quote(id);
  REQUIRE(q);
  CHECK(q->destination == "HR");
  CHECK(q->merchant == "demo");
  CHECK(*(*store)->schema_version() == 3);
}

TEST_CASE("Concurrent identical POSTs with one Idempotency-Key make exactly one quote") {
  // Many threads send the same body with the same key at the same moment, round after round:
  // exactly one gets a fresh 201; every other one gets that 201 replayed (same body, quote_id
  // and Location) or 409 in progress. Never a second fresh quote.
  Running s;
  constexpr int threads = 16, rounds = 100;
  const std::string body = cart();
  struct Seen {
    long status;
    bool replayed;
    std::string body, location, type;
  };
  std::vector<std::vector<Seen>> seen(rounds, std::vector<Seen>(threads));
  std::barrier start(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      test::HttpClient c(s.base);
      c.request("GET", "/healthz");  // connect before the first round
      for (int round = 0; round < rounds; ++round) {
        start.arrive_and_wait();
        const auto r = c.request("POST", "/v1/quotes", checkout, body, {"Idempotency-Key: race-" + std::to_string(round)});
        std::string type;
        if (r.status == 409) type = body_of(r)["type"];
        seen[round][t] = {r.status, r.headers["idempotent-replayed"] == "true", r.body, r.headers["location"], type};
      }
    });
  for (auto& t : pool) t.join();
  int fresh_total = 0, replays = 0, in_progress = 0;
  for (int round = 0; round < rounds; ++round) {
    INFO("round " << round);
    std::vector<const Seen*> fresh;
    for (const auto& x : seen[round])
      if (x.status == 201 && !x.replayed) fresh.push_back(&x);
    REQUIRE(fresh.size() == 1);
    ++fresh_total;
    const std::string id = json::parse(fresh[0]->body)["quote_id"];
    CHECK(fresh[0]->location == "/v1/quotes/" + id);
    for (const auto& x : seen[round]) {
      if (&x == fresh[0]) continue;
      if (x.status == 201) {
        ++replays;
        CHECK(x.replayed);
        CHECK(x.body == fresh[0]->body);
        CHECK(x.location == fresh[0]->location);
      } else {
        ++in_progress;
        CHECK(x.status == 409);
        CHECK(x.type == "/problems/idempotency_in_progress");
      }
    }
  }
  WARN("idempotency race: " << rounds << " rounds x " << threads << " threads: " << fresh_total << " fresh, " << replays
                            << " replays, " << in_progress << " in progress, 0 duplicates");
}

TEST_CASE("Tenant isolation: another merchant's quotes and orders are unknown ids to a key") {
  const std::string other_token = "other-checkout-token";
  Running s(true, [&](app::ServiceOptions& o, const fs::path& dir) {
    std::string merchant = test::read_text(dir / "rules/merchants/demo.json");
    merchant.replace(merchant.find("\"id\": \"demo\""), 12, "\"id\": \"other\"");
    merchant.replace(merchant.find("\"default\": true"), 15, "\"default\": false");
    std::ofstream(dir / "rules/merchants/other.json") << merchant;
    json keys = json::parse(test::read_text(test::home() / "tools/dev-keys.json"));
    keys.push_back({{"id", "other-checkout"}, {"role", "checkout"}, {"merchants", {"other"}},
                    {"sha256", Sha256::hex(other_token)}});
    std::ofstream(dir / "keys.json") << keys.dump();
    o.keys_path = (dir / "keys.json").string();
  });
  test::HttpClient c(s.base);
  // "the same 404 as for an unknown id": the body, with the id swapped for an unknown one of the
  // same length, is byte for byte that of the unknown id.
  const auto same_as_unknown = [&](const test::HttpResult& r, const std::string& id, const std::string& path_prefix,
                                   const std::string& method, const std::string& order_body_prefix = "") {
    const std::string unknown = id.substr(0, 2) + std::string(id.size() - 2, 'z');
    const auto u = method == "GET" ? c.request("GET", path_prefix + unknown, other_token)
                                   : c.request("POST", path_prefix, other_token, order_body_prefix + unknown + "\"}");
    CHECK(r.status == 404);
    CHECK(u.status == 404);
    std::string b = r.body;
    for (auto at = b.find(id); at != std::string::npos; at = b.find(id)) b.replace(at, id.size(), unknown);
    CHECK(b == u.body);
    CHECK(r.headers["content-type"] == u.headers["content-type"]);
  };
  const auto demo_quote = c.request("POST", "/v1/quotes", checkout, cart());
  REQUIRE(demo_quote.status == 201);
  const std::string qid = body_of(demo_quote)["quote_id"];
  same_as_unknown(c.request("GET", "/v1/quotes/" + qid, other_token), qid, "/v1/quotes/", "GET");
  same_as_unknown(c.request("POST", "/v1/orders", other_token, json{{"quote_id", qid}}.dump()), qid, "/v1/orders",
                  "POST", "{\"quote_id\":\"");
  const auto order = c.request("POST", "/v1/orders", checkout, json{{"quote_id", qid}}.dump());
  REQUIRE(order.status == 201);  // the failed attempt above did not take it
  const std::string oid = body_of(order)["order_id"];
  same_as_unknown(c.request("GET", "/v1/orders/" + oid, other_token), oid, "/v1/orders/", "GET");
  CHECK(c.request("GET", "/v1/orders/" + oid, checkout).status == 200);
  CHECK(c.request("GET", "/v1/orders/" + oid, admin).status == 200);

  // Quoting as a merchant the key does not act for reads exactly like an unknown merchant.
  std::string as_nosuch = cart(), as_other = cart(), as_default = cart();
  as_nosuch.replace(as_nosuch.find("\"merchant\": \"demo\""), 18, "\"merchant\": \"nosuc\"");
  as_other.replace(as_other.find("\"merchant\": \"demo\""), 18, "\"merchant\": \"other\"");
  as_default.erase(as_default.find("\"merchant\": \"demo\","), 19);
  const auto unknown = c.request("POST", "/v1/quotes", other_token, as_nosuch);
  CHECK(unknown.status == 422);
  CHECK(body_of(unknown)["errors"][0]["pointer"] == "/merchant");
  const auto refused = c.request("POST", "/v1/quotes", other_token, cart());
  const std::string expected = std::regex_replace(unknown.body, std::regex("nosuc"), "demo");
  CHECK(refused.status == 422);
  CHECK(refused.body == expected);
  const auto refused_default = c.request("POST", "/v1/quotes", other_token, as_default);  // the default is demo
  CHECK(refused_default.status == 422);
  CHECK(refused_default.body == expected);
  CHECK(c.request("POST", "/v1/quotes", checkout, as_other).body ==
        std::regex_replace(unknown.body, std::regex("nosuc"), "other"));

  // Its own merchant works, and is then invisible to the demo key but not to admin.
  const auto own = c.request("POST", "/v1/quotes", other_token, as_other);
  REQUIRE(own.status == 201);
  const std::string own_id = body_of(own)["quote_id"];
  CHECK(c.request("GET", "/v1/quotes/" + own_id, other_token).status == 200);
  CHECK(c.request("GET", "/v1/quotes/" + own_id, checkout).status == 404);
  CHECK(c.request("GET", "/v1/quotes/" + own_id, admin).status == 200);
  CHECK(c.request("POST", "/v1/orders", other_token, json{{"quote_id", own_id}}.dump()).status == 201);
}

TEST_CASE("A write-locked database: reads stay fast and writes get 503 with Retry-After until it is released") {
  Running s;
  test::HttpClient c(s.base);
  const std::string qid = body_of(c.request("POST", "/v1/quotes", checkout, cart()))["quote_id"];
  const auto order = c.request("POST", "/v1/orders", checkout, json{{"quote_id", qid}}.dump());
  REQUIRE(order.status == 201);
  const std::string oid = body_of(order)["order_id"];
  const std::string pending = body_of(c.request("POST", "/v1/quotes", checkout, cart()))["quote_id"];
  REQUIRE(await([&] { return s.service && body_of(c.request("GET", "/readyz"))["queued_quotes"] == 0; }));

  // Another connection takes the write lock (a backup, a migration, an operator's sqlite3).
  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open((s.dir / "landed.db").string().c_str(), &other) == SQLITE_OK);
  REQUIRE(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
  // Quotes keep coming: the writer is now failing to commit them (and holding nothing readers need).
  const std::string queued = body_of(c.request("POST", "/v1/quotes", checkout, cart()))["quote_id"];
  REQUIRE(await([&] { return c.request("GET", "/readyz").status == 503; }));
  const auto ready = c.request("GET", "/readyz");
  CHECK(body_of(ready)["status"] == "not ready");
  CHECK(body_of(ready)["reason"].get<std::string>().find("not writable") != std::string::npos);

  double read_ms = 0;
  for (int i = 0; i < 5; ++i) {
    const auto t = std::chrono::steady_clock::now();
    const auto got = c.request("GET", "/v1/orders/" + oid, checkout);
    read_ms = std::max(read_ms, millis_since(t));
    CHECK(got.status == 200);
  }
  CHECK(read_ms < 1000);  // before: 13 s behind SQLite's 5 s busy waits; a read never waits for the write lock
  CHECK(c.request("GET", "/v1/quotes/" + qid, checkout).status == 200);
  CHECK(c.request("GET", "/v1/quotes/" + queued, checkout).status == 200);  // from memory

  const auto t = std::chrono::steady_clock::now();
  const auto refused = c.request("POST", "/v1/orders", checkout, json{{"quote_id", pending}}.dump());
  const double write_ms = millis_since(t);
  CHECK(refused.status == 503);
  CHECK(refused.headers["retry-after"] == std::to_string(limits::store_retry_after_seconds));
  CHECK(refused.headers["content-type"] == "application/problem+json");
  CHECK(body_of(refused)["type"] == "/problems/store_unavailable");
  CHECK(write_ms < 4 * limits::db_write_wait_ms + 1000);  // bounded: never SQLite's 5 s busy wait
  const auto metrics = c.request("GET", "/metrics").body;
  CHECK(metrics.find("landed_store_write_failures_total 0") == std::string::npos);
  CHECK(metrics.find("landed_store_write_failures_total ") != std::string::npos);

  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  CHECK(await([&] { return c.request("GET", "/readyz").status == 200; }));
  CHECK(c.request("POST", "/v1/orders", checkout, json{{"quote_id", pending}}.dump()).status == 201);
  CHECK(c.request("POST", "/v1/orders", checkout, json{{"quote_id", queued}}.dump()).status == 201);
  WARN("locked database: GET /v1/orders/{id} took at most " << read_ms << " ms; POST /v1/orders answered 503 in "
                                                            << write_ms << " ms");
}
