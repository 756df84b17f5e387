// RatesRefresher: the background thread of `landed serve --rates-feed ...` (issue #14). Off the
// request path: every interval it fetches each feed (conditional GET with the validators of the
// last accepted response), validates and stores what is new exactly as `landed rates fetch` does
// (app/rates_store.h), records the accepted days in the database's rate history
// (app/rates_history.h), and when anything new was stored asks the service to reload, which swaps
// the snapshot as a rules reload does. A failure or a refusal changes nothing on disk, so the
// last good rates keep serving; it is logged in one line and counted in /metrics:
//   landed_rates_fetch_total{outcome}            ok | not_modified | failed | refused
//   landed_rates_rejected_total{reason}          a fetch reason (fetch/fetcher.h), a validation
//                                                reason (fx/rate_document.h), or "store" (disk)
//   landed_rates_last_success_timestamp_seconds{source}
// A document refused only because rates moved beyond the bound (moved_too_far) is kept as
// pending, one per source (the newest such refusal; an accepted document of that source clears
// it), in memory: GET /v1/rates/pending shows it and POST /v1/rates/pending/{source}/accept
// stores exactly that document as `landed rates accept` would. Bounded: rates_feeds_max sources,
// each at most fx_fetch_body_bytes_max.
// The first pass runs at start. stop() wakes the thread and aborts a transfer or a retry wait in
// progress (Fetcher hooks), so shutdown does not wait for a slow feed.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/rates_store.h"
#include "core/clock.h"
#include "fetch/fetcher.h"
#include "http/metrics.h"
#include "store/store.h"

namespace landed::app {

struct RefresherOptions {
  std::vector<RateFeed> feeds;
  std::filesystem::path rates_dir;
  std::chrono::milliseconds interval{limits::rates_refresh_seconds_default * 1000};
  FetchOptions fetch;
  // The rate history (store rate_sets): each accepted document's days are recorded there too,
  // with the fetch time. Null: rates/ only.
  store::Store* history = nullptr;
};

struct RateMove {
  std::string currency, before, after;  // decimal strings: the last accepted rate and the new one
};

struct PendingRates {
  std::string source;  // "ecb" or the JSON source name: the {source} of the accept endpoint
  RateFeed feed;
  std::string text;    // the document exactly as fetched
  Timestamp received_at = Timestamp::from_seconds(0);
  std::optional<Date> as_of;  // its newest day
  std::string reason;  // "moved_too_far"
  std::string line;    // the refusal's one line, as logged
  std::vector<RateMove> moves;  // every currency beyond the bound, sorted
};

class RatesRefresher {
 public:
  using Reload = std::function<bool()>;  // true when the stored rates are now serving
  using Log = std::function<void(const std::string&)>;

  RatesRefresher(RefresherOptions options, std::shared_ptr<const Clock> clock, http::Metrics& metrics, Reload reload,
                 Log log);
  ~RatesRefresher();
  RatesRefresher(const RatesRefresher&) = delete;
  RatesRefresher& operator=(const RatesRefresher&) = delete;

  void start();
  void stop();  // idempotent; returns once the thread has ended

  // One pass over every feed on the calling thread (the thread's loop calls it); true when
  // anything new was stored. Not to be called while the thread runs.
  bool refresh_once();
  // Passes completed so far, for tests to await a refresh without sleeping blindly.
  std::uint64_t passes() const { return passes_.load(); }

  std::vector<PendingRates> pending() const;
  // Stores the pending document of `source` as an operator's acceptance (moves beyond the bound
  // pass; nothing else does, so one that went stale meanwhile is refused) and forgets it when
  // stored. nullopt: nothing pending for `source`. Does not reload; the caller does.
  Result<std::optional<StoreOutcome>> accept_pending(const std::string& source);

 private:
  struct FeedState {
    RateFeed feed;
    std::string etag, last_modified;  // of the last accepted response
  };
  bool refresh(FeedState& state);
  bool wait(std::chrono::milliseconds d);  // false once stopping

  RefresherOptions options_;
  std::shared_ptr<const Clock> clock_;
  http::Metrics& metrics_;
  Reload reload_;
  Log log_;
  std::vector<FeedState> feeds_;
  mutable std::mutex pending_mu_;
  std::vector<PendingRates> pending_;
  std::mutex store_mu_;  // one writer into rates_dir at a time: a pass or an accept
  std::unique_ptr<Fetcher> fetcher_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> passes_{0};
  std::thread thread_;
};

}  // namespace landed::app
