// Each fault a rate feed can have, end to end below the service: the fake feed on loopback, the
// Fetcher, then validation. For each: the reason a metric would count, no exception, and the
// previous rates still the accepted ones (the price they give unchanged). This is the refresh
// step the service will run in its background thread (fetch -> not modified / failed / offer).
#include <catch2/catch.hpp>

#include <atomic>

#include "fetch/fake_feed.h"
#include "fetch/fetcher.h"
#include "fx/rate_sources.h"
#include "fx/rate_validation.h"
#include "support.h"

using landed::AcceptedRates;
using landed::Currency;
using landed::Decimal;
using landed::FetchOptions;
using landed::Fetcher;
using landed::FetchRequest;
using landed::RateFormat;
using landed::Timestamp;
using landed::test::FakeFeed;
using landed::test::FeedRequest;
using landed::test::FeedResponse;
using landed::test::respond;

namespace {

const Timestamp now = *Timestamp::parse("2026-04-14T15:00:00Z");

std::string ecb_day(const std::string& date, const std::string& usd, const std::string& extra = "") {
  return "<?xml version='1.0' encoding='UTF-8'?><gesmes:Envelope xmlns:gesmes='http://www.gesmes.org/xml/2002-08-01' "
         "xmlns='http://www.ecb.int/vocabulary/2002-08-01/eurofxref'><gesmes:subject>Reference rates</gesmes:subject><Cube>"
         "<Cube time='" + date + "'><Cube currency='USD' rate='" + usd + "'/><Cube currency='JPY' rate='186.75'/>" + extra +
         "</Cube></Cube></gesmes:Envelope>";
}

FetchOptions quick() {
  FetchOptions o;
  o.proxy = "";  // loopback only, whatever the environment says
  o.connect_timeout_ms = 500;
  o.total_timeout_ms = 400;
  o.attempts_max = 3;
  o.body_bytes_max = 256 << 10;
  return o;
}

Fetcher fetcher(FetchOptions o = quick()) {
  Fetcher::Hooks h;
  h.sleep = [](std::chrono::milliseconds) { return true; };
  h.random = [](std::uint64_t n) { return n / 2; };
  return Fetcher(o, h);
}

// A feed's state: what was accepted last, and the validators of the last 200.
struct Feed {
  AcceptedRates accepted;
  std::string etag;
  std::string last_modified;
  std::string source = "ECB";
  RateFormat format = RateFormat::ecb_xml;

  // One refresh: "accepted", "not_modified", or the reason of the fetch failure or refusal.
  std::string refresh(const Fetcher& f, const std::string& url, Timestamp at = now) {
    const auto out = f.get(FetchRequest{url, etag, last_modified});
    if (out.not_modified()) return "not_modified";
    if (out.failed()) return out.reason;
    const auto v = accepted.offer(out.body, format, source, at);
    if (!v.accepted()) return v.refusals.front().reason;
    etag = out.etag;
    last_modified = out.last_modified;
    return "accepted";
  }
};

// A feed that has accepted the 2026-04-13 table (USD 1.1684).
Feed primed() {
  Feed feed;
  FakeFeed good([](const FeedRequest&) { return respond(200, ecb_day("2026-04-13", "1.1684"), {{"ETag", "\"13\""}}); });
  REQUIRE(feed.refresh(fetcher(), good.url()) == "accepted");
  return feed;
}

// The previous rates still serve, and give the price they gave.
void still_serving_previous(const Feed& feed) {
  REQUIRE(feed.accepted.current() != nullptr);
  CHECK(feed.accepted.current()->as_of().to_string() == "2026-04-13");
  const landed::RateSources sources(*feed.accepted.current());
  const auto r = sources.rate(*Currency::of("USD"), *Currency::of("EUR"), Decimal());
  REQUIRE(r.ok());
  CHECK(r->rate.rate.to_string() == "0.855871277");  // 1 / 1.1684
}

std::string fault(Feed& feed, FeedResponse response, FetchOptions o = quick()) {
  FakeFeed bad([response](const FeedRequest&) { return response; });
  return feed.refresh(fetcher(o), bad.url());
}

FeedResponse body(std::string text) { return respond(200, std::move(text)); }

}  // namespace

TEST_CASE("Feed faults: the shared ECB files served as is are accepted") {
  LANDED_SKIP_WITHOUT_SHARED_DATA();
  Feed daily;
  FakeFeed d([](const FeedRequest&) { return respond(200, landed::test::read_text(landed::test::shared_data() / "fx/xpt-nl_eurofxref-daily.xml")); });
  CHECK(daily.refresh(fetcher(), d.url(), *Timestamp::parse("2025-05-09T16:00:00Z")) == "accepted");
  CHECK(daily.accepted.current()->per_base().size() > 25);
  Feed ninety;
  FakeFeed n([](const FeedRequest&) {
    return respond(200, landed::test::read_text(landed::test::shared_data() / "fx/daturaman_eurofxref-hist-90d_2017.xml"));
  });
  CHECK(ninety.refresh(fetcher(), n.url(), *Timestamp::parse("2017-03-03T16:00:00Z")) == "accepted");
  CHECK(ninety.accepted.current()->as_of().to_string() == "2017-03-03");
}

TEST_CASE("Feed faults: the next good day replaces the previous one") {
  Feed feed = primed();
  CHECK(fault(feed, body(ecb_day("2026-04-14", "1.17"))) == "accepted");
  CHECK(feed.accepted.current()->as_of().to_string() == "2026-04-14");
}

TEST_CASE("Feed faults: a feed that never answers times out") {
  Feed feed = primed();
  FeedResponse r;
  r.mode = FeedResponse::Mode::hang;
  FetchOptions o = quick();
  o.attempts_max = 1;
  CHECK(fault(feed, r, o) == "timeout");
  still_serving_previous(feed);
}

TEST_CASE("Feed faults: a feed slow byte by byte times out") {
  Feed feed = primed();
  FeedResponse r;
  r.mode = FeedResponse::Mode::slow;
  r.body = ecb_day("2026-04-14", "1.17");
  r.byte_interval_ms = 10;
  FetchOptions o = quick();
  o.attempts_max = 1;
  CHECK(fault(feed, r, o) == "timeout");
  still_serving_previous(feed);
}

TEST_CASE("Feed faults: 500s then success is accepted after retries") {
  Feed feed = primed();
  std::atomic<int> calls{0};
  FakeFeed flaky([&](const FeedRequest&) { return ++calls <= 2 ? respond(500, "") : respond(200, ecb_day("2026-04-14", "1.17")); });
  CHECK(feed.refresh(fetcher(), flaky.url()) == "accepted");
  CHECK(calls == 3);
}

TEST_CASE("Feed faults: 500s beyond the attempts fail as http_status") {
  Feed feed = primed();
  CHECK(fault(feed, respond(500, "")) == "http_status");
  still_serving_previous(feed);
}

TEST_CASE("Feed faults: a redirect loop fails as redirects") {
  Feed feed = primed();
  CHECK(fault(feed, respond(302, "", {{"Location", "/again"}})) == "redirects");
  still_serving_previous(feed);
}

TEST_CASE("Feed faults: truncated XML is malformed") {
  Feed feed = primed();
  const std::string xml = ecb_day("2026-04-14", "1.17");
  CHECK(fault(feed, body(xml.substr(0, xml.size() / 2))) == "malformed");
  still_serving_previous(feed);
}

TEST_CASE("Feed faults: a connection cut mid-body fails as network") {
  Feed feed = primed();
  FeedResponse r;
  r.mode = FeedResponse::Mode::truncate;
  r.body = ecb_day("2026-04-14", "1.17").substr(0, 100);
  r.declared_length = 5000;
  CHECK(fault(feed, r) == "network");
  still_serving_previous(feed);
}

TEST_CASE("Feed faults: malformed XML is malformed") {
  Feed feed = primed();
  CHECK(fault(feed, body("<html><body>502 Bad Gateway</body></html>")) == "malformed");
  CHECK(fault(feed, body("<gesmes:Envelope><Cube><Cube time='2026-04-14'><Cube currency='USD' rate='1.17'></Cube>")) == "malformed");
  still_serving_previous(feed);
}

TEST_CASE("Feed faults: truncated and malformed JSON are malformed") {
  Feed feed;
  feed.source = "PROVIDER";
  feed.format = RateFormat::provider_json;
  FakeFeed good([](const FeedRequest&) { return respond(200, R"({"base":"USD","date":"2026-04-13","rates":{"KWD":"0.3072"}})"); });
  REQUIRE(feed.refresh(fetcher(), good.url()) == "accepted");
  CHECK(fault(feed, body(R"({"base":"USD","date":"2026-04-14","rates":{"KWD":"0.30)")) == "malformed");
  CHECK(fault(feed, body(R"({"base":"USD","date":"2026-04-14","rates":{"KWD":0.3072}})")) == "malformed");  // a JSON number
  CHECK(fault(feed, body("not json at all")) == "malformed");
  CHECK(feed.accepted.current()->per_base().at("KWD").to_string() == "0.3072");
  CHECK(feed.accepted.current()->as_of().to_string() == "2026-04-13");
}

TEST_CASE("Feed faults: a 50 % jump is refused as moved_too_far") {
  Feed feed = primed();
  CHECK(fault(feed, body(ecb_day("2026-04-14", "1.7526"))) == "moved_too_far");
  still_serving_previous(feed);
}

TEST_CASE("Feed faults: a future date is refused as future_date") {
  Feed feed = primed();
  CHECK(fault(feed, body(ecb_day("2026-04-20", "1.17"))) == "future_date");
  still_serving_previous(feed);
}

TEST_CASE("Feed faults: an older document is refused as stale_document") {
  Feed feed = primed();
  CHECK(fault(feed, body(ecb_day("2026-04-10", "1.17"))) == "stale_document");
  still_serving_previous(feed);
}

TEST_CASE("Feed faults: an unknown currency is refused as unknown_currency") {
  Feed feed = primed();
  CHECK(fault(feed, body(ecb_day("2026-04-14", "1.17", "<Cube currency='XBT' rate='0.00001'/>"))) == "unknown_currency");
  still_serving_previous(feed);
}

TEST_CASE("Feed faults: an empty body is malformed") {
  Feed feed = primed();
  CHECK(fault(feed, body("")) == "malformed");
  still_serving_previous(feed);
}

TEST_CASE("Feed faults: a huge body is too_large") {
  Feed feed = primed();
  FeedResponse endless;
  endless.mode = FeedResponse::Mode::endless;
  CHECK(fault(feed, endless) == "too_large");
  CHECK(fault(feed, body(std::string(quick().body_bytes_max + 1, ' '))) == "too_large");
  still_serving_previous(feed);
}

TEST_CASE("Feed faults: a 304 to the previous ETag keeps the rates as not modified") {
  Feed feed = primed();
  REQUIRE(feed.etag == "\"13\"");
  FakeFeed same([](const FeedRequest& r) {
    return r.header("if-none-match") == "\"13\"" ? respond(304, "", {{"ETag", "\"13\""}}) : respond(200, "<broken");
  });
  CHECK(feed.refresh(fetcher(), same.url()) == "not_modified");
  still_serving_previous(feed);
}

TEST_CASE("Feed faults: a 429 with Retry-After is waited for and then accepted") {
  Feed feed = primed();
  std::atomic<int> calls{0};
  std::vector<std::int64_t> waits;
  Fetcher::Hooks h;
  h.sleep = [&](std::chrono::milliseconds d) {
    waits.push_back(d.count());
    return true;
  };
  FakeFeed limited([&](const FeedRequest&) {
    return ++calls == 1 ? respond(429, "", {{"Retry-After", "1"}}) : respond(200, ecb_day("2026-04-14", "1.17"));
  });
  CHECK(feed.refresh(Fetcher(quick(), h), limited.url()) == "accepted");
  CHECK(waits == std::vector<std::int64_t>{1000});
}
