#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unistd.h>

#include "store/store.h"
#include "support.h"

using namespace landed;
using namespace landed::store;
namespace fs = std::filesystem;

namespace {

struct TempDb {
  fs::path path;
  TempDb() {
    static int n = 0;
    path = fs::temp_directory_path() / ("landed-store-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".db");
    fs::remove(path);
  }
  ~TempDb() {
    for (const char* s : {"", "-wal", "-shm"}) fs::remove(path.string() + s);
  }
};

Timestamp at(const char* t) { return *Timestamp::parse(t); }

StoredQuote quote(const std::string& id, const char* created = "2026-11-23T16:00:00Z") {
  const Timestamp c = at(created);
  return {id, "k1", "{}", "{\"quote_id\":\"" + id + "\"}", "sha256:r", "sha256:x", "HR", c, c.plus_seconds(1800), "demo"};
}

using test::await;

const MerchantFilter any = [](std::string_view) { return true; };

std::unique_ptr<Store> open_store(const TempDb& db, StoreOptions o = {}) {
  auto s = Store::open(db.path.string(), std::move(o));
  for (const auto& e : s.ok() ? Errors{} : s.errors()) UNSCOPED_INFO(e.message);
  REQUIRE(s.ok());
  return std::move(s).value();
}

}  // namespace

TEST_CASE("Store migrates a new database and reopens an existing one") {
  TempDb db;
  {
    auto s = Store::open(db.path.string());
    REQUIRE(s.ok());
    CHECK(*(*s)->schema_version() == 3);
  }
  auto again = Store::open(db.path.string());
  REQUIRE(again.ok());
  CHECK(*(*again)->schema_version() == 3);
}

TEST_CASE("Store refuses a path it cannot open") {
  CHECK_FALSE(Store::open("/nonexistent-dir/landed.db").ok());
}

TEST_CASE("A queued quote is readable at once and durable after flush") {
  TempDb db;
  {
    auto s = open_store(db);
    REQUIRE(s->save_quote(quote("q_1"), std::nullopt));
    CHECK(s->quote("q_1")->has_value());  // from memory, before the writer ran
    CHECK(s->flush());
    CHECK(s->queued_quotes() == 0);
    CHECK((*s->quote("q_1"))->response == "{\"quote_id\":\"q_1\"}");
    CHECK_FALSE(s->quote("q_2")->has_value());
  }
  auto reopened = open_store(db);
  CHECK((*reopened->quote("q_1"))->expires_at == at("2026-11-23T16:30:00Z"));
  CHECK((*reopened->quote("q_1"))->merchant == "demo");
}

TEST_CASE("Orders: created once, refused for unknown, expired or ordered quotes") {
  TempDb db;
  auto s = open_store(db);
  REQUIRE(s->save_quote(quote("q_1"), std::nullopt));  // still queued: the order writes it first
  const auto now = at("2026-11-23T16:10:00Z");
  const auto first = s->create_order("q_1", "o_1", "approved", "k1", now, any, std::nullopt);
  REQUIRE(first.ok());
  CHECK(first->outcome == OrderOutcome::created);
  CHECK(first->order.merchant == "demo");
  const auto second = s->create_order("q_1", "o_2", "approved", "k1", now, any, std::nullopt);
  CHECK(second->outcome == OrderOutcome::already_ordered);
  CHECK(second->order.id == "o_1");
  CHECK(s->create_order("q_9", "o_3", "approved", "k1", now, any, std::nullopt)->outcome == OrderOutcome::quote_not_found);
  REQUIRE(s->save_quote(quote("q_2"), std::nullopt));
  CHECK(s->create_order("q_2", "o_4", "approved", "k1", at("2026-11-23T16:30:00Z"), any, std::nullopt)->outcome ==
        OrderOutcome::quote_expired);
  CHECK((*s->order("o_1"))->quote_id == "q_1");
  CHECK((*s->order("o_1"))->merchant == "demo");
  CHECK_FALSE(s->order("o_4")->has_value());
}

TEST_CASE("Idempotency records are found while queued, after commit, and not after their window") {
  TempDb db;
  auto s = open_store(db);
  const IdempotentResponse r{"k1", "idem-1", "abc", 201, "{\"quote_id\":\"q_1\"}", at("2026-11-23T16:00:00Z"),
                             "/v1/quotes/q_1"};
  REQUIRE(s->save_quote(quote("q_1"), r));
  CHECK((*s->idempotent("k1", "idem-1", at("2026-11-22T16:00:00Z")))->body == r.body);
  CHECK(s->flush());
  CHECK((*s->idempotent("k1", "idem-1", at("2026-11-22T16:00:00Z")))->request_sha256 == "abc");
  CHECK((*s->idempotent("k1", "idem-1", at("2026-11-22T16:00:00Z")))->location == "/v1/quotes/q_1");
  CHECK_FALSE(s->idempotent("k2", "idem-1", at("2026-11-22T16:00:00Z"))->has_value());
  CHECK_FALSE(s->idempotent("k1", "idem-1", at("2026-11-23T16:00:01Z"))->has_value());
}

TEST_CASE("Many queued quotes are written in batches and all survive") {
  TempDb db;
  {
    auto s = open_store(db);
    for (int i = 0; i < 5000; ++i) REQUIRE(s->save_quote(quote("q_" + std::to_string(i)), std::nullopt));
  }  // the destructor flushes
  auto s = open_store(db);
  for (int i = 0; i < 5000; i += 499) CHECK(s->quote("q_" + std::to_string(i))->has_value());
}

TEST_CASE("An order for a quote outside the caller's merchants is refused as an unknown quote") {
  TempDb db;
  auto s = open_store(db);
  const MerchantFilter only_other = [](std::string_view m) { return m == "other"; };
  const auto now = at("2026-11-23T16:10:00Z");
  REQUIRE(s->save_quote(quote("q_1"), std::nullopt));  // queued
  CHECK(s->create_order("q_1", "o_1", "approved", "k2", now, only_other, std::nullopt)->outcome ==
        OrderOutcome::quote_not_found);
  REQUIRE(s->flush());  // committed
  CHECK(s->create_order("q_1", "o_2", "approved", "k2", now, only_other, std::nullopt)->outcome ==
        OrderOutcome::quote_not_found);
  CHECK_FALSE(s->order("o_1")->has_value());
  CHECK_FALSE(s->order("o_2")->has_value());
  CHECK(s->create_order("q_1", "o_3", "approved", "k1", now, any, std::nullopt)->outcome == OrderOutcome::created);
}

TEST_CASE("Migration 2 gives the quotes and orders of a version 1 database their merchant") {
  TempDb db;
  {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db.path.string().c_str(), &raw) == SQLITE_OK);
    // Version 1 exactly as it shipped, with one ordered and one unordered quote.
    const char* v1 = R"sql(
      CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
      INSERT INTO schema_migrations VALUES (1, 0);
      CREATE TABLE quotes (id TEXT PRIMARY KEY, key_id TEXT NOT NULL, request TEXT NOT NULL, response TEXT NOT NULL,
        rules_version TEXT NOT NULL, rates_version TEXT NOT NULL, destination TEXT NOT NULL,
        created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE orders (id TEXT PRIMARY KEY, quote_id TEXT NOT NULL UNIQUE REFERENCES quotes(id),
        status TEXT NOT NULL, key_id TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE idempotency (key_id TEXT NOT NULL, idempotency_key TEXT NOT NULL, request_sha256 TEXT NOT NULL,
        status INTEGER NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (key_id, idempotency_key));
      INSERT INTO quotes VALUES ('q_a', 'k1', '{}', '{"quote_id":"q_a","merchant":"demo"}', 'r', 'x', 'HR', 0, 1800);
      INSERT INTO quotes VALUES ('q_b', 'k1', '{}', '{"quote_id":"q_b","merchant":"acme"}', 'r', 'x', 'HR', 0, 1800);
      INSERT INTO orders VALUES ('o_a', 'q_a', 'approved', 'k1', 60);
      INSERT INTO idempotency VALUES ('k1', 'i-1', 'abc', 201, '{}', 0);
    )sql";
    REQUIRE(sqlite3_exec(raw, v1, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
  }
  StoreOptions o;
  o.clock = std::make_shared<ManualClock>(at("2030-01-01T00:00:00Z"));  // long past every retention
  o.prune_interval_ms = 3600 * 1000;
  auto s = open_store(db, o);
  CHECK(*s->schema_version() == 3);
  CHECK((*s->quote("q_a"))->merchant == "demo");
  CHECK((*s->quote("q_b"))->merchant == "acme");
  CHECK((*s->order("o_a"))->merchant == "demo");
  CHECK((*s->idempotent("k1", "i-1", Timestamp::from_seconds(0)))->location.empty());
  // The old order's quote is marked as books: retention removes the unordered one only.
  CHECK(*s->prune() == 2);  // q_b and the idempotency record
  CHECK(s->quote("q_a")->has_value());
  CHECK_FALSE(s->quote("q_b")->has_value());
}

TEST_CASE("Orders commit with synchronous FULL and quote batches with NORMAL") {
  // What the order path's durability relies on: its COMMIT fsyncs the log (FULL = 2); a quote
  // batch only hands it to the OS (NORMAL = 1), which survives a process crash, not a power cut.
  TempDb db;
  std::mutex mu;
  std::vector<std::pair<std::string, int>> commits;
  StoreOptions o;
  o.before_commit = [&](std::string_view what, int synchronous) {
    std::lock_guard lock(mu);
    commits.emplace_back(std::string(what), synchronous);
  };
  o.prune_interval_ms = 3600 * 1000;
  auto s = open_store(db, o);
  REQUIRE(s->save_quote(quote("q_1"), std::nullopt));
  REQUIRE(s->flush());
  REQUIRE(s->save_quote(quote("q_2"), std::nullopt));
  REQUIRE(s->create_order("q_2", "o_2", "approved", "k1", at("2026-11-23T16:10:00Z"), any, std::nullopt)->outcome ==
          OrderOutcome::created);
  REQUIRE(s->save_quote(quote("q_3"), std::nullopt));
  REQUIRE(s->flush());
  std::lock_guard lock(mu);
  int orders = 0, batches = 0;
  for (const auto& [what, synchronous] : commits) {
    INFO(what);
    if (what == "order") {
      CHECK(synchronous == 2);
      ++orders;
    }
    if (what == "quotes") {
      CHECK(synchronous == 1);
      ++batches;
    }
  }
  CHECK(orders == 1);
  CHECK(batches >= 2);  // before and after the order: the order's FULL does not leak into batches
  CHECK(commits.back() == std::pair<std::string, int>{"quotes", 1});
}

TEST_CASE("A full quote queue refuses at once and the store recovers when the lock is released") {
  TempDb db;
  StoreOptions o;
  o.quote_queue_max = 10;
  o.prune_interval_ms = 3600 * 1000;
  auto s = open_store(db, o);
  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open(db.path.string().c_str(), &other) == SQLITE_OK);
  REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  for (int i = 0; i < 10; ++i) REQUIRE(s->save_quote(quote("q_" + std::to_string(i)), std::nullopt));
  const auto started = std::chrono::steady_clock::now();
  CHECK_FALSE(s->save_quote(quote("q_10"), std::nullopt));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(limits::db_write_wait_ms - 50));  // never a wait
  CHECK(s->quote("q_3")->has_value());  // queued quotes stay readable
  CHECK_FALSE(s->flush(std::chrono::milliseconds(300)));  // bounded
  CHECK(await([&] { return !s->health().writable; }));
  CHECK(s->health().queued == 10);
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  CHECK(s->flush(std::chrono::milliseconds(5000)));
  CHECK(s->health().writable);
  CHECK(s->health().write_failures > 0);
  CHECK(s->save_quote(quote("q_10"), std::nullopt));
}

TEST_CASE("Retention keeps row counts and file size bounded over a long run and never prunes an ordered quote") {
  // 30,000 quotes, one every 10 s of ManualClock time (3.5 days), each with an idempotency
  // record; every 250th is ordered. Retention: 1 day after expiry for quotes, 1 day for
  // idempotency, so the steady state is ~8,820 unordered quotes plus the orders' quotes.
  TempDb db;
  auto clock = std::make_shared<ManualClock>(at("2026-01-01T00:00:00Z"));
  StoreOptions o;
  o.clock = clock;
  o.quote_retention_seconds = 86400;
  o.idempotency_retention_seconds = 86400;
  o.prune_interval_ms = 0;  // the writer prunes between every batch
  // This test is about retention, not lock waits: under a sanitizer on a loaded machine a batch
  // plus its prune can hold the write lock past the default wait, and an order would get 503.
  o.write_wait_ms = 30000;
  auto s = open_store(db, o);
  constexpr int total = 30000, step_seconds = 10, ttl = 1800, order_every = 250;
  const std::string filler(1500, 'x');
  std::vector<std::string> orders;
  const auto size_of = [&] {
    const auto st = *s->stats();
    return st.page_count * st.page_size;
  };
  std::int64_t mid_size = 0;
  constexpr std::int64_t live_quotes = (86400 + ttl) / step_seconds, live_idem = 86400 / step_seconds;
  for (int i = 0; i < total; ++i) {
    clock->advance(step_seconds);
    const Timestamp now = clock->now();
    const std::string id = "q_" + std::to_string(i);
    StoredQuote q{id, "k1", "{}", filler, "r", "x", "HR", now, now.plus_seconds(ttl), "demo"};
    REQUIRE(s->save_quote(std::move(q), IdempotentResponse{"k1", "i-" + std::to_string(i), "h", 201, filler, now, ""}));
    if (i % order_every == 0) {
      const std::string oid = "o_" + std::to_string(i);
      REQUIRE(s->create_order(id, oid, "approved", "k1", now, any, std::nullopt)->outcome == OrderOutcome::created);
      orders.push_back(oid);
    }
    if (i % 1000 == 999) REQUIRE(s->flush());
    if (i == total / 2) {
      // Nothing left in the queue, so the counts below can only fall (a quote committed between
      // the await and the checks would add a row).
      REQUIRE(s->flush());
      // The background prune (not an explicit call) has caught up: await it, bounded.
      await([&] {
        const auto st = *s->stats();
        return st.idempotency <= live_idem + 1 && st.quotes <= live_quotes + 1 + i / order_every + 1;
      });
      const auto st = *s->stats();
      CHECK(st.idempotency <= live_idem + 1);
      CHECK(st.quotes <= live_quotes + 1 + i / order_every + 1);
      mid_size = size_of();
    }
  }
  REQUIRE(s->flush());
  REQUIRE(s->prune().ok());
  const auto st = *s->stats();
  CHECK(st.idempotency <= live_idem + 1);
  CHECK(st.quotes <= live_quotes + 1 + std::int64_t(orders.size()));
  CHECK(st.orders == std::int64_t(orders.size()));
  for (const auto& oid : orders) {
    const auto ordered = *s->order(oid);
    REQUIRE(ordered);
    CHECK(s->quote(ordered->quote_id)->has_value());  // books: never pruned
  }
  const std::int64_t end_size = size_of();
  // Twice the data went through as in the first half, yet the file barely grew: freed pages are
  // reused. (Without pruning it would hold all 30,000 quotes and records: ~100 MB.)
  CHECK(end_size <= mid_size + mid_size / 4);
  std::error_code ec;
  const auto wal = fs::file_size(db.path.string() + "-wal", ec);
  WARN("retention: " << total << " quotes; rows now " << st.quotes << " quotes, " << st.idempotency
                     << " idempotency, " << st.orders << " orders; db " << end_size / 1024 << " KiB (at half-run "
                     << mid_size / 1024 << " KiB), " << st.freelist_pages << " free pages, WAL " << wal / 1024 << " KiB");
}

// --- rate history -------------------------------------------------------------------------------

namespace {

RateSet ecb_set(const char* day, const char* usd = "1.1684", const char* fetched = "2026-04-13T15:00:00Z") {
  RateSet r;
  r.source = "ECB";
  r.base = "EUR";
  r.as_of = *Date::parse(day);
  // Any well-formed hash: the store keys by it and does not compute it (fx does).
  r.version = "sha256:" + std::string(64, usd[std::string_view(usd).size() - 1]);
  r.rates = {{"JPY", "186.75"}, {"USD", usd}};
  r.fetched_at = at(fetched);
  r.origin = "feed";
  return r;
}

}  // namespace

TEST_CASE("Rate sets round trip with source day rates as decimal strings and fetch time") {
  TempDb db;
  auto s = open_store(db);
  RateSet provider = ecb_set("2026-11-20", "3.6725");
  provider.source = "PROVIDER";
  provider.base = "USD";
  provider.rates = {{"AED", "3.6725"}, {"KWD", "0.30720"}};
  const auto saved = s->save_rate_sets({ecb_set("2026-04-13"), ecb_set("1999-01-04", "1.1789"), provider});
  REQUIRE(saved.ok());
  CHECK(saved->inserted == 3);
  CHECK(saved->unchanged == 0);
  const auto sets = s->load_rate_sets();
  REQUIRE(sets.ok());
  REQUIRE(sets->size() == 3);
  CHECK((*sets)[0].source == "ECB");
  CHECK((*sets)[0].as_of.to_string() == "1999-01-04");  // by source, then day
  CHECK((*sets)[1].as_of.to_string() == "2026-04-13");
  CHECK((*sets)[1].rates == std::vector<std::pair<std::string, std::string>>{{"JPY", "186.75"}, {"USD", "1.1684"}});
  CHECK((*sets)[1].fetched_at == at("2026-04-13T15:00:00Z"));
  CHECK((*sets)[1].origin == "feed");
  CHECK((*sets)[1].version == ecb_set("2026-04-13").version);
  CHECK((*sets)[2].source == "PROVIDER");
  CHECK((*sets)[2].base == "USD");
  CHECK((*sets)[2].rates.at(1).second == "0.30720");  // as published: trailing zero kept
  CHECK(s->stats()->rate_sets == 3);
}

TEST_CASE("Saving the same rate sets again leaves the same rows") {
  TempDb db;
  auto s = open_store(db);
  const std::vector<RateSet> sets = {ecb_set("2026-04-10"), ecb_set("2026-04-13")};
  REQUIRE(s->save_rate_sets(sets)->inserted == 2);
  auto later = sets;
  for (auto& r : later) r.fetched_at = at("2026-05-01T00:00:00Z");  // re-imported later
  const auto again = s->save_rate_sets(later);
  REQUIRE(again.ok());
  CHECK(again->inserted == 0);
  CHECK(again->unchanged == 2);
  CHECK(s->stats()->rate_sets == 2);
  CHECK(s->load_rate_sets()->at(0).fetched_at == at("2026-04-13T15:00:00Z"));  // the first fetch stays
}

TEST_CASE("A corrected day is the set fetched last and an older copy saved again does not undo it") {
  TempDb db;
  auto s = open_store(db);
  REQUIRE(s->save_rate_set(ecb_set("2026-04-13", "1.1684", "2026-04-13T15:00:00Z")).ok());
  REQUIRE(s->save_rate_set(ecb_set("2026-04-13", "1.1685", "2026-04-13T17:00:00Z")).ok());  // the correction
  REQUIRE(s->save_rate_set(ecb_set("2026-04-13", "1.1684", "2026-04-14T09:00:00Z"))->unchanged == 1);
  const auto sets = s->load_rate_sets();
  REQUIRE(sets->size() == 1);
  CHECK(sets->front().rates.at(1).second == "1.1685");
  CHECK(s->stats()->rate_sets == 2);  // both accepted sets are kept
}

TEST_CASE("Bad rate sets are refused with a reason each and nothing is written") {
  TempDb db;
  auto s = open_store(db);
  std::vector<RateSet> bad(9, ecb_set("2026-04-13"));
  bad[0].source = "";
  bad[1].base = "eur";
  bad[2].rates = {};
  bad[3].rates = {{"USD", "1.1e3"}};
  bad[4].rates = {{"USD", "-1.2"}};
  bad[5].rates = {{"USD", "0.000"}};
  bad[6].rates = {{"USD", "1.1"}, {"JPY", "186"}};  // not sorted
  bad[7].version = "1234";
  bad[8].rates = {{"usd", "1.1"}};
  const auto saved = s->save_rate_sets(bad);
  REQUIRE_FALSE(saved.ok());
  CHECK(saved.errors().size() == 9);
  CHECK(saved.errors()[3].message.find("USD: the rate must be a positive decimal string") != std::string::npos);
  CHECK(saved.errors()[6].message.find("sorted by code") != std::string::npos);
  std::vector<RateSet> mixed = {ecb_set("2026-04-10"), bad[4]};  // one bad: none written
  CHECK_FALSE(s->save_rate_sets(mixed).ok());
  CHECK(s->stats()->rate_sets == 0);
}

TEST_CASE("A rate set row edited by hand is refused when the history is loaded") {
  TempDb db;
  {
    auto s = open_store(db);
    REQUIRE(s->save_rate_set(ecb_set("2026-04-13")).ok());
  }
  for (const char* edit : {"UPDATE rate_sets SET rates = '{\"USD\": 1.1684}'", "UPDATE rate_sets SET rates = 'nonsense'",
                           "UPDATE rate_sets SET as_of = '2026-13-01'", "UPDATE rate_sets SET rates = '{\"USD\": \"abc\"}'"}) {
    INFO(edit);
    {
      sqlite3* raw = nullptr;
      REQUIRE(sqlite3_open(db.path.c_str(), &raw) == SQLITE_OK);
      REQUIRE(sqlite3_exec(raw, "DELETE FROM rate_sets", nullptr, nullptr, nullptr) == SQLITE_OK);
      sqlite3_close(raw);
      auto s = open_store(db);
      REQUIRE(s->save_rate_set(ecb_set("2026-04-13")).ok());
    }
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db.path.c_str(), &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, edit, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
    auto s = open_store(db);
    const auto sets = s->load_rate_sets();
    REQUIRE_FALSE(sets.ok());
    CHECK(sets.error().message.find("rate_sets row ECB") != std::string::npos);
  }
}
