#include "fetch/fetcher.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "fetch/fake_feed.h"
#include "support.h"

using landed::FetchOptions;
using landed::FetchOutcome;
using landed::Fetcher;
using landed::FetchRequest;
using landed::test::FakeFeed;
using landed::test::FeedRequest;
using landed::test::FeedResponse;
using landed::test::respond;
namespace reason = landed::fetch_reason;

namespace {

const char* daily_xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <Cube><Cube time='2026-04-13'><Cube currency='USD' rate='1.1684'/></Cube></Cube>
</gesmes:Envelope>)";

// Short bounds so every fault resolves in well under a second.
FetchOptions quick() {
  FetchOptions o;
  o.proxy = "";  // loopback only, whatever the environment says
  o.connect_timeout_ms = 500;
  o.total_timeout_ms = 500;
  o.attempts_max = 3;
  o.backoff_base_ms = 100;
  o.backoff_max_ms = 1000;
  o.retry_after_max_ms = 5000;
  return o;
}

// Records the waits asked for and never sleeps; the random source always answers its maximum,
// so the waits are the backoff ceilings.
struct Recorder {
  std::vector<std::int64_t> waits;
  Fetcher::Hooks hooks() {
    Fetcher::Hooks h;
    h.sleep = [this](std::chrono::milliseconds d) {
      waits.push_back(d.count());
      return true;
    };
    h.random = [](std::uint64_t n) { return n; };
    return h;
  }
};

FetchOutcome get(const Fetcher& f, const std::string& url) { return f.get(FetchRequest{url, "", ""}); }

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("Fetcher returns the body of a 200 with its ETag and Last-Modified") {
  FakeFeed feed([](const FeedRequest&) {
    return respond(200, daily_xml,
                   {{"ETag", "\"v1\""}, {"Last-Modified", "Mon, 13 Apr 2026 14:15:00 GMT"}, {"Content-Type", "text/xml"}});
  });
  Recorder rec;
  const auto out = get(Fetcher(quick(), rec.hooks()), feed.url("/eurofxref-daily.xml"));
  REQUIRE(out.ok());
  CHECK(out.http_status == 200);
  CHECK(out.body == daily_xml);
  CHECK(out.etag == "\"v1\"");
  CHECK(out.last_modified == "Mon, 13 Apr 2026 14:15:00 GMT");
  CHECK(out.content_type == "text/xml");
  CHECK(out.attempts == 1);
  CHECK(rec.waits.empty());
  REQUIRE(feed.request_count() == 1);
  CHECK(feed.requests()[0].method == "GET");
  CHECK(feed.requests()[0].target == "/eurofxref-daily.xml");
  CHECK(feed.requests()[0].header("if-none-match").empty());
}

TEST_CASE("Fetcher serves the shared ECB files byte for byte") {
  LANDED_SKIP_WITHOUT_SHARED_DATA();
  for (const char* name : {"fx/xpt-nl_eurofxref-daily.xml", "fx/daturaman_eurofxref-hist-90d_2017.xml"}) {
    const std::string text = landed::test::read_text(landed::test::shared_data() / name);
    FakeFeed feed([&](const FeedRequest&) { return respond(200, text); });
    const auto out = get(Fetcher(quick()), feed.url());
    REQUIRE(out.ok());
    CHECK(out.body == text);
  }
}

TEST_CASE("Fetcher sends the previous validators and reports a 304 as not modified") {
  FakeFeed feed([](const FeedRequest& r) {
    if (r.header("if-none-match") == "\"v1\"") return respond(304, "", {{"ETag", "\"v1\""}});
    return respond(200, daily_xml, {{"ETag", "\"v1\""}});
  });
  const Fetcher f(quick());
  const auto out = f.get(FetchRequest{feed.url(), "\"v1\"", "Mon, 13 Apr 2026 14:15:00 GMT"});
  REQUIRE(out.not_modified());
  CHECK(out.http_status == 304);
  CHECK(out.body.empty());
  CHECK(out.etag == "\"v1\"");
  CHECK(out.last_modified == "Mon, 13 Apr 2026 14:15:00 GMT");  // kept from the request
  REQUIRE(feed.request_count() == 1);
  CHECK(feed.requests()[0].header("if-none-match") == "\"v1\"");
  CHECK(feed.requests()[0].header("if-modified-since") == "Mon, 13 Apr 2026 14:15:00 GMT");
}

TEST_CASE("Fetcher treats a 304 to an unconditional GET as an HTTP status failure") {
  FakeFeed feed([](const FeedRequest&) { return respond(304, ""); });
  const auto out = get(Fetcher(quick()), feed.url());
  REQUIRE(out.failed());
  CHECK(out.reason == reason::http_status);
  CHECK(out.attempts == 1);
}

TEST_CASE("Fetcher does not send a validator that would split the request header") {
  FakeFeed feed([](const FeedRequest&) { return respond(200, "ok"); });
  const auto out = Fetcher(quick()).get(FetchRequest{feed.url(), "\"v1\"\r\nX-Injected: 1", ""});
  REQUIRE(out.ok());
  CHECK(feed.requests()[0].header("if-none-match").empty());
  CHECK(feed.requests()[0].header("x-injected").empty());
}

TEST_CASE("Fetcher retries 500s with exponential backoff and then succeeds") {
  std::atomic<int> calls{0};
  FakeFeed feed([&](const FeedRequest&) { return ++calls <= 2 ? respond(500, "oops") : respond(200, daily_xml); });
  Recorder rec;
  const auto out = get(Fetcher(quick(), rec.hooks()), feed.url());
  REQUIRE(out.ok());
  CHECK(out.attempts == 3);
  CHECK(out.body == daily_xml);
  CHECK(rec.waits == std::vector<std::int64_t>{100, 200});  // base × 2^(retry-1), random at its max
}

TEST_CASE("Fetcher gives up after attempts_max 5xx with reason http_status") {
  FakeFeed feed([](const FeedRequest&) { return respond(503, "down"); });
  Recorder rec;
  const auto out = get(Fetcher(quick(), rec.hooks()), feed.url());
  REQUIRE(out.failed());
  CHECK(out.reason == reason::http_status);
  CHECK(out.http_status == 503);
  CHECK(out.attempts == 3);
  CHECK(feed.request_count() == 3);
  CHECK(out.message.find("503") != std::string::npos);
  CHECK(out.message.find('\n') == std::string::npos);
}

TEST_CASE("Fetcher does not retry a 404") {
  FakeFeed feed([](const FeedRequest&) { return respond(404, "no such feed"); });
  Recorder rec;
  const auto out = get(Fetcher(quick(), rec.hooks()), feed.url());
  REQUIRE(out.failed());
  CHECK(out.reason == reason::http_status);
  CHECK(out.http_status == 404);
  CHECK(out.attempts == 1);
  CHECK(rec.waits.empty());
}

TEST_CASE("Fetcher honours a 429 Retry-After in seconds and then succeeds") {
  std::atomic<int> calls{0};
  FakeFeed feed([&](const FeedRequest&) {
    return ++calls == 1 ? respond(429, "slow down", {{"Retry-After", "2"}}) : respond(200, daily_xml);
  });
  Recorder rec;
  const auto out = get(Fetcher(quick(), rec.hooks()), feed.url());
  REQUIRE(out.ok());
  CHECK(out.attempts == 2);
  CHECK(rec.waits == std::vector<std::int64_t>{2000});  // what the server asked, not the backoff
}

TEST_CASE("Fetcher does not wait for a Retry-After beyond its bound") {
  FakeFeed feed([](const FeedRequest&) { return respond(429, "", {{"Retry-After", "3600"}}); });
  Recorder rec;
  const auto out = get(Fetcher(quick(), rec.hooks()), feed.url());
  REQUIRE(out.failed());
  CHECK(out.reason == reason::rate_limited);
  CHECK(out.http_status == 429);
  CHECK(out.attempts == 1);
  CHECK(rec.waits.empty());
  CHECK(out.message.find("Retry-After") != std::string::npos);
}

TEST_CASE("Fetcher reports a 429 without Retry-After as rate_limited after its retries") {
  FakeFeed feed([](const FeedRequest&) { return respond(429, ""); });
  Recorder rec;
  const auto out = get(Fetcher(quick(), rec.hooks()), feed.url());
  REQUIRE(out.failed());
  CHECK(out.reason == reason::rate_limited);
  CHECK(out.attempts == 3);
  CHECK(rec.waits == std::vector<std::int64_t>{100, 200});
}

TEST_CASE("Fetcher times out on a feed that never answers") {
  FakeFeed feed([](const FeedRequest&) {
    FeedResponse r;
    r.mode = FeedResponse::Mode::hang;
    return r;
  });
  FetchOptions o = quick();
  o.total_timeout_ms = 300;
  o.attempts_max = 2;
  Recorder rec;
  const auto start = std::chrono::steady_clock::now();
  const auto out = get(Fetcher(o, rec.hooks()), feed.url());
  REQUIRE(out.failed());
  CHECK(out.reason == reason::timeout);
  CHECK(out.attempts == 2);  // a timeout is transient: retried
  CHECK(rec.waits.size() == 1);
  CHECK(seconds_since(start) < 2.0);
}

TEST_CASE("Fetcher times out on a feed that sends its body byte by byte") {
  FakeFeed feed([](const FeedRequest&) {
    FeedResponse r;
    r.mode = FeedResponse::Mode::slow;
    r.body = std::string(200, 'x');
    r.byte_interval_ms = 20;  // 4 s for the body: each byte well within any per-read timeout
    return r;
  });
  FetchOptions o = quick();
  o.total_timeout_ms = 400;
  o.attempts_max = 1;
  const auto start = std::chrono::steady_clock::now();
  const auto out = get(Fetcher(o), feed.url());
  REQUIRE(out.failed());
  CHECK(out.reason == reason::timeout);
  CHECK(seconds_since(start) < 2.0);
}

TEST_CASE("Fetcher reports a redirect loop without retrying") {
  FakeFeed feed([](const FeedRequest& r) { return respond(302, "", {{"Location", r.target == "/a" ? "/b" : "/a"}}); });
  Recorder rec;
  const auto out = get(Fetcher(quick(), rec.hooks()), feed.url("/a"));
  REQUIRE(out.failed());
  CHECK(out.reason == reason::redirects);
  CHECK(out.attempts == 1);
  CHECK(feed.request_count() == std::size_t(quick().redirects_max) + 1);
}

TEST_CASE("Fetcher follows a redirect within the limit") {
  FakeFeed feed([](const FeedRequest& r) {
    if (r.target == "/old") return respond(301, "", {{"Location", "/new"}});
    return respond(200, daily_xml, {{"ETag", "\"new\""}});
  });
  const auto out = get(Fetcher(quick()), feed.url("/old"));
  REQUIRE(out.ok());
  CHECK(out.body == daily_xml);
  CHECK(out.etag == "\"new\"");  // the validators of the final response
}

TEST_CASE("Fetcher aborts a body without Content-Length once it passes the cap") {
  FakeFeed feed([](const FeedRequest&) {
    FeedResponse r;
    r.mode = FeedResponse::Mode::endless;
    return r;
  });
  Recorder rec;
  // The default 16 MiB cap. quick()'s 500 ms total is too short to read 16 MiB on a loaded
  // machine (it timed out once while three builds ran): this test is about the cap, not time.
  FetchOptions o = quick();
  o.total_timeout_ms = 20000;
  const auto out = get(Fetcher(o, rec.hooks()), feed.url());
  REQUIRE(out.failed());
  CHECK(out.reason == reason::too_large);
  CHECK(out.attempts == 1);
  CHECK(out.body.empty());
}

TEST_CASE("Fetcher refuses a declared Content-Length over the cap before reading it") {
  FakeFeed feed([](const FeedRequest&) { return respond(200, std::string(5000, 'x')); });
  FetchOptions o = quick();
  o.body_bytes_max = 4096;
  const auto out = get(Fetcher(o), feed.url());
  REQUIRE(out.failed());
  CHECK(out.reason == reason::too_large);
  CHECK(out.attempts == 1);
}

TEST_CASE("Fetcher accepts a body exactly at the cap") {
  FakeFeed feed([](const FeedRequest&) { return respond(200, std::string(4096, 'x')); });
  FetchOptions o = quick();
  o.body_bytes_max = 4096;
  const auto out = get(Fetcher(o), feed.url());
  REQUIRE(out.ok());
  CHECK(out.body.size() == 4096);
}

TEST_CASE("Fetcher reports a body cut short as network and retries it") {
  FakeFeed feed([](const FeedRequest&) {
    FeedResponse r;
    r.mode = FeedResponse::Mode::truncate;
    r.body = "<gesmes:Envelope><Cube>";
    r.declared_length = 1000;
    return r;
  });
  Recorder rec;
  const auto out = get(Fetcher(quick(), rec.hooks()), feed.url());
  REQUIRE(out.failed());
  CHECK(out.reason == reason::network);
  CHECK(out.attempts == 3);
  CHECK(out.body.empty());
}

TEST_CASE("Fetcher reports a refused connection as connect after its retries") {
  Recorder rec;
  const auto out = get(Fetcher(quick(), rec.hooks()), "http://127.0.0.1:" + std::to_string(landed::test::closed_port()) + "/");
  REQUIRE(out.failed());
  CHECK(out.reason == reason::connect);
  CHECK(out.attempts == 3);
  CHECK(out.http_status == 0);
  CHECK(rec.waits.size() == 2);
}

TEST_CASE("Fetcher refuses schemes other than http and https") {
  for (const char* url : {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/"}) {
    const auto out = get(Fetcher(quick()), url);
    REQUIRE(out.failed());
    CHECK(out.reason == reason::url);
    CHECK(out.attempts == 1);
  }
  const auto bad = get(Fetcher(quick()), "http://[::1");
  CHECK(bad.reason == reason::url);
}

TEST_CASE("Fetcher refuses a redirect to a scheme other than http and https") {
  FakeFeed origin([](const FeedRequest&) { return respond(302, "", {{"Location", "file:///etc/passwd"}}); });
  const auto out = get(Fetcher(quick()), origin.url());
  REQUIRE(out.failed());
  CHECK(out.reason == reason::redirects);
  CHECK(out.attempts == 1);
  CHECK(out.body.empty());
}

TEST_CASE("Fetcher reports a failed TLS handshake as tls without retrying") {
  FakeFeed feed([](const FeedRequest&) { return respond(200, "plain"); });  // plain HTTP only
  Recorder rec;
  // About how a handshake failure is classified, not time: quick()'s 500 ms once expired first
  // (a retried timeout, attempts 2) under ASan beside a parallel build.
  FetchOptions o = quick();
  o.connect_timeout_ms = 20000;
  o.total_timeout_ms = 20000;
  const auto out = get(Fetcher(o, rec.hooks()), "https://127.0.0.1:" + std::to_string(feed.port()) + "/");
  REQUIRE(out.failed());
  CHECK(out.reason == reason::tls);
  CHECK(out.attempts == 1);
  CHECK(rec.waits.empty());
}

TEST_CASE("Fetcher stops retrying when the sleeper says shut down") {
  FakeFeed feed([](const FeedRequest&) { return respond(500, ""); });
  Fetcher::Hooks hooks;
  hooks.sleep = [](std::chrono::milliseconds) { return false; };
  const auto out = get(Fetcher(quick(), hooks), feed.url());
  REQUIRE(out.failed());
  CHECK(out.reason == reason::cancelled);
  CHECK(out.attempts == 1);
}

TEST_CASE("Fetcher aborts a transfer in flight when cancelled") {
  FakeFeed feed([](const FeedRequest&) {
    FeedResponse r;
    r.mode = FeedResponse::Mode::hang;
    return r;
  });
  std::atomic<bool> stop{false};
  Fetcher::Hooks hooks;
  hooks.cancelled = [&] { return stop.load(); };
  FetchOptions o = quick();
  o.total_timeout_ms = 5000;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop = true;
  });
  const auto start = std::chrono::steady_clock::now();
  const auto out = get(Fetcher(o, hooks), feed.url());
  stopper.join();
  REQUIRE(out.failed());
  CHECK(out.reason == reason::cancelled);
  CHECK(seconds_since(start) < 3.0);
}

TEST_CASE("Fetcher turns an exception from a hook into an internal failure") {
  FakeFeed feed([](const FeedRequest&) { return respond(500, ""); });
  Fetcher::Hooks hooks;
  hooks.sleep = [](std::chrono::milliseconds) -> bool { throw std::runtime_error("boom\nsecond line"); };
  const auto out = get(Fetcher(quick(), hooks), feed.url());
  REQUIRE(out.failed());
  CHECK(out.reason == reason::internal);
  CHECK(out.message == "unexpected error: boom second line");
}

TEST_CASE("Fetchers run in parallel threads") {
  FakeFeed feed([](const FeedRequest&) { return respond(200, daily_xml); });
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      if (get(Fetcher(quick()), feed.url()).ok()) ++ok;
    });
  for (auto& t : threads) t.join();
  CHECK(ok == 4);
}

TEST_CASE("backoff_delay doubles from the base up to the cap with full jitter") {
  FetchOptions o;
  o.backoff_base_ms = 500;
  o.backoff_max_ms = 3000;
  std::vector<std::uint64_t> asked;
  auto at_max = [&](std::uint64_t n) {
    asked.push_back(n);
    return n;
  };
  CHECK(landed::backoff_delay(1, o, at_max).count() == 500);
  CHECK(landed::backoff_delay(2, o, at_max).count() == 1000);
  CHECK(landed::backoff_delay(3, o, at_max).count() == 2000);
  CHECK(landed::backoff_delay(4, o, at_max).count() == 3000);
  CHECK(landed::backoff_delay(60, o, at_max).count() == 3000);  // no overflow past the cap
  CHECK(asked == std::vector<std::uint64_t>{500, 1000, 2000, 3000, 3000});
  CHECK(landed::backoff_delay(3, o, [](std::uint64_t) { return std::uint64_t(0); }).count() == 0);
  // A random source answering beyond its range is clamped to the ceiling.
  CHECK(landed::backoff_delay(1, o, [](std::uint64_t) { return std::uint64_t(1) << 40; }).count() == 500);
}

TEST_CASE("parse_retry_after_ms reads delay-seconds and HTTP dates") {
  const std::int64_t now = 1776089700;  // 2026-04-13T14:15:00Z
  CHECK(landed::parse_retry_after_ms("120", now) == 120000);
  CHECK(landed::parse_retry_after_ms(" 0 ", now) == 0);
  CHECK(landed::parse_retry_after_ms("Mon, 13 Apr 2026 14:16:00 GMT", now) == 60000);
  CHECK(landed::parse_retry_after_ms("Mon, 13 Apr 2026 14:00:00 GMT", now) == 0);  // past: no wait
  CHECK(landed::parse_retry_after_ms("99999999999999999999", now) > std::int64_t(86400) * 1000);
  CHECK_FALSE(landed::parse_retry_after_ms("", now).has_value());
  CHECK_FALSE(landed::parse_retry_after_ms("soon", now).has_value());
  CHECK_FALSE(landed::parse_retry_after_ms("-5", now).has_value());
}

TEST_CASE("Every fetch reason is a distinct label") {
  for (std::size_t i = 0; i < landed::fetch_reasons.size(); ++i)
    for (std::size_t j = i + 1; j < landed::fetch_reasons.size(); ++j) CHECK(landed::fetch_reasons[i] != landed::fetch_reasons[j]);
}
