// Live FX operations (issue #14): `landed rates fetch|accept` with the real binary, and the serve
// refresher with the real service, both against a fake feed on loopback (never the internet).
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "../fetch/fake_feed.h"
#include "app/rates_store.h"
#include "http_client.h"
#include "landed_process.h"
#include "running_service.h"
#include "shipped_rates.h"
#include "support.h"

using namespace landed;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string finance = "dev-finance-token";
using test::ecb_day;
using test::shipped_day;
using test::shipped_usd;

// The newest shipped ECB day, re-dated to `day`, with USD multiplied by `usd_factor` ("1" keeps it).
// A fresh copy of the shipped rates, so a test may write into it.
fs::path copy_rates(const fs::path& dir) {
  fs::create_directories(dir);
  fs::copy(test::home() / "rates", dir / "rates", fs::copy_options::recursive);
  return dir / "rates";
}

using test::Run;

Run run_landed(const std::string& args) { return test::run_landed_process(args, {true, "", true}); }

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string as_of(test::HttpClient& c) {
  const auto r = c.request("GET", "/v1/rates", finance);
  REQUIRE(r.status == 200);
  return json::parse(r.body)["as_of"].get<std::string>();
}

using test::fast_feed;

}  // namespace

TEST_CASE("rates fetch stores a new ECB day that GET /v1/rates shows after a reload") {
  test::FakeFeed feed([](const test::FeedRequest&) { return test::respond(200, ecb_day("2026-04-14")); });
  fs::path rates;
  test::Running s(false, [&](app::ServiceOptions& o, const fs::path& dir) { o.paths.rates = rates = copy_rates(dir); });
  test::HttpClient c(s.base);
  REQUIRE(as_of(c) == shipped_day);

  const Run run = run_landed("rates fetch --url " + feed.url("/eurofxref-daily.xml") + " --rates '" + rates.string() + "'");
  INFO(run.out);
  CHECK(run.status == 0);
  CHECK(run.out.find("accepted ECB 2026-04-14") != std::string::npos);
  CHECK(run.out.find("stored eurofxref-2026-04-14.xml") != std::string::npos);
  REQUIRE(fs::exists(rates / "eurofxref-2026-04-14.xml"));

  CHECK(as_of(c) == shipped_day);  // on disk, not yet serving
  REQUIRE(s.service->reload().reloaded);
  CHECK(as_of(c) == "2026-04-14");
}

TEST_CASE("rates fetch refuses a 50 % jump and writes nothing") {
  const std::string jumped = (Decimal::parse(shipped_usd()).value() * Decimal::parse("1.5").value()).to_string();
  test::FakeFeed feed([&](const test::FeedRequest&) { return test::respond(200, ecb_day("2026-04-14", jumped)); });
  const fs::path rates = copy_rates(fs::temp_directory_path() / ("landed-rates-jump-" + std::to_string(::getpid())));
  const auto before = files_in(rates);

  const Run run = run_landed("rates fetch --url " + feed.url() + " --rates '" + rates.string() + "'");
  INFO(run.out);
  CHECK(run.status == 1);
  CHECK(run.out.find("refused ECB: moved_too_far (USD)") != std::string::npos);
  CHECK(files_in(rates) == before);
  fs::remove_all(rates.parent_path());
}

TEST_CASE("rates accept lets an operator store the refused jump") {
  const std::string jumped = (Decimal::parse(shipped_usd()).value() * Decimal::parse("1.5").value()).to_string();
  const fs::path dir = fs::temp_directory_path() / ("landed-rates-accept-" + std::to_string(::getpid()));
  const fs::path rates = copy_rates(dir);
  const fs::path file = dir / "jump.xml";
  std::ofstream(file) << ecb_day("2026-04-14", jumped);

  const Run run = run_landed("rates accept '" + file.string() + "' --rates '" + rates.string() + "'");
  INFO(run.out);
  CHECK(run.status == 0);
  CHECK(run.out.find("operator accepted moves of USD") != std::string::npos);
  const std::string stored = test::read_text(rates / "eurofxref-2026-04-14.xml");
  CHECK(stored.find("currency='USD' rate='" + jumped + "'") != std::string::npos);
  // The stored day is ECB's own single-day format: the loader reads it as it reads the shipped files.
  const auto table = RateTable::parse_ecb_xml(stored, "ECB");
  REQUIRE(table.ok());
  CHECK(table->as_of().to_string() == "2026-04-14");
  fs::remove_all(dir);
}

TEST_CASE("rates fetch --accept still refuses a future date") {
  test::FakeFeed feed([](const test::FeedRequest&) { return test::respond(200, ecb_day("2099-01-02")); });
  const fs::path rates = copy_rates(fs::temp_directory_path() / ("landed-rates-future-" + std::to_string(::getpid())));
  const auto before = files_in(rates);
  const Run run = run_landed("rates fetch --accept --url " + feed.url() + " --rates '" + rates.string() + "'");
  INFO(run.out);
  CHECK(run.status == 1);
  CHECK(run.out.find("future_date") != std::string::npos);
  CHECK(files_in(rates) == before);
  fs::remove_all(rates.parent_path());
}

TEST_CASE("rates fetch stores a JSON provider document as received under its source name") {
  const std::string doc = R"({"base": "USD", "date": "2026-11-20", "rates": {"KWD": "0.3072", "AED": "3.6725"}})";
  test::FakeFeed feed([&](const test::FeedRequest&) { return test::respond(200, doc); });
  const fs::path rates = copy_rates(fs::temp_directory_path() / ("landed-rates-json-" + std::to_string(::getpid())));
  const Run run = run_landed("rates fetch --format json --source gulf --url " + feed.url() + " --rates '" +
                             rates.string() + "'");
  INFO(run.out);
  CHECK(run.status == 0);
  CHECK(run.out.find("accepted GULF 2026-11-20") != std::string::npos);
  CHECK(test::read_text(rates / "gulf-2026-11-20.json") == doc);
  fs::remove_all(rates.parent_path());
}

TEST_CASE("rates fetch reports a failed fetch and exits non-zero") {
  const fs::path rates = copy_rates(fs::temp_directory_path() / ("landed-rates-down-" + std::to_string(::getpid())));
  test::FakeFeed feed([](const test::FeedRequest&) { return test::respond(404, "no"); });
  const Run run = run_landed("rates fetch --url " + feed.url() + " --rates '" + rates.string() + "'");
  INFO(run.out);
  CHECK(run.status == 1);
  CHECK(run.out.find("not fetched (http_status)") != std::string::npos);
  fs::remove_all(rates.parent_path());
}

TEST_CASE("rates fetch and accept refuse bad usage with exit 2") {
  CHECK(run_landed("rates fetch").status == 2);
  CHECK(run_landed("rates fetch --url ftp://example.invalid/x").status == 2);
  CHECK(run_landed("rates fetch --url http://127.0.0.1:1/ --format ecb-csv").status == 2);
  CHECK(run_landed("rates fetch --url http://127.0.0.1:1/ --format json --source 'Bad Name'").status == 2);
  CHECK(run_landed("rates fetch --url http://127.0.0.1:1/ --source gulf").status == 2);  // ECB has no --source
  CHECK(run_landed("rates accept").status == 2);
  CHECK(run_landed("rates accept /nonexistent/file.xml").status == 2);
  CHECK(run_landed("rates frobnicate").status == 2);
  CHECK(run_landed("serve --keys tools/dev-keys.json --rates-feed json:a=http://127.0.0.1:1/ --rates-feed json:b=http://127.0.0.1:1/").status == 2);
  CHECK(run_landed("serve --keys tools/dev-keys.json --rates-feed ftp://x/").status == 2);
  CHECK(run_landed("serve --keys tools/dev-keys.json --rates-feed http://127.0.0.1:1/ --rates-refresh-seconds 5").status == 2);
}

TEST_CASE("parse_rate_feed reads the format prefix and the JSON source name") {
  auto ecb = app::parse_rate_feed("https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml");
  REQUIRE(ecb.ok());
  CHECK(ecb->format == RateFormat::ecb_xml);
  CHECK(ecb->source == "eurofxref");
  auto ecb2 = app::parse_rate_feed("ecb:http://127.0.0.1:9/x?a=b");
  REQUIRE(ecb2.ok());
  CHECK(ecb2->url == "http://127.0.0.1:9/x?a=b");
  auto json_default = app::parse_rate_feed("json:https://rates.example/latest?key=a=b");
  REQUIRE(json_default.ok());
  CHECK(json_default->format == RateFormat::provider_json);
  CHECK(json_default->source == "provider");
  CHECK(json_default->url == "https://rates.example/latest?key=a=b");
  auto named = app::parse_rate_feed("json:gulf=https://rates.example/latest");
  REQUIRE(named.ok());
  CHECK(named->source == "gulf");
  CHECK(named->url == "https://rates.example/latest");
  CHECK_FALSE(app::parse_rate_feed("json:Gulf=https://rates.example/").ok());
  CHECK_FALSE(app::parse_rate_feed("json:gulf-x=https://rates.example/").ok());  // the loader reads [a-z0-9_]
  CHECK_FALSE(app::parse_rate_feed("json:eurofxref=https://rates.example/").ok());
  CHECK_FALSE(app::parse_rate_feed("json:=https://rates.example/").ok());
  CHECK_FALSE(app::parse_rate_feed("ftp://rates.example/").ok());
  CHECK_FALSE(app::parse_rate_feed("").ok());
}

TEST_CASE("serve refresher swaps in a new day from the feed with no failed request") {
  std::atomic<bool> published{false};
  test::FakeFeed feed([&](const test::FeedRequest&) {
    return test::respond(200, ecb_day(published ? "2026-04-14" : shipped_day), {{"ETag", published ? "\"b\"" : "\"a\""}});
  });
  std::vector<std::string> log;
  std::mutex log_mu;
  test::Running s(false, [&](app::ServiceOptions& o, const fs::path& dir) {
    o.paths.rates = copy_rates(dir);
    fast_feed(o, "ecb:" + feed.url("/daily.xml"));
    o.log = [&](const std::string& line) {
      std::lock_guard lock(log_mu);
      log.push_back(line);
    };
  });
  // Requests all along, while the refresher fetches, stores and swaps.
  std::atomic<bool> done{false};
  std::atomic<int> failed{0}, answered{0};
  std::thread client([&] {
    test::HttpClient c(s.base);
    while (!done) {
      const auto r = c.request("GET", "/v1/rates", finance);
      if (r.status != 200) ++failed;
      ++answered;
    }
  });
  test::HttpClient c(s.base);
  REQUIRE(test::await([&] { return s.service->rates_refresh_passes() >= 2; }));
  CHECK(as_of(c) == shipped_day);  // the same day again: nothing new, no reload
  published = true;
  CHECK(test::await([&] { return as_of(c) == "2026-04-14"; }));
  done = true;
  client.join();
  CHECK(failed == 0);
  CHECK(answered > 0);
  CHECK(fs::exists(s.dir / "rates" / "eurofxref-2026-04-14.xml"));
  // The second request onwards is conditional on the first accepted response's ETag.
  const auto requests = feed.requests();
  REQUIRE(requests.size() >= 2);
  CHECK(requests[1].header("if-none-match") == "\"a\"");
  const std::string metrics = c.request("GET", "/metrics").body;
  CHECK(metrics.find("landed_rates_fetch_total{outcome=\"ok\"}") != std::string::npos);
  CHECK(metrics.find("landed_rates_last_success_timestamp_seconds{source=\"ecb\"} " +
                     std::to_string(s.clock->now().seconds())) != std::string::npos);
  std::lock_guard lock(log_mu);
  CHECK(std::any_of(log.begin(), log.end(),
                    [](const std::string& l) { return l.find("stored eurofxref-2026-04-14.xml") != std::string::npos; }));
}

TEST_CASE("serve refresher counts a bad document in /metrics and the old rates keep serving") {
  test::FakeFeed feed([](const test::FeedRequest&) { return test::respond(200, "<gesmes:Envelope><Cube><Cube time='2026-04-1"); });
  std::vector<std::string> log;
  std::mutex log_mu;
  test::Running s(false, [&](app::ServiceOptions& o, const fs::path& dir) {
    o.paths.rates = copy_rates(dir);
    fast_feed(o, feed.url());
    o.log = [&](const std::string& line) {
      std::lock_guard lock(log_mu);
      log.push_back(line);
    };
  });
  REQUIRE(test::await([&] { return s.service->rates_refresh_passes() >= 1; }));
  test::HttpClient c(s.base);
  const std::string metrics = c.request("GET", "/metrics").body;
  INFO(metrics);
  CHECK(metrics.find("landed_rates_rejected_total{reason=\"malformed\"} ") != std::string::npos);
  CHECK(metrics.find("landed_rates_fetch_total{outcome=\"refused\"} ") != std::string::npos);
  CHECK(metrics.find("landed_rates_fetch_total{outcome=\"ok\"}") == std::string::npos);
  CHECK(as_of(c) == shipped_day);
  CHECK(files_in(s.dir / "rates") == files_in(test::home() / "rates"));
  std::lock_guard lock(log_mu);
  REQUIRE_FALSE(log.empty());
  CHECK(log[0].find("refused ECB: malformed") != std::string::npos);
  CHECK(log[0].find("the active rates keep serving") != std::string::npos);
}

TEST_CASE("serve refresher counts an unreachable feed as a failed fetch and keeps serving") {
  const auto port = test::closed_port();
  test::Running s(false, [&](app::ServiceOptions& o, const fs::path& dir) {
    o.paths.rates = copy_rates(dir);
    fast_feed(o, "http://127.0.0.1:" + std::to_string(port) + "/daily.xml");
    o.log = [](const std::string&) {};
  });
  REQUIRE(test::await([&] { return s.service->rates_refresh_passes() >= 1; }));
  test::HttpClient c(s.base);
  const std::string metrics = c.request("GET", "/metrics").body;
  CHECK(metrics.find("landed_rates_fetch_total{outcome=\"failed\"}") != std::string::npos);
  CHECK(metrics.find("landed_rates_rejected_total{reason=\"connect\"}") != std::string::npos);
  CHECK(as_of(c) == shipped_day);
}

namespace {

// An ECB document of several days, newest first, as ECB's 90-day file is.
std::string ecb_days(const std::vector<std::pair<std::string, std::string>>& days_and_usd) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gesmes:Envelope xmlns:gesmes=\"http://www.gesmes.org/xml/2002-08-01\" "
      "xmlns=\"http://www.ecb.int/vocabulary/2002-08-01/eurofxref\"><gesmes:subject>Reference rates</gesmes:subject>"
      "<gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender><Cube>";
  for (const auto& [day, usd] : days_and_usd)
    out += "<Cube time='" + day + "'><Cube currency='USD' rate='" + usd + "'/><Cube currency='JPY' rate='160.10'/></Cube>";
  return out + "</Cube></gesmes:Envelope>";
}

Timestamp at(const char* t) { return *Timestamp::parse(t); }

}  // namespace

TEST_CASE("validate_and_store writes each day of a many-day ECB document not yet held") {
  const fs::path dir = fs::temp_directory_path() / ("landed-store-days-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto first = app::validate_and_store(dir, RateFormat::ecb_xml, "eurofxref", ecb_days({{"2026-11-19", "1.05"}}),
                                             at("2026-11-23T12:00:00Z"), {});
  REQUIRE(first.ok());
  REQUIRE(first->accepted());
  const std::string held = test::read_text(dir / "eurofxref-2026-11-19.xml");
  const auto stored = app::validate_and_store(
      dir, RateFormat::ecb_xml, "eurofxref",
      ecb_days({{"2026-11-20", "1.06"}, {"2026-11-19", "1.07"}, {"2026-11-18", "1.04"}}), at("2026-11-23T12:00:00Z"), {});
  REQUIRE(stored.ok());
  INFO(stored->line);
  REQUIRE(stored->accepted());
  CHECK(stored->written.size() == 2);  // 11-20 and 11-18; 11-19 is held already
  CHECK(test::read_text(dir / "eurofxref-2026-11-19.xml") == held);
  const auto day18 = RateTable::parse_ecb_xml(test::read_text(dir / "eurofxref-2026-11-18.xml"), "ECB");
  REQUIRE(day18.ok());
  CHECK(day18->per_eur().at("USD").to_string() == "1.04");
  CHECK(stored->line.find("stored eurofxref-2026-11-20.xml and 1 older day(s)") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("validate_and_store rewrites the newest day on a correction and nothing when unchanged") {
  const fs::path dir = fs::temp_directory_path() / ("landed-store-fix-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto now = at("2026-11-23T12:00:00Z");
  REQUIRE(app::validate_and_store(dir, RateFormat::ecb_xml, "eurofxref", ecb_days({{"2026-11-20", "1.05"}}), now, {})->accepted());
  const auto same = app::validate_and_store(dir, RateFormat::ecb_xml, "eurofxref", ecb_days({{"2026-11-20", "1.05"}}), now, {});
  REQUIRE(same.ok());
  CHECK(same->written.empty());
  CHECK(same->line.find("nothing new to store") != std::string::npos);
  const auto fixed = app::validate_and_store(dir, RateFormat::ecb_xml, "eurofxref", ecb_days({{"2026-11-20", "1.051"}}), now, {});
  REQUIRE(fixed.ok());
  CHECK(fixed->written.size() == 1);
  CHECK(test::read_text(dir / "eurofxref-2026-11-20.xml").find("rate='1.051'") != std::string::npos);
  const auto older = app::validate_and_store(dir, RateFormat::ecb_xml, "eurofxref", ecb_days({{"2026-11-19", "1.05"}}), now, {});
  REQUIRE(older.ok());
  CHECK(older->verdict.refused_for(rate_refusal::stale_document));
  CHECK_FALSE(fs::exists(dir / "eurofxref-2026-11-19.xml"));
  fs::remove_all(dir);
}

TEST_CASE("validate_and_store reports a malformed newest file as an error rather than validating against nothing") {
  const fs::path dir = fs::temp_directory_path() / ("landed-store-bad-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "eurofxref-2026-11-20.xml") << "<not ecb";
  const auto r = app::validate_and_store(dir, RateFormat::ecb_xml, "eurofxref", ecb_days({{"2026-11-21", "1.05"}}),
                                         at("2026-11-23T12:00:00Z"), {});
  CHECK_FALSE(r.ok());
  CHECK_FALSE(fs::exists(dir / "eurofxref-2026-11-21.xml"));
  CHECK_FALSE(app::validate_and_store(dir / "missing", RateFormat::ecb_xml, "eurofxref", ecb_days({{"2026-11-21", "1.05"}}),
                                      at("2026-11-23T12:00:00Z"), {}).ok());
  fs::remove_all(dir);
}

TEST_CASE("serve refresher counts an unchanged feed answering 304 as not_modified") {
  test::FakeFeed feed([](const test::FeedRequest& r) {
    if (r.header("if-none-match") == "\"v1\"") return test::respond(304, "");
    return test::respond(200, ecb_day(shipped_day), {{"ETag", "\"v1\""}});
  });
  test::Running s(false, [&](app::ServiceOptions& o, const fs::path& dir) {
    o.paths.rates = copy_rates(dir);
    fast_feed(o, feed.url());
    o.log = [](const std::string&) {};
  });
  REQUIRE(test::await([&] { return s.service->rates_refresh_passes() >= 3; }));
  test::HttpClient c(s.base);
  const std::string metrics = c.request("GET", "/metrics").body;
  INFO(metrics);
  CHECK(metrics.find("landed_rates_fetch_total{outcome=\"ok\"} 1\n") != std::string::npos);
  CHECK(metrics.find("landed_rates_fetch_total{outcome=\"not_modified\"} ") != std::string::npos);
  CHECK(metrics.find("landed_rates_rejected_total{") == std::string::npos);
}

TEST_CASE("serve stops promptly while a feed hangs mid-fetch") {
  test::FakeFeed feed([](const test::FeedRequest&) {
    test::FeedResponse r;
    r.mode = test::FeedResponse::Mode::hang;
    return r;
  });
  auto s = std::make_unique<test::Running>(false, [&](app::ServiceOptions& o, const fs::path& dir) {
    o.paths.rates = copy_rates(dir);
    fast_feed(o, feed.url());
    o.rates_fetch.total_timeout_ms = 60000;
    o.rates_fetch.low_speed_window_seconds = 60;
    o.log = [](const std::string&) {};
  });
  REQUIRE(test::await([&] { return feed.request_count() >= 1; }));
  const auto started = std::chrono::steady_clock::now();
  s.reset();
  CHECK(test::millis_since(started) < 3000);  // libcurl polls the abort at least once a second
}

TEST_CASE("serve refresher takes a JSON provider feed and KWD quotes then price through it") {
  const std::string doc = R"({"base": "USD", "date": "2026-11-20", "rates": {"KWD": "0.3072", "AED": "3.6725"}})";
  test::FakeFeed feed([&](const test::FeedRequest&) { return test::respond(200, doc); });
  test::Running s(false, [&](app::ServiceOptions& o, const fs::path& dir) {
    o.paths.rates = copy_rates(dir);
    fast_feed(o, "json:" + feed.url("/latest"));
    o.log = [](const std::string&) {};
  });
  auto cart = json::parse(test::read_text(test::home() / "tools/examples/cart-us-hr.json"));
  cart["currency"] = "KWD";
  test::HttpClient c(s.base);
  test::HttpResult quoted;
  CHECK(test::await([&] {
    quoted = c.request("POST", "/v1/quotes", "dev-checkout-token", cart.dump());
    return quoted.status == 201;
  }));
  INFO(quoted.body);
  CHECK(test::read_text(s.dir / "rates" / "provider-2026-11-20.json") == doc);
  const auto q = json::parse(quoted.body);
  REQUIRE(q["fx"].size() == 1);
  CHECK(q["fx"][0]["source"] == "PROVIDER");
  CHECK(q["fx"][0]["as_of"] == "2026-11-20");
}

TEST_CASE("validate_and_store refuses a second JSON provider in one rates folder") {
  const fs::path dir = fs::temp_directory_path() / ("landed-store-two-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string doc = R"({"base": "USD", "date": "2026-11-20", "rates": {"KWD": "0.3072"}})";
  const auto now = at("2026-11-23T12:00:00Z");
  REQUIRE(app::validate_and_store(dir, RateFormat::provider_json, "provider", doc, now, {})->accepted());
  const auto second = app::validate_and_store(dir, RateFormat::provider_json, "gulf", doc, now, {});
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().message.find("one provider") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "gulf-2026-11-20.json"));
  fs::remove_all(dir);
}
