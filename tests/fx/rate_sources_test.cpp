#include "fx/rate_sources.h"

#include <catch2/catch.hpp>

#include "fx/rate_document.h"

using landed::BaseRateTable;
using landed::Currency;
using landed::Decimal;
using landed::RateSources;
using landed::RateTable;

namespace {

const char* ecb_xml = R"(<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"><Cube><Cube time='2026-04-13'>
  <Cube currency='USD' rate='1.1684'/><Cube currency='JPY' rate='186.75'/><Cube currency='GBP' rate='0.87058'/>
</Cube></Cube></gesmes:Envelope>)";

// The provider's EUR and JPY disagree with the ECB's on purpose: the tests show which is used.
const char* provider_json =
    R"({"base": "USD", "date": "2026-04-12", "rates": {"KWD": "0.3072", "AED": "3.6725", "EUR": "0.9213", "JPY": "150"}})";

Currency c(const char* code) { return *Currency::of(code); }
Decimal d(const char* s) { return *Decimal::parse(s); }

RateTable ecb() { return *RateTable::parse_ecb_xml(ecb_xml, "ECB"); }
BaseRateTable provider() { return *landed::parse_provider_json(provider_json, "PROVIDER"); }
RateSources both() { return RateSources(BaseRateTable::from_ecb(ecb()), provider()); }

}  // namespace

TEST_CASE("RateSources uses the primary alone for currencies it lists") {
  const auto r = both().rate(c("USD"), c("JPY"), d("0.02"));
  REQUIRE(r.ok());
  CHECK(r->source == "ECB");
  CHECK(r->as_of.to_string() == "2026-04-13");
  const auto table = ecb().rate(c("USD"), c("JPY"), d("0.02"));  // the same figures as RateTable
  CHECK(r->rate.mid == table->mid);
  CHECK(r->rate.rate == table->rate);
  CHECK(r->rate.mid.to_string() == "159.833961");
}

TEST_CASE("RateSources converts from the provider's base with the provider's own quote") {
  const auto to = both().rate(c("USD"), c("KWD"), d("0"));
  REQUIRE(to.ok());
  CHECK(to->source == "PROVIDER");
  CHECK(to->as_of.to_string() == "2026-04-12");
  CHECK(to->rate.mid.to_string() == "0.3072");
  const auto from = both().rate(c("KWD"), c("USD"), d("0"));
  REQUIRE(from.ok());
  CHECK(from->source == "PROVIDER");
  CHECK(from->rate.mid.to_string() == "3.255208333");
}

TEST_CASE("RateSources crosses EUR to KWD through the provider's base and names both sources") {
  const auto r = both().rate(c("EUR"), c("KWD"), d("0.02"));
  REQUIRE(r.ok());
  CHECK(r->source == "ECB+PROVIDER");
  CHECK(r->rate.mid.to_string() == "0.35893248");   // ECB's 1.1684 USD per EUR × 0.3072 KWD per USD,
  CHECK(r->rate.rate.to_string() == "0.3661111296");  // not the provider's own EUR (0.3334418756)
  CHECK(r->as_of.to_string() == "2026-04-12");      // the older of the two tables
}

TEST_CASE("RateSources crosses GBP and KWD both ways in one rounding") {
  const auto gk = both().rate(c("GBP"), c("KWD"), d("0"));
  REQUIRE(gk.ok());
  CHECK(gk->source == "ECB+PROVIDER");
  CHECK(gk->rate.mid.to_string() == "0.4122912082");  // 0.3072 × 1.1684 / 0.87058, 10 digits
  const auto kg = both().rate(c("KWD"), c("GBP"), d("0"));
  REQUIRE(kg.ok());
  CHECK(kg->rate.mid.to_string() == "2.425470105");
}

TEST_CASE("RateSources uses the provider alone between two currencies only it lists") {
  const auto r = both().rate(c("KWD"), c("AED"), d("0"));
  REQUIRE(r.ok());
  CHECK(r->source == "PROVIDER");
  CHECK(r->rate.mid.to_string() == "11.9547526");
}

TEST_CASE("RateSources says where each currency comes from") {
  const auto s = both();
  CHECK(s.source_of("JPY") == "ECB");  // listed by both: the first source's
  CHECK(s.source_of("EUR") == "ECB");
  CHECK(s.source_of("KWD") == "PROVIDER");
  CHECK(s.source_of("SAR").empty());
  CHECK(s.has("AED"));
  CHECK_FALSE(s.has("SAR"));
}

TEST_CASE("RateSources refuses a currency no source lists naming it") {
  const auto r = both().rate(c("EUR"), c("SAR"), d("0"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == landed::ErrorCode::not_found);
  CHECK(r.error().message == "no ECB or PROVIDER rate for SAR");
  const RateSources ecb_only(BaseRateTable::from_ecb(ecb()));
  CHECK(ecb_only.rate(c("EUR"), c("KWD"), d("0")).error().message == "no ECB rate for KWD");
  CHECK(ecb_only.secondary() == nullptr);
}

TEST_CASE("RateSources with a provider whose base the ECB lacks uses the provider alone or refuses") {
  const auto sar = *landed::parse_provider_json(R"({"base":"SAR","date":"2026-04-13","rates":{"KWD":"0.0819","USD":"0.2666"}})", "GULF");
  const RateSources s(BaseRateTable::from_ecb(ecb()), sar);
  const auto inside = s.rate(c("SAR"), c("KWD"), d("0"));
  REQUIRE(inside.ok());
  CHECK(inside->source == "GULF");
  CHECK(inside->rate.mid.to_string() == "0.0819");
  const auto usd = s.rate(c("USD"), c("KWD"), d("0"));  // both in GULF, the ECB cannot be bridged
  REQUIRE(usd.ok());
  CHECK(usd->source == "GULF");
  const auto eur = s.rate(c("EUR"), c("KWD"), d("0"));
  REQUIRE_FALSE(eur.ok());
  CHECK(eur.error().message.find("no ECB rate for SAR (GULF's base)") == 0);
}

TEST_CASE("RateSources gives rate 1 without markup for the same currency") {
  const auto r = both().rate(c("KWD"), c("KWD"), d("0.02"));
  REQUIRE(r.ok());
  CHECK(r->rate.rate == d("1"));
  CHECK(r->rate.markup.is_zero());
}

TEST_CASE("BaseRateTable gives the figures RateTable gives for every ECB pair") {
  const RateTable t = ecb();
  const BaseRateTable b = BaseRateTable::from_ecb(t);
  for (const auto& [from, x] : t.per_eur())
    for (const auto& [to, y] : t.per_eur()) {
      const auto a = t.rate(c(from.c_str()), c(to.c_str()), d("0.015"));
      const auto e = b.rate(c(from.c_str()), c(to.c_str()), d("0.015"));
      REQUIRE(e.ok());
      CHECK(a->mid == e->mid);
      CHECK(a->rate == e->rate);
    }
  const auto back = b.to_rate_table();
  REQUIRE(back.ok());
  CHECK(back->per_eur() == t.per_eur());
  CHECK_FALSE(provider().to_rate_table().ok());  // per USD: not an ECB table
}

TEST_CASE("applied_rate reports figures beyond exact decimals as out_of_range") {
  const auto r = landed::applied_rate(c("USD"), c("JPY"), d("999999999999.99999999"), d("0.00000001"), d("0"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == landed::ErrorCode::out_of_range);
}
