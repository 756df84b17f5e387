#include <catch2/catch.hpp>

#include "fetch/fake_feed.h"
#include "fetch/fetcher.h"
#include "fetch/tls_feed.h"

using landed::FetchOptions;
using landed::Fetcher;
using landed::FetchRequest;
using landed::test::TlsFeed;
using landed::test::tls_fixture;
namespace reason = landed::fetch_reason;

namespace {

const std::string ok_response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nETag: \"tls\"\r\nConnection: close\r\n\r\nok";

FetchOptions quick(bool trust_fixture) {
  FetchOptions o;
  o.proxy = "";
  // None of these tests is about time: a generous bound, so a handshake slowed by ASan on a
  // loaded machine is not retried as a timeout (seen once in fetcher_test under ASan).
  o.connect_timeout_ms = 20000;
  o.total_timeout_ms = 20000;
  o.attempts_max = 3;
  if (trust_fixture) o.ca_file = tls_fixture("feed-cert.pem");
  return o;
}

Fetcher::Hooks no_sleep() {
  Fetcher::Hooks h;
  h.sleep = [](std::chrono::milliseconds) { return true; };
  return h;
}

}  // namespace

TEST_CASE("Fetcher refuses a certificate it does not trust as tls without retrying") {
  TlsFeed feed(ok_response);
  const auto out = Fetcher(quick(false), no_sleep()).get(FetchRequest{feed.url(), "", ""});
  REQUIRE(out.failed());
  CHECK(out.reason == reason::tls);
  CHECK(out.attempts == 1);
  CHECK(feed.requests() == 0);
}

TEST_CASE("Fetcher fetches over TLS once the feed's CA is trusted") {
  TlsFeed feed(ok_response);
  const auto out = Fetcher(quick(true), no_sleep()).get(FetchRequest{feed.url(), "", ""});
  REQUIRE(out.ok());
  CHECK(out.body == "ok");
  CHECK(out.etag == "\"tls\"");
  CHECK(feed.requests() == 1);
}

TEST_CASE("Fetcher refuses a trusted certificate for another host name as tls") {
  TlsFeed feed(ok_response);  // the certificate names localhost only
  const auto out = Fetcher(quick(true), no_sleep()).get(FetchRequest{feed.url("127.0.0.1"), "", ""});
  REQUIRE(out.failed());
  CHECK(out.reason == reason::tls);
  CHECK(feed.requests() == 0);
}

TEST_CASE("Fetcher refuses a redirect from https to http") {
  landed::test::FakeFeed plain([](const landed::test::FeedRequest&) { return landed::test::respond(200, "downgraded"); });
  TlsFeed feed("HTTP/1.1 302 Found\r\nLocation: " + plain.url() + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  const auto out = Fetcher(quick(true), no_sleep()).get(FetchRequest{feed.url(), "", ""});
  REQUIRE(out.failed());
  CHECK(out.reason == reason::redirects);
  CHECK(out.body.empty());
  CHECK(plain.request_count() == 0);
}
