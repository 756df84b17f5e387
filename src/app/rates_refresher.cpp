#include "app/rates_refresher.h"

#include "app/rates_history.h"

namespace landed::app {

RatesRefresher::RatesRefresher(RefresherOptions options, std::shared_ptr<const Clock> clock, http::Metrics& metrics,
                               Reload reload, Log log)
    : options_(std::move(options)), clock_(std::move(clock)), metrics_(metrics), reload_(std::move(reload)),
      log_(std::move(log)) {
  for (const auto& f : options_.feeds) feeds_.push_back({f, {}, {}});
  Fetcher::Hooks hooks;
  hooks.sleep = [this](std::chrono::milliseconds d) { return wait(d); };
  hooks.cancelled = [this] { return stopping_.load(); };
  fetcher_ = std::make_unique<Fetcher>(options_.fetch, std::move(hooks));
}

RatesRefresher::~RatesRefresher() { stop(); }

void RatesRefresher::start() {
  if (thread_.joinable() || feeds_.empty()) return;
  thread_ = std::thread([this] {
    while (!stopping_) {
      refresh_once();
      if (!wait(options_.interval)) break;
    }
  });
}

void RatesRefresher::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool RatesRefresher::wait(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  return !wake_.wait_for(lock, d, [this] { return stopping_.load(); });
}

bool RatesRefresher::refresh_once() {
  bool stored = false;
  for (auto& state : feeds_) {
    if (stopping_) break;
    stored = refresh(state) || stored;
  }
  if (stored && !stopping_) {
    if (reload_()) log_("landed: rates: new rates are serving");
    else log_("landed: rates: stored, but the reload was refused; the active rates keep serving");
  }
  ++passes_;
  return stored;
}

bool RatesRefresher::refresh(FeedState& state) {
  const std::string name = state.feed.format == RateFormat::ecb_xml ? "ecb" : state.feed.source;
  const std::string prefix = "landed: rates feed " + name + ": ";
  const FetchOutcome got = fetcher_->get({state.feed.url, state.etag, state.last_modified});
  const Timestamp now = clock_->now();
  if (got.failed()) {
    metrics_.count_rates_fetch("failed");
    metrics_.count_rates_rejected(got.reason);
    log_(prefix + "fetch failed (" + got.reason + "): " + got.message + "; the active rates keep serving");
    return false;
  }
  if (got.not_modified()) {
    metrics_.count_rates_fetch("not_modified");
    metrics_.set_rates_last_success(name, now.seconds());
    if (!got.etag.empty()) state.etag = got.etag;
    if (!got.last_modified.empty()) state.last_modified = got.last_modified;
    return false;
  }
  auto outcome = validate_and_store(options_.rates_dir, state.feed.format, state.feed.source, got.body, now, {});
  if (!outcome.ok()) {
    metrics_.count_rates_fetch("failed");
    metrics_.count_rates_rejected("store");
    log_(prefix + "not stored: " + outcome.error().message + "; the active rates keep serving");
    return false;
  }
  if (!outcome->accepted()) {
    metrics_.count_rates_fetch("refused");
    for (const auto& r : outcome->verdict.refusals) metrics_.count_rates_rejected(r.reason);
    log_(prefix + outcome->line + "; the active rates keep serving");
    return false;
  }
  metrics_.count_rates_fetch("ok");
  metrics_.set_rates_last_success(name, now.seconds());
  // Only an accepted response's validators: a refused document is fetched and judged again.
  state.etag = got.etag;
  state.last_modified = got.last_modified;
  if (!outcome->written.empty()) log_(prefix + outcome->line);
  bool recorded = false;
  if (options_.history) {
    // Every accepted day, not only the files written: a day already in rates/ may be missing
    // from the history (a new database), and a day already held is left as it is.
    std::vector<store::RateSet> sets;
    for (const BaseRateTable& day : outcome->verdict.days) sets.push_back(rate_set_of(day, now, "feed"));
    const auto saved = options_.history->save_rate_sets(sets);
    if (!saved.ok()) {
      log_(prefix + "not recorded in the rate history: " + saved.error().message + " (rates/ has it)");
    } else if (saved->inserted > 0) {
      recorded = true;
      log_(prefix + "recorded " + std::to_string(saved->inserted) + " day(s) in the rate history");
    }
  }
  return !outcome->written.empty() || recorded;
}

}  // namespace landed::app
