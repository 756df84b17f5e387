// Fetcher: one HTTP(S) GET of a rate feed, bounded in every dimension, with retries. The only
// code in Landed that talks to the network (libcurl); it knows nothing about rates. The outcome
// is a value: a body, "not modified" (conditional GET), or a failure with a stable reason code
// (a Prometheus label) and a one-line message. It never throws.
//
// Bounds (core/limits.h, "live FX"): connect and total timeouts, a low-speed limit, a body cap
// (the transfer is aborted past it, never buffered), a redirect limit (a loop is an error), TLS
// verification always on, only http/https (and https -> http redirects refused). Transient
// failures (connect, timeout, 5xx, 429, a dropped connection) are retried with exponential
// backoff and full jitter; Retry-After is honoured up to fx_fetch_retry_after_max_ms. Other
// failures (4xx, too large, TLS, redirects, a bad URL) are final at once.
//
// Thread use: a Fetcher may be used from any one thread at a time; several Fetchers may run in
// parallel (libcurl's global init is done once, under std::call_once). Sleeping and randomness
// are injected (Hooks), so tests neither sleep nor depend on chance.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/limits.h"

namespace landed {

// Stable failure reasons: the set a metric's `reason` label takes.
namespace fetch_reason {
inline constexpr std::string_view timeout = "timeout";            // connect or total timeout, or stalled below the low-speed limit
inline constexpr std::string_view connect = "connect";            // DNS, refused, unreachable
inline constexpr std::string_view tls = "tls";                    // handshake or certificate verification failed
inline constexpr std::string_view http_status = "http_status";    // a final status other than 200 (or 304 to a conditional GET)
inline constexpr std::string_view rate_limited = "rate_limited";  // 429 still after the retries, or Retry-After beyond the bound
inline constexpr std::string_view too_large = "too_large";        // body beyond body_bytes_max
inline constexpr std::string_view redirects = "redirects";        // more than redirects_max (a loop), or a refused redirect
inline constexpr std::string_view network = "network";            // the connection broke mid-transfer (reset, truncated body)
inline constexpr std::string_view url = "url";                    // malformed URL or a scheme other than http/https
inline constexpr std::string_view cancelled = "cancelled";        // Hooks::cancelled said stop (shutdown)
inline constexpr std::string_view internal = "internal";          // libcurl could not be set up, or an unexpected error
}  // namespace fetch_reason
inline constexpr std::array<std::string_view, 11> fetch_reasons = {
    fetch_reason::timeout,   fetch_reason::connect,  fetch_reason::tls,     fetch_reason::http_status,
    fetch_reason::rate_limited, fetch_reason::too_large, fetch_reason::redirects, fetch_reason::network,
    fetch_reason::url,       fetch_reason::cancelled, fetch_reason::internal};

struct FetchOptions {
  long connect_timeout_ms = limits::fx_fetch_connect_timeout_ms;
  long total_timeout_ms = limits::fx_fetch_total_timeout_ms;  // per attempt
  long low_speed_bytes_per_second = limits::fx_fetch_low_speed_bytes_per_second;
  long low_speed_window_seconds = limits::fx_fetch_low_speed_window_seconds;
  std::size_t body_bytes_max = limits::fx_fetch_body_bytes_max;
  long redirects_max = limits::fx_fetch_redirects_max;
  int attempts_max = limits::fx_fetch_attempts_max;
  std::int64_t backoff_base_ms = limits::fx_fetch_backoff_base_ms;
  std::int64_t backoff_max_ms = limits::fx_fetch_backoff_max_ms;
  std::int64_t retry_after_max_ms = limits::fx_fetch_retry_after_max_ms;
  std::string user_agent = "landed-rates/0.1";
  // Trusted CA certificates (a PEM file) instead of the system's bundle, for a feed behind a
  // private CA (and for tests); empty: the system bundle. Verification itself cannot be turned off.
  std::string ca_file;
  // Proxy: nullopt follows libcurl's environment variables (https_proxy, no_proxy, ...); "" uses
  // none (the tests, so a developer's proxy cannot intercept loopback); else the proxy URL.
  std::optional<std::string> proxy;
};

struct FetchRequest {
  std::string url;
  // Validators from the previous 200 for this URL: sent as If-None-Match / If-Modified-Since, so
  // an unchanged feed answers 304 (FetchOutcome::Kind::not_modified) without a body.
  std::string etag;
  std::string last_modified;
};

struct FetchOutcome {
  enum class Kind { ok, not_modified, failed };
  Kind kind = Kind::failed;
  long http_status = 0;  // of the last response seen; 0 when none arrived
  int attempts = 0;      // attempts made, the first included
  // ok: the body; ok and not_modified: the validators to send next time (not_modified keeps the
  // request's unless the 304 carried new ones).
  std::string body;
  std::string etag;
  std::string last_modified;
  std::string content_type;
  // failed: one of fetch_reasons, and one line saying what happened (never the URL, which may
  // carry an API key).
  std::string reason;
  std::string message;

  bool ok() const { return kind == Kind::ok; }
  bool not_modified() const { return kind == Kind::not_modified; }
  bool failed() const { return kind == Kind::failed; }
};

class Fetcher {
 public:
  struct Hooks {
    // Waits `d` before a retry; returns false to give up (shutdown): the fetch then fails
    // "cancelled". Default: std::this_thread::sleep_for, returns true.
    std::function<bool(std::chrono::milliseconds d)> sleep;
    // A uniformly random integer in [0, n]. Default: a per-thread std::mt19937_64 seeded from
    // std::random_device.
    std::function<std::uint64_t(std::uint64_t n)> random;
    // Polled during a transfer and before each attempt; true aborts ("cancelled"). Default: never.
    std::function<bool()> cancelled;
  };

  explicit Fetcher(FetchOptions options = {}, Hooks hooks = {});

  FetchOutcome get(const FetchRequest& request) const;

  const FetchOptions& options() const { return options_; }

 private:
  FetchOptions options_;
  Hooks hooks_;
};

// The wait before retry number `retry` (1 = the first retry): full jitter, a random value in
// [0, min(backoff_max_ms, backoff_base_ms × 2^(retry-1))].
std::chrono::milliseconds backoff_delay(int retry, const FetchOptions& options,
                                        const std::function<std::uint64_t(std::uint64_t)>& random);

// A Retry-After value (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) as a wait in ms from
// `now_seconds` (Unix time); nullopt when it is neither. A date in the past is a wait of 0.
std::optional<std::int64_t> parse_retry_after_ms(std::string_view value, std::int64_t now_seconds);

}  // namespace landed
