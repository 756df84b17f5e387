// Store: Landed's state in one SQLite file (WAL): quotes, orders, idempotency records.
//
// Quotes leave the request path: save_quote() queues the row and a writer thread commits the
// queue in batches (every quote_flush_ms, or sooner when quote_batch_max rows wait), so quote
// throughput is not bound by commits. Until committed, a queued quote is served from memory, so
// a GET or an order right after the 201 finds it. The queue is bounded: when it is full (the disk
// is failing or far behind) save_quote refuses at once instead of making the caller wait.
//
// Durability. Quote batches commit with synchronous=NORMAL: in WAL mode the log is in the OS
// before COMMIT returns, so a crash of the process loses only what was still queued (at most
// quote_flush_ms of quotes), while a power cut can also lose batches committed since the last
// fsync. Orders commit with synchronous=FULL before create_order() returns: the log is fsynced,
// so an order that got a 2xx, its quote and every quote committed before it survive a power cut
// (on a disk that honours fsync).
//
// Connections. One write connection, shared by the writer thread and create_order() under a
// mutex, which waits at most db_write_wait_ms for the mutex and for SQLite's write lock, then
// fails (the caller answers 503). Reads use a small pool of their own connections: in WAL mode
// they run beside the writer and never wait for it, so a locked or full disk does not stall them.
//
// Retention. The writer thread prunes, between batches and in chunks of prune_chunk_rows,
// idempotency records older than their retention and unordered quotes expired longer than
// theirs, reckoned by the injected Clock. Ordered quotes are never pruned. Freed pages are
// reused by later rows, so the file stays at the size of what is retained.
//
// Rate history (rate_sets): every accepted day of reference rates with its source and fetch time,
// written by the serve refresher and `landed rates import`, read whole when a snapshot loads.
//
// Thread-safe. Amounts and rates cross into SQLite as decimal strings (inside JSON text).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/limits.h"
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
  std::string merchant;       // the merchant it was priced for: only keys acting for it see it
};

struct Order {
  std::string id;
  std::string quote_id;
  std::string status;  // approved | pending_review | rejected
  std::string key_id;
  Timestamp created_at = Timestamp::from_seconds(0);
  std::string merchant;  // its quote's
};

// What a POST with an Idempotency-Key returned, so a retry gets the same answer.
struct IdempotentResponse {
  std::string key_id, idempotency_key;
  std::string request_sha256;  // of method + path + body
  int status = 0;
  std::string body;
  Timestamp created_at = Timestamp::from_seconds(0);
  std::string location;  // the Location header it carried, or empty
};

// One day of one source's reference rates, as Landed accepted it (issue #14, "History"): the
// rates are decimal strings exactly as the source published them (units of each currency per 1
// base), never floating point. A row is keyed by (source, as_of, version): every accepted set is
// kept, and saving the same set again changes nothing.
struct RateSet {
  std::string source;   // as quotes name it: "ECB", "PROVIDER"; 1 to 32 of A-Z, 0-9, _
  std::string base;     // ISO 4217 code: "EUR" for the ECB
  Date as_of = *Date::parse("1999-01-04");
  std::string version;  // the day's content hash ("sha256:" + 64 hex), as fx computes it
  std::vector<std::pair<std::string, std::string>> rates;  // (ISO 4217 code, decimal string), by code
  Timestamp fetched_at = Timestamp::from_seconds(0);      // when Landed fetched or imported it
  std::string origin;   // how it came: "feed", "import" (a short word, for operators)
};

struct RateSetsSaved {
  std::int64_t inserted = 0;   // sets the history did not hold
  std::int64_t unchanged = 0;  // already held (same source, day and version): left as they were
};

enum class OrderOutcome { created, quote_not_found, quote_expired, already_ordered };

struct OrderResult {
  OrderOutcome outcome;
  Order order;  // the new order, or for already_ordered the existing one
};

// Which merchants' quotes a caller may see; a quote outside is treated as unknown.
using MerchantFilter = std::function<bool(std::string_view merchant)>;

struct StoreOptions {
  std::shared_ptr<const Clock> clock;  // what "now" is for pruning; null: the system clock
  std::int64_t quote_retention_seconds = limits::quote_retention_days_default * 86400;
  std::int64_t idempotency_retention_seconds = limits::idempotency_ttl_seconds;
  std::size_t quote_queue_max = limits::quote_queue_max;
  int write_wait_ms = limits::db_write_wait_ms;
  int prune_interval_ms = limits::prune_interval_ms;
  // Introspection for tests: called on the writing thread just before each COMMIT with what is
  // committed ("quotes", "order", "prune", "probe") and the write connection's PRAGMA
  // synchronous at that moment (1 NORMAL, 2 FULL).
  std::function<void(std::string_view what, int synchronous)> before_commit;
};

// The store's state as /readyz reports it.
struct StoreHealth {
  bool writable = true;    // the last write (batch, order, prune or probe) succeeded
  std::string last_error;  // why the last write failed, when it did
  std::size_t queued = 0;  // quotes accepted and not yet committed
  std::size_t queue_max = 0, queue_high_water = 0;
  std::uint64_t write_failures = 0;  // failed write transactions since open
};

// Row counts and file pages, for tests and operators.
struct StoreStats {
  std::int64_t quotes = 0, orders = 0, idempotency = 0, rate_sets = 0;
  std::int64_t page_size = 0, page_count = 0, freelist_pages = 0;
};

class Store {
 public:
  // Opens (creating if needed) and migrates the database; starts the quote writer.
  static Result<std::unique_ptr<Store>> open(const std::string& path, StoreOptions options = {});
  // Writes what is queued (one last attempt, bounded by write_wait_ms; what fails is logged).
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Result<int> schema_version();

  // Queues the quote (and, if given, the idempotency record of its response) for the writer.
  // The quote is shared, not copied, between the queue and the pending index. Never waits:
  // false when the queue is full (quote_queue_max) or the store is closing.
  [[nodiscard]] bool save_quote(std::shared_ptr<const StoredQuote> quote, std::optional<IdempotentResponse> idempotency);
  [[nodiscard]] bool save_quote(StoredQuote quote, std::optional<IdempotentResponse> idempotency) {
    return save_quote(std::make_shared<const StoredQuote>(std::move(quote)), std::move(idempotency));
  }
  Result<std::optional<StoredQuote>> quote(const std::string& id);
  // Waits until every quote queued before the call is committed, or `timeout` passes; true if
  // they all were.
  bool flush(std::chrono::milliseconds timeout = std::chrono::milliseconds(limits::db_shutdown_flush_ms));

  // In one transaction: checks the quote exists, belongs to a merchant `visible` accepts, is live
  // at `now` and has no order, then inserts the order (and its idempotency record) and commits
  // durably. An error (503) when the write lock or the disk is not available within write_wait_ms.
  Result<OrderResult> create_order(const std::string& quote_id, const std::string& order_id, const std::string& status,
                                   const std::string& key_id, Timestamp now, const MerchantFilter& visible,
                                   std::optional<IdempotentResponse> idempotency);
  Result<std::optional<Order>> order(const std::string& id);

  // The stored response for (key id, idempotency key) newer than `not_before`, queued or committed.
  Result<std::optional<IdempotentResponse>> idempotent(const std::string& key_id, const std::string& key,
                                                       Timestamp not_before);

  // One pass of retention now, on the calling thread, in chunks; returns the rows deleted.
  // The writer runs the same every prune_interval_ms; this is for tests and tools.
  Result<std::int64_t> prune();

  // Rate history. save_rate_sets checks every set (the shape of each field above; a bad one is
  // an invalid_field error naming it, and nothing is written) and writes them all in one
  // transaction: a set already held is left as it is, so re-saving (re-importing) is idempotent.
  // An unavailable error when the write lock or the disk is not had within write_wait_ms.
  Result<RateSetsSaved> save_rate_sets(const std::vector<RateSet>& sets);
  Result<RateSetsSaved> save_rate_set(const RateSet& set) { return save_rate_sets({set}); }
  // The current set of every (source, day): of the sets held for it, the one fetched last (a
  // correction replaces its day; re-importing an older copy does not undo it). By source, then
  // day. A row that does not read back as a RateSet (edited by hand, corrupt) is an error naming
  // it, and so is a source with more than rate_history_days_max days.
  Result<std::vector<RateSet>> load_rate_sets();

  StoreHealth health();
  Result<StoreStats> stats();
  std::size_t queued_quotes();

 private:
  struct Reader;
  Store(std::string path, StoreOptions options, sqlite3* db, sqlite3_stmt* insert_quote,
        sqlite3_stmt* insert_idempotency);
  void writer_loop();
  using Queued = std::pair<std::shared_ptr<const StoredQuote>, std::optional<IdempotentResponse>>;
  // One write transaction: the write lock within write_wait_ms, BEGIN IMMEDIATE, `body`, commit;
  // health updated either way. False if the lock was not had or the transaction failed.
  bool write_txn(const char* what, const std::function<void()>& body);
  bool write_batch(const std::deque<Queued>& batch);
  bool probe();
  // One chunk per table; nullopt if the write lock was not free (try later).
  std::optional<std::int64_t> prune_chunk(bool& more);
  void insert_quote_locked(const StoredQuote& q);
  void insert_idempotency_locked(const IdempotentResponse& r);
  void commit_locked(std::string_view what);
  void write_succeeded();
  void write_failed(const std::string& what, const std::string& error);
  Result<sqlite3*> acquire_reader();
  void release_reader(sqlite3* db);

  const std::string path_;
  const StoreOptions options_;
  const std::shared_ptr<const Clock> clock_;

  // The write connection and its prepared statements, used by one thread at a time.
  std::timed_mutex write_mu_;
  sqlite3* db_;
  sqlite3_stmt* insert_quote_ = nullptr;
  sqlite3_stmt* insert_idempotency_ = nullptr;

  // Read connections: idle ones, and how many are open.
  std::mutex read_mu_;
  std::condition_variable read_cv_;
  std::vector<sqlite3*> idle_readers_;
  std::size_t readers_open_ = 0;

  std::mutex health_mu_;
  bool writable_ = true;
  std::string last_error_;
  std::atomic<std::uint64_t> write_failures_{0};

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
