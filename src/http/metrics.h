// Metrics in the Prometheus text format: request counts and latency histograms per route and
// status, quotes by destination, and an info metric carrying the active rules version.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace landed::http {

class Metrics {
 public:
  // Every label is bounded (limits.h, "metrics"): route is the pattern ("/v1/quotes/{id}"), never
  // the raw path; a method outside RFC 9110's folds to "other", as does a status outside
  // 100..599; a destination that is not two capital letters folds to "other".
  void observe(const std::string& route, std::string_view method, int status, double seconds);
  void count_quote(std::string_view destination);
  // Quotes refused with 503 because the store's queue was full (the disk failing or behind).
  void count_quote_refused() { ++quotes_refused_; }
  // Failed store write transactions so far: the store counts them; set before render().
  void set_store_write_failures(std::uint64_t total) { store_write_failures_ = total; }
  std::string render(const std::map<std::string, std::string>& info_labels) const;

  // Live FX refresh (app/rates_refresher.h). `outcome` is ok, not_modified, failed or refused;
  // `reason` a fetch or validation reason code; `source` a feed's source name. A value that is not
  // [a-z0-9_-] (1 to 32 bytes), or beyond metrics_rates_labels_max distinct ones, folds to "other".
  void count_rates_fetch(std::string_view outcome);
  void count_rates_rejected(std::string_view reason);
  void set_rates_last_success(std::string_view source, std::int64_t unix_seconds);

  // Upper bounds of the latency buckets, in seconds (timings, not money).
  static constexpr std::array<double, 14> buckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                     0.025,  0.05,    0.1,    0.25,  0.5,    1.0,   2.5};

 private:
  struct Series {
    std::uint64_t count = 0;
    double sum = 0;
    std::array<std::uint64_t, buckets.size()> le{};
  };
  // Each thread counts into its own shard (threads beyond shards_max share), so workers never
  // wait on one another to count; render() adds the shards up.
  static constexpr std::size_t shards_max = 16;
  struct alignas(64) Shard {
    mutable std::mutex mu;
    std::map<std::tuple<std::string, std::string, int>, Series> requests;
    std::map<std::string, std::uint64_t> quotes;
  };
  Shard& mine();
  std::array<Shard, shards_max> shards_;
  std::atomic<std::uint64_t> quotes_refused_{0}, store_write_failures_{0};
  // Rare (a few per refresh): one mutex is plenty.
  mutable std::mutex rates_mu_;
  std::map<std::string, std::uint64_t> rates_fetches_, rates_rejected_;
  std::map<std::string, std::int64_t> rates_last_success_;
};

}  // namespace landed::http
