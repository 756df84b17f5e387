#include <catch2/catch.hpp>
#include <filesystem>
#include <unistd.h>

#include "store/store.h"

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
  return {id, "k1", "{}", "{\"quote_id\":\"" + id + "\"}", "sha256:r", "sha256:x", "HR", c, c.plus_seconds(1800)};
}

}  // namespace

TEST_CASE("Store migrates a new database and reopens an existing one") {
  TempDb db;
  {
    auto s = Store::open(db.path.string());
    REQUIRE(s.ok());
    CHECK((*s)->schema_version() == 1);
  }
  auto again = Store::open(db.path.string());
  REQUIRE(again.ok());
  CHECK((*again)->schema_version() == 1);
}

TEST_CASE("Store refuses a path it cannot open") {
  CHECK_FALSE(Store::open("/nonexistent-dir/landed.db").ok());
}

TEST_CASE("A queued quote is readable at once and durable after flush") {
  TempDb db;
  {
    auto s = std::move(Store::open(db.path.string())).value();
    s->save_quote(quote("q_1"), std::nullopt);
    CHECK(s->quote("q_1").has_value());  // from memory, before the writer ran
    s->flush();
    CHECK(s->queued_quotes() == 0);
    CHECK(s->quote("q_1")->response == "{\"quote_id\":\"q_1\"}");
    CHECK_FALSE(s->quote("q_2").has_value());
  }
  auto reopened = std::move(Store::open(db.path.string())).value();
  CHECK(reopened->quote("q_1")->expires_at == at("2026-11-23T16:30:00Z"));
}

TEST_CASE("Orders: created once, refused for unknown, expired or ordered quotes") {
  TempDb db;
  auto s = std::move(Store::open(db.path.string())).value();
  s->save_quote(quote("q_1"), std::nullopt);  // still queued: the order writes it first
  const auto now = at("2026-11-23T16:10:00Z");
  const auto first = s->create_order("q_1", "o_1", "approved", "k1", now, std::nullopt);
  REQUIRE(first.ok());
  CHECK(first->outcome == OrderOutcome::created);
  const auto second = s->create_order("q_1", "o_2", "approved", "k1", now, std::nullopt);
  CHECK(second->outcome == OrderOutcome::already_ordered);
  CHECK(second->order.id == "o_1");
  CHECK(s->create_order("q_9", "o_3", "approved", "k1", now, std::nullopt)->outcome == OrderOutcome::quote_not_found);
  s->save_quote(quote("q_2"), std::nullopt);
  CHECK(s->create_order("q_2", "o_4", "approved", "k1", at("2026-11-23T16:30:00Z"), std::nullopt)->outcome ==
        OrderOutcome::quote_expired);
  CHECK(s->order("o_1")->quote_id == "q_1");
  CHECK_FALSE(s->order("o_4").has_value());
}

TEST_CASE("Idempotency records are found while queued, after commit, and not after their window") {
  TempDb db;
  auto s = std::move(Store::open(db.path.string())).value();
  const IdempotentResponse r{"k1", "idem-1", "abc", 201, "{\"quote_id\":\"q_1\"}", at("2026-11-23T16:00:00Z")};
  s->save_quote(quote("q_1"), r);
  CHECK(s->idempotent("k1", "idem-1", at("2026-11-22T16:00:00Z"))->body == r.body);
  s->flush();
  CHECK(s->idempotent("k1", "idem-1", at("2026-11-22T16:00:00Z"))->request_sha256 == "abc");
  CHECK_FALSE(s->idempotent("k2", "idem-1", at("2026-11-22T16:00:00Z")).has_value());
  CHECK_FALSE(s->idempotent("k1", "idem-1", at("2026-11-23T16:00:01Z")).has_value());
}

TEST_CASE("Many queued quotes are written in batches and all survive") {
  TempDb db;
  {
    auto s = std::move(Store::open(db.path.string())).value();
    for (int i = 0; i < 5000; ++i) s->save_quote(quote("q_" + std::to_string(i)), std::nullopt);
  }  // the destructor flushes
  auto s = std::move(Store::open(db.path.string())).value();
  for (int i = 0; i < 5000; i += 499) CHECK(s->quote("q_" + std::to_string(i)).has_value());
}
