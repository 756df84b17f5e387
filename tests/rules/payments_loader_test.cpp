// Payment rule files (rules/payments/, issue #11): the loader refuses every malformed method and
// card-brand file with file, line and column, and keeps the whole set out.
#include <catch2/catch.hpp>

#include "app/files.h"
#include "rules/loader.h"
#include "fixtures.h"
#include "support.h"

using namespace landed;

namespace {

using namespace test;  // fixtures.h: merchant, vat, replace, first

const char* klarna =
    "{\n"
    "  \"concern\": \"payment_method\", \"id\": \"klarna\", \"kind\": \"bnpl\",\n"
    "  \"countries\": [\"SE\", \"DE\"], \"currencies\": [\"SEK\", \"EUR\"],\n"
    "  \"amounts\": [{\"currency\": \"EUR\", \"min_minor\": 100, \"max_minor\": 400000, \"source\": \"s\"}],\n"
    "  \"channels\": [\"*\"], \"devices\": [\"*\"], \"delayed_capture\": true,\n"
    "  \"rank\": {\"default\": 50, \"markets\": {\"SE\": 1}},\n"
    "  \"effective_from\": \"2026-01-01\", \"source\": \"s\", \"rank_source\": \"r\"\n"
    "}\n";

const char* brands =
    "{\n"
    "  \"concern\": \"card_brands\", \"source\": \"s\", \"effective_from\": \"2026-01-01\",\n"
    "  \"brands\": [{\"id\": \"visa\", \"name\": \"Visa\", \"patterns\": [\"4\"]},\n"
    "             {\"id\": \"mastercard\", \"name\": \"Mastercard\", \"patterns\": [\"51-55\", \"2221-2720\"]}],\n"
    "  \"acceptance\": {\"default\": [\"visa\", \"mastercard\"], \"markets\": {\"HR\": [\"visa\"]}, \"source\": \"s\"}\n"
    "}\n";

RuleLoad load(const std::string& method, const std::string& path = "payments/methods/klarna.json",
              const std::string& card_brands = brands) {
  return load_rules({{"merchants/m1.json", merchant}, {"tax/HR.json", vat}, {path, method}, {"payments/card_brands.json", card_brands}});
}

}  // namespace

TEST_CASE("A valid payment method and card brands load and are indexed by country") {
  const auto l = load(klarna);
  for (const auto& d : l.diagnostics) UNSCOPED_INFO(d.to_string());
  REQUIRE(l.ok());
  const PaymentRules& p = l.rules->payments;
  REQUIRE(p.find("klarna"));
  CHECK(p.find("klarna")->rank_in("SE", "web") == 1);
  CHECK(p.find("klarna")->rank_in("DE", "web") == 50);
  CHECK(p.offered_in("SE").size() == 1);
  CHECK(p.offered_in("FR").empty());
  REQUIRE(p.cards);
  CHECK(p.cards->accepted_in("HR").size() == 1);
  CHECK(p.cards->accepted_in("DE").size() == 2);
}

TEST_CASE("The shipped payment rules load with every issue 11 method") {
  const auto files = app::read_json_tree(test::home() / "rules");
  REQUIRE(files.ok());
  const auto l = load_rules(*files);
  REQUIRE(l.ok());
  for (const char* id : {"card", "apple_pay", "google_pay", "paypal", "klarna", "afterpay", "clearpay", "affirm", "zip", "ideal", "wero",
                         "bancontact", "blik", "eps", "swish", "mobilepay", "vipps", "twint", "mb_way", "multibanco", "satispay", "pix",
                         "boleto", "oxxo", "upi", "rupay", "alipay", "wechat_pay", "unionpay", "paypay", "konbini", "kakao_pay",
                         "naver_pay", "grabpay", "paynow", "promptpay", "gcash", "mpesa", "mada", "knet", "bit"}) {
    INFO(id);
    const PaymentMethod* m = l.rules->payments.find(id);
    REQUIRE(m);
    CHECK_FALSE(m->provenance.source.empty());
    CHECK_FALSE(m->rank_source.empty());
  }
}

TEST_CASE("A method whose id is not its file name is refused at the id") {
  CHECK(first(load(klarna, "payments/methods/klarna2.json")) == "payments/methods/klarna2.json:2:38: must equal the file name: \"klarna2\"");
}

TEST_CASE("A method id that is not snake_case is refused") {
  CHECK(first(load(replace(klarna, "\"id\": \"klarna\"", "\"id\": \"Klarna\""), "payments/methods/Klarna.json")).find("snake_case") != std::string::npos);
}

TEST_CASE("An unknown kind is refused with the list") {
  CHECK(first(load(replace(klarna, "\"bnpl\"", "\"credit\""))) ==
        "payments/methods/klarna.json:2:56: must be one of: card, wallet, bnpl, bank_redirect, real_time_payment, bank_transfer, voucher, mobile_money");
}

TEST_CASE("A country ICU does not know is refused at its line and column") {
  CHECK(first(load(replace(klarna, "[\"SE\", \"DE\"]", "[\"SE\", \"XX\"]"))) ==
        "payments/methods/klarna.json:3:23: \"XX\" is not an ISO 3166-1 alpha-2 country ICU knows");
}

TEST_CASE("A star listed beside other values is refused") {
  CHECK(first(load(replace(klarna, "\"channels\": [\"*\"]", "\"channels\": [\"*\", \"web\"]"))).find("list it alone") != std::string::npos);
}

TEST_CASE("An unknown channel or device is refused") {
  CHECK(first(load(replace(klarna, "\"channels\": [\"*\"]", "\"channels\": [\"myspace\"]"))).find("\"myspace\" is not a channel") != std::string::npos);
  CHECK(first(load(replace(klarna, "\"devices\": [\"*\"]", "\"devices\": [\"watch\"]"))).find("\"watch\" is not a device") != std::string::npos);
}

TEST_CASE("channels_excluded without a star is refused") {
  CHECK(first(load(replace(klarna, "\"channels\": [\"*\"]", "\"channels\": [\"web\"], \"channels_excluded\": [\"wechat\"]")))
            .find("name only the channels it works in") != std::string::npos);
}

TEST_CASE("An amount range whose minimum exceeds its maximum is refused") {
  CHECK(first(load(replace(klarna, "\"min_minor\": 100", "\"min_minor\": 500000"))).find("must not exceed max_minor") != std::string::npos);
}

TEST_CASE("An amount in a decimal string is refused: bounds are integer minor units") {
  CHECK(first(load(replace(klarna, "\"min_minor\": 100", "\"min_minor\": \"1.00\""))).find("integer number of minor units") != std::string::npos);
}

TEST_CASE("An amount range in a currency the method does not take is refused") {
  CHECK(first(load(replace(klarna, "{\"currency\": \"EUR\"", "{\"currency\": \"NOK\""))).find("NOK is not one of the method's currencies") !=
        std::string::npos);
}

TEST_CASE("Two ranges for the same currency and countries are refused") {
  const std::string range = "{\"currency\": \"EUR\", \"min_minor\": 100, \"max_minor\": 400000, \"source\": \"s\"}";
  CHECK(first(load(replace(klarna, range, range + ", " + range))).find("a second range for EUR") != std::string::npos);
}

TEST_CASE("A country under two ranges of one currency is refused") {
  const std::string se = "{\"currency\": \"EUR\", \"countries\": [\"SE\"], \"min_minor\": 1, \"max_minor\": 2, \"source\": \"s\"}";
  const std::string both = "{\"currency\": \"EUR\", \"countries\": [\"SE\", \"DE\"], \"min_minor\": 1, \"max_minor\": 2, \"source\": \"s\"}";
  const std::string range = "{\"currency\": \"EUR\", \"min_minor\": 100, \"max_minor\": 400000, \"source\": \"s\"}";
  CHECK(first(load(replace(klarna, range, range + ", " + se + ", " + both))).find("a second range for EUR in SE") != std::string::npos);
}

TEST_CASE("A range for a country the method is not offered in is refused") {
  const std::string fr = "{\"currency\": \"EUR\", \"countries\": [\"FR\"], \"min_minor\": 1, \"max_minor\": 2, \"source\": \"s\"}";
  const std::string range = "{\"currency\": \"EUR\", \"min_minor\": 100, \"max_minor\": 400000, \"source\": \"s\"}";
  CHECK(first(load(replace(klarna, range, range + ", " + fr))).find("FR is not one of the method's countries") != std::string::npos);
}

TEST_CASE("A rank for a market the method is not offered in is refused") {
  CHECK(first(load(replace(klarna, "\"SE\": 1}", "\"FR\": 1}"))).find("FR is not one of the method's countries: a rank there is never used") !=
        std::string::npos);
}

TEST_CASE("A local card scheme needs its markets and may have no pattern") {
  const std::string with_local = replace(brands, "\"acceptance\":", "\"local_brands\": [{\"id\": \"mada\", \"name\": \"mada\", \"markets\": [\"HR\"], \"patterns\": [], \"source\": \"s\"}],\n  \"acceptance\":");
  const auto ok = load(klarna, "payments/methods/klarna.json", with_local);
  for (const auto& d : ok.diagnostics) UNSCOPED_INFO(d.to_string());
  REQUIRE(ok.ok());
  REQUIRE(ok.rules->payments.cards->brand("mada"));
  const auto bad = load(klarna, "payments/methods/klarna.json", replace(with_local, "\"markets\": [\"HR\"]", "\"markets\": []"));
  CHECK(first(bad).find("must name the markets") != std::string::npos);
}

TEST_CASE("A rank out of range or for an unknown market is refused") {
  CHECK(first(load(replace(klarna, "\"SE\": 1}", "\"SE\": 5000}"))).find("integer rank from 0 to 1000") != std::string::npos);
  CHECK(first(load(replace(klarna, "\"SE\": 1}", "\"QQ\": 1}"))).find("\"QQ\" is not an ISO 3166-1") != std::string::npos);
}

TEST_CASE("A method without its rank source is refused") {
  CHECK(first(load(replace(klarna, ", \"rank_source\": \"r\"", ""))).find("missing required field \"rank_source\"") != std::string::npos);
}

TEST_CASE("A misspelt field is refused") {
  CHECK(first(load(replace(klarna, "\"delayed_capture\"", "\"delayed_captrue\""))).find("unknown field \"delayed_captrue\"") != std::string::npos);
}

TEST_CASE("A card brand pattern that is not a prefix or an equal-length range is refused") {
  CHECK(first(load(klarna, "payments/methods/klarna.json", replace(brands, "\"51-55\"", "\"51-555\""))).find("inclusive range of equal-length") !=
        std::string::npos);
  CHECK(first(load(klarna, "payments/methods/klarna.json", replace(brands, "\"51-55\"", "\"55-51\""))).find("inclusive range") != std::string::npos);
}

TEST_CASE("Acceptance naming an unknown brand is refused") {
  CHECK(first(load(klarna, "payments/methods/klarna.json", replace(brands, "\"HR\": [\"visa\"]", "\"HR\": [\"amex\"]"))) ==
        "payments/card_brands.json:5:72: \"amex\" is not a brand listed under /brands");
}

TEST_CASE("The card method without card brands is refused") {
  const std::string card = replace(replace(klarna, "\"id\": \"klarna\"", "\"id\": \"card\""), "\"bnpl\"", "\"card\"");
  const auto l = load_rules({{"merchants/m1.json", merchant}, {"tax/HR.json", vat}, {"payments/methods/card.json", card}});
  CHECK(first(l).find("needs the card brands") != std::string::npos);
}

TEST_CASE("A method defined twice is refused") {
  const auto l = load_rules({{"merchants/m1.json", merchant},
                             {"tax/HR.json", vat},
                             {"payments/methods/klarna.json", klarna},
                             {"payments/other/klarna.json", klarna}});
  CHECK(first(l).find("payment method \"klarna\" is defined twice") != std::string::npos);
}
