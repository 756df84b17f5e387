#include <catch2/catch.hpp>

#include "app/files.h"
#include "l10n/localizer.h"
#include "support.h"

using namespace landed;

namespace {

std::vector<CatalogSource> shipped_catalogs() {
  std::vector<CatalogSource> out;
  const auto files = app::read_json_tree(test::home() / "locales");
  REQUIRE(files.ok());
  for (const auto& f : *files) out.push_back({f.path, f.text});
  return out;
}

std::shared_ptr<const Localizer> shipped() {
  static const auto l = *Localizer::load(shipped_catalogs(), {*Currency::of("EUR"), *Currency::of("USD")});
  return l;
}

Money eur(const char* s) { return Money::of(*Decimal::parse(s), *Currency::of("EUR"), Rounding::Down); }

const char* en_min = R"({"locale": "en", "messages": {
  "label.items": "Items", "label.shipping": "Shipping", "label.duties": "Duties", "label.taxes": "Taxes",
  "label.fees": "Fees", "label.total": "Total", "label.due_on_delivery": "Due on delivery",
  "label.adjustments": "Rounding", "adjustment.cash_rounding": "Cash rounding",
  "summary.checkout": "Total {total} for {count, plural, one {# item} other {# items}}",
  "summary.delivery": "Total {total}; {due} on delivery",
  "summary.checkout_no_duties": "Total {total}, duties not calculated", "summary.delivery_no_duties": "Total {total}; {due} on delivery",
  "duty.tariff": "Duty", "duty.preference": "Duty", "duty.additional": "Additional duty", "duty.flat_per_category": "Flat duty",
  "duty_waiver.below_threshold": "No duty: {value} within {threshold}", "duty_waiver.same_customs_territory": "No duty",
  "duty_waiver.duty_below_threshold": "No duty: {value} under {threshold}",
  "note.duties_not_computed": "Duties not calculated",
  "payment_reason.country_not_supported": "{method}: not in {country}",
  "payment_reason.currency_not_supported": "{method}: not in {currency}",
  "payment_reason.below_minimum": "{method}: from {minimum}", "payment_reason.above_maximum": "{method}: up to {maximum}",
  "payment_reason.channel_not_supported": "{method}: not in {channel}",
  "payment_reason.device_not_supported": "{method}: not on {device}",
  "payment_reason.brand_not_accepted": "{brand}: not in {country}", "payment_reason.not_in_force": "{method}: not now",
  "payment_reason.brand_unknown": "{bin}: not in {country}"}})";

}  // namespace

TEST_CASE("Amounts are formatted by ICU in the buyer's locale") {
  const auto l = shipped();
  CHECK(l->format(*l->resolve("hr-HR"), eur("1234.56")) == "1.234,56\u00a0€");
  CHECK(l->format(*l->resolve("it-IT"), eur("1234.56")) == "1.234,56\u00a0€");
  CHECK(l->format(*l->resolve("en-US"), eur("1234.56")) == "€1,234.56");
  CHECK(l->format(*l->resolve("zh-Hans-CN"), eur("1234.56")) == "€1,234.56");
  CHECK(l->format(*l->resolve("de-DE"), eur("1234.56")) == "1.234,56\u00a0€");  // no de catalog: numbers stay German
}

TEST_CASE("Persian shows Persian digits and every RTL language is marked rtl") {
  const auto l = shipped();
  const auto fa = *l->resolve("fa-IR");
  CHECK(fa.rtl);
  CHECK(l->format(fa, eur("1234.56")).find("۱٬۲۳۴٫۵۶") != std::string::npos);
  CHECK(l->resolve("he-IL")->rtl);
  CHECK(l->resolve("ar-EG")->rtl);
  CHECK(l->resolve("fa-CA")->rtl);
  CHECK_FALSE(l->resolve("hr-HR")->rtl);
  CHECK_FALSE(l->resolve("zh-Hans-CN")->rtl);
}

TEST_CASE("Catalogs resolve by language and script, and fall back to English") {
  const auto l = shipped();
  CHECK(l->resolve("hr-HR")->catalog == "hr");
  CHECK(l->resolve("zh-Hans-CN")->catalog == "zh-Hans");
  CHECK(l->resolve("zh-CN")->catalog == "zh-Hans");
  CHECK(l->resolve("zh-Hant-TW")->catalog == "en");  // Traditional Chinese is not Simplified
  CHECK(l->resolve("fa-IR")->catalog == "fa");
  CHECK(l->resolve("he")->catalog == "he");
  CHECK(l->resolve("de-DE")->catalog == "en");
  CHECK(l->resolve("hr_HR")->tag == "hr-HR");
}

TEST_CASE("Malformed locale tags are refused") {
  const auto l = shipped();
  for (const char* bad : {"", "not a tag", "x", "hr--HR", "@@", "123", "en-u-nu-foo"}) CHECK_FALSE(l->resolve(bad).ok());
  CHECK(l->resolve("ar-EG-u-nu-latn").ok());
  CHECK_FALSE(l->resolve(std::string(65, 'a')).ok());
}

TEST_CASE("Summaries use the language's plural rules") {
  const auto l = shipped();
  const auto hr = *l->resolve("hr-HR");
  const auto one = l->message(hr, "summary.checkout", {{"total", "1,00 €"}}, {{"count", 1}});
  const auto few = l->message(hr, "summary.checkout", {{"total", "1,00 €"}}, {{"count", 2}});
  const auto many = l->message(hr, "summary.checkout", {{"total", "1,00 €"}}, {{"count", 5}});
  CHECK(one.find("1 artikl,") != std::string::npos);
  CHECK(few.find("2 artikla") != std::string::npos);
  CHECK(many.find("5 artikala") != std::string::npos);
  const auto fa = l->message(*l->resolve("fa-IR"), "summary.checkout", {{"total", "x"}}, {{"count", 3}});
  CHECK(fa.find("۳") != std::string::npos);
  const auto de = l->message(*l->resolve("de-DE"), "summary.checkout", {{"total", "1,00 €"}}, {{"count", 2}});
  CHECK(de == "Total 1,00 € for 2 items, duties and taxes included");
}

TEST_CASE("Catalog problems are refused at load with the file and key") {
  const std::vector<Currency> none;
  CHECK(Localizer::load({{"en.json", en_min}}, none).ok());
  const auto no_en = Localizer::load({{"hr.json", R"({"locale": "hr", "messages": {}})"}}, none);
  REQUIRE_FALSE(no_en.ok());
  CHECK(no_en.error().message.find("no \"en\" catalog") != std::string::npos);
  const auto bad_format = Localizer::load(
      {{"en.json", en_min}, {"hr.json", R"({"locale": "hr", "messages": {"label.total": "Ukupno {total"}})"}}, none);
  REQUIRE_FALSE(bad_format.ok());
  CHECK(bad_format.error().message.find("hr.json: message \"label.total\"") != std::string::npos);
  const auto stray = Localizer::load(
      {{"en.json", en_min}, {"hr.json", R"({"locale": "hr", "messages": {"label.totl": "Ukupno"}})"}}, none);
  REQUIRE_FALSE(stray.ok());
  CHECK(stray.error().message.find("label.totl") != std::string::npos);
  std::string missing = en_min;
  missing.replace(missing.find("\"label.fees\""), 12, "\"label.feez\"");
  CHECK_FALSE(Localizer::load({{"en.json", missing}}, none).ok());
  CHECK_FALSE(Localizer::load({{"en.json", "{"}}, none).ok());
  CHECK_FALSE(Localizer::load({{"en.json", R"({"locale": "!!", "messages": {}})"}}, none).ok());
}

TEST_CASE("format_with applies explicit options through ICU") {
  const auto eur_c = *Currency::of("EUR");
  const auto d = *Decimal::parse("-1234.5");
  FormatOptions o;
  o.sign = FormatOptions::Sign::accounting;
  CHECK(*Localizer::format_with("en-US", eur_c, d, o) == "(€1,234.50)");
  o = {};
  o.display = FormatOptions::Display::code;
  o.grouping = false;
  CHECK(*Localizer::format_with("en-US", eur_c, d, o) == "-EUR\u00a01234.50");
  o = {};
  o.max_fraction_digits = 0;
  o.min_fraction_digits = 0;
  o.rounding = Rounding::HalfEven;
  CHECK(*Localizer::format_with("en-US", eur_c, d, o) == "-€1,234");
  CHECK_FALSE(Localizer::format_with("!!", eur_c, d, {}).ok());
}

TEST_CASE("In right-to-left text, a left-to-right amount is isolated, and elsewhere nothing changes") {
  const auto l = shipped();
  const auto fa = *l->resolve("fa-IR");
  const std::string amount = l->format(fa, eur("12.50"));
  CHECK(Localizer::isolate(fa, amount) == "\u2066" + amount + "\u2069");
  const auto he = *l->resolve("he-IL");
  CHECK(Localizer::isolate(he, "\u05e9\u05dc\u05d5\u05dd") == "\u05e9\u05dc\u05d5\u05dd");  // already RTL
  const auto hr = *l->resolve("hr-HR");
  CHECK(Localizer::isolate(hr, "12,50 €") == "12,50 €");
}

TEST_CASE("A message that uses an argument it is not given is refused at load with file and key") {
  const std::vector<Currency> none;
  std::string items = en_min;
  items.replace(items.find("\"Items\""), 7, "\"Items ({n})\"");
  const auto en = Localizer::load({{"en.json", items}}, none);
  REQUIRE_FALSE(en.ok());
  CHECK(en.error().message == "en.json: message \"label.items\" uses {n}, which it is not given (it takes no arguments)");
  // In every language, and at any depth of the message.
  const auto nested = Localizer::load(
      {{"en.json", en_min},
       {"hr.json", R"({"locale": "hr", "messages": {"summary.checkout": "{count, plural, one {# artikl {buyer}} other {# artikala}} {total}"}})"}},
      none);
  REQUIRE_FALSE(nested.ok());
  CHECK(nested.error().message.find("hr.json: message \"summary.checkout\" uses {buyer}, which it is not given (it is given {total}, {count})") == 0);
  const auto numbered = Localizer::load(
      {{"en.json", en_min}, {"it.json", R"({"locale": "it", "messages": {"label.total": "Totale {0}"}})"}}, none);
  REQUIRE_FALSE(numbered.ok());
  CHECK(numbered.error().message.find("it.json: message \"label.total\" uses {0}") == 0);
}

TEST_CASE("A message that uses an argument as the wrong kind is refused at load") {
  const std::vector<Currency> none;
  const auto load_hr = [&](const std::string& summary) {
    return Localizer::load({{"en.json", en_min},
                            {"hr.json", R"({"locale": "hr", "messages": {"summary.checkout": ")" + summary + R"("}})"}},
                           none);
  };
  const auto plural_string = load_hr("{total, plural, one {a} other {b}} {count}");
  REQUIRE_FALSE(plural_string.ok());
  CHECK(plural_string.error().message == "hr.json: message \"summary.checkout\" uses {total} as plural, but total is a string");
  const auto select_number = load_hr("{total} {count, select, one {a} other {b}}");
  REQUIRE_FALSE(select_number.ok());
  CHECK(select_number.error().message.find("uses {count} as select, but count is a number") != std::string::npos);
  CHECK_FALSE(load_hr("{total} {count, date}").ok());
  CHECK_FALSE(load_hr("{total, number} {count}").ok());
  // What is allowed: fewer arguments, a number formatted or pluralized, a string selected.
  CHECK(load_hr("Ukupno {total}").ok());
  CHECK(load_hr("{count, number} {count, selectordinal, other {#.}} {total, select, x {X} other {Y}}").ok());
  // A key Landed never formats is refused too: nothing can check what it would be given.
  const auto stray = Localizer::load({{"en.json", std::string(en_min).replace(std::string(en_min).rfind("}}"), 2,
                                                                             R"(, "label.tip": "Tip {amount}"}})")}},
                                     none);
  REQUIRE_FALSE(stray.ok());
  CHECK(stray.error().message == "en.json: message \"label.tip\" is not one Landed formats");
}

TEST_CASE("Formatting a key no catalog has shows the key and is logged instead of aborting") {
  const auto l = shipped();
  const auto hr = *l->resolve("hr-HR");
  CHECK(l->text(hr, "label.nonexistent") == "label.nonexistent");
  CHECK(l->message(hr, "summary.nonexistent", {}, {{"count", 1}}) == "summary.nonexistent");
  CHECK(l->text(hr, "label.total") == "Ukupno");
}
