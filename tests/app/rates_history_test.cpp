// The rate history in the database (issue #14 "History" and "Rate locking"): `landed rates
// import` and `landed quote --db` with the real binary, GET /v1/rates[?date=] and orders with
// the real service. The ECB days below are copied from ECB's history CSV (../shared/data/fx).
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "../fetch/fake_feed.h"
#include "app/rates_history.h"
#include "app/rates_store.h"
#include "http_client.h"
#include "landed_process.h"
#include "running_service.h"
#include "support.h"

using namespace landed;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string finance = "dev-finance-token";
const std::string checkout = "dev-checkout-token";

const std::string header =
    "Date,USD,JPY,BGN,CYP,CZK,DKK,EEK,GBP,HUF,LTL,LVL,MTL,PLN,ROL,RON,SEK,SIT,SKK,CHF,ISK,NOK,HRK,RUB,TRL,TRY,AUD,"
    "BRL,CAD,CNY,HKD,IDR,ILS,INR,KRW,MXN,MYR,NZD,PHP,SGD,THB,ZAR,\n";
const std::string day_2026_04_13 =
    "2026-04-13,1.1684,186.75,N/A,N/A,24.378,7.4727,N/A,0.87058,366.9,N/A,N/A,N/A,4.2543,N/A,5.092,10.892,N/A,N/A,"
    "0.9242,143.2,11.098,N/A,N/A,N/A,52.2478,1.661,5.874,1.6177,7.9827,9.1507,20082.05,3.5787,109.047,1740.86,"
    "20.3203,4.6444,2.0081,70.356,1.4912,37.728,19.3849,\n";
const std::string day_2008_10_15 =
    "2008-10-15,1.3625,138.18,1.9558,N/A,24.758,7.4539,15.6466,0.77615,263,3.4528,0.7082,N/A,3.5192,N/A,3.7945,"
    "9.8413,N/A,30.475,1.5425,305,8.6035,7.1545,35.6145,N/A,1.9035,1.9571,2.8435,1.5833,9.3086,10.5715,13325.25,"
    "N/A,N/A,1691.54,16.9359,4.7858,2.1744,64.65,2.0022,46.509,12.6116,\n";
const std::string day_2001_09_11 =
    "2001-09-11,0.8964,109.3,1.9461,0.5732,34.1,7.4415,15.6466,0.6156,251.78,3.5849,0.5604,0.4022,3.784,27083,N/A,"
    "9.4974,219.7513,43.29,1.5146,89.81,7.947,N/A,N/A,1285000,N/A,1.7453,N/A,1.3984,N/A,6.9917,N/A,N/A,N/A,"
    "1161.73,N/A,N/A,2.1018,N/A,1.5732,N/A,7.661,\n";
const std::string day_2001_09_10 =
    "2001-09-10,0.9047,109.05,1.9464,0.5732,34.153,7.4418,15.6466,0.6172,252.99,3.619,0.5636,0.4033,3.8007,27277,"
    "N/A,9.5406,219.6264,43.228,1.5145,89.95,8.0025,N/A,N/A,1290000,N/A,1.7634,N/A,1.4175,N/A,7.0566,N/A,N/A,N/A,"
    "1162.54,N/A,N/A,2.1025,N/A,1.5823,N/A,7.7105,\n";
const std::string day_1999_01_04 =
    "1999-01-04,1.1789,133.73,N/A,0.58231,35.107,7.4501,15.6466,0.7111,251.48,4.717,0.6668,0.4432,4.0712,13111,N/A,"
    "9.4696,189.045,42.991,1.6168,81.48,8.855,N/A,N/A,372274,N/A,1.91,N/A,1.8004,N/A,9.1332,N/A,N/A,N/A,1398.59,N/A,"
    "N/A,2.2229,N/A,1.9554,N/A,6.9358,\n";
// Newest first, as ECB writes it.
const std::string fixture_csv = header + day_2026_04_13 + day_2008_10_15 + day_2001_09_11 + day_2001_09_10 + day_1999_01_04;

using test::Run;

Run run_landed(const std::string& args, const std::string& stdin_file = "") {
  return test::run_landed_process(args, {true, stdin_file, false});
}

struct TempDir {
  fs::path path;
  TempDir() {
    static int n = 0;
    path = fs::temp_directory_path() / ("landed-hist-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return path / name;
  }
};

// Imports `csv` into the database at `db` in-process (what `landed rates import` does).
app::ImportReport import_into(const fs::path& db, const std::string& csv, Timestamp now) {
  auto store = store::Store::open(db.string());
  REQUIRE(store.ok());
  auto report = app::import_ecb_history(**store, csv, now);
  for (const auto& e : report.ok() ? Errors{} : report.errors()) UNSCOPED_INFO(e.message);
  REQUIRE(report.ok());
  return *report;
}

// A copy of the rules whose demo merchant is in force since 1999 (the shipped one starts in
// 2024), so that a cart can be priced back to the ECB's first day.
fs::path rules_since_1999(const fs::path& dir) {
  fs::copy(test::home() / "rules", dir / "rules", fs::copy_options::recursive);
  const fs::path demo = dir / "rules/merchants/demo.json";
  std::string text = test::read_text(demo);
  const auto at = text.find("\"effective_from\": \"2024-01-01\"");
  REQUIRE(at != std::string::npos);
  text.replace(at, std::string("\"effective_from\": \"2024-01-01\"").size(), "\"effective_from\": \"1999-01-01\"");
  std::ofstream(demo, std::ios::trunc) << text;
  return dir / "rules";
}

// A one-item USD cart to `country`, with or without a presentment currency.
std::string cart(const std::string& country, const std::string& currency = "") {
  json c = json::parse(test::read_text(test::home() / "tools/examples/cart-us-hr.json"));
  c["ship_to"]["country"] = country;
  c["locale"] = "en";
  if (currency.empty()) c.erase("currency");
  else c["currency"] = currency;
  c["items"] = json::array({c["items"][0]});
  return c.dump();
}

json body_of(const test::HttpResult& r) {
  INFO(r.body);
  return json::parse(r.body);
}

}  // namespace

// --- landed rates import and landed quote --db ---------------------------------------------------

TEST_CASE("rates import writes every day of an ECB history CSV and importing again changes nothing") {
  TempDir t;
  const fs::path csv = t.write("hist.csv", fixture_csv);
  const std::string db = (t.path / "landed.db").string();
  const Run first = run_landed("rates import --csv '" + csv.string() + "' --db '" + db + "'");
  INFO(first.out);
  CHECK(first.status == 0);
  CHECK(first.out.find("imported ECB 1999-01-04 to 2026-04-13: 5 days, 5 new, 0 already held") != std::string::npos);
  CHECK(first.out.find("not imported (no longer current ISO 4217 currencies, so never quoted): CYP EEK") != std::string::npos);
  const Run again = run_landed("rates import --csv '" + csv.string() + "' --db '" + db + "'");
  INFO(again.out);
  CHECK(again.status == 0);
  CHECK(again.out.find("5 days, 0 new, 5 already held") != std::string::npos);
  auto store = store::Store::open(db);
  REQUIRE(store.ok());
  const auto sets = (*store)->load_rate_sets();
  REQUIRE(sets.ok());
  REQUIRE(sets->size() == 5);
  CHECK((*store)->stats()->rate_sets == 5);
  CHECK(sets->front().as_of.to_string() == "1999-01-04");
  CHECK(sets->front().source == "ECB");
  CHECK(sets->front().origin == "import");
  const auto usd = std::find_if(sets->front().rates.begin(), sets->front().rates.end(),
                                [](const auto& r) { return r.first == "USD"; });
  REQUIRE(usd != sets->front().rates.end());
  CHECK(usd->second == "1.1789");
  CHECK(std::none_of(sets->front().rates.begin(), sets->front().rates.end(),
                     [](const auto& r) { return r.first == "CYP" || r.first == "EUR"; }));
}

TEST_CASE("rates import refuses a malformed CSV or a missing file and writes nothing") {
  TempDir t;
  const std::string db = (t.path / "landed.db").string();
  const fs::path bad = t.write("bad.csv", header + day_2026_04_13 + "2026-04-10,1.1,oops\n");
  const Run refused = run_landed("rates import --csv '" + bad.string() + "' --db '" + db + "'");
  INFO(refused.out);
  CHECK(refused.status == 1);
  CHECK(refused.out.find("line 3 has 3 fields") != std::string::npos);
  CHECK(refused.out.find("nothing imported") != std::string::npos);
  const fs::path negative = t.write("neg.csv", "Date,USD,\n2026-04-13,-1.1684,\n");
  CHECK(run_landed("rates import --csv '" + negative.string() + "' --db '" + db + "'").status == 1);
  {
    auto store = store::Store::open(db);
    REQUIRE(store.ok());
    CHECK((*store)->stats()->rate_sets == 0);
  }
  const Run missing = run_landed("rates import --csv '" + (t.path / "nope.csv").string() + "' --db '" + db + "'");
  CHECK(missing.status == 2);
  CHECK(missing.out.find("no CSV file at") != std::string::npos);
  CHECK(run_landed("rates import --db '" + db + "'").status == 2);
}

TEST_CASE("quote --db prices a back-dated cart with the ECB rates in force at its instant") {
  TempDir t;
  const fs::path csv = t.write("hist.csv", fixture_csv);
  const std::string db = (t.path / "landed.db").string();
  REQUIRE(run_landed("rates import --csv '" + csv.string() + "' --db '" + db + "'").status == 0);
  const fs::path rules = rules_since_1999(t.path);
  // 12:00Z on 2001-09-11 is 14:00 in Frankfurt: that day's table comes at 16:00, so 09-10's is in force.
  // BG's currency on that day is the lev (the euro only from 2026): by date, from ICU.
  const fs::path cart_file = t.write("cart.json", cart("BG"));
  const Run r = run_landed("quote --at 2001-09-11T12:00:00Z --db '" + db + "' --rules '" + rules.string() + "' -",
                           cart_file.string());
  INFO(r.out);
  REQUIRE(r.status == 0);
  const json q = json::parse(r.out);
  CHECK(q["currency"] == "BGN");
  REQUIRE(q["fx"].size() == 1);
  CHECK(q["fx"][0]["from"] == "USD");
  CHECK(q["fx"][0]["source"] == "ECB");
  CHECK(q["fx"][0]["as_of"] == "2001-09-10");
  CHECK(q["fx"][0]["mid"] == "2.151431414");  // 1.9464 / 0.9047, 10 significant digits
  // Without --db only rates/ (2025 onwards): the same cart has no rates that old.
  const Run without = run_landed("quote --at 2001-09-11T12:00:00Z --rules '" + rules.string() + "' -", cart_file.string());
  CHECK(without.status == 2);
  CHECK(without.out.find("holds no exchange rates published by 2001-09-11T12:00:00Z") != std::string::npos);
}

TEST_CASE("quote --db names the currency the ECB did not publish on a back-dated day") {
  TempDir t;
  const std::string db = (t.path / "landed.db").string();
  import_into(db, fixture_csv, *Timestamp::parse("2026-04-14T00:00:00Z"));
  const fs::path rules = rules_since_1999(t.path);
  // HR's currency in 2001 was the kuna (the euro from 2023), and the ECB published no HRK rate then.
  const fs::path cart_file = t.write("cart.json", cart("HR"));
  const Run r = run_landed("quote --at 2001-09-11T12:00:00Z --db '" + db + "' --rules '" + rules.string() + "' -",
                           cart_file.string());
  INFO(r.out);
  CHECK(r.status == 2);
  const json p = json::parse(r.out);
  bool named = false;
  for (const auto& e : p["errors"])
    named = named || (e["pointer"] == "/currency" && e["message"].get<std::string>().find("no ECB rate for HRK") != std::string::npos);
  CHECK(named);
}

TEST_CASE("quote --db refuses a database that does not exist") {
  TempDir t;
  const fs::path cart_file = t.write("cart.json", cart("HR", "EUR"));
  const Run r = run_landed("quote --db '" + (t.path / "typo.db").string() + "' -", cart_file.string());
  CHECK(r.status == 1);
  CHECK(r.out.find("no database at") != std::string::npos);
  CHECK_FALSE(fs::exists(t.path / "typo.db"));
}

TEST_CASE("The full ECB history CSV imports into the database and a sample of days reads back as published") {
  LANDED_SKIP_WITHOUT_SHARED_DATA();
  TempDir t;
  const std::string csv = test::read_text(test::shared_data() / "fx/alexprengere_eurofxref-hist.csv");
  const auto started = std::chrono::steady_clock::now();
  const app::ImportReport report = import_into(t.path / "landed.db", csv, *Timestamp::parse("2026-04-14T00:00:00Z"));
  const double import_ms = test::millis_since(started);
  CHECK(report.days > 6900);
  CHECK(report.saved.inserted == std::int64_t(report.days));
  CHECK(report.first.to_string() == "1999-01-04");
  CHECK(report.last.to_string() == "2026-04-13");
  auto store = store::Store::open((t.path / "landed.db").string());
  REQUIRE(store.ok());
  const auto loaded_at = std::chrono::steady_clock::now();
  const auto load = app::load_snapshot_with_history(
      app::DataPaths{test::home() / "rules", test::home() / "rates", test::home() / "locales"}, **store);
  const double load_ms = test::millis_since(loaded_at);
  REQUIRE(load.snapshot);
  WARN("full ECB history: import " << import_ms << " ms, snapshot load with it " << load_ms << " ms");
  const RateHistory& h = *load.snapshot->rates;
  CHECK(h.size() == report.days);  // the 4 shipped days are in the CSV too
  // Every sampled CSV row, rate for rate (by value: the CSV drops trailing zeros the XML keeps).
  const auto rows = test::read_csv(test::shared_data() / "fx/alexprengere_eurofxref-hist.csv");
  const auto& cols = rows.at(0);
  std::size_t sampled = 0;
  for (std::size_t i = 1; i < rows.size(); i += 97) {
    const auto& row = rows[i];
    INFO(row.at(0));
    const RateTable* day = h.at(*Date::parse(row.at(0)));
    REQUIRE(day);
    REQUIRE(day->as_of().to_string() == row.at(0));
    for (std::size_t c = 1; c < cols.size() && c < row.size(); ++c) {
      if (cols[c].empty() || row[c].empty() || row[c] == "N/A" || !Currency::of(cols[c]).ok()) continue;
      INFO(cols[c]);
      REQUIRE(day->has(cols[c]));
      CHECK(day->per_eur().at(cols[c]) == *Decimal::parse(row[c]));
    }
    ++sampled;
  }
  CHECK(sampled > 70);
}

// --- GET /v1/rates -------------------------------------------------------------------------------

TEST_CASE("GET /v1/rates?date= answers the ECB rates in force on a past day from the imported history") {
  test::Running s(false, [](app::ServiceOptions& o, const fs::path&) {
    import_into(o.db_path, fixture_csv, *Timestamp::parse("2026-04-14T06:00:00Z"));
  });
  test::HttpClient c(s.base);
  const json first = body_of(c.request("GET", "/v1/rates?date=1999-01-04", finance));
  CHECK(first["date"] == "1999-01-04");
  CHECK(first["as_of"] == "1999-01-04");
  CHECK(first["rates"]["USD"] == "1.1789");
  CHECK(first["rates"]["EUR"] == "1");
  CHECK(first["fetched_at"] == "2026-04-14T06:00:00Z");
  REQUIRE(first["sources"].size() == 1);
  CHECK(first["sources"][0]["source"] == "ECB");
  CHECK(first["sources"][0]["published_at"] == "1999-01-04T15:00:00Z");  // 16:00 CET
  const json crisis = body_of(c.request("GET", "/v1/rates?date=2008-10-15", finance));
  CHECK(crisis["as_of"] == "2008-10-15");
  CHECK(crisis["rates"]["GBP"] == "0.77615");
  CHECK(crisis["rates"]["HUF"] == "263");
  // A day the history has no table for: the last one before it (here 2008-10-15 for 2009-01-01).
  CHECK(body_of(c.request("GET", "/v1/rates?date=2009-01-01", finance))["as_of"] == "2008-10-15");
  const auto none = c.request("GET", "/v1/rates?date=1998-12-31", finance);
  CHECK(none.status == 404);
  CHECK(none.headers["content-type"] == "application/problem+json");
  CHECK(body_of(none)["detail"].get<std::string>().find("no exchange rates in force on 1998-12-31 (its oldest are of 1999-01-04)") !=
        std::string::npos);
  CHECK(c.request("GET", "/v1/rates?date=2008-10-15", "dev-reviewer-token").status == 403);
}

TEST_CASE("GET /v1/rates shows as_of age_seconds and fetched_at of the rates in force by the injected clock") {
  test::Running s(false, [](app::ServiceOptions& o, const fs::path&) {
    // The shipped newest day (2026-04-13) is in the history with the same rates: its fetch time is known.
    import_into(o.db_path, header + day_2026_04_13, *Timestamp::parse("2026-04-13T15:10:00Z"));
  });
  test::HttpClient c(s.base);
  json r = body_of(c.request("GET", "/v1/rates", finance));
  CHECK(r["source"] == "ECB");
  CHECK(r["as_of"] == "2026-04-13");
  CHECK(r["published_at"] == "2026-04-13T14:00:00Z");  // 16:00 CEST
  CHECK(r["age_seconds"] == 224 * 86400 + 2 * 3600);  // the clock: 2026-11-23T16:00:00Z
  CHECK(r["fetched_at"] == "2026-04-13T15:10:00Z");
  CHECK(r["sources"][0]["age_seconds"] == r["age_seconds"]);
  CHECK(r.count("date") == 0);
  s.clock->advance(3600);
  r = body_of(c.request("GET", "/v1/rates", finance));
  CHECK(r["age_seconds"] == 224 * 86400 + 3 * 3600);
  // A day only in rates/ has no known fetch time: none is shown.
  r = body_of(c.request("GET", "/v1/rates?date=2025-07-01", finance));
  CHECK(r["as_of"] == "2025-07-01");
  CHECK(r.count("fetched_at") == 0);
}

// The rates serving now say how overdue their successor is, by the default policy (36 h / 96 h
// past the next TARGET publication), as /readyz judges them; a past day's answer has no state.
TEST_CASE("GET /v1/rates shows the state of the rates serving now by the default staleness policy") {
  test::Running s;
  test::HttpClient c(s.base);
  const auto state_at = [&](const char* instant) {
    s.clock->advance(Timestamp::parse(instant)->seconds() - s.clock->now().seconds());
    const json r = body_of(c.request("GET", "/v1/rates", finance));
    CHECK(r["sources"][0]["next_expected"] == "2026-04-14T14:00:00Z");  // the next business day, 16:00 CEST
    return r["sources"][0]["state"].get<std::string>();
  };
  CHECK(state_at("2026-04-14T12:00:00Z") == "fresh");
  CHECK(state_at("2026-04-16T02:00:00Z") == "fresh");  // exactly 36 h overdue
  CHECK(state_at("2026-04-16T02:00:01Z") == "stale");
  CHECK(state_at("2026-04-18T14:00:00Z") == "stale");  // exactly 96 h
  CHECK(state_at("2026-04-18T14:00:01Z") == "expired");
  const json past = body_of(c.request("GET", "/v1/rates?date=2025-07-01", finance));
  CHECK(past["sources"][0].count("state") == 0);
}

TEST_CASE("GET /v1/rates refuses a malformed or future date naming /date") {
  test::Running s;
  test::HttpClient c(s.base);
  for (const std::string q : {"date=2008-13-01", "date=15.10.2008", "date=", "date", "date=2008-10-15T00:00:00Z",
                              "date=2026-11-24", "date=2008-10-15&date=2008-10-16"}) {
    INFO(q);
    const auto r = c.request("GET", "/v1/rates?" + q, finance);
    CHECK(r.status == 422);
    CHECK(r.headers["content-type"] == "application/problem+json");
    const json p = body_of(r);
    REQUIRE(p["errors"].size() >= 1);
    CHECK(p["errors"][0]["pointer"] == "/date");
  }
  const json future = body_of(c.request("GET", "/v1/rates?date=2026-11-24", finance));
  CHECK(future["errors"][0]["message"].get<std::string>().find("is in the future (today is 2026-11-23 UTC)") != std::string::npos);
  const json unknown = body_of(c.request("GET", "/v1/rates?day=2008-10-15&date=x", finance));
  REQUIRE(unknown["errors"].size() == 2);  // all in one response
  CHECK(unknown["errors"][0]["pointer"] == "/day");
  CHECK(unknown["errors"][1]["pointer"] == "/date");
  CHECK(c.request("GET", "/v1/rates?date=2026-11-23", finance).status == 200);  // today is not the future
}

// --- rate locking (issue #14 item 5) ---------------------------------------------------------------

TEST_CASE("An order keeps its quote's rates after new rates arrive and a new quote uses the new ones") {
  fs::path rates;
  test::Running s(false, [&](app::ServiceOptions& o, const fs::path& dir) {
    fs::copy(test::home() / "rates", dir / "rates", fs::copy_options::recursive);
    o.paths.rates = rates = dir / "rates";
  });
  test::HttpClient c(s.base);
  const std::string body = test::read_text(test::home() / "tools/examples/cart-us-hr.json");
  const auto created = c.request("POST", "/v1/quotes", checkout, body);
  REQUIRE(created.status == 201);
  const json old_quote = body_of(created);
  REQUIRE(old_quote["fx"].size() == 1);
  CHECK(old_quote["fx"][0]["as_of"] == "2026-04-13");

  // New rates arrive: a day published before the clock's instant, USD 2 % higher, swapped in.
  std::string xml = test::read_text(rates / "eurofxref-2026-04-13.xml");
  xml.replace(xml.find("time='2026-04-13'") + 6, 10, "2026-11-23");
  const std::string usd = "currency='USD' rate='";
  const auto at = xml.find(usd) + usd.size();
  xml.replace(at, xml.find('\'', at) - at, "1.1918");
  std::ofstream(rates / "eurofxref-2026-11-23.xml") << xml;
  REQUIRE(s.service->reload().reloaded);
  REQUIRE(body_of(c.request("GET", "/v1/rates", finance))["as_of"] == "2026-11-23");

  s.clock->advance(60);
  const auto order = c.request("POST", "/v1/orders", checkout, json{{"quote_id", old_quote["quote_id"]}}.dump());
  INFO(order.body);
  REQUIRE(order.status == 201);
  const auto stored = c.request("GET", "/v1/quotes/" + old_quote["quote_id"].get<std::string>(), checkout);
  REQUIRE(stored.status == 200);
  CHECK(stored.body == created.body);  // the quote as priced: its fx[] rates and as_of, its totals
  const json locked = body_of(stored);
  CHECK(locked["fx"] == old_quote["fx"]);
  CHECK(locked["totals"] == old_quote["totals"]);

  const json fresh = body_of(c.request("POST", "/v1/quotes", checkout, body));
  CHECK(fresh["fx"][0]["as_of"] == "2026-11-23");
  CHECK(fresh["fx"][0]["rate"] != old_quote["fx"][0]["rate"]);
  CHECK(fresh["totals"]["total"] != old_quote["totals"]["total"]);
}

// --- the serve refresher records into the history ---------------------------------------------------

TEST_CASE("serve refresher records each accepted day in the rate history with its fetch time") {
  std::string xml = test::read_text(test::home() / "rates/eurofxref-2026-04-13.xml");
  xml.replace(xml.find("time='2026-04-13'") + 6, 10, "2026-11-20");
  test::FakeFeed feed([&](const test::FeedRequest&) { return test::respond(200, xml); });
  test::Running s(false, [&](app::ServiceOptions& o, const fs::path& dir) {
    fs::copy(test::home() / "rates", dir / "rates", fs::copy_options::recursive);
    o.paths.rates = dir / "rates";
    auto f = app::parse_rate_feed("ecb:" + feed.url("/daily.xml"));
    REQUIRE(f.ok());
    o.rate_feeds = {*f};
    o.rates_refresh_interval = std::chrono::milliseconds(20);
    o.rates_fetch.proxy = "";
    o.rates_fetch.attempts_max = 1;
    o.log = [](const std::string&) {};
  });
  test::HttpClient c(s.base);
  REQUIRE(test::await([&] { return body_of(c.request("GET", "/v1/rates", finance))["as_of"] == "2026-11-20"; }));
  const json r = body_of(c.request("GET", "/v1/rates", finance));
  CHECK(r["fetched_at"] == "2026-11-23T16:00:00Z");  // the injected clock at the fetch
  auto store = store::Store::open((s.dir / "landed.db").string());
  REQUIRE(store.ok());
  const auto sets = (*store)->load_rate_sets();
  REQUIRE(sets.ok());
  REQUIRE(sets->size() == 1);
  CHECK(sets->front().as_of.to_string() == "2026-11-20");
  CHECK(sets->front().origin == "feed");
  CHECK(sets->front().fetched_at == *Timestamp::parse("2026-11-23T16:00:00Z"));
}
