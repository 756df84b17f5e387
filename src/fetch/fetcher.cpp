#include "fetch/fetcher.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <exception>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

namespace landed {
namespace {

// curl_global_init is not thread-safe on every libcurl build; once per process, before any handle.
bool curl_ready() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; });
  return ok;
}

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Sink {
  std::string* body;
  std::size_t cap;
  bool over = false;
};

std::size_t write_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t bytes = size * n;
  if (bytes > sink->cap - sink->body->size()) {
    sink->over = true;
    return 0;  // CURLE_WRITE_ERROR: the transfer stops here, nothing more is buffered
  }
  sink->body->append(data, bytes);
  return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancelled = static_cast<const std::function<bool()>*>(user);
  return (*cancelled)() ? 1 : 0;  // non-zero aborts: CURLE_ABORTED_BY_CALLBACK
}

// A header value that could split the request (CR, LF, other controls) is not sent at all.
bool header_safe(std::string_view v) {
  return std::none_of(v.begin(), v.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

std::string header_value(CURL* h, const char* name) {
  curl_header* hdr = nullptr;
  if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hdr) != CURLHE_OK || hdr == nullptr) return {};
  return hdr->value;
}

struct Attempt {
  FetchOutcome outcome;
  bool transient = false;
  std::optional<std::int64_t> retry_after_ms;
};

Attempt failure(std::string_view reason, std::string message, bool transient, long status = 0) {
  Attempt a;
  a.outcome.kind = FetchOutcome::Kind::failed;
  a.outcome.reason = std::string(reason);
  a.outcome.message = one_line(std::move(message));
  a.outcome.http_status = status;
  a.transient = transient;
  return a;
}

// Which reason a libcurl error is, and whether trying again may help.
Attempt classify_curl_error(CURLcode code, const std::string& detail, bool over_cap, long redirects) {
  switch (code) {
    case CURLE_WRITE_ERROR:
      if (over_cap) return failure(fetch_reason::too_large, "response body is larger than body_bytes_max", false);
      return failure(fetch_reason::internal, detail, false);
    case CURLE_FILESIZE_EXCEEDED:
      return failure(fetch_reason::too_large, "response Content-Length is larger than body_bytes_max", false);
    case CURLE_OPERATION_TIMEDOUT:
      return failure(fetch_reason::timeout, detail, true);
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return failure(fetch_reason::connect, detail, true);
    case CURLE_TOO_MANY_REDIRECTS:
      return failure(fetch_reason::redirects, detail, false);
    case CURLE_UNSUPPORTED_PROTOCOL:
      if (redirects > 0) return failure(fetch_reason::redirects, "refused redirect: " + detail, false);
      return failure(fetch_reason::url, detail, false);
    case CURLE_URL_MALFORMAT:
      return failure(fetch_reason::url, detail, false);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
      return failure(fetch_reason::tls, detail, false);
    case CURLE_ABORTED_BY_CALLBACK:
      return failure(fetch_reason::cancelled, "cancelled during the transfer", false);
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return failure(fetch_reason::network, detail, true);
    case CURLE_OUT_OF_MEMORY:
    case CURLE_FAILED_INIT:
      return failure(fetch_reason::internal, detail, false);
    default:
      return failure(fetch_reason::network, detail, false);
  }
}

template <typename T>
bool set(CURL* h, CURLoption option, T value) {
  return curl_easy_setopt(h, option, value) == CURLE_OK;
}

Attempt attempt_once(const FetchOptions& o, const FetchRequest& r, const std::function<bool()>& cancelled) {
  std::unique_ptr<CURL, EasyDeleter> handle(curl_easy_init());
  if (!handle) return failure(fetch_reason::internal, "curl_easy_init failed", false);
  CURL* h = handle.get();

  std::unique_ptr<curl_slist, ListDeleter> headers;
  auto add_header = [&](const std::string& line) {
    curl_slist* l = curl_slist_append(headers.get(), line.c_str());
    if (l != nullptr) {
      (void)headers.release();
      headers.reset(l);
    }
    return l != nullptr;
  };
  bool conditional = false;
  if (!r.etag.empty() && header_safe(r.etag)) conditional |= add_header("If-None-Match: " + r.etag);
  if (!r.last_modified.empty() && header_safe(r.last_modified))
    conditional |= add_header("If-Modified-Since: " + r.last_modified);

  std::string body;
  Sink sink{&body, o.body_bytes_max};
  char errbuf[CURL_ERROR_SIZE] = {};
  // An https feed may only redirect to https: a redirect must not drop TLS.
  const char* redirect_protocols = starts_with_nocase(r.url, "https://") ? "https" : "http,https";

  bool ok = set(h, CURLOPT_URL, r.url.c_str()) && set(h, CURLOPT_PROTOCOLS_STR, "http,https") &&
            set(h, CURLOPT_REDIR_PROTOCOLS_STR, redirect_protocols) && set(h, CURLOPT_FOLLOWLOCATION, 1L) &&
            set(h, CURLOPT_MAXREDIRS, o.redirects_max) && set(h, CURLOPT_CONNECTTIMEOUT_MS, o.connect_timeout_ms) &&
            set(h, CURLOPT_TIMEOUT_MS, o.total_timeout_ms) &&
            set(h, CURLOPT_LOW_SPEED_LIMIT, o.low_speed_bytes_per_second) &&
            set(h, CURLOPT_LOW_SPEED_TIME, o.low_speed_window_seconds) &&
            set(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(o.body_bytes_max)) &&
            set(h, CURLOPT_SSL_VERIFYPEER, 1L) && set(h, CURLOPT_SSL_VERIFYHOST, 2L) &&
            set(h, CURLOPT_NOSIGNAL, 1L) &&  // timeouts without SIGALRM: safe off the main thread
            set(h, CURLOPT_USERAGENT, o.user_agent.c_str()) &&
            set(h, CURLOPT_ACCEPT_ENCODING, "") &&  // decoded bytes count against the cap
            set(h, CURLOPT_WRITEFUNCTION, write_body) && set(h, CURLOPT_WRITEDATA, &sink) &&
            set(h, CURLOPT_ERRORBUFFER, errbuf);
  if (ok && headers) ok = set(h, CURLOPT_HTTPHEADER, headers.get());
  if (ok && !o.ca_file.empty()) ok = set(h, CURLOPT_CAINFO, o.ca_file.c_str());
  if (ok && o.proxy) ok = set(h, CURLOPT_PROXY, o.proxy->c_str());
  if (ok && cancelled) {
    ok = set(h, CURLOPT_XFERINFOFUNCTION, on_progress) && set(h, CURLOPT_XFERINFODATA, const_cast<void*>(static_cast<const void*>(&cancelled))) &&
         set(h, CURLOPT_NOPROGRESS, 0L);
  }
  if (!ok) return failure(fetch_reason::internal, "libcurl refused an option (built without http/https?)", false);

  const CURLcode code = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (code != CURLE_OK) {
    long redirects = 0;
    curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &redirects);
    const std::string detail = errbuf[0] != '\0' ? std::string(errbuf) : std::string(curl_easy_strerror(code));
    Attempt a = classify_curl_error(code, detail, sink.over, redirects);
    a.outcome.http_status = status;
    return a;
  }

  if (status == 200 || (status == 304 && conditional)) {
    Attempt a;
    a.outcome.kind = status == 200 ? FetchOutcome::Kind::ok : FetchOutcome::Kind::not_modified;
    a.outcome.http_status = status;
    a.outcome.etag = header_value(h, "ETag");
    a.outcome.last_modified = header_value(h, "Last-Modified");
    if (status == 304) {
      if (a.outcome.etag.empty()) a.outcome.etag = r.etag;
      if (a.outcome.last_modified.empty()) a.outcome.last_modified = r.last_modified;
    } else {
      char* type = nullptr;
      if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type != nullptr) a.outcome.content_type = type;
      a.outcome.body = std::move(body);
    }
    return a;
  }
  const bool too_many = status == 429;
  const bool transient = too_many || (status >= 500 && status <= 599);
  Attempt a = failure(too_many ? fetch_reason::rate_limited : fetch_reason::http_status,
                      "HTTP status " + std::to_string(status), transient, status);
  if (transient) {
    const std::string retry_after = header_value(h, "Retry-After");
    if (!retry_after.empty()) a.retry_after_ms = parse_retry_after_ms(retry_after, std::time(nullptr));
  }
  return a;
}

std::uint64_t default_random(std::uint64_t n) {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_int_distribution<std::uint64_t>(0, n)(engine);
}

bool default_sleep(std::chrono::milliseconds d) {
  std::this_thread::sleep_for(d);
  return true;
}

FetchOutcome cancelled_outcome(int attempts) {
  FetchOutcome out;
  out.reason = std::string(fetch_reason::cancelled);
  out.message = "cancelled before attempt " + std::to_string(attempts + 1);
  out.attempts = attempts;
  return out;
}

}  // namespace

std::chrono::milliseconds backoff_delay(int retry, const FetchOptions& options,
                                        const std::function<std::uint64_t(std::uint64_t)>& random) {
  const std::int64_t max = std::max<std::int64_t>(0, options.backoff_max_ms);
  std::int64_t ceiling = std::max<std::int64_t>(0, options.backoff_base_ms);
  for (int i = 1; i < retry && ceiling < max; ++i) ceiling *= 2;  // stops doubling at the cap: no overflow
  ceiling = std::min(ceiling, max);
  const std::uint64_t wait = random(static_cast<std::uint64_t>(ceiling));
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::min<std::uint64_t>(wait, std::uint64_t(ceiling))));
}

std::optional<std::int64_t> parse_retry_after_ms(std::string_view value, std::int64_t now_seconds) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 9) return std::int64_t(999999999) * 1000;  // "forever": beyond any bound
    return std::stoll(std::string(value)) * 1000;
  }
  const std::string text(value);
  const time_t at = curl_getdate(text.c_str(), nullptr);
  if (at == -1) return std::nullopt;
  return std::max<std::int64_t>(0, std::int64_t(at) - now_seconds) * 1000;
}

Fetcher::Fetcher(FetchOptions options, Hooks hooks) : options_(std::move(options)), hooks_(std::move(hooks)) {
  if (!hooks_.sleep) hooks_.sleep = default_sleep;
  if (!hooks_.random) hooks_.random = default_random;
}

FetchOutcome Fetcher::get(const FetchRequest& request) const {
  int attempts = 0;
  try {
    if (!curl_ready()) {
      FetchOutcome out;
      out.reason = std::string(fetch_reason::internal);
      out.message = "curl_global_init failed";
      return out;
    }
    const int attempts_max = std::max(1, options_.attempts_max);
    for (;;) {
      if (hooks_.cancelled && hooks_.cancelled()) return cancelled_outcome(attempts);
      Attempt a = attempt_once(options_, request, hooks_.cancelled);
      ++attempts;
      a.outcome.attempts = attempts;
      if (!a.outcome.failed() || !a.transient || attempts >= attempts_max) {
        if (a.outcome.failed() && attempts > 1) a.outcome.message += " (after " + std::to_string(attempts) + " attempts)";
        return std::move(a.outcome);
      }
      std::chrono::milliseconds wait{};
      if (a.retry_after_ms) {
        if (*a.retry_after_ms > options_.retry_after_max_ms) {
          a.outcome.message += "; Retry-After " + std::to_string(*a.retry_after_ms / 1000) +
                               " s is beyond retry_after_max_ms: not retried";
          return std::move(a.outcome);
        }
        wait = std::chrono::milliseconds(*a.retry_after_ms);
      } else {
        wait = backoff_delay(attempts, options_, hooks_.random);
      }
      if (!hooks_.sleep(wait)) return cancelled_outcome(attempts);
    }
  } catch (const std::exception& e) {
    FetchOutcome out;
    out.reason = std::string(fetch_reason::internal);
    out.message = one_line(std::string("unexpected error: ") + e.what());
    out.attempts = attempts;
    return out;
  } catch (...) {
    FetchOutcome out;
    out.reason = std::string(fetch_reason::internal);
    out.message = "unexpected error";
    out.attempts = attempts;
    return out;
  }
}

}  // namespace landed
