// Store: Landed's state in one SQLite file (WAL): quotes, orders, idempotency records.
//
// Quotes leave the request path: save_quote() queues the row and a writer thread commits the
// queue in batches (every quote_flush_ms, or sooner when quote_batch_max rows wait), so quote
// throughput is not bound by commits. Until committed, a queued quote is served from memory, so
// a GET or an order right after the 201 finds it. A crash of the process loses at most the last
// quote_flush_ms of quotes (a crash of the machine, those since the last order or checkpoint):
// the buyer asks again. Orders are committed with synchronous=FULL before create_order()
// returns, so an order that got a 2xx, and its quote, survive kill -9 and power loss.
//
// Thread-safe. Amounts cross into SQLite as decimal strings inside the stored JSON.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "core/date.h"
#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace landed::store {

struct StoredQuote {
  std::string id;
  std::string key_id;         // API key that created it
  std::string request;        // request body as received
  std::string response;       // response body as returned (API.md: GET returns it exactly)
  std::string rules_version, rates_version;
  std::string destination;    // ISO country, for metrics and reporting
  Timestamp created_at = Timestamp::from_seconds(0);
  Timestamp expires_at = Timestamp::from_seconds(0);
};

struct Order {
  std::string id;
  std::string quote_id;
  std::string status;  // approved | pending_review | rejected
  std::string key_id;
  Timestamp created_at = Timestamp::from_seconds(0);
};

// What a POST with an Idempotency-Key returned, so a retry gets the same answer.
struct IdempotentResponse {
  std::string key_id, idempotency_key;
  std::string request_sha256;  // of method + path + body
  int status = 0;
  std::string body;
  Timestamp created_at = Timestamp::from_seconds(0);
};

enum class OrderOutcome { created, quote_not_found, quote_expired, already_ordered };

struct OrderResult {
  OrderOutcome outcome;
  Order order;  // the new order, or for already_ordered the existing one
};

class Store {
 public:
  // Opens (creating if needed) and migrates the database; starts the quote writer.
  static Result<std::unique_ptr<Store>> open(const std::string& path);
  ~Store();  // flushes queued quotes
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int schema_version() const;

  // Queues the quote (and, if given, the idempotency record of its response) for the writer.
  // The quote is shared, not copied, between the queue and the pending index.
  void save_quote(std::shared_ptr<const StoredQuote> quote, std::optional<IdempotentResponse> idempotency);
  void save_quote(StoredQuote quote, std::optional<IdempotentResponse> idempotency) {
    save_quote(std::make_shared<const StoredQuote>(std::move(quote)), std::move(idempotency));
  }
  std::optional<StoredQuote> quote(const std::string& id);
  // Blocks until every quote queued before the call is committed.
  void flush();

  // In one transaction: checks the quote exists, is live at `now` and has no order, then inserts
  // the order (and its idempotency record) and commits durably.
  Result<OrderResult> create_order(const std::string& quote_id, const std::string& order_id, const std::string& status,
                                   const std::string& key_id, Timestamp now,
                                   std::optional<IdempotentResponse> idempotency);
  std::optional<Order> order(const std::string& id);

  // The stored response for (key id, idempotency key) newer than `not_before`, queued or committed.
  std::optional<IdempotentResponse> idempotent(const std::string& key_id, const std::string& key, Timestamp not_before);

  std::size_t queued_quotes();

 private:
  Store(sqlite3* db, sqlite3_stmt* insert_quote, sqlite3_stmt* insert_idempotency);
  void writer_loop();
  using Queued = std::pair<std::shared_ptr<const StoredQuote>, std::optional<IdempotentResponse>>;
  bool write_batch(const std::deque<Queued>& batch);
  void insert_quote_locked(const StoredQuote& q);
  void insert_idempotency_locked(const IdempotentResponse& r);

  sqlite3* db_;
  mutable std::mutex db_mu_;  // one connection, used by one thread at a time
  // Prepared once: the quote writer runs them thousands of times a second. Under db_mu_.
  sqlite3_stmt* insert_quote_ = nullptr;
  sqlite3_stmt* insert_idempotency_ = nullptr;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_, flushed_cv_;
  std::deque<Queued> queue_;
  // Queued or being written: readable before commit. Keys view the ids inside the values.
  std::unordered_map<std::string_view, std::shared_ptr<const StoredQuote>> pending_quotes_;
  std::map<std::pair<std::string, std::string>, IdempotentResponse> pending_idempotency_;
  std::uint64_t queued_seq_ = 0, written_seq_ = 0;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace landed::store
