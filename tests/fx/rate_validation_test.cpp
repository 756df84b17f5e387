#include "fx/rate_validation.h"

#include <catch2/catch.hpp>

using landed::AcceptedRates;
using landed::BaseRateTable;
using landed::Decimal;
using landed::RateFormat;
using landed::RateVerdict;
using landed::Timestamp;
using landed::ValidationPolicy;
namespace refusal = landed::rate_refusal;

namespace {

std::string ecb_day(const std::string& date, const std::string& usd, const std::string& extra = "") {
  return "<gesmes:Envelope xmlns:gesmes='http://www.gesmes.org/xml/2002-08-01'><Cube><Cube time='" + date +
         "'><Cube currency='USD' rate='" + usd + "'/><Cube currency='JPY' rate='186.75'/>" + extra + "</Cube></Cube></gesmes:Envelope>";
}

Timestamp at(const char* s) { return *Timestamp::parse(s); }
Decimal d(const char* s) { return *Decimal::parse(s); }

const Timestamp now = *Timestamp::parse("2026-04-14T15:00:00Z");

BaseRateTable last_accepted() {
  auto v = landed::validate_document(ecb_day("2026-04-13", "1.1684", "<Cube currency='GBP' rate='0.87058'/>"), RateFormat::ecb_xml,
                                     "ECB", nullptr, now);
  REQUIRE(v.accepted());
  return v.newest();
}

RateVerdict check(const std::string& xml, Timestamp t = now, ValidationPolicy policy = {}) {
  const BaseRateTable last = last_accepted();
  return landed::validate_document(xml, RateFormat::ecb_xml, "ECB", &last, t, policy);
}

}  // namespace

TEST_CASE("validate_rates accepts the next day within the move bound") {
  const auto v = check(ecb_day("2026-04-14", "1.1700", "<Cube currency='GBP' rate='0.87'/>"));
  REQUIRE(v.accepted());
  CHECK(v.newest().as_of().to_string() == "2026-04-14");
  CHECK(v.newest().per_base().at("USD").to_string() == "1.1700");
  CHECK_FALSE(v.unchanged);
  CHECK(v.dropped.empty());
  CHECK(v.moved.empty());
}

TEST_CASE("validate_rates accepts a first document with nothing to compare with") {
  const auto v = landed::validate_document(ecb_day("2026-04-14", "9.99"), RateFormat::ecb_xml, "ECB", nullptr, now);
  CHECK(v.accepted());
}

TEST_CASE("A 50 % jump is refused as moved_too_far naming the currency") {
  const auto v = check(ecb_day("2026-04-14", "1.7526", "<Cube currency='GBP' rate='0.87'/>"));
  REQUIRE_FALSE(v.accepted());
  REQUIRE(v.refusals.size() == 1);
  CHECK(v.refusals[0].reason == refusal::moved_too_far);
  CHECK(v.refusals[0].currencies == std::vector<std::string>{"USD"});
  CHECK(v.refusals[0].message.find("USD 1.1684 -> 1.7526 (+50.0 %)") != std::string::npos);
  CHECK(v.days.empty());
}

TEST_CASE("A move of exactly the bound passes and one unit beyond it is refused") {
  CHECK(check(ecb_day("2026-04-14", "1.40208")).accepted());  // 1.1684 × 1.20 exactly
  CHECK(check(ecb_day("2026-04-14", "1.40209")).refused_for(refusal::moved_too_far));
  CHECK(check(ecb_day("2026-04-14", "0.93472")).accepted());  // 1.1684 × 0.80 exactly
  const auto down = check(ecb_day("2026-04-14", "0.93471"));
  REQUIRE(down.refused_for(refusal::moved_too_far));
  CHECK(down.refusals[0].message.find("(-20.0 %)") != std::string::npos);
}

TEST_CASE("The move bound comes from limits as an exact decimal and can be set per policy") {
  CHECK(ValidationPolicy::default_move_fraction_max() == d("0.20"));
  ValidationPolicy tight;
  tight.move_fraction_max = d("0.001");
  CHECK(check(ecb_day("2026-04-14", "1.1700"), now, tight).refused_for(refusal::moved_too_far));
}

TEST_CASE("An operator's acceptance lets a move through and says so") {
  ValidationPolicy accepted;
  accepted.operator_accepted = true;
  const auto v = check(ecb_day("2026-04-14", "1.7526"), now, accepted);
  REQUIRE(v.accepted());
  CHECK(v.moved == std::vector<std::string>{"USD"});
  CHECK(v.summary("ECB").find("operator accepted moves of USD") != std::string::npos);
}

TEST_CASE("An operator's acceptance does not let a future or stale document through") {
  ValidationPolicy accepted;
  accepted.operator_accepted = true;
  CHECK(check(ecb_day("2026-04-15", "1.7526"), now, accepted).refused_for(refusal::future_date));
  CHECK(check(ecb_day("2026-04-10", "1.1684"), now, accepted).refused_for(refusal::stale_document));
}

TEST_CASE("A document dated after today in Frankfurt is refused as future_date") {
  const auto v = check(ecb_day("2026-04-15", "1.17"));
  REQUIRE(v.refusals.size() == 1);
  CHECK(v.refusals[0].reason == refusal::future_date);
  CHECK(v.refusals[0].message == "dated 2026-04-15, after today (2026-04-14 in Europe/Berlin)");
}

TEST_CASE("Today is the date in the source's zone not in UTC") {
  const Timestamp late = at("2026-04-14T22:30:00Z");  // 00:30 on the 15th in Frankfurt (CEST)
  CHECK(check(ecb_day("2026-04-15", "1.17"), late).accepted());
  ValidationPolicy utc;
  utc.zone = "UTC";
  CHECK(check(ecb_day("2026-04-15", "1.17"), late, utc).refused_for(refusal::future_date));
}

TEST_CASE("A provider's date is future only once no zone has reached it") {
  const std::string json = R"({"base":"USD","date":"2026-04-15","rates":{"KWD":"0.3072"}})";
  const Timestamp morning = at("2026-04-14T10:00:00Z");  // 2026-04-15 00:00 at UTC+14
  CHECK(landed::validate_document(json, RateFormat::provider_json, "P", nullptr, morning).accepted());
  const auto early = landed::validate_document(json, RateFormat::provider_json, "P", nullptr, at("2026-04-14T09:59:59Z"));
  REQUIRE(early.refused_for(refusal::future_date));
  CHECK(early.refusals[0].message.find("Etc/GMT-14") != std::string::npos);
}

TEST_CASE("A document older than the last accepted is refused as stale_document") {
  const auto v = check(ecb_day("2026-04-10", "1.1711"));
  REQUIRE(v.refusals.size() == 1);
  CHECK(v.refusals[0].reason == refusal::stale_document);
  CHECK(v.refusals[0].message == "newest day 2026-04-10 is older than the last accepted, 2026-04-13");
}

TEST_CASE("The same day republished unchanged is accepted and marked unchanged") {
  const auto v = check(ecb_day("2026-04-13", "1.1684", "<Cube currency='GBP' rate='0.87058'/>"));
  REQUIRE(v.accepted());
  CHECK(v.unchanged);
  CHECK(v.summary("ECB") == "accepted ECB 2026-04-13: 4 currencies, 1 day (unchanged)");
}

TEST_CASE("A currency no longer listed is reported and not refused") {
  const auto v = check(ecb_day("2026-04-14", "1.17"));  // no GBP
  REQUIRE(v.accepted());
  CHECK(v.dropped == std::vector<std::string>{"GBP"});
}

TEST_CASE("An unknown currency is refused naming it") {
  const auto v = check(ecb_day("2026-04-14", "1.17", "<Cube currency='XAU' rate='0.0004'/>"));
  REQUIRE(v.refusals.size() == 1);
  CHECK(v.refusals[0].reason == refusal::unknown_currency);
  CHECK(v.refusals[0].currencies == std::vector<std::string>{"XAU"});
}

TEST_CASE("Rates that are not positive bounded decimals are refused as bad_rate") {
  for (const char* rate : {"0", "-1.17", "1.123456789", "1e2", "1,17", "", "1234567890123", " 1.17"}) {
    INFO(rate);
    const auto v = check(ecb_day("2026-04-14", rate));
    REQUIRE(v.refusals.size() == 1);
    CHECK(v.refusals[0].reason == refusal::bad_rate);
    CHECK(v.refusals[0].currencies == std::vector<std::string>{"USD"});
  }
}

TEST_CASE("Every reason that applies is reported at once") {
  const auto v = check(ecb_day("2026-04-16", "1.7526", "<Cube currency='XAU' rate='0.0004'/><Cube currency='GBP' rate='-1'/>"));
  std::vector<std::string> reasons;
  for (const auto& r : v.refusals) reasons.push_back(r.reason);
  CHECK(reasons == std::vector<std::string>{"unknown_currency", "bad_rate", "future_date"});
  CHECK(v.summary("ECB").rfind("refused ECB: unknown_currency (XAU): ", 0) == 0);
  CHECK(v.summary("ECB").find('\n') == std::string::npos);
}

TEST_CASE("A malformed document is one malformed refusal and never throws") {
  for (const char* text : {"", "<gesmes:Envelope><Cube><Cube time='2026-04-14'><Cube currency='USD' rate='1.1", "{}", "\xff\xfe<x/>",
                           "<gesmes:Envelope><Cube><Cube time='2026-04-14'></Cube></Cube></gesmes:Envelope>"}) {
    INFO(text);
    const BaseRateTable last = last_accepted();
    RateVerdict v;
    REQUIRE_NOTHROW(v = landed::validate_document(text, RateFormat::ecb_xml, "ECB", &last, now));
    REQUIRE(v.refusals.size() == 1);
    CHECK(v.refusals[0].reason == refusal::malformed);
  }
}

TEST_CASE("A malformed JSON document names the field") {
  const auto v = landed::validate_document(R"({"base":"USD","date":"2026-04-14","rates":{"KWD":0.3072}})", RateFormat::provider_json,
                                           "P", nullptr, now);
  REQUIRE(v.refusals.size() == 1);
  CHECK(v.refusals[0].reason == refusal::malformed);
  CHECK(v.refusals[0].message.find("(at /rates/KWD)") != std::string::npos);
}

TEST_CASE("A provider document with another base than the last accepted is refused as base_changed") {
  const auto first = landed::validate_document(R"({"base":"USD","date":"2026-04-13","rates":{"KWD":"0.3072"}})",
                                               RateFormat::provider_json, "P", nullptr, now);
  REQUIRE(first.accepted());
  const std::string eur_based = R"({"base":"EUR","date":"2026-04-14","rates":{"KWD":"0.3589"}})";
  const auto v = landed::validate_document(eur_based, RateFormat::provider_json, "P", &first.newest(), now);
  REQUIRE(v.refusals.size() == 1);
  CHECK(v.refusals[0].reason == refusal::base_changed);
  CHECK(v.refusals[0].currencies == std::vector<std::string>{"EUR", "USD"});
  ValidationPolicy accepted;
  accepted.operator_accepted = true;
  CHECK(landed::validate_document(eur_based, RateFormat::provider_json, "P", &first.newest(), now, accepted).accepted());
}

TEST_CASE("A provider's 50 % jump is refused like an ECB one") {
  AcceptedRates provider;
  REQUIRE(provider.offer(R"({"base":"USD","date":"2026-04-13","rates":{"KWD":"0.3072","AED":"3.6725"}})", RateFormat::provider_json, "P", now)
              .accepted());
  const auto v = provider.offer(R"({"base":"USD","date":"2026-04-14","rates":{"KWD":"0.4608","AED":"3.6725"}})", RateFormat::provider_json, "P", now);
  REQUIRE(v.refused_for(refusal::moved_too_far));
  CHECK(v.refusals[0].currencies == std::vector<std::string>{"KWD"});
  CHECK(provider.current()->per_base().at("KWD").to_string() == "0.3072");
}

TEST_CASE("A many-day document is checked on its newest day and accepted whole") {
  const std::string xml =
      "<gesmes:Envelope><Cube>"
      "<Cube time='2026-04-14'><Cube currency='USD' rate='1.17'/></Cube>"
      "<Cube time='2026-04-13'><Cube currency='USD' rate='1.1684'/></Cube>"
      "<Cube time='2026-01-02'><Cube currency='USD' rate='0.90'/></Cube>"  // history: far from today's, not a move
      "</Cube></gesmes:Envelope>";
  const auto v = check(xml);
  REQUIRE(v.accepted());
  REQUIRE(v.days.size() == 3);
  CHECK(v.days.front().as_of().to_string() == "2026-01-02");
  CHECK(v.newest().as_of().to_string() == "2026-04-14");
}

TEST_CASE("AcceptedRates keeps the last good table when a document is refused") {
  AcceptedRates state(last_accepted());
  const std::string before = state.current()->version();
  for (const std::string& bad : {ecb_day("2026-04-14", "1.7526"), ecb_day("2026-04-15", "1.17"), std::string("<broken"),
                                 ecb_day("2026-04-10", "1.17"), ecb_day("2026-04-14", "1.17", "<Cube currency='ZZZ' rate='1'/>")}) {
    const auto v = state.offer(bad, RateFormat::ecb_xml, "ECB", now);
    CHECK_FALSE(v.accepted());
    CHECK(state.current()->version() == before);
    CHECK(state.current()->per_base().at("USD").to_string() == "1.1684");
  }
  REQUIRE(state.offer(ecb_day("2026-04-14", "1.17"), RateFormat::ecb_xml, "ECB", now).accepted());
  CHECK(state.current()->as_of().to_string() == "2026-04-14");
}
