// Service: the HTTP API of API.md, wired from the parts: the Beast server, API keys, the store,
// the quote engine and the active Snapshot. The Snapshot is swapped atomically on reload; each
// request keeps the one it started with, so a reload never changes a quote half-way.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "app/files.h"
#include "app/rates_refresher.h"
#include "core/clock.h"
#include "core/limits.h"
#include "http/auth.h"
#include "http/metrics.h"
#include "http/server.h"
#include "quote/quote.h"
#include "store/store.h"

namespace landed::app {

struct ServiceOptions {
  DataPaths paths = DataPaths::defaults();
  std::string db_path = "landed.db";
  std::string keys_path;
  int threads = 0;
  std::int64_t quote_ttl_seconds = 30 * 60;
  // Retention (limits.h says why these defaults) and the bound on quotes not yet on disk.
  std::int64_t quote_retention_days = limits::quote_retention_days_default;
  std::int64_t idempotency_retention_hours = limits::idempotency_ttl_seconds / 3600;
  std::size_t quote_queue_max = limits::quote_queue_max;
  // Live FX: feeds refreshed in the background into paths.rates (app/rates_refresher.h); none:
  // the rates on disk serve until a reload. `log` gets the refresher's one-line reports
  // (default: stderr).
  std::vector<RateFeed> rate_feeds;
  std::chrono::milliseconds rates_refresh_interval{limits::rates_refresh_seconds_default * 1000};
  FetchOptions rates_fetch;
  std::function<void(const std::string&)> log;
  // Rates beyond a merchant's refuse_after: refused (503), or only warned about (development).
  StaleRatesMode stale_rates = StaleRatesMode::refuse;
};

// What is being served: the snapshot and when it was loaded.
struct Active {
  std::shared_ptr<const Snapshot> snapshot;
  Timestamp loaded_at = Timestamp::from_seconds(0);
  std::map<std::pair<std::string, Date>, Timestamp> fetched_at;  // of served rate days (app/files.h)
};

struct ReloadReport {
  bool reloaded = false;
  std::vector<Diagnostic> diagnostics;
  Errors errors;
};

class Service {
 public:
  static Result<std::unique_ptr<Service>> create(ServiceOptions options, std::shared_ptr<const Clock> clock);
  ~Service();

  Result<int> listen(const std::string& host, int port);
  void start();
  // Graceful: stop accepting, finish in-flight requests, flush queued quotes to disk for at most
  // db_shutdown_flush_ms (a full or locked disk cannot hold up SIGTERM). Idempotent.
  void stop();
  // Loads rules, rates and catalogs into a new snapshot and swaps it in; a bad set is refused
  // and the old one keeps serving.
  ReloadReport reload();
  // Rate refresh passes completed (0 without feeds): for tests to await a refresh.
  std::uint64_t rates_refresh_passes() const { return refresher_ ? refresher_->passes() : 0; }

  http::Response handle(const http::HttpRequest& request);

 private:
  Service(ServiceOptions options, std::shared_ptr<const Clock> clock, http::Keys keys,
          std::unique_ptr<store::Store> store, Active active);
  std::shared_ptr<const Active> active() const { return active_.load(); }

  // Idempotency-Key (API.md): a retry with the same key and request gets the stored response,
  // a different request 409, and a concurrent one 409 while the first is in progress.
  struct Idempotency {
    std::string key;  // empty: no header
    std::string request_sha256;
  };
  // Holds the in-progress reservation of a key until the request is done. The reservation is
  // taken before the stored response is looked up, and released only after the response is
  // stored: so between lookup and store there is one request per key, never two fresh ones.
  struct InProgress {
    Service* service = nullptr;
    std::string key_id, key;
    InProgress() = default;
    InProgress(Service* s, std::string id, std::string k) : service(s), key_id(std::move(id)), key(std::move(k)) {}
    InProgress(const InProgress&) = delete;
    InProgress& operator=(InProgress&& o) noexcept {
      std::swap(service, o.service);
      std::swap(key_id, o.key_id);
      std::swap(key, o.key);
      return *this;
    }
    ~InProgress();
  };
  // A response to send at once (a replay or a conflict), or nullopt to go on.
  std::optional<http::Response> begin_idempotent(const http::HttpRequest& r, const std::string& key_id, Timestamp now,
                                                 Idempotency& idem, InProgress& guard);

  http::Response post_quote(const http::HttpRequest& r, const http::ApiKey& key);
  http::Response get_quote(const std::string& id, const http::ApiKey& key);
  http::Response post_order(const http::HttpRequest& r, const http::ApiKey& key);
  http::Response get_order(const std::string& id, const http::ApiKey& key);
  http::Response get_rules();
  http::Response validate_rules(const http::HttpRequest& r);
  http::Response post_reload();
  http::Response get_rates(const http::HttpRequest& r);
  http::Response get_pending_rates();
  http::Response get_payment_methods(const http::HttpRequest& r);  // payment_methods_resource.cpp
  http::Response accept_pending_rates(const std::string& source);
  http::Response readyz();

  ServiceOptions options_;
  std::shared_ptr<const Clock> clock_;
  http::Keys keys_;
  std::unique_ptr<store::Store> store_;
  std::atomic<std::shared_ptr<const Active>> active_;
  std::mutex reload_mu_;
  std::mutex idempotency_mu_;
  std::set<std::pair<std::string, std::string>> in_progress_;  // (key id, Idempotency-Key)
  http::Metrics metrics_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<RatesRefresher> refresher_;
  std::once_flag stopped_;
};

}  // namespace landed::app
