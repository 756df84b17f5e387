// The payments stage (payments/selection.h) on the shipped rules: the order a local buyer sees in
// each of issue 11's 37 markets (tests/payments/markets.csv, reviewed once, then locked), and each
// rule that must hold whatever the data: channel, currency, amount boundaries, device, card brand.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "payments/selection.h"
#include "snapshot.h"

using namespace landed;

namespace {

const PaymentRules& rules() { return test::shipped_snapshot()->rules->payments; }

Money money(const char* amount, const char* currency) {
  const Currency c = *Currency::of(currency);
  return *Money::exact(*Decimal::parse(amount), c);
}

PaymentContext buyer(const char* country, const char* amount, const char* currency, const char* channel = "web",
                     const char* device = "ios") {
  PaymentContext c;
  c.country = country;
  c.amount = money(amount, currency);
  c.channel = channel;
  if (*device) c.device = device;
  c.date = *Date::parse("2026-11-23");
  return c;
}

std::string order(const PaymentSelection& s) {
  std::string out;
  for (const auto& o : s.eligible) out += (out.empty() ? "" : " ") + o.method->provenance.id;
  return out;
}

bool offered(const PaymentSelection& s, const char* id) {
  return std::any_of(s.eligible.begin(), s.eligible.end(), [&](const PaymentOption& o) { return o.method->provenance.id == id; });
}

// The reasons `id` is excluded for, as "code code ..." ("" when it is offered or not considered).
std::string reasons(const PaymentSelection& s, const char* id) {
  for (const auto& o : s.excluded)
    if (o.method->provenance.id == id) {
      std::string out;
      for (const auto& r : o.reasons) out += (out.empty() ? "" : " ") + r.code;
      return out;
    }
  return "";
}

const PaymentReason* reason(const PaymentSelection& s, const char* id, const char* code) {
  for (const auto& o : s.excluded)
    if (o.method->provenance.id == id)
      for (const auto& r : o.reasons)
        if (r.code == code) return &r;
  return nullptr;
}

}  // namespace

TEST_CASE("Each market's buyers see the methods a local expects in local order") {
  const auto rows = test::read_csv(test::home() / "tests" / "payments" / "markets.csv");
  REQUIRE(rows.size() > 100);
  std::set<std::string> markets;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (r.size() < 6) continue;
    INFO(r[0] << " " << r[2] << " " << r[1] << " in " << r[3] << " on " << r[4]);
    const auto s = select_payment_methods(rules(), buyer(r[0].c_str(), r[2].c_str(), r[1].c_str(), r[3].c_str(), r[4].c_str()), false);
    CHECK(order(s) == r[5]);
    markets.insert(r[0]);
  }
  for (const char* m : {"NL", "BE", "PL", "SE", "DK", "FI", "NO", "CH", "AT", "PT", "IT", "HR", "DE", "FR", "ES", "GB", "US", "CA", "BR",
                        "MX", "IN", "CN", "HK", "JP", "KR", "SG", "TH", "PH", "ID", "KE", "NG", "SA", "AE", "KW", "AU", "IL", "TR"})
    CHECK(markets.count(m) == 1);
}

TEST_CASE("WeChat Pay is offered only inside WeChat and first there") {
  const auto in_wechat = select_payment_methods(rules(), buyer("CN", "450.00", "CNY", "wechat"), false);
  REQUIRE_FALSE(in_wechat.eligible.empty());
  CHECK(in_wechat.eligible.front().method->provenance.id == "wechat_pay");
  for (const char* channel : {"web", "instagram", "douyin", "tiktok"}) {
    INFO(channel);
    const auto s = select_payment_methods(rules(), buyer("CN", "450.00", "CNY", channel), false);
    CHECK_FALSE(offered(s, "wechat_pay"));
    CHECK(reasons(s, "wechat_pay") == "channel_not_supported");
  }
}

TEST_CASE("Alipay is not offered inside WeChat which blocks it") {
  CHECK(offered(select_payment_methods(rules(), buyer("CN", "450.00", "CNY", "web"), false), "alipay"));
  const auto s = select_payment_methods(rules(), buyer("CN", "450.00", "CNY", "wechat"), false);
  CHECK(reasons(s, "alipay") == "channel_not_supported");
}

TEST_CASE("Pix and Boleto are offered only in BRL") {
  CHECK(offered(select_payment_methods(rules(), buyer("BR", "350.00", "BRL"), false), "pix"));
  const auto usd = select_payment_methods(rules(), buyer("BR", "70.00", "USD"), false);
  CHECK(reasons(usd, "pix") == "currency_not_supported");
  CHECK(reasons(usd, "boleto") == "currency_not_supported");
  CHECK(reasons(select_payment_methods(rules(), buyer("PT", "60.00", "BRL"), true), "pix") == "country_not_supported");
}

TEST_CASE("KNET is offered only in KWD in Kuwait") {
  CHECK(offered(select_payment_methods(rules(), buyer("KW", "20.000", "KWD"), false), "knet"));
  CHECK(reasons(select_payment_methods(rules(), buyer("KW", "60.00", "USD"), false), "knet") == "currency_not_supported");
}

TEST_CASE("A BNPL method is offered at its minimum and not one minor unit under") {
  const PaymentMethod* affirm = rules().find("affirm");
  REQUIRE(affirm);
  const PaymentAmountRange* range = affirm->range_for("USD", "US");
  REQUIRE(range);
  const Currency usd = *Currency::of("USD");
  const auto at = [&](std::int64_t minor) {
    PaymentContext c = buyer("US", "0", "USD");
    c.amount = Money::of(Decimal(Decimal::Int(minor), 2), usd, Rounding::HalfEven);
    return select_payment_methods(rules(), c, false);
  };
  CHECK(offered(at(range->min_minor), "affirm"));
  const auto under = at(range->min_minor - 1);
  CHECK(reasons(under, "affirm") == "below_minimum");
  REQUIRE(reason(under, "affirm", "below_minimum"));
  CHECK(reason(under, "affirm", "below_minimum")->limit->minor_units() == range->min_minor);
  CHECK(offered(at(range->max_minor), "affirm"));
  CHECK(reasons(at(range->max_minor + 1), "affirm") == "above_maximum");
}

TEST_CASE("A range for the buyer's country wins over the currency's general one") {
  // Klarna in euros: EUR 14,000 in NL, EUR 4,000 in Italy (shipped klarna.json).
  const auto nl = select_payment_methods(rules(), buyer("NL", "5000.00", "EUR"), false);
  const auto it = select_payment_methods(rules(), buyer("IT", "5000.00", "EUR"), false);
  CHECK(offered(nl, "klarna"));
  CHECK(reasons(it, "klarna") == "above_maximum");
}

TEST_CASE("Apple Pay is offered only on Apple devices and never with the device unknown") {
  CHECK(offered(select_payment_methods(rules(), buyer("US", "70.00", "USD", "web", "ios"), false), "apple_pay"));
  for (const char* device : {"android", "desktop", ""}) {
    INFO(device);
    const auto s = select_payment_methods(rules(), buyer("US", "70.00", "USD", "web", device), false);
    CHECK(reasons(s, "apple_pay") == "device_not_supported");
  }
  const auto unknown = select_payment_methods(rules(), buyer("US", "70.00", "USD", "web", ""), false);
  REQUIRE(reason(unknown, "apple_pay", "device_not_supported"));
  CHECK(reason(unknown, "apple_pay", "device_not_supported")->value == "unknown");
}

TEST_CASE("Card is offered where a brand is accepted with the market's brands") {
  const auto jp = select_payment_methods(rules(), buyer("JP", "9000", "JPY"), false);
  REQUIRE(offered(jp, "card"));
  CHECK(std::any_of(jp.accepted_brands.begin(), jp.accepted_brands.end(), [](const CardBrand* b) { return b->id == "jcb"; }));
}

TEST_CASE("A BIN whose brand the market does not accept removes card with that reason") {
  PaymentContext c = buyer("NL", "60.00", "EUR");
  c.card_bin = "62000000";  // UnionPay
  const auto s = select_payment_methods(rules(), c, false);
  CHECK_FALSE(offered(s, "card"));
  REQUIRE(reason(s, "card", "brand_not_accepted"));
  CHECK(reason(s, "card", "brand_not_accepted")->value == "unionpay");
  c.card_bin = "411111";  // Visa
  CHECK(offered(select_payment_methods(rules(), c, false), "card"));
  c.country = "CN";
  c.amount = money("450.00", "CNY");
  c.card_bin = "62000000";
  CHECK(offered(select_payment_methods(rules(), c, false), "card"));
}

TEST_CASE("A BIN of no known brand removes card as brand unknown") {
  PaymentContext c = buyer("DE", "60.00", "EUR");
  c.card_bin = "70000000";
  const auto s = select_payment_methods(rules(), c, false);
  REQUIRE(reason(s, "card", "brand_not_accepted"));
  CHECK(reason(s, "card", "brand_not_accepted")->value == "unknown");
}

TEST_CASE("A method is not offered before its rule takes effect") {
  PaymentContext c = buyer("DE", "60.00", "EUR");
  CHECK(offered(select_payment_methods(rules(), c, false), "wero"));
  c.date = *Date::parse("2026-09-30");  // wero.json: from 2026-10-01
  CHECK(reasons(select_payment_methods(rules(), c, false), "wero") == "not_in_force");
}

TEST_CASE("Every reason is given not just the first") {
  const auto s = select_payment_methods(rules(), buyer("NL", "250.00", "ILS", "instagram", "android"), true);
  CHECK(reasons(s, "wechat_pay") == "country_not_supported currency_not_supported channel_not_supported");
  CHECK(reasons(s, "apple_pay") == "channel_not_supported device_not_supported");
}

TEST_CASE("The explain selection considers every method and a quote only its country's") {
  const auto all = select_payment_methods(rules(), buyer("NL", "60.00", "EUR"), true);
  CHECK(all.eligible.size() + all.excluded.size() == rules().methods.size());
  const auto quote = select_payment_methods(rules(), buyer("NL", "60.00", "EUR"), false);
  CHECK(order(quote) == order(all));
  CHECK(quote.excluded.size() < all.excluded.size());
}

TEST_CASE("A RuPay BIN in India is RuPay and keeps card") {
  PaymentContext c = buyer("IN", "5000.00", "INR");
  for (const char* bin : {"652150", "607000", "508500"}) {
    INFO(bin);
    c.card_bin = bin;
    const auto s = select_payment_methods(rules(), c, false);
    CHECK(offered(s, "card"));
    REQUIRE(s.bin);
    CHECK(s.bin->decided);
    CHECK(s.bin->candidates.front()->id == "rupay");
  }
  // Outside India the same digits are the international brand they resemble.
  PaymentContext us = buyer("US", "70.00", "USD");
  us.card_bin = "652150";
  const auto s = select_payment_methods(rules(), us, false);
  REQUIRE(s.bin);
  CHECK(s.bin->candidates.front()->id == "discover");
}

TEST_CASE("A Saudi BIN that may be mada keeps card with mada among the possible brands") {
  PaymentContext c = buyer("SA", "250.00", "SAR");
  c.card_bin = "588845";  // a mada BIN in Maestro's prefix range; SA takes no Maestro
  const auto s = select_payment_methods(rules(), c, false);
  CHECK(offered(s, "card"));
  REQUIRE(s.bin);
  CHECK_FALSE(s.bin->decided);
  CHECK(s.bin->candidates.back()->id == "mada");
  c.card_bin = "411111";  // Visa: accepted, decided, no mada guess
  const auto v = select_payment_methods(rules(), c, false);
  CHECK(v.bin->decided);
  CHECK(v.bin->candidates.size() == 1);
}

TEST_CASE("Apple Pay is offered on a desktop whose User-Agent says Macintosh") {
  PaymentContext c = buyer("US", "70.00", "USD", "web", "desktop");
  CHECK(reasons(select_payment_methods(rules(), c, false), "apple_pay") == "device_not_supported");
  c.apple_desktop = true;
  CHECK(offered(select_payment_methods(rules(), c, false), "apple_pay"));
}

TEST_CASE("Card says not in force before the card brand rules take effect") {
  PaymentContext c = buyer("DE", "60.00", "EUR");
  c.date = *Date::parse("2025-12-31");
  CHECK(reasons(select_payment_methods(rules(), c, false), "card") == "not_in_force");
}
