#include "app/rates_refresher.h"

#include <algorithm>

#include "app/rates_history.h"

namespace landed::app {
namespace {

std::string source_name(const RateFeed& feed) { return feed.format == RateFormat::ecb_xml ? "ecb" : feed.source; }

// The moves beyond the bound, per currency, of `text`'s newest day against the last accepted table.
std::vector<RateMove> moves_of(const std::filesystem::path& dir, const RateFeed& feed, std::string_view text,
                               const std::vector<std::string>& currencies, std::optional<Date>& as_of) {
  std::vector<RateMove> out;
  auto doc = read_rate_document(text, feed.format, display_source(feed.format, feed.source));
  if (!doc.ok()) return out;
  const DocumentTables tables = tables_of(*doc);
  auto last = last_accepted(dir, feed.format, feed.source);
  if (tables.days.empty() || !last.ok() || !*last) return out;
  const BaseRateTable& newest = tables.days.back();
  as_of = newest.as_of();
  for (const auto& code : currencies) {
    const Decimal* before = (*last)->find(code);
    const Decimal* after = newest.find(code);
    if (before && after) out.push_back({code, before->to_string(), after->to_string()});
  }
  return out;
}

}  // namespace

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
  const std::string name = source_name(state.feed);
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
  std::unique_lock store_lock(store_mu_);
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
    // Refused for moves alone: an operator may accept exactly this document (admin endpoint).
    const auto& refusals = outcome->verdict.refusals;
    if (refusals.size() == 1 && refusals[0].reason == rate_refusal::moved_too_far) {
      PendingRates p{name, state.feed, got.body, now, std::nullopt, refusals[0].reason, outcome->line, {}};
      p.moves = moves_of(options_.rates_dir, state.feed, got.body, refusals[0].currencies, p.as_of);
      store_lock.unlock();
      std::lock_guard lock(pending_mu_);
      std::erase_if(pending_, [&](const PendingRates& q) { return q.source == name; });
      pending_.push_back(std::move(p));
      log_(prefix + outcome->line + "; the active rates keep serving (pending: POST /v1/rates/pending/" + name +
           "/accept accepts it)");
      return false;
    }
    log_(prefix + outcome->line + "; the active rates keep serving");
    return false;
  }
  store_lock.unlock();
  {
    std::lock_guard lock(pending_mu_);  // superseded by what was accepted
    std::erase_if(pending_, [&](const PendingRates& q) { return q.source == name; });
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

namespace landed::app {

std::vector<PendingRates> RatesRefresher::pending() const {
  std::lock_guard lock(pending_mu_);
  return pending_;
}

Result<std::optional<StoreOutcome>> RatesRefresher::accept_pending(const std::string& source) {
  std::optional<PendingRates> p;
  {
    std::lock_guard lock(pending_mu_);
    const auto it = std::find_if(pending_.begin(), pending_.end(), [&](const PendingRates& q) { return q.source == source; });
    if (it == pending_.end()) return std::optional<StoreOutcome>{};
    p = *it;
  }
  ValidationPolicy policy;
  policy.operator_accepted = true;
  std::unique_lock store_lock(store_mu_);
  auto outcome = validate_and_store(options_.rates_dir, p->feed.format, p->feed.source, p->text, clock_->now(), policy);
  store_lock.unlock();
  if (!outcome.ok()) return outcome.errors();
  if (outcome->accepted()) {
    std::lock_guard lock(pending_mu_);  // only that document: a newer one pending stays
    std::erase_if(pending_, [&](const PendingRates& q) { return q.source == source && q.text == p->text; });
  }
  log_("landed: rates feed " + source + ": operator accepted the pending document: " + outcome->line);
  return std::optional<StoreOutcome>(std::move(outcome).value());
}

}  // namespace landed::app
