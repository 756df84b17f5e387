// The landed binary as a user runs it: real process, real files, exit codes and output.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "landed_process.h"
#include "support.h"

namespace {

using landed::test::Run;

Run run_landed(const std::string& args, bool merge_stderr = false, const std::string& stdin_file = "") {
  return landed::test::run_landed_process(args, {merge_stderr, stdin_file, false});
}

std::string write_temp(const std::string& text) {
  static int n = 0;
  const auto p = std::filesystem::temp_directory_path() /
                 ("landed-cli-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".json");
  std::ofstream(p) << text;
  return p.string();
}

}  // namespace

TEST_CASE("landed quote prices the bundled example cart") {
  // 2026-11-23 is months after the shipped rates (2026-04-13): priced only in warn-only mode.
  const auto r =
      run_landed("quote tools/examples/cart-us-hr.json --date 2026-11-23T16:00:00Z --id q_cli --stale-rates warn");
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["quote_id"] == "q_cli");
  CHECK(j["warnings"][0]["code"] == "stale_rates");
  CHECK(j["totals"]["total"]["amount"] == "1202.68");
  CHECK(j["display"]["total"] == "1.202,68\u00a0€");
}

TEST_CASE("landed quote reads stdin and prints problem details for bad input") {
  const auto bad = run_landed("quote -", false, write_temp("{\"locale\": \"hr-HR\""));
  CHECK(bad.status == 2);
  const auto p = nlohmann::json::parse(bad.out);
  CHECK(p["status"] == 400);
  CHECK(p["type"] == "/problems/invalid_json");
  const auto zero = run_landed(
      "quote -", false,
      write_temp(R"({"locale": "hr-HR", "ship_to": {"country": "HR"}, "items": [{"sku": "A", "quantity": 0, )"
                 R"("unit_price": {"amount": "1.00", "currency": "USD"}}]})"));
  CHECK(zero.status == 2);
  const auto z = nlohmann::json::parse(zero.out);
  CHECK(z["status"] == 422);
  CHECK(z["errors"][0]["pointer"] == "/items/0/quantity");
  CHECK(z["errors"][0]["message"] == "must be a positive integer up to 100000");
}

TEST_CASE("landed quote refuses a bad --date and a missing file") {
  CHECK(run_landed("quote tools/examples/cart-us-hr.json --date yesterday").status == 2);
  CHECK(run_landed("quote /nonexistent.json").status == 2);
}

TEST_CASE("landed quote refuses an --id that could not be written as JSON instead of aborting") {
  for (const char* id : {"q_\xff", "q\"x", "", "q x"}) {
    INFO(id);
    const auto r = run_landed(std::string("quote tools/examples/cart-us-hr.json --id '") + id + "'", true);
    CHECK(r.status == 2);
    CHECK(r.out.find("--id must be") != std::string::npos);
  }
  CHECK(run_landed("quote tools/examples/cart-us-hr.json --id q_" + std::string(130, 'a')).status == 2);
}

TEST_CASE("landed format prints one ICU-formatted amount") {
  CHECK(run_landed("format --locale hr-HR --currency EUR 1234.56").out == "1.234,56\u00a0€\n");
  CHECK(run_landed("format --locale en-US --currency EUR 1.005").out == "€1.005\n");  // nothing rounded away
  CHECK(run_landed("format --locale en-US --currency EUR 1.005 --rounding HalfUp --max-fraction 2").out == "€1.01\n");
  CHECK(run_landed("format --locale fa-IR --currency IRR 1234").out.find("۱٬۲۳۴") != std::string::npos);
  CHECK(run_landed("format --locale en-US --currency USD -5 --sign accounting").out == "($5.00)\n");
  CHECK(run_landed("format --locale en-US --currency XYZ 1").status == 2);
  CHECK(run_landed("format --locale en-US --currency USD 1,5").status == 2);
  CHECK(run_landed("format --currency USD 1").status == 2);
}

TEST_CASE("landed rules check summarizes the shipped rules") {
  const auto r = run_landed("rules check");
  CHECK(r.status == 0);
  CHECK(r.out.rfind("ok: ", 0) == 0);
  CHECK(r.out.find("merchants: demo (default)") != std::string::npos);
}

TEST_CASE("landed rules check names file, line and column of an error and exits non-zero") {
  const auto dir = std::filesystem::temp_directory_path() / ("landed-rules-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::copy(landed::test::home() / "rules", dir, std::filesystem::copy_options::recursive);
  {
    std::ofstream f(dir / "tax/HR.json", std::ios::trunc);
    f << "{\n  \"concern\": \"tax\",\n  \"jurisdiction\": \"HR\", \"country\": \"HR\",\n  \"name\": \"Croatia\",\n"
         "  \"rounding\": {\"mode\": \"HalfUp\", \"level\": \"line\", \"source\": \"s\"},\n"
         "  \"taxes\": [{\"id\": \"HR.vat\", \"name\": \"PDV\", \"rates\": [{\"id\": \"x\", \"band\": \"standard\", \"rate\": 0.25, \"effective_from\": \"2013-07-01\", "
         "\"source\": \"s\"}]}]\n}\n";
  }
  const auto r = run_landed("rules check '" + dir.string() + "'", true);
  std::filesystem::remove_all(dir);
  CHECK(r.status == 1);
  CHECK(r.out.find("tax/HR.json:6:95: must be a decimal string") != std::string::npos);
  CHECK(r.out.find("nothing loaded") != std::string::npos);
}

TEST_CASE("landed with an unknown command prints usage and exits 2") {
  const auto r = run_landed("frobnicate", true);
  CHECK(r.status == 2);
  CHECK(r.out.find("usage:") != std::string::npos);
}

TEST_CASE("landed serve refuses retention and queue options out of their range") {
  for (const char* bad : {"--quote-retention-days -1", "--quote-retention-days 3651", "--idempotency-retention-hours 23",
                          "--idempotency-retention-hours 9000", "--quote-queue-max 0", "--quote-queue-max 40000",
                          "--quote-retention-days x"}) {
    INFO(bad);
    const auto r = run_landed(std::string("serve --keys tools/dev-keys.json --listen 127.0.0.1:0 ") + bad, true);
    CHECK(r.status == 2);
    CHECK(r.out.find(std::string(bad).substr(0, std::string(bad).find(' ')) + " must be from") != std::string::npos);
  }
}

TEST_CASE("landed serve refuses a keys file whose keys do not name their merchants") {
  const std::string keys = write_temp(R"([{"id": "c", "role": "checkout", "sha256": ")" + std::string(64, 'a') + R"("}])");
  const auto r = run_landed("serve --keys '" + keys + "' --listen 127.0.0.1:0 --db /nonexistent/x.db", true);
  std::filesystem::remove(keys);
  CHECK(r.status == 1);
  CHECK(r.out.find("/0/merchants") != std::string::npos);
}

namespace {

// A copy of rates/ with one provider day beside the ECB files.
std::filesystem::path rates_with_provider(const std::string& name, const std::string& json) {
  static int n = 0;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("landed-rates-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  std::filesystem::remove_all(dir);
  std::filesystem::copy(landed::test::home() / "rates", dir);
  std::ofstream(dir / name) << json;
  return dir;
}

const char* provider_day = R"({"base": "USD", "date": "2026-11-20", "rates": {"KWD": "0.3072", "AED": "3.6725"}})";

}  // namespace

// Issue #14: rates from a second source are used only for the currencies the first lacks, and
// each fx[] entry names the source used. (Test data: a made-up provider day, not real rates.)
TEST_CASE("landed quote prices KWD through a provider's rates in rates/ and names the source") {
  const auto dir = rates_with_provider("provider-2026-11-20.json", provider_day);
  auto cart = nlohmann::json::parse(landed::test::read_text(landed::test::home() / "tools/examples/cart-us-hr.json"));
  cart["currency"] = "KWD";
  // A US destination: no low-value regime converts the cart to EUR through the (expired) ECB day,
  // so the provider's rate is the only one this quote uses.
  cart["ship_to"] = {{"country", "US"}, {"region", "US-NY"}};
  const auto file = write_temp(cart.dump());
  // USD -> KWD is the provider's alone: its day 2026-11-20 is stale by 2026-11-23 16:00 (the next
  // was due 2026-11-21T00:00Z, 64 h before) but not past refuse_after, so it prices with a warning.
  const Run r = run_landed("quote " + file + " --date 2026-11-23T16:00:00Z --rates '" + dir.string() + "'");
  REQUIRE(r.status == 0);
  const auto q = nlohmann::json::parse(r.out);
  REQUIRE(q["warnings"].size() == 1);
  CHECK(q["warnings"][0]["source"] == "PROVIDER");
  CHECK(q["warnings"][0]["currencies"] == nlohmann::json::array({"KWD", "USD"}));
  CHECK(q["currency"] == "KWD");
  REQUIRE(q["fx"].size() == 1);
  CHECK(q["fx"][0]["source"] == "PROVIDER");  // USD -> KWD is the provider's own quote
  CHECK(q["fx"][0]["mid"] == "0.3072");
  CHECK(q["fx"][0]["rate"] == "0.313344");  // × 1.02, exactly
  CHECK(q["fx"][0]["as_of"] == "2026-11-20");
  CHECK(q["lines"][0]["subtotal"]["amount"] == "12.527");  // 39.98 × 0.313344 = 12.5274931…, 3 digits
  cart["items"][0]["unit_price"] = {{"amount", "10.00"}, {"currency", "EUR"}};
  const Run both = run_landed("quote " + write_temp(cart.dump()) + " --date 2026-11-23T16:00:00Z --stale-rates warn --rates '" +
                              dir.string() + "'");
  REQUIRE(both.status == 0);
  bool crossed = false;
  const auto quoted = nlohmann::json::parse(both.out);
  for (const auto& fx : quoted["fx"])
    if (fx["from"] == "EUR") crossed = fx["source"] == "ECB+PROVIDER";
  CHECK(crossed);  // EUR -> KWD: EUR -> USD from the ECB, USD -> KWD from the provider
  std::filesystem::remove_all(dir);
}

TEST_CASE("landed quote refuses a provider rates file with a bad name or a date that is not its own") {
  for (const auto& [name, json] : std::vector<std::pair<std::string, std::string>>{
           {"Provider-2026-11-20.json", provider_day},
           {"provider.json", provider_day},
           {"provider-2026-11-21.json", provider_day},
           {"provider-2026-11-20.json", R"({"base": "USD", "date": "2026-11-20", "rates": {"KWD": 0.3072}})"}}) {
    const auto dir = rates_with_provider(name, json);
    const Run r = run_landed("quote tools/examples/cart-us-hr.json --rates '" + dir.string() + "'", true);
    CHECK(r.status == 1);
    CHECK(r.out.find(name) != std::string::npos);
    std::filesystem::remove_all(dir);
  }
}

// Issue #14 item 6 end to end: the shipped demo merchant cash-rounds CHF totals; the quote shows
// the difference as a named line and the total is still the sum of its parts.
TEST_CASE("landed quote to Switzerland in CHF shows a cash rounding line and a total in 5 Rappen") {
  auto cart = nlohmann::json::parse(landed::test::read_text(landed::test::home() / "tools/examples/cart-us-hr.json"));
  cart["currency"] = "CHF";
  cart["locale"] = "it-CH";
  cart["ship_to"] = {{"country", "CH"}};
  const Run r = run_landed("quote " + write_temp(cart.dump()) + " --date 2026-11-23T16:00:00Z --stale-rates warn --id q_chf");
  REQUIRE(r.status == 0);
  const auto q = nlohmann::json::parse(r.out);
  const auto cents = [](const nlohmann::json& money) {
    std::string a = money["amount"];
    a.erase(a.find('.'), 1);
    return std::stoll(a);
  };
  REQUIRE(q["adjustments"].size() == 1);
  const auto& a = q["adjustments"][0];
  CHECK(a["code"] == "cash_rounding");
  CHECK(a["increment"] == "0.05");
  CHECK(a["rounding"]["mode"] == "HalfUp");
  const auto& t = q["totals"];
  CHECK(cents(t["total"]) % 5 == 0);
  CHECK(cents(t["adjustments"]) == cents(a["amount"]));
  CHECK(cents(t["total"]) ==
        cents(t["items"]) + cents(t["shipping"]) + cents(t["duties"]) + cents(t["taxes"]) + cents(t["fees"]) + cents(t["adjustments"]));
  CHECK(q["display"]["labels"]["adjustments"] == "Arrotondamento");
  INFO(r.out);
  CHECK(t["total"]["amount"] == "1076.70");  // 1028.27 + 19.36 + 29.05 = 1076.68, to 0.05 half up
  CHECK(a["amount"]["amount"] == "0.02");
}

// Issue #14: without the development flag, rates past refuse_after refuse the quote (exit 1, a
// stale_rates problem naming the conversion); near the shipped rates the same cart prices cleanly.
TEST_CASE("landed quote refuses rates past refuse_after unless --stale-rates warn") {
  const auto old = run_landed("quote tools/examples/cart-us-hr.json --date 2026-11-23T16:00:00Z");
  CHECK(old.status == 1);
  const auto p = nlohmann::json::parse(old.out);
  CHECK(p["status"] == 503);
  CHECK(p["type"] == "/problems/stale_rates");
  CHECK(p["errors"][0]["message"].get<std::string>().find("USD to EUR") != std::string::npos);
  const auto fresh = run_landed("quote tools/examples/cart-us-hr.json --date 2026-04-14T12:00:00Z");
  REQUIRE(fresh.status == 0);
  const auto q = nlohmann::json::parse(fresh.out);
  CHECK(!q.contains("warnings"));
  CHECK(q["totals"]["total"]["amount"] == "1202.68");
  CHECK(run_landed("quote tools/examples/cart-us-hr.json --stale-rates maybe", true).status == 2);
}

TEST_CASE("landed rules check names the folder when a set has no tax rules or no merchant") {
  const auto dir = std::filesystem::temp_directory_path() / ("landed-empty-rules-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "tax");
  std::filesystem::create_directories(dir / "merchants");
  const auto empty = run_landed("rules check '" + dir.string() + "'", true);
  std::filesystem::copy(landed::test::home() / "rules/tax", dir / "tax", std::filesystem::copy_options::recursive);
  const auto no_merchant = run_landed("rules check '" + dir.string() + "'", true);
  std::filesystem::remove_all(dir);
  CHECK(empty.status == 1);
  CHECK(empty.out.find((dir / "tax/").string() + ": no tax jurisdiction is defined") != std::string::npos);
  CHECK(no_merchant.status == 1);
  CHECK(no_merchant.out.find((dir / "merchants/").string() + ": no merchant is defined") != std::string::npos);
}

TEST_CASE("landed rules check refuses an unknown country and a region the file does not name") {
  const auto dir = std::filesystem::temp_directory_path() / ("landed-bad-codes-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::copy(landed::test::home() / "rules", dir, std::filesystem::copy_options::recursive);
  {
    std::ofstream f(dir / "tax/QQ.json", std::ios::trunc);
    f << "{\"concern\": \"tax\", \"jurisdiction\": \"QQ\", \"country\": \"QQ\", \"name\": \"x\",\n"
         " \"rounding\": {\"mode\": \"HalfUp\", \"level\": \"line\", \"source\": \"s\"},\n"
         " \"taxes\": [{\"id\": \"QQ.v\", \"name\": \"V\", \"regions\": [\"QQ-01\"], \"rates\": [\n"
         "  {\"id\": \"QQ.v.s\", \"band\": \"standard\", \"rate\": \"0.1\", \"effective_from\": \"2020-01-01\", \"source\": \"s\"}]}]}\n";
  }
  const auto r = run_landed("rules check '" + dir.string() + "'", true);
  std::filesystem::remove_all(dir);
  CHECK(r.status == 1);
  // QQ is a user-assigned code ICU does not list (it does list XK, Kosovo's).
  CHECK(r.out.find("tax/QQ.json:1:53: \"QQ\" is not a country ICU knows") != std::string::npos);
  CHECK(r.out.find("tax/QQ.json:3:52: region \"QQ-01\" is not in /regions/codes of this file") != std::string::npos);
}
