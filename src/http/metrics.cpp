#include "http/metrics.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "core/limits.h"

namespace landed::http {
namespace {

std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    out += c;
  }
  return out;
}

// The methods of RFC 9110 (and PATCH) keep their name; anything a client invents is "other".
std::string_view known_method(std::string_view m) {
  static constexpr std::string_view methods[] = {"GET",     "HEAD",    "POST",  "PUT",  "DELETE",
                                                 "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  for (const auto known : methods)
    if (m == known) return known;
  return "other";
}

// Two capital letters (a validated ISO 3166-1 code), or "other".
std::string_view known_destination(std::string_view d) {
  if (d.size() == 2 && d[0] >= 'A' && d[0] <= 'Z' && d[1] >= 'A' && d[1] <= 'Z') return d;
  return "other";
}

// A rates label: a short code of [a-z0-9_-], or "other".
std::string rates_label(std::string_view v) {
  const bool ok = !v.empty() && v.size() <= 32 && std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  return ok ? std::string(v) : std::string("other");
}

template <class V>
V& rates_slot(std::map<std::string, V>& m, std::string_view value) {
  std::string key = rates_label(value);
  if (m.find(key) == m.end() && m.size() + 1 >= limits::metrics_rates_labels_max) key = "other";
  return m[key];
}

std::string status_label(int status) { return status == 0 ? "other" : std::to_string(status); }

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

}  // namespace

Metrics::Shard& Metrics::mine() {
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t index = next++ % shards_max;
  return shards_[index];
}

void Metrics::observe(const std::string& route, std::string_view method, int status, double seconds) {
  if (status < 100 || status > 599) status = 0;  // rendered "other"
  std::tuple<std::string, std::string, int> key{route, known_method(method), status};
  Shard& shard = mine();
  std::lock_guard lock(shard.mu);
  Series& s = shard.requests[std::move(key)];
  ++s.count;
  s.sum += seconds;
  for (std::size_t i = 0; i < buckets.size(); ++i)
    if (seconds <= buckets[i]) ++s.le[i];
}

void Metrics::count_quote(std::string_view destination) {
  std::string key(known_destination(destination));
  Shard& shard = mine();
  std::lock_guard lock(shard.mu);
  auto it = shard.quotes.find(key);
  if (it == shard.quotes.end()) {
    // Two capital letters already bound the label; this keeps the bound whatever calls it.
    if (shard.quotes.size() + 1 >= limits::metrics_destinations_max) key = "other";
    it = shard.quotes.try_emplace(std::move(key), 0).first;
  }
  ++it->second;
}

void Metrics::count_rates_fetch(std::string_view outcome) {
  std::lock_guard lock(rates_mu_);
  ++rates_slot(rates_fetches_, outcome);
}

void Metrics::count_rates_rejected(std::string_view reason) {
  std::lock_guard lock(rates_mu_);
  ++rates_slot(rates_rejected_, reason);
}

void Metrics::set_rates_last_success(std::string_view source, std::int64_t unix_seconds) {
  std::lock_guard lock(rates_mu_);
  rates_slot(rates_last_success_, source) = unix_seconds;
}

std::string Metrics::render(const std::map<std::string, std::string>& info_labels) const {
  std::map<std::tuple<std::string, std::string, int>, Series> requests_;
  std::map<std::string, std::uint64_t> quotes_;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    for (const auto& [k, s] : shard.requests) {
      Series& all = requests_[k];
      all.count += s.count;
      all.sum += s.sum;
      for (std::size_t i = 0; i < buckets.size(); ++i) all.le[i] += s.le[i];
    }
    for (const auto& [dest, n] : shard.quotes) quotes_[dest] += n;
  }
  std::ostringstream o;
  o << "# HELP landed_http_requests_total HTTP requests by route, method and status.\n"
       "# TYPE landed_http_requests_total counter\n";
  for (const auto& [k, s] : requests_)
    o << "landed_http_requests_total{route=\"" << label(std::get<0>(k)) << "\",method=\"" << std::get<1>(k)
      << "\",status=\"" << status_label(std::get<2>(k)) << "\"} " << s.count << "\n";
  o << "# HELP landed_http_request_duration_seconds Time from parsed request to computed response.\n"
       "# TYPE landed_http_request_duration_seconds histogram\n";
  for (const auto& [k, s] : requests_) {
    const std::string base = "route=\"" + label(std::get<0>(k)) + "\",method=\"" + std::get<1>(k) + "\",status=\"" +
                             status_label(std::get<2>(k)) + "\"";
    for (std::size_t i = 0; i < buckets.size(); ++i)
      o << "landed_http_request_duration_seconds_bucket{" << base << ",le=\"" << number(buckets[i]) << "\"} "
        << s.le[i] << "\n";
    o << "landed_http_request_duration_seconds_bucket{" << base << ",le=\"+Inf\"} " << s.count << "\n";
    o << "landed_http_request_duration_seconds_sum{" << base << "} " << number(s.sum) << "\n";
    o << "landed_http_request_duration_seconds_count{" << base << "} " << s.count << "\n";
  }
  o << "# HELP landed_quotes_total Quotes created, by destination country.\n# TYPE landed_quotes_total counter\n";
  for (const auto& [dest, n] : quotes_) o << "landed_quotes_total{destination=\"" << label(dest) << "\"} " << n << "\n";
  o << "# HELP landed_quotes_refused_total Quotes refused with 503 because the store's queue was full.\n"
       "# TYPE landed_quotes_refused_total counter\nlanded_quotes_refused_total "
    << quotes_refused_.load() << "\n";
  o << "# HELP landed_store_write_failures_total Store write transactions that failed (locked or full disk).\n"
       "# TYPE landed_store_write_failures_total counter\nlanded_store_write_failures_total "
    << store_write_failures_.load() << "\n";
  {
    std::lock_guard lock(rates_mu_);
    o << "# HELP landed_rates_fetch_total Rate feed refreshes by outcome (ok, not_modified, failed, refused).\n"
         "# TYPE landed_rates_fetch_total counter\n";
    for (const auto& [k, n] : rates_fetches_) o << "landed_rates_fetch_total{outcome=\"" << k << "\"} " << n << "\n";
    o << "# HELP landed_rates_rejected_total Rate documents or fetches refused, by fetch or validation reason.\n"
         "# TYPE landed_rates_rejected_total counter\n";
    for (const auto& [k, n] : rates_rejected_) o << "landed_rates_rejected_total{reason=\"" << k << "\"} " << n << "\n";
    o << "# HELP landed_rates_last_success_timestamp_seconds Last successful fetch (200 accepted or 304) per source.\n"
         "# TYPE landed_rates_last_success_timestamp_seconds gauge\n";
    for (const auto& [k, t] : rates_last_success_)
      o << "landed_rates_last_success_timestamp_seconds{source=\"" << k << "\"} " << t << "\n";
  }
  o << "# HELP landed_build_info Active rules, rates and catalogs.\n# TYPE landed_build_info gauge\nlanded_build_info{";
  bool first = true;
  for (const auto& [k, v] : info_labels) {
    o << (first ? "" : ",") << k << "=\"" << label(v) << "\"";
    first = false;
  }
  o << "} 1\n";
  return o.str();
}

}  // namespace landed::http
