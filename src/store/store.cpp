#include "store/store.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

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
    "created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?)";
constexpr const char* insert_idempotency_sql =
    "INSERT OR REPLACE INTO idempotency (key_id, idempotency_key, request_sha256, status, body, created_at) "
    "VALUES (?,?,?,?,?,?)";

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "unknown";
    sqlite3_free(err);
    throw std::runtime_error("sqlite: " + msg);
  }
}

}  // namespace

Result<std::unique_ptr<Store>> Store::open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    const std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error{ErrorCode::io_error, "cannot open database " + path + ": " + msg, ""};
  }
  try {
    sqlite3_busy_timeout(db, limits::db_busy_timeout_ms);
    // Large pages for a new file (an existing one keeps its size): a stored quote is about 5 KB,
    // which with 4 KiB pages spills into overflow pages, one WAL write each. At 64 KiB a page
    // holds a dozen quotes, so a batch costs a few large writes instead of hundreds of small ones.
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
      exec(db, migrations[v]);
      Stmt s(db, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, strftime('%s','now'))");
      s.integer(1, v + 1).step();
      exec(db, "COMMIT");
    }
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
  return std::unique_ptr<Store>(new Store(db, insert_quote, insert_idempotency));
}

Store::Store(sqlite3* db, sqlite3_stmt* insert_quote, sqlite3_stmt* insert_idempotency)
    : db_(db), insert_quote_(insert_quote), insert_idempotency_(insert_idempotency) {
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
}

int Store::schema_version() const {
  std::lock_guard lock(db_mu_);
  Stmt s(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  return s.step() ? int(s.col_int(0)) : 0;
}

void Store::save_quote(std::shared_ptr<const StoredQuote> quote, std::optional<IdempotentResponse> idempotency) {
  std::unique_lock lock(queue_mu_);
  // Back-pressure: if the disk cannot keep up, callers slow down instead of memory growing.
  flushed_cv_.wait(lock, [&] { return queue_.size() < limits::quote_queue_max || stopping_; });
  pending_quotes_.emplace(quote->id, quote);
  if (idempotency) pending_idempotency_[{idempotency->key_id, idempotency->idempotency_key}] = *idempotency;
  queue_.emplace_back(std::move(quote), std::move(idempotency));
  ++queued_seq_;
  if (queue_.size() >= limits::quote_batch_max) queue_cv_.notify_one();
}

void Store::writer_loop() {
  std::unique_lock lock(queue_mu_);
  while (true) {
    queue_cv_.wait_for(lock, std::chrono::milliseconds(limits::quote_flush_ms),
                       [&] { return stopping_ || queue_.size() >= limits::quote_batch_max; });
    if (queue_.empty()) {
      if (stopping_) return;
      continue;
    }
    std::deque<Queued> batch;
    batch.swap(queue_);
    const std::uint64_t upto = queued_seq_;
    lock.unlock();
    const bool written = write_batch(batch);
    lock.lock();
    if (!written) {
      // Keep them queued (and readable) and try again later; the error is in the log.
      for (auto it = batch.rbegin(); it != batch.rend(); ++it) queue_.push_front(std::move(*it));
      if (stopping_) return;
      queue_cv_.wait_for(lock, std::chrono::milliseconds(limits::quote_flush_ms * 100), [&] { return stopping_; });
      continue;
    }
    // Committed: readers find them in the database from now on.
    for (const auto& [q, idem] : batch) {
      pending_quotes_.erase(q->id);
      if (idem) {
        const auto it = pending_idempotency_.find({idem->key_id, idem->idempotency_key});
        if (it != pending_idempotency_.end() && it->second.request_sha256 == idem->request_sha256)
          pending_idempotency_.erase(it);
      }
    }
    written_seq_ = upto;
    flushed_cv_.notify_all();
  }
}

void Store::insert_quote_locked(const StoredQuote& q) {
  Stmt s(db_, insert_quote_);
  s.text(1, q.id).text(2, q.key_id).text(3, q.request).text(4, q.response).text(5, q.rules_version);
  s.text(6, q.rates_version).text(7, q.destination).integer(8, q.created_at.seconds()).integer(9, q.expires_at.seconds());
  s.step();
}

void Store::insert_idempotency_locked(const IdempotentResponse& r) {
  Stmt s(db_, insert_idempotency_);
  s.text(1, r.key_id).text(2, r.idempotency_key).text(3, r.request_sha256).integer(4, r.status).text(5, r.body);
  s.integer(6, r.created_at.seconds()).step();
}

bool Store::write_batch(const std::deque<Queued>& batch) {
  std::lock_guard lock(db_mu_);
  try {
    exec(db_, "BEGIN IMMEDIATE");
    for (const auto& [q, idem] : batch) {
      insert_quote_locked(*q);
      if (idem) insert_idempotency_locked(*idem);
    }
    exec(db_, "COMMIT");
    return true;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "landed: quote batch not written (will retry): %s\n", e.what());
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return false;
  }
}

void Store::flush() {
  std::unique_lock lock(queue_mu_);
  const std::uint64_t target = queued_seq_;
  queue_cv_.notify_one();
  flushed_cv_.wait(lock, [&] { return written_seq_ >= target; });
}

std::size_t Store::queued_quotes() {
  std::lock_guard lock(queue_mu_);
  return queue_.size();
}

std::optional<StoredQuote> Store::quote(const std::string& id) {
  {
    std::lock_guard lock(queue_mu_);
    if (const auto it = pending_quotes_.find(id); it != pending_quotes_.end()) return *it->second;
  }
  std::lock_guard lock(db_mu_);
  Stmt s(db_,
         "SELECT id, key_id, request, response, rules_version, rates_version, destination, created_at, expires_at "
         "FROM quotes WHERE id = ?");
  s.text(1, id);
  if (!s.step()) return std::nullopt;
  return StoredQuote{s.col_text(0), s.col_text(1), s.col_text(2), s.col_text(3), s.col_text(4), s.col_text(5),
                     s.col_text(6), Timestamp::from_seconds(s.col_int(7)), Timestamp::from_seconds(s.col_int(8))};
}

Result<OrderResult> Store::create_order(const std::string& quote_id, const std::string& order_id,
                                        const std::string& status, const std::string& key_id, Timestamp now,
                                        std::optional<IdempotentResponse> idempotency) {
  // A quote still in the writer's queue is written inside the order's transaction.
  std::shared_ptr<const StoredQuote> queued;
  {
    std::lock_guard lock(queue_mu_);
    if (const auto it = pending_quotes_.find(quote_id); it != pending_quotes_.end()) queued = it->second;
  }
  std::lock_guard lock(db_mu_);
  struct Restore {
    sqlite3* db;
    ~Restore() { sqlite3_exec(db, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr); }
  } restore{db_};
  try {
    // An order is durable before its 2xx: this transaction's commit waits for the disk.
    exec(db_, "PRAGMA synchronous=FULL");
    exec(db_, "BEGIN IMMEDIATE");
    if (queued) insert_quote_locked(*queued);
    std::int64_t expires = 0;
    {
      Stmt s(db_, "SELECT expires_at FROM quotes WHERE id = ?");
      s.text(1, quote_id);
      if (!s.step()) {
        exec(db_, "ROLLBACK");
        return OrderResult{OrderOutcome::quote_not_found, {}};
      }
      expires = s.col_int(0);
    }
    {
      Stmt s(db_, "SELECT id, quote_id, status, key_id, created_at FROM orders WHERE quote_id = ?");
      s.text(1, quote_id);
      if (s.step()) {
        Order existing{s.col_text(0), s.col_text(1), s.col_text(2), s.col_text(3), Timestamp::from_seconds(s.col_int(4))};
        exec(db_, "ROLLBACK");
        return OrderResult{OrderOutcome::already_ordered, existing};
      }
    }
    if (now.seconds() >= expires) {
      exec(db_, "ROLLBACK");
      return OrderResult{OrderOutcome::quote_expired, {}};
    }
    Order o{order_id, quote_id, status, key_id, now};
    Stmt s(db_, "INSERT INTO orders (id, quote_id, status, key_id, created_at) VALUES (?,?,?,?,?)");
    s.text(1, o.id).text(2, o.quote_id).text(3, o.status).text(4, o.key_id).integer(5, now.seconds()).step();
    if (idempotency) insert_idempotency_locked(*idempotency);
    exec(db_, "COMMIT");
    return OrderResult{OrderOutcome::created, o};
  } catch (const std::exception& e) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return Error{ErrorCode::io_error, std::string("the order could not be stored: ") + e.what(), ""};
  }
}

std::optional<Order> Store::order(const std::string& id) {
  std::lock_guard lock(db_mu_);
  Stmt s(db_, "SELECT id, quote_id, status, key_id, created_at FROM orders WHERE id = ?");
  s.text(1, id);
  if (!s.step()) return std::nullopt;
  return Order{s.col_text(0), s.col_text(1), s.col_text(2), s.col_text(3), Timestamp::from_seconds(s.col_int(4))};
}

std::optional<IdempotentResponse> Store::idempotent(const std::string& key_id, const std::string& key,
                                                    Timestamp not_before) {
  {
    std::lock_guard lock(queue_mu_);
    if (const auto it = pending_idempotency_.find({key_id, key}); it != pending_idempotency_.end()) {
      if (it->second.created_at >= not_before) return it->second;
    }
  }
  std::lock_guard lock(db_mu_);
  Stmt s(db_,
         "SELECT request_sha256, status, body, created_at FROM idempotency WHERE key_id = ? AND idempotency_key = ? "
         "AND created_at >= ?");
  s.text(1, key_id).text(2, key).integer(3, not_before.seconds());
  if (!s.step()) return std::nullopt;
  return IdempotentResponse{key_id, key, s.col_text(0), int(s.col_int(1)), s.col_text(2),
                            Timestamp::from_seconds(s.col_int(3))};
}

}  // namespace landed::store
