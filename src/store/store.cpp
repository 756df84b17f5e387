#include "store/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <cstdio>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/check.h"
#include "core/limits.h"

namespace landed::store {
namespace {

// Each migration moves the schema from version N to N+1; never edit one that has shipped.
constexpr const char* migrations[] = {
    // 1: quotes, orders, idempotency
    R"sql(
    CREATE TABLE quotes (
      id TEXT PRIMARY KEY,
      key_id TEXT NOT NULL,
      request TEXT NOT NULL,
      response TEXT NOT NULL,
      rules_version TEXT NOT NULL,
      rates_version TEXT NOT NULL,
      destination TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    );
    CREATE TABLE orders (
      id TEXT PRIMARY KEY,
      quote_id TEXT NOT NULL UNIQUE REFERENCES quotes(id),
      status TEXT NOT NULL,
      key_id TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE idempotency (
      key_id TEXT NOT NULL,
      idempotency_key TEXT NOT NULL,
      request_sha256 TEXT NOT NULL,
      status INTEGER NOT NULL,
      body TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (key_id, idempotency_key)
    );
    )sql",
    // 2: tenancy (the merchant of each quote and order), the Location of a stored response, and
    // what retention needs: an "ordered" mark so that the expiry index holds only prunable
    // quotes (ordered ones are books, kept forever, and would otherwise be rescanned by every
    // prune), an index by age on idempotency, and a one-row table the writer probes with.
    R"sql(
    ALTER TABLE quotes ADD COLUMN merchant TEXT NOT NULL DEFAULT '';
    ALTER TABLE quotes ADD COLUMN ordered INTEGER NOT NULL DEFAULT 0;
    UPDATE quotes SET merchant = COALESCE(json_extract(response, '$.merchant'), '');
    UPDATE quotes SET ordered = 1 WHERE id IN (SELECT quote_id FROM orders);
    ALTER TABLE orders ADD COLUMN merchant TEXT NOT NULL DEFAULT '';
    UPDATE orders SET merchant = COALESCE((SELECT merchant FROM quotes WHERE quotes.id = orders.quote_id), '');
    ALTER TABLE idempotency ADD COLUMN location TEXT NOT NULL DEFAULT '';
    CREATE INDEX quotes_unordered_by_expiry ON quotes (expires_at) WHERE ordered = 0;
    CREATE INDEX idempotency_by_age ON idempotency (created_at);
    CREATE TABLE store_probe (id INTEGER PRIMARY KEY, at INTEGER NOT NULL);
    )sql",
    // 3: rate history (issue #14): every accepted day of rates per source, kept whole. `rates` is
    // a JSON object of decimal strings ({"USD": "1.1684", ...}); `as_of` is YYYY-MM-DD, so text
    // order is day order; `fetched_at` is Unix seconds. The current set of a day is the one
    // fetched last (index: by source, day and fetch time).
    R"sql(
    CREATE TABLE rate_sets (
      source TEXT NOT NULL,
      as_of TEXT NOT NULL,
      version TEXT NOT NULL,
      base TEXT NOT NULL,
      rates TEXT NOT NULL,
      fetched_at INTEGER NOT NULL,
      origin TEXT NOT NULL,
      PRIMARY KEY (source, as_of, version)
    );
    CREATE INDEX rate_sets_current ON rate_sets (source, as_of, fetched_at);
    )sql",
};

// A prepared statement, finalized on scope exit. Errors are broken invariants here: the SQL is
// ours and the schema migrated, so only disk failure or corruption can make them fail.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("sqlite prepare: ") + sqlite3_errmsg(db));
  }
  // A statement prepared once and kept: reset, not finalized, on scope exit.
  Stmt(sqlite3* db, sqlite3_stmt* cached) : db_(db), s_(cached), owned_(false) {}
  ~Stmt() {
    if (owned_) {
      sqlite3_finalize(s_);
    } else {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  // The text must outlive step(): bound without a copy.
  Stmt& text(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), int(v.size()), SQLITE_STATIC);
    return *this;
  }
  Stmt& integer(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  bool step() {  // true while a row is available
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("sqlite step: ") + sqlite3_errmsg(db_));
  }
  std::string col_text(int i) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, i));
    return p ? std::string(p, std::size_t(sqlite3_column_bytes(s_, i))) : std::string();
  }
  std::int64_t col_int(int i) { return sqlite3_column_int64(s_, i); }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
  bool owned_ = true;
};

sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("sqlite prepare: ") + sqlite3_errmsg(db));
  return s;
}

constexpr const char* insert_quote_sql =
    "INSERT OR IGNORE INTO quotes (id, key_id, request, response, rules_version, rates_version, destination, "
    "created_at, expires_at, merchant) VALUES (?,?,?,?,?,?,?,?,?,?)";
constexpr const char* insert_idempotency_sql =
    "INSERT OR REPLACE INTO idempotency (key_id, idempotency_key, request_sha256, status, body, created_at, location) "
    "VALUES (?,?,?,?,?,?,?)";

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    throw std::runtime_error("sqlite: " + msg);
  }
}

void rollback(sqlite3* db) {
  if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
}

using steady = std::chrono::steady_clock;

int millis_until(steady::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now()).count();
  return int(std::max<std::int64_t>(1, left));
}

Error unavailable(const std::string& what) { return Error{ErrorCode::io_error, what, ""}; }

}  // namespace

Result<std::unique_ptr<Store>> Store::open(const std::string& path, StoreOptions options) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    const std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error{ErrorCode::io_error, "cannot open database " + path + ": " + msg, ""};
  }
  try {
    sqlite3_busy_timeout(db, limits::db_open_wait_ms);
    // Large pages for a new file (an existing one keeps its size): a stored quote is about 5 KB,
    // which with 4 KiB pages spills into overflow pages, one WAL write each. At 64 KiB a page
    // holds a dozen quotes, so a batch costs a few large writes instead of hundreds of small ones.
    // No auto_vacuum: pruned rows leave free pages that later rows reuse, so the file stays at
    // the size of what is retained; incremental vacuum would add pointer-map writes to every
    // batch to give back space the next day's quotes need again.
    exec(db, "PRAGMA page_size=65536;");
    // Quote batches commit with synchronous=NORMAL: in WAL mode that survives a crash of the
    // process (the log is in the OS before COMMIT returns) but not of the machine, and a lost
    // quote only means the buyer asks again. Orders switch to FULL for their transaction, whose
    // fsync of the log also makes every quote before it durable (see create_order).
    exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
    // Bounded page cache (KiB when negative) and WAL size before a checkpoint (pages).
    exec(db, ("PRAGMA cache_size=-" + std::to_string(limits::db_cache_kib) +
              "; PRAGMA wal_autocheckpoint=" + std::to_string(limits::db_wal_checkpoint_pages) + ";")
                 .c_str());
    exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
    std::int64_t version = 0;
    {
      Stmt s(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
      if (s.step()) version = s.col_int(0);
    }
    const auto known = std::int64_t(std::size(migrations));
    if (version > known)
      throw std::runtime_error("database schema version " + std::to_string(version) + " is newer than this landed (" +
                               std::to_string(known) + ")");
    for (std::int64_t v = version; v < known; ++v) {
      exec(db, "BEGIN IMMEDIATE");
      try {
        exec(db, migrations[v]);
        Stmt s(db, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, strftime('%s','now'))");
        s.integer(1, v + 1).step();
        exec(db, "COMMIT");
      } catch (...) {
        rollback(db);
        throw;
      }
    }
    sqlite3_busy_timeout(db, options.write_wait_ms);
  } catch (const std::exception& e) {
    sqlite3_close(db);
    return Error{ErrorCode::io_error, path + ": " + e.what(), ""};
  }
  sqlite3_stmt* insert_quote = nullptr;
  sqlite3_stmt* insert_idempotency = nullptr;
  try {
    insert_quote = prepare(db, insert_quote_sql);
    insert_idempotency = prepare(db, insert_idempotency_sql);
  } catch (const std::exception& e) {
    sqlite3_finalize(insert_quote);
    sqlite3_close(db);
    return Error{ErrorCode::io_error, path + ": " + e.what(), ""};
  }
  return std::unique_ptr<Store>(new Store(path, std::move(options), db, insert_quote, insert_idempotency));
}

Store::Store(std::string path, StoreOptions options, sqlite3* db, sqlite3_stmt* insert_quote,
             sqlite3_stmt* insert_idempotency)
    : path_(std::move(path)),
      options_(std::move(options)),
      clock_(options_.clock ? options_.clock : std::make_shared<const SystemClock>()),
      db_(db),
      insert_quote_(insert_quote),
      insert_idempotency_(insert_idempotency) {
  writer_ = std::thread([this] { writer_loop(); });
}

Store::~Store() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  writer_.join();
  sqlite3_finalize(insert_quote_);
  sqlite3_finalize(insert_idempotency_);
  sqlite3_close(db_);
  std::lock_guard lock(read_mu_);
  LANDED_CHECK(idle_readers_.size() == readers_open_, "no read is in progress when the store closes");
  for (sqlite3* r : idle_readers_) sqlite3_close(r);
}

// --- read connections -------------------------------------------------------------------------

struct Store::Reader {
  Store& store;
  sqlite3* db;
  Reader(Store& s, sqlite3* d) : store(s), db(d) {}
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  ~Reader() { store.release_reader(db); }
};

Result<sqlite3*> Store::acquire_reader() {
  {
    std::unique_lock lock(read_mu_);
    if (!read_cv_.wait_for(lock, std::chrono::milliseconds(limits::db_read_wait_ms), [&] {
          return !idle_readers_.empty() || readers_open_ < limits::db_read_connections_max;
        }))
      return unavailable("every database read connection is busy; try again");
    if (!idle_readers_.empty()) {
      sqlite3* db = idle_readers_.back();
      idle_readers_.pop_back();
      return db;
    }
    ++readers_open_;
  }
  sqlite3* db = nullptr;
  std::string error;
  if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    error = db ? sqlite3_errmsg(db) : "out of memory";
  } else {
    sqlite3_busy_timeout(db, limits::db_read_wait_ms);
    try {
      exec(db, ("PRAGMA query_only=1; PRAGMA cache_size=-" + std::to_string(limits::db_read_cache_kib)).c_str());
      return db;
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  sqlite3_close(db);
  {
    std::lock_guard lock(read_mu_);
    --readers_open_;
  }
  read_cv_.notify_one();
  return unavailable("cannot open a database read connection: " + error);
}

void Store::release_reader(sqlite3* db) {
  {
    std::lock_guard lock(read_mu_);
    idle_readers_.push_back(db);
  }
  read_cv_.notify_one();
}

Result<int> Store::schema_version() {
  auto r = acquire_reader();
  if (!r.ok()) return r.errors();
  Reader lease(*this, *r);
  try {
    Stmt s(lease.db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    return s.step() ? int(s.col_int(0)) : 0;
  } catch (const std::exception& e) {
    return unavailable(e.what());
  }
}

// --- health -----------------------------------------------------------------------------------

void Store::write_succeeded() {
  std::lock_guard lock(health_mu_);
  if (!writable_) std::fprintf(stderr, "landed: database writes succeed again\n");
  writable_ = true;
  last_error_.clear();
}

void Store::write_failed(const std::string& what, const std::string& error) {
  ++write_failures_;
  std::lock_guard lock(health_mu_);
  // Logged when the state changes, not on every retry: a full disk would otherwise fill the log.
  if (writable_) std::fprintf(stderr, "landed: database write failed (%s): %s\n", what.c_str(), error.c_str());
  writable_ = false;
  last_error_ = what + ": " + error;
}

StoreHealth Store::health() {
  StoreHealth h;
  {
    std::lock_guard lock(health_mu_);
    h.writable = writable_;
    h.last_error = last_error_;
  }
  h.write_failures = write_failures_.load();
  h.queue_max = options_.quote_queue_max;
  h.queue_high_water = options_.quote_queue_max * limits::quote_queue_high_water_percent / 100;
  std::lock_guard lock(queue_mu_);
  h.queued = pending_quotes_.size();
  return h;
}

std::size_t Store::queued_quotes() {
  std::lock_guard lock(queue_mu_);
  return pending_quotes_.size();
}

Result<StoreStats> Store::stats() {
  auto r = acquire_reader();
  if (!r.ok()) return r.errors();
  Reader lease(*this, *r);
  try {
    StoreStats st;
    Stmt s(lease.db,
           "SELECT (SELECT count(*) FROM quotes), (SELECT count(*) FROM orders), (SELECT count(*) FROM idempotency), "
           "(SELECT count(*) FROM rate_sets)");
    if (s.step()) {
      st.quotes = s.col_int(0);
      st.orders = s.col_int(1);
      st.idempotency = s.col_int(2);
      st.rate_sets = s.col_int(3);
    }
    for (const auto& [pragma, slot] : {std::pair{"PRAGMA page_size", &st.page_size},
                                       std::pair{"PRAGMA page_count", &st.page_count},
                                       std::pair{"PRAGMA freelist_count", &st.freelist_pages}}) {
      Stmt p(lease.db, pragma);
      if (p.step()) *slot = p.col_int(0);
    }
    return st;
  } catch (const std::exception& e) {
    return unavailable(e.what());
  }
}

// --- the quote writer -------------------------------------------------------------------------

bool Store::save_quote(std::shared_ptr<const StoredQuote> quote, std::optional<IdempotentResponse> idempotency) {
  std::lock_guard lock(queue_mu_);
  // Bounded, and never a wait: a full queue means the disk is failing or far behind, and the
  // caller (a network thread) answers 503 at once instead of stalling its other connections.
  if (stopping_ || pending_quotes_.size() >= options_.quote_queue_max) return false;
  pending_quotes_.emplace(quote->id, quote);
  if (idempotency) pending_idempotency_[{idempotency->key_id, idempotency->idempotency_key}] = *idempotency;
  queue_.emplace_back(std::move(quote), std::move(idempotency));
  ++queued_seq_;
  if (queue_.size() >= limits::quote_batch_max) queue_cv_.notify_one();
  return true;
}

void Store::writer_loop() {
  const auto retry = std::chrono::milliseconds(limits::db_write_retry_ms);
  const auto prune_every = std::chrono::milliseconds(options_.prune_interval_ms);
  auto next_prune = steady::now() + prune_every;
  bool prune_more = false;
  const auto committed = [&](const std::deque<Queued>& batch) {
    for (const auto& [q, idem] : batch) {
      pending_quotes_.erase(q->id);
      if (idem) {
        const auto it = pending_idempotency_.find({idem->key_id, idem->idempotency_key});
        if (it != pending_idempotency_.end() && it->second.request_sha256 == idem->request_sha256)
          pending_idempotency_.erase(it);
      }
    }
  };
  std::unique_lock lock(queue_mu_);
  while (true) {
    queue_cv_.wait_for(lock, std::chrono::milliseconds(limits::quote_flush_ms),
                       [&] { return stopping_ || queue_.size() >= limits::quote_batch_max; });
    if (stopping_) {
      // One last attempt for what is queued, bounded by write_wait_ms; what fails is reported,
      // never retried, so that shutdown ends on a full or locked disk (flush() had its chance).
      while (!queue_.empty()) {
        std::deque<Queued> batch;
        batch.swap(queue_);
        lock.unlock();
        const bool written = write_batch(batch);
        lock.lock();
        if (!written)
          std::fprintf(stderr, "landed: %zu queued quotes were not written before shutdown\n", batch.size());
        committed(batch);
      }
      written_seq_ = queued_seq_;
      flushed_cv_.notify_all();
      return;
    }
    if (!queue_.empty()) {
      std::deque<Queued> batch;
      batch.swap(queue_);
      const std::uint64_t upto = queued_seq_;
      lock.unlock();
      const bool written = write_batch(batch);
      lock.lock();
      if (!written) {
        // Keep them queued (and readable) and try again shortly; save_quote refuses new ones
        // once the queue is full, so memory stays bounded however long the disk is down.
        for (auto it = batch.rbegin(); it != batch.rend(); ++it) queue_.push_front(std::move(*it));
        queue_cv_.wait_for(lock, retry, [&] { return stopping_; });
        continue;
      }
      committed(batch);  // readers find them in the database from now on
      written_seq_ = upto;
      flushed_cv_.notify_all();
    } else {
      bool writable = true;
      {
        std::lock_guard health(health_mu_);
        writable = writable_;
      }
      if (!writable) {
        // Nothing to write, but the last write failed: probe, so that readiness comes back
        // when the disk does, without waiting for traffic a not-ready service does not get.
        lock.unlock();
        const bool ok = probe();
        lock.lock();
        if (!ok) {
          queue_cv_.wait_for(lock, retry, [&] { return stopping_; });
          continue;
        }
      }
    }
    if (prune_more || steady::now() >= next_prune) {
      lock.unlock();
      bool more = false;
      const bool done = prune_chunk(more).has_value();
      lock.lock();
      prune_more = !done || more;
      if (!prune_more) next_prune = steady::now() + prune_every;
    }
  }
}

void Store::insert_quote_locked(const StoredQuote& q) {
  Stmt s(db_, insert_quote_);
  s.text(1, q.id).text(2, q.key_id).text(3, q.request).text(4, q.response).text(5, q.rules_version);
  s.text(6, q.rates_version).text(7, q.destination).integer(8, q.created_at.seconds()).integer(9, q.expires_at.seconds());
  s.text(10, q.merchant).step();
}

void Store::insert_idempotency_locked(const IdempotentResponse& r) {
  Stmt s(db_, insert_idempotency_);
  s.text(1, r.key_id).text(2, r.idempotency_key).text(3, r.request_sha256).integer(4, r.status).text(5, r.body);
  s.integer(6, r.created_at.seconds()).text(7, r.location).step();
}

void Store::commit_locked(std::string_view what) {
  if (options_.before_commit) {
    Stmt s(db_, "PRAGMA synchronous");
    options_.before_commit(what, s.step() ? int(s.col_int(0)) : -1);
  }
  exec(db_, "COMMIT");
}

bool Store::write_txn(const char* what, const std::function<void()>& body) {
  std::unique_lock lock(write_mu_, std::defer_lock);
  if (!lock.try_lock_for(std::chrono::milliseconds(options_.write_wait_ms))) return false;  // an order is slow: retry
  try {
    sqlite3_busy_timeout(db_, options_.write_wait_ms);
    exec(db_, "BEGIN IMMEDIATE");
    body();
    commit_locked(what);
    write_succeeded();
    return true;
  } catch (const std::exception& e) {
    rollback(db_);
    write_failed(what, e.what());
    return false;
  }
}

bool Store::write_batch(const std::deque<Queued>& batch) {
  return write_txn("quotes", [&] {
    for (const auto& [q, idem] : batch) {
      insert_quote_locked(*q);
      if (idem) insert_idempotency_locked(*idem);
    }
  });
}

bool Store::probe() {
  return write_txn("probe", [&] {
    Stmt s(db_, "INSERT OR REPLACE INTO store_probe (id, at) VALUES (1, ?)");
    s.integer(1, clock_->now().seconds()).step();
  });
}

// --- retention --------------------------------------------------------------------------------

std::optional<std::int64_t> Store::prune_chunk(bool& more) {
  const Timestamp now = clock_->now();
  std::int64_t deleted[2] = {0, 0};
  const bool done = write_txn("prune", [&] {
    {
      Stmt s(db_,
             "DELETE FROM idempotency WHERE rowid IN "
             "(SELECT rowid FROM idempotency WHERE created_at < ? ORDER BY created_at LIMIT ?)");
      s.integer(1, now.seconds() - options_.idempotency_retention_seconds).integer(2, limits::prune_chunk_rows).step();
      deleted[0] = sqlite3_changes(db_);
    }
    {
      // `ordered = 0` picks the partial index; the NOT EXISTS is the guarantee (an ordered
      // quote is books, whatever its mark says).
      Stmt s(db_,
             "DELETE FROM quotes WHERE rowid IN (SELECT rowid FROM quotes WHERE ordered = 0 AND expires_at < ? "
             "AND NOT EXISTS (SELECT 1 FROM orders WHERE orders.quote_id = quotes.id) ORDER BY expires_at LIMIT ?)");
      s.integer(1, now.seconds() - options_.quote_retention_seconds).integer(2, limits::prune_chunk_rows).step();
      deleted[1] = sqlite3_changes(db_);
    }
  });
  if (!done) return std::nullopt;
  more = deleted[0] == limits::prune_chunk_rows || deleted[1] == limits::prune_chunk_rows;
  return deleted[0] + deleted[1];
}

Result<std::int64_t> Store::prune() {
  std::int64_t total = 0;
  bool more = true;
  while (more) {
    more = false;
    const auto n = prune_chunk(more);
    if (!n) return unavailable("the database is busy or not writable; pruning stopped");
    total += *n;
  }
  return total;
}

bool Store::flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(queue_mu_);
  const std::uint64_t target = queued_seq_;
  queue_cv_.notify_one();
  return flushed_cv_.wait_for(lock, timeout, [&] { return written_seq_ >= target; });
}

// --- reads and orders -------------------------------------------------------------------------

Result<std::optional<StoredQuote>> Store::quote(const std::string& id) {
  {
    std::lock_guard lock(queue_mu_);
    if (const auto it = pending_quotes_.find(id); it != pending_quotes_.end())
      return std::optional<StoredQuote>(*it->second);
  }
  auto r = acquire_reader();
  if (!r.ok()) return r.errors();
  Reader lease(*this, *r);
  try {
    Stmt s(lease.db,
           "SELECT id, key_id, request, response, rules_version, rates_version, destination, created_at, expires_at, "
           "merchant FROM quotes WHERE id = ?");
    s.text(1, id);
    if (!s.step()) return std::optional<StoredQuote>();
    return std::optional<StoredQuote>(StoredQuote{
        s.col_text(0), s.col_text(1), s.col_text(2), s.col_text(3), s.col_text(4), s.col_text(5), s.col_text(6),
        Timestamp::from_seconds(s.col_int(7)), Timestamp::from_seconds(s.col_int(8)), s.col_text(9)});
  } catch (const std::exception& e) {
    return unavailable(e.what());
  }
}

Result<OrderResult> Store::create_order(const std::string& quote_id, const std::string& order_id,
                                        const std::string& status, const std::string& key_id, Timestamp now,
                                        const MerchantFilter& visible, std::optional<IdempotentResponse> idempotency) {
  // A quote still in the writer's queue is written inside the order's transaction.
  std::shared_ptr<const StoredQuote> queued;
  {
    std::lock_guard lock(queue_mu_);
    if (const auto it = pending_quotes_.find(quote_id); it != pending_quotes_.end()) queued = it->second;
  }
  if (queued && !visible(queued->merchant)) return OrderResult{OrderOutcome::quote_not_found, {}};
  // Fail fast while the last write failed: another wait of write_wait_ms would hold this network
  // thread (and every connection on it) for nothing. The writer's probe (every
  // db_write_retry_ms) clears the state as soon as a write succeeds again.
  {
    std::lock_guard h(health_mu_);
    if (!writable_) return unavailable("the order could not be stored: the database is not writable now (" + last_error_ + ")");
  }
  // One deadline for the whole wait: for the connection (the writer may hold it) and for
  // SQLite's write lock (another process may).
  const auto deadline = steady::now() + std::chrono::milliseconds(options_.write_wait_ms);
  std::unique_lock lock(write_mu_, std::defer_lock);
  if (!lock.try_lock_until(deadline)) return unavailable("the order could not be stored: the database is busy");
  struct Restore {
    sqlite3* db;
    ~Restore() { sqlite3_exec(db, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr); }
  } restore{db_};
  try {
    sqlite3_busy_timeout(db_, millis_until(deadline));
    // An order is durable before its 2xx: this transaction's commit waits for the disk.
    exec(db_, "PRAGMA synchronous=FULL");
    exec(db_, "BEGIN IMMEDIATE");
    if (queued) insert_quote_locked(*queued);
    std::int64_t expires = 0;
    std::string merchant;
    {
      Stmt s(db_, "SELECT expires_at, merchant FROM quotes WHERE id = ?");
      s.text(1, quote_id);
      if (!s.step() || !visible(merchant = s.col_text(1))) {
        rollback(db_);
        return OrderResult{OrderOutcome::quote_not_found, {}};
      }
      expires = s.col_int(0);
    }
    {
      Stmt s(db_, "SELECT id, quote_id, status, key_id, created_at, merchant FROM orders WHERE quote_id = ?");
      s.text(1, quote_id);
      if (s.step()) {
        Order existing{s.col_text(0), s.col_text(1), s.col_text(2), s.col_text(3), Timestamp::from_seconds(s.col_int(4)),
                       s.col_text(5)};
        rollback(db_);
        return OrderResult{OrderOutcome::already_ordered, existing};
      }
    }
    if (now.seconds() >= expires) {
      rollback(db_);
      return OrderResult{OrderOutcome::quote_expired, {}};
    }
    Order o{order_id, quote_id, status, key_id, now, merchant};
    {
      Stmt s(db_, "INSERT INTO orders (id, quote_id, status, key_id, created_at, merchant) VALUES (?,?,?,?,?,?)");
      s.text(1, o.id).text(2, o.quote_id).text(3, o.status).text(4, o.key_id).integer(5, now.seconds());
      s.text(6, o.merchant).step();
    }
    {
      Stmt s(db_, "UPDATE quotes SET ordered = 1 WHERE id = ?");  // books: out of retention's reach
      s.text(1, quote_id).step();
    }
    if (idempotency) insert_idempotency_locked(*idempotency);
    commit_locked("order");
    write_succeeded();
    return OrderResult{OrderOutcome::created, o};
  } catch (const std::exception& e) {
    rollback(db_);
    write_failed("order", e.what());
    return unavailable(std::string("the order could not be stored: ") + e.what());
  }
}

Result<std::optional<Order>> Store::order(const std::string& id) {
  auto r = acquire_reader();
  if (!r.ok()) return r.errors();
  Reader lease(*this, *r);
  try {
    Stmt s(lease.db, "SELECT id, quote_id, status, key_id, created_at, merchant FROM orders WHERE id = ?");
    s.text(1, id);
    if (!s.step()) return std::optional<Order>();
    return std::optional<Order>(Order{s.col_text(0), s.col_text(1), s.col_text(2), s.col_text(3),
                                      Timestamp::from_seconds(s.col_int(4)), s.col_text(5)});
  } catch (const std::exception& e) {
    return unavailable(e.what());
  }
}

Result<std::optional<IdempotentResponse>> Store::idempotent(const std::string& key_id, const std::string& key,
                                                            Timestamp not_before) {
  {
    std::lock_guard lock(queue_mu_);
    if (const auto it = pending_idempotency_.find({key_id, key}); it != pending_idempotency_.end()) {
      if (it->second.created_at >= not_before) return std::optional<IdempotentResponse>(it->second);
    }
  }
  auto r = acquire_reader();
  if (!r.ok()) return r.errors();
  Reader lease(*this, *r);
  try {
    Stmt s(lease.db,
           "SELECT request_sha256, status, body, created_at, location FROM idempotency WHERE key_id = ? AND "
           "idempotency_key = ? AND created_at >= ?");
    s.text(1, key_id).text(2, key).integer(3, not_before.seconds());
    if (!s.step()) return std::optional<IdempotentResponse>();
    return std::optional<IdempotentResponse>(IdempotentResponse{key_id, key, s.col_text(0), int(s.col_int(1)),
                                                                s.col_text(2), Timestamp::from_seconds(s.col_int(3)),
                                                                s.col_text(4)});
  } catch (const std::exception& e) {
    return unavailable(e.what());
  }
}

// --- rate history -----------------------------------------------------------------------------

namespace {

bool upper_code(std::string_view s) {
  return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool source_name(std::string_view s) {
  return !s.empty() && s.size() <= limits::rates_source_name_bytes_max &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; });
}

// A plain positive decimal as sources publish rates: digits, optionally '.' and digits; not zero.
// (The exact checks, fraction digits and range, are fx's when the history is loaded.)
bool positive_decimal(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  const auto dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  const auto digits = [](std::string_view d) {
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || !digits(whole) || (dot != std::string_view::npos && (frac.empty() || !digits(frac)))) return false;
  return s.find_first_not_of("0.") != std::string_view::npos;
}

bool hash_version(std::string_view v) {
  return v.size() == 71 && v.substr(0, 7) == "sha256:" &&
         std::all_of(v.begin() + 7, v.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// What is wrong with a set, or empty.
std::string rate_set_problem(const RateSet& r) {
  if (!source_name(r.source))
    return "source must be 1 to " + std::to_string(limits::rates_source_name_bytes_max) + " of A-Z, 0-9 or _";
  if (!upper_code(r.base)) return "base must be an ISO 4217 code";
  if (!hash_version(r.version)) return "version must be \"sha256:\" and 64 lowercase hex digits";
  if (r.origin.empty() || r.origin.size() > limits::rates_source_name_bytes_max) return "origin must be a short word";
  if (r.rates.empty()) return "has no rates";
  if (r.rates.size() > limits::fx_document_currencies_max) return "has more than fx_document_currencies_max rates";
  for (std::size_t i = 0; i < r.rates.size(); ++i) {
    const auto& [code, rate] = r.rates[i];
    if (!upper_code(code)) return "rate " + std::to_string(i) + ": not an ISO 4217 code";
    if (i > 0 && !(r.rates[i - 1].first < code)) return "rates must be sorted by code, each once (" + code + ")";
    if (!positive_decimal(rate)) return code + ": the rate must be a positive decimal string such as \"1.1684\"";
  }
  return {};
}

std::string rates_json(const RateSet& r) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [code, rate] : r.rates) j[code] = rate;
  return j.dump();
}

}  // namespace

Result<RateSetsSaved> Store::save_rate_sets(const std::vector<RateSet>& sets) {
  Errors bad;
  for (std::size_t i = 0; i < sets.size() && bad.size() < limits::rule_errors_max; ++i) {
    const std::string why = rate_set_problem(sets[i]);
    if (!why.empty())
      bad.push_back({ErrorCode::invalid_field,
                     "rate set " + std::to_string(i) + " (" + sets[i].source + " " + sets[i].as_of.to_string() + "): " + why,
                     ""});
  }
  if (!bad.empty()) return bad;
  RateSetsSaved saved;
  const bool done = write_txn("rates", [&] {
    saved = {};
    // Prepared once for the whole transaction (an import is thousands of rows).
    struct Finalize {
      sqlite3_stmt* s;
      ~Finalize() { sqlite3_finalize(s); }
    } insert{prepare(db_,
                     "INSERT OR IGNORE INTO rate_sets (source, as_of, version, base, rates, fetched_at, origin) "
                     "VALUES (?,?,?,?,?,?,?)")};
    for (const RateSet& r : sets) {
      const std::string day = r.as_of.to_string(), rates = rates_json(r);
      Stmt row(db_, insert.s);  // reset after each row
      row.text(1, r.source).text(2, day).text(3, r.version).text(4, r.base).text(5, rates);
      row.integer(6, r.fetched_at.seconds()).text(7, r.origin).step();
      if (sqlite3_changes(db_) > 0) ++saved.inserted;
      else ++saved.unchanged;
    }
  });
  if (!done) {
    const StoreHealth h = health();
    return unavailable("the rate history could not be written: " +
                       (h.last_error.empty() ? std::string("the database is busy") : h.last_error));
  }
  return saved;
}

Result<std::vector<RateSet>> Store::load_rate_sets() {
  auto r = acquire_reader();
  if (!r.ok()) return r.errors();
  Reader lease(*this, *r);
  try {
    // Per (source, day) the row fetched last; ties (same second) by version, so the choice is
    // stable. A window function keeps it one pass over the index.
    Stmt s(lease.db,
           "SELECT source, as_of, version, base, rates, fetched_at, origin FROM ("
           "  SELECT *, row_number() OVER (PARTITION BY source, as_of ORDER BY fetched_at DESC, version DESC) AS n"
           "  FROM rate_sets) WHERE n = 1 ORDER BY source, as_of");
    std::vector<RateSet> out;
    std::size_t in_source = 0;
    while (s.step()) {
      RateSet set;
      set.source = s.col_text(0);
      const std::string day = s.col_text(1);
      const auto as_of = Date::parse(day);
      set.version = s.col_text(2);
      set.base = s.col_text(3);
      set.fetched_at = Timestamp::from_seconds(s.col_int(5));
      set.origin = s.col_text(6);
      const std::string where = "rate_sets row " + set.source + " " + day + ": ";
      if (!as_of) return Error{ErrorCode::invalid_field, where + "as_of is not a YYYY-MM-DD day", ""};
      set.as_of = *as_of;
      const auto rates = nlohmann::json::parse(s.col_text(4), nullptr, false);
      if (!rates.is_object()) return Error{ErrorCode::invalid_field, where + "rates is not a JSON object", ""};
      for (const auto& [code, rate] : rates.items()) {
        if (!rate.is_string()) return Error{ErrorCode::invalid_field, where + code + " is not a decimal string", ""};
        set.rates.emplace_back(code, rate.get<std::string>());
      }
      std::sort(set.rates.begin(), set.rates.end());
      if (const std::string why = rate_set_problem(set); !why.empty())
        return Error{ErrorCode::invalid_field, where + why, ""};
      in_source = !out.empty() && out.back().source == set.source ? in_source + 1 : 1;
      if (in_source > limits::rate_history_days_max)
        return Error{ErrorCode::out_of_range,
                     "the rate history holds more than rate_history_days_max (" +
                         std::to_string(limits::rate_history_days_max) + ") days of " + set.source, ""};
      out.push_back(std::move(set));
    }
    return out;
  } catch (const std::exception& e) {
    return unavailable(e.what());
  }
}

}  // namespace landed::store
