#include "l10n/localizer.h"

#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/ubidi.h>
#include <unicode/ucurr.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <limits>
#include <set>
#include <nlohmann/json.hpp>

#include "core/check.h"
#include "core/limits.h"
#include "core/sha256.h"

namespace landed {

// Keys the engine formats; a catalog set whose en lacks one is refused at load.
static constexpr const char* required_keys[] = {
    "label.items", "label.shipping", "label.duties", "label.taxes", "label.fees", "label.adjustments", "label.total",
    "label.due_on_delivery", "summary.checkout", "summary.delivery", "summary.checkout_no_duties", "summary.delivery_no_duties",
    "duty.tariff", "duty.preference", "duty.additional", "duty.flat_per_category", "duty_waiver.below_threshold",
    "duty_waiver.duty_below_threshold",
    "duty_waiver.same_customs_territory", "note.duties_not_computed", "adjustment.cash_rounding",
    "payment_reason.country_not_supported", "payment_reason.currency_not_supported", "payment_reason.below_minimum",
    "payment_reason.above_maximum", "payment_reason.channel_not_supported", "payment_reason.device_not_supported",
    "payment_reason.brand_not_accepted", "payment_reason.not_in_force", "payment_reason.brand_unknown"};

namespace {

// The arguments each message is given where it is formatted (quote/engine.cpp): a message may
// use fewer, never another, and each only as its kind allows. Checked for every catalog at load
// (and so at reload), so that a catalog that loads can always be formatted.
enum class ArgKind { string, number };
struct ArgDecl {
  std::string_view name;
  ArgKind kind;
};
// "payment_method.<snake_case id>".
bool is_payment_method_key(std::string_view key) {
  constexpr std::string_view prefix = "payment_method.";
  if (key.size() <= prefix.size() || key.substr(0, prefix.size()) != prefix || key.size() > prefix.size() + 64) return false;
  const std::string_view id = key.substr(prefix.size());
  return id[0] >= 'a' && id[0] <= 'z' &&
         std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

const std::map<std::string_view, std::vector<ArgDecl>>& declared_messages() {
  static const std::map<std::string_view, std::vector<ArgDecl>> declared = {
      {"label.items", {}},
      {"label.shipping", {}},
      {"label.duties", {}},
      {"label.taxes", {}},
      {"label.fees", {}},
      {"label.adjustments", {}},
      {"adjustment.cash_rounding", {}},
      {"label.total", {}},
      {"label.due_on_delivery", {}},
      {"tax.vat", {}},
      // Why a tax is not charged (quote taxes_waived[].message), one key per reason code.
      {"waiver.exempt", {{"tax", ArgKind::string}, {"category", ArgKind::string}}},
      {"waiver.reverse_charge", {{"tax", ArgKind::string}}},
      {"waiver.importer_accounts", {{"tax", ArgKind::string}}},
      {"waiver.below_threshold", {{"tax", ArgKind::string}, {"threshold", ArgKind::string}, {"value", ArgKind::string}}},
      {"waiver.not_registered", {{"tax", ArgKind::string}, {"threshold", ArgKind::string}, {"value", ArgKind::string}}},
      {"waiver.outside_vat_area", {{"territory", ArgKind::string}}},
      {"waiver.no_tax_in_region", {{"region", ArgKind::string}}},
      // Statements a quote carries (notes[].message).
      {"note.reverse_charge", {}},
      {"note.reverse_charge_import", {}},
      {"note.importer_accounts", {}},
      {"note.prices_exclusive_here", {}},
      // Why a payment method is not offered (GET /v1/payment-methods?explain=true), per reason code.
      {"payment_reason.country_not_supported", {{"method", ArgKind::string}, {"country", ArgKind::string}}},
      {"payment_reason.currency_not_supported", {{"method", ArgKind::string}, {"currency", ArgKind::string}}},
      {"payment_reason.below_minimum", {{"method", ArgKind::string}, {"minimum", ArgKind::string}}},
      {"payment_reason.above_maximum", {{"method", ArgKind::string}, {"maximum", ArgKind::string}}},
      {"payment_reason.channel_not_supported", {{"method", ArgKind::string}, {"channel", ArgKind::string}}},
      {"payment_reason.device_not_supported", {{"method", ArgKind::string}, {"device", ArgKind::string}}},
      {"payment_reason.brand_not_accepted", {{"brand", ArgKind::string}, {"country", ArgKind::string}}},
      {"payment_reason.not_in_force", {{"method", ArgKind::string}}},
      {"payment_reason.brand_unknown", {{"bin", ArgKind::string}, {"country", ArgKind::string}}},
      {"summary.checkout", {{"total", ArgKind::string}, {"count", ArgKind::number}}},
      {"summary.delivery", {{"total", ArgKind::string}, {"due", ArgKind::string}, {"count", ArgKind::number}}},
      // Where Landed has no duty rules for the destination: the summary never says duties are included.
      {"summary.checkout_no_duties", {{"total", ArgKind::string}, {"count", ArgKind::number}}},
      {"summary.delivery_no_duties", {{"total", ArgKind::string}, {"due", ArgKind::string}, {"count", ArgKind::number}}},
      // duties[].name, by kind; duties_waived[].message, by reason.
      {"duty.tariff", {}},
      {"duty.preference", {}},
      {"duty.additional", {}},
      {"duty.flat_per_category", {}},
      {"duty_waiver.below_threshold", {{"threshold", ArgKind::string}, {"value", ArgKind::string}}},
      {"duty_waiver.duty_below_threshold", {{"threshold", ArgKind::string}, {"value", ArgKind::string}}},
      {"duty_waiver.same_customs_territory", {}},
      {"note.duties_not_computed", {}},
  };
  return declared;
}

std::string to_utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// Every argument a pattern uses, at any depth (inside plural and select branches too), against
// the declared ones: "" if they agree, else what is wrong.
std::string check_arguments(const icu::UnicodeString& pattern, const std::vector<ArgDecl>& declared) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError where{};
  icu::MessagePattern mp(pattern, &where, status);
  if (U_FAILURE(status)) return "is not valid ICU MessageFormat";
  for (int32_t i = 0; i + 1 < mp.countParts(); ++i) {
    const auto& part = mp.getPart(i);
    if (part.getType() != UMSGPAT_PART_TYPE_ARG_START) continue;
    const std::string name = to_utf8(mp.getSubstring(mp.getPart(i + 1)));
    const auto decl = std::find_if(declared.begin(), declared.end(), [&](const ArgDecl& d) { return d.name == name; });
    if (decl == declared.end()) {
      std::string given;
      for (const auto& d : declared) given += std::string(given.empty() ? "" : ", ") + "{" + std::string(d.name) + "}";
      return "uses {" + name + "}, which it is not given (" + (given.empty() ? "it takes no arguments" : "it is given " + given) + ")";
    }
    const UMessagePatternArgType type = part.getArgType();
    std::string simple;  // "number", "date", ... for {x, type}
    if (type == UMSGPAT_ARG_TYPE_SIMPLE && i + 2 < mp.countParts()) simple = to_utf8(mp.getSubstring(mp.getPart(i + 2)));
    bool fits = false;
    if (decl->kind == ArgKind::string) {
      fits = type == UMSGPAT_ARG_TYPE_NONE || type == UMSGPAT_ARG_TYPE_SELECT;
    } else {
      fits = type == UMSGPAT_ARG_TYPE_NONE || type == UMSGPAT_ARG_TYPE_PLURAL ||
             type == UMSGPAT_ARG_TYPE_SELECTORDINAL ||
             (type == UMSGPAT_ARG_TYPE_SIMPLE && (simple == "number" || simple == "spellout" || simple == "ordinal"));
    }
    if (!fits) {
      std::string used = simple;
      switch (type) {
        case UMSGPAT_ARG_TYPE_NONE: used = "plain"; break;
        case UMSGPAT_ARG_TYPE_SIMPLE: break;
        case UMSGPAT_ARG_TYPE_CHOICE: used = "choice"; break;
        case UMSGPAT_ARG_TYPE_PLURAL: used = "plural"; break;
        case UMSGPAT_ARG_TYPE_SELECT: used = "select"; break;
        case UMSGPAT_ARG_TYPE_SELECTORDINAL: used = "selectordinal"; break;
      }
      return "uses {" + name + "} as " + used + ", but " + name + " is a " +
             (decl->kind == ArgKind::string ? "string" : "number");
    }
  }
  return "";
}

}  // namespace

class Catalog {
 public:
  struct Message {
    std::unique_ptr<icu::MessageFormat> format;
    // ICU documents MessageFormat::format as not safe for concurrent use of one object, so each
    // thread formats with its own clone (see Localizer::message); this guards the cloning.
    std::unique_ptr<std::mutex> mu = std::make_unique<std::mutex>();
    // Unique for the life of the process (never reused, unlike an address): names the clones.
    std::uint64_t serial = next_serial();
  };
  static std::uint64_t next_serial() {
    static std::atomic<std::uint64_t> n{0};
    return ++n;
  }
  std::string name;
  icu::Locale locale;
  std::map<std::string, Message, std::less<>> messages;
  std::map<std::string, std::string, std::less<>> texts;  // argument-free messages, formatted once
  // Messages refused at load (the load fails): still counted as present, so that one bad message
  // is one error, not also "en lacks it" and "every other language has what en does not".
  std::set<std::string, std::less<>> refused;
  bool has(std::string_view key) const { return messages.count(key) || refused.count(key); }
};

namespace {

using json = nlohmann::json;

icu::number::UnlocalizedNumberFormatter options_formatter(Currency currency, const FormatOptions& o,
                                                         UErrorCode& status) {
  using namespace icu::number;
  const std::string code(currency.code());
  const icu::UnicodeString wide = icu::UnicodeString::fromUTF8(code);
  UnlocalizedNumberFormatter f = NumberFormatter::with().unit(icu::CurrencyUnit(wide.getBuffer(), status));
  switch (o.sign) {
    case FormatOptions::Sign::automatic: break;
    case FormatOptions::Sign::always: f = f.sign(UNUM_SIGN_ALWAYS); break;
    case FormatOptions::Sign::never: f = f.sign(UNUM_SIGN_NEVER); break;
    case FormatOptions::Sign::except_zero: f = f.sign(UNUM_SIGN_EXCEPT_ZERO); break;
    case FormatOptions::Sign::accounting: f = f.sign(UNUM_SIGN_ACCOUNTING); break;
    case FormatOptions::Sign::accounting_always: f = f.sign(UNUM_SIGN_ACCOUNTING_ALWAYS); break;
    case FormatOptions::Sign::accounting_never: f = f.sign(UNUM_SIGN_NEVER); break;
    case FormatOptions::Sign::accounting_except_zero: f = f.sign(UNUM_SIGN_ACCOUNTING_EXCEPT_ZERO); break;
  }
  switch (o.display) {
    case FormatOptions::Display::symbol: break;
    case FormatOptions::Display::narrow_symbol: f = f.unitWidth(UNUM_UNIT_WIDTH_NARROW); break;
    case FormatOptions::Display::code: f = f.unitWidth(UNUM_UNIT_WIDTH_ISO_CODE); break;
    case FormatOptions::Display::name: f = f.unitWidth(UNUM_UNIT_WIDTH_FULL_NAME); break;
    case FormatOptions::Display::none: f = f.unitWidth(UNUM_UNIT_WIDTH_HIDDEN); break;
  }
  if (!o.grouping) f = f.grouping(UNUM_GROUPING_OFF);
  f = f.roundingMode(UNUM_ROUND_HALFEVEN);
  if (o.rounding) {
    switch (*o.rounding) {
      case Rounding::HalfEven: f = f.roundingMode(UNUM_ROUND_HALFEVEN); break;
      case Rounding::HalfUp: f = f.roundingMode(UNUM_ROUND_HALFUP); break;
      case Rounding::HalfDown: f = f.roundingMode(UNUM_ROUND_HALFDOWN); break;
      case Rounding::Up: f = f.roundingMode(UNUM_ROUND_UP); break;
      case Rounding::Down: f = f.roundingMode(UNUM_ROUND_DOWN); break;
    }
  }
  if (o.min_fraction_digits || o.max_fraction_digits) {
    const int lo = o.min_fraction_digits.value_or(currency.digits());
    const int hi = std::max(lo, o.max_fraction_digits.value_or(currency.digits()));
    f = f.precision(Precision::minMaxFraction(lo, hi));
  }
  return f;
}

// Decimal text through ICU. resolve() only admits locales ICU formats with, so failure here is
// unexpected; it shows the plain amount and code rather than taking the process down.
std::string format_digits(const icu::number::LocalizedNumberFormatter& f, const std::string& digits, Currency c) {
  UErrorCode status = U_ZERO_ERROR;
  const auto formatted = f.formatDecimal(icu::StringPiece(digits.data(), int32_t(digits.size())), status);
  const icu::UnicodeString s = formatted.toString(status);
  if (U_FAILURE(status)) return digits + " " + std::string(c.code());
  return to_utf8(s);
}

// Well-formed BCP 47 (underscores tolerated) to an ICU locale.
std::optional<icu::Locale> parse_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > limits::locale_bytes_max) return std::nullopt;
  std::string t(tag);
  std::replace(t.begin(), t.end(), '_', '-');
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale loc = icu::Locale::forLanguageTag(t, status);
  if (U_FAILURE(status) || loc.isBogus() || std::string_view(loc.getLanguage()).empty()) return std::nullopt;
  return loc;
}

std::string language_tag(const icu::Locale& loc) {
  UErrorCode status = U_ZERO_ERROR;
  std::string tag = loc.toLanguageTag<std::string>(status);
  return U_SUCCESS(status) ? tag : std::string(loc.getName());
}

}  // namespace

Localizer::Localizer() = default;
Localizer::~Localizer() = default;

Result<std::shared_ptr<const Localizer>> Localizer::load(const std::vector<CatalogSource>& catalogs,
                                                          const std::vector<Currency>& currencies) {
  std::shared_ptr<Localizer> l(new Localizer());
  Errors errors;
  Sha256 version;
  std::vector<const CatalogSource*> ordered;
  for (const auto& c : catalogs) ordered.push_back(&c);
  std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->path < b->path; });
  for (const CatalogSource* src : ordered) {
    version.update(src->path);
    version.update(src->text);
    const auto fail = [&](std::string msg) { errors.push_back({ErrorCode::rule_error, src->path + ": " + msg, ""}); };
    if (src->text.size() > limits::catalog_file_bytes_max) { fail("larger than catalog_file_bytes_max"); continue; }
    json doc;
    try {
      doc = json::parse(src->text, nullptr, true, true);
    } catch (const json::exception& e) {
      fail(std::string("invalid JSON: ") + e.what());
      continue;
    }
    if (!doc.is_object() || !doc.contains("locale") || !doc["locale"].is_string() || !doc.contains("messages") ||
        !doc["messages"].is_object()) {
      fail("must be an object with \"locale\" (string) and \"messages\" (object)");
      continue;
    }
    auto cat = std::make_unique<Catalog>();
    cat->name = doc["locale"].get<std::string>();
    const auto loc = parse_tag(cat->name);
    if (!loc) { fail("\"locale\" is not a BCP 47 tag: " + cat->name); continue; }
    cat->locale = *loc;
    if (doc["messages"].size() > limits::catalog_messages_max) { fail("more than catalog_messages_max messages"); continue; }
    const auto refuse = [&](const std::string& key, std::string msg) {
      cat->refused.insert(key);
      fail(std::move(msg));
    };
    for (const auto& [key, value] : doc["messages"].items()) {
      if (!value.is_string()) { refuse(key, "message \"" + key + "\" must be a string"); continue; }
      UErrorCode status = U_ZERO_ERROR;
      UParseError where{};
      auto mf = std::make_unique<icu::MessageFormat>(icu::UnicodeString::fromUTF8(value.get<std::string>()),
                                                     cat->locale, where, status);
      if (U_FAILURE(status)) {
        refuse(key, "message \"" + key + "\" is not valid ICU MessageFormat near offset " + std::to_string(where.offset) +
             " (" + u_errorName(status) + ")");
        continue;
      }
      auto decl = declared_messages().find(key);
      // A payment method's name: one argument-free key per method the payment rules define
      // (rules/payments/methods/<id>.json; the app checks every method has one in en).
      static const std::vector<ArgDecl> no_arguments;
      static const std::map<std::string_view, std::vector<ArgDecl>> family = {{"payment_method.", no_arguments}};
      const bool method_name = is_payment_method_key(key);
      if (method_name) decl = family.begin();
      if (decl == declared_messages().end() && !method_name) {
        refuse(key, "message \"" + key + "\" is not one Landed formats");
        continue;
      }
      const std::string wrong = check_arguments(icu::UnicodeString::fromUTF8(value.get<std::string>()), decl->second);
      if (!wrong.empty()) {
        refuse(key, "message \"" + key + "\" " + wrong);
        continue;
      }
      // A trial run with arguments of the declared kinds: any ICU failure refuses the file.
      std::vector<icu::UnicodeString> names;
      std::vector<icu::Formattable> args;
      for (const auto& a : decl->second) {
        names.push_back(icu::UnicodeString::fromUTF8(icu::StringPiece(a.name.data(), int32_t(a.name.size()))));
        if (a.kind == ArgKind::string) args.emplace_back(icu::UnicodeString(u"x"));
        else args.emplace_back(int64_t(2));
      }
      icu::UnicodeString out;
      UErrorCode st = U_ZERO_ERROR;
      mf->format(names.data(), args.data(), int32_t(args.size()), out, st);
      if (U_FAILURE(st)) {
        refuse(key, "message \"" + key + "\" cannot be formatted with its arguments (" + u_errorName(st) + ")");
        continue;
      }
      if (decl->second.empty()) cat->texts.emplace(key, to_utf8(out));
      Catalog::Message m;
      m.format = std::move(mf);
      cat->messages.emplace(key, std::move(m));
    }
    if (l->catalogs_.count(cat->name)) { fail("catalog " + cat->name + " is defined twice"); continue; }
    l->catalogs_.emplace(cat->name, std::move(cat));
  }
  const auto en = l->catalogs_.find("en");
  if (en == l->catalogs_.end()) {
    errors.push_back({ErrorCode::rule_error, "no \"en\" catalog: it is the fallback for every language", ""});
  } else {
    for (const char* key : required_keys)
      if (!en->second->has(key))
        errors.push_back({ErrorCode::rule_error, "en catalog lacks required message \"" + std::string(key) + "\"", ""});
    for (const auto& [name, cat] : l->catalogs_)
      for (const auto& [key, m] : cat->messages)
        if (!en->second->has(key))
          errors.push_back({ErrorCode::rule_error, name + " catalog has \"" + key + "\", which en does not define", ""});
  }
  if (!errors.empty()) return errors;
  const auto digest = version.finish();
  l->version_ = "sha256:" + to_hex(digest.data(), digest.size());

  // Prebuild: each catalog language bare, with its likely region, and as language-region.
  std::vector<std::string> tags;
  for (const auto& [name, cat] : l->catalogs_) {
    icu::Locale max = cat->locale;
    UErrorCode status = U_ZERO_ERROR;
    max.addLikelySubtags(status);
    tags.push_back(name);
    if (U_SUCCESS(status) && *max.getCountry()) {
      tags.push_back(name + "-" + max.getCountry());
      tags.push_back(std::string(max.getLanguage()) + "-" + max.getCountry());
    }
  }
  for (const auto& tag : tags) {
    const auto view = l->resolve(tag);
    if (!view.ok()) continue;
    for (const auto& c : currencies) l->formatter(*view, c);
  }
  return std::shared_ptr<const Localizer>(std::move(l));
}

Result<LocaleView> Localizer::resolve(std::string_view tag) const {
  {
    std::shared_lock lock(mu_);
    if (const auto it = resolved_.find(std::string(tag)); it != resolved_.end()) return it->second;
  }
  const auto loc = parse_tag(tag);
  if (!loc) return Error{ErrorCode::invalid_field, "must be a BCP 47 language tag such as \"hr-HR\"", ""};
  {
    // Well-formed is not enough: an unknown extension (say -u-nu-foo) leaves ICU unable to
    // format numbers at all. Refuse such a tag here, once, instead of failing later.
    UErrorCode status = U_ZERO_ERROR;
    const auto probe = icu::number::NumberFormatter::withLocale(*loc).formatInt(1, status);
    (void)probe.toString(status);
    if (U_FAILURE(status))
      return Error{ErrorCode::invalid_field, "is a language tag ICU cannot format numbers for", ""};
  }
  LocaleView v;
  v.locale = std::make_shared<const icu::Locale>(*loc);
  v.tag = language_tag(*loc);
  v.rtl = loc->isRightToLeft();
  icu::Locale max = *loc;
  UErrorCode status = U_ZERO_ERROR;
  max.addLikelySubtags(status);
  const std::string lang = loc->getLanguage();
  const std::string script = U_SUCCESS(status) ? max.getScript() : "";
  for (const std::string& candidate : {lang + "-" + script, lang, std::string("en")}) {
    if (const auto it = catalogs_.find(candidate); it != catalogs_.end()) {
      v.catalog = candidate;
      v.messages = it->second.get();
      break;
    }
  }
  LANDED_CHECK(v.messages != nullptr, "the en catalog is always loaded");
  std::unique_lock lock(mu_);
  if (resolved_.size() < limits::formatter_cache_entries_max) resolved_.emplace(std::string(tag), v);
  return v;
}

std::shared_ptr<const Localizer::CurrencyFormatter> Localizer::formatter(const LocaleView& locale, Currency c) const {
  std::string key = locale.tag;
  key += '|';
  key += c.code();
  {
    std::shared_lock lock(mu_);
    if (const auto it = formatters_.find(key); it != formatters_.end()) return it->second;
  }
  UErrorCode status = U_ZERO_ERROR;
  const auto base = options_formatter(c, FormatOptions{}, status).locale(*locale.locale);
  auto f = std::make_shared<CurrencyFormatter>(
      CurrencyFormatter{base, base.scale(icu::number::Scale::powerOfTen(-c.digits())), ""});
  LANDED_CHECK(U_SUCCESS(status), "a known currency always makes a formatter");
  f->zero = format_digits(f->icu, Money::zero(c).to_string(), c);
  std::unique_lock lock(mu_);
  // Bounded: past formatter_cache_entries_max distinct pairs, a formatter is built per use.
  if (formatters_.size() < limits::formatter_cache_entries_max) formatters_.emplace(key, f);
  return f;
}

std::string Localizer::format(const LocaleView& locale, const Money& money) const {
  return format(*formatter(locale, money.currency()), money);
}

std::string Localizer::format(const CurrencyFormatter& f, const Money& money) {
  if (money.is_zero()) return f.zero;
  const Decimal::Int& units = money.minor_units();
  if (units >= std::numeric_limits<std::int64_t>::min() && units <= std::numeric_limits<std::int64_t>::max()) {
    UErrorCode status = U_ZERO_ERROR;
    const auto formatted = f.minor_units.formatInt(units.convert_to<std::int64_t>(), status);
    const icu::UnicodeString s = formatted.toString(status);
    if (U_SUCCESS(status)) return to_utf8(s);
  }
  return format_digits(f.icu, money.amount().to_string(), money.currency());
}

Result<std::string> Localizer::format_with(std::string_view tag, Currency currency, const Decimal& amount,
                                           const FormatOptions& options) {
  const auto loc = parse_tag(tag);
  if (!loc) return Error{ErrorCode::invalid_field, "must be a BCP 47 language tag such as \"hr-HR\"", "/locale"};
  // By default nothing is rounded away: the currency's digits, or more if the amount has them.
  FormatOptions o = options;
  if (!o.rounding && !o.min_fraction_digits && !o.max_fraction_digits) {
    o.min_fraction_digits = currency.digits();
    o.max_fraction_digits = std::max(currency.digits(), amount.normalized().scale());
  }
  UErrorCode status = U_ZERO_ERROR;
  const auto f = options_formatter(currency, o, status).locale(*loc);
  const std::string digits = amount.to_string();
  const auto formatted = f.formatDecimal(icu::StringPiece(digits.data(), int32_t(digits.size())), status);
  const icu::UnicodeString s = formatted.toString(status);
  if (U_FAILURE(status)) return Error{ErrorCode::invalid_field, std::string("ICU could not format: ") + u_errorName(status), ""};
  return to_utf8(s);
}

std::string Localizer::message(const LocaleView& locale, std::string_view key,
                               const std::vector<std::pair<std::string, std::string>>& strings,
                               const std::vector<std::pair<std::string, std::int64_t>>& numbers) const {
  const Catalog* cat = locale.messages;
  auto it = cat->messages.find(key);
  if (it == cat->messages.end()) {
    cat = catalogs_.at("en").get();
    it = cat->messages.find(key);
    if (it == cat->messages.end()) {  // load requires every engine key in en: a bug, not input
      std::fprintf(stderr, "landed: BUG: no message \"%.*s\" in en; showing the key\n", int(key.size()), key.data());
      return std::string(key);
    }
  }
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> args;
  for (const auto& [name, value] : strings) {
    names.push_back(icu::UnicodeString::fromUTF8(name));
    args.emplace_back(icu::UnicodeString::fromUTF8(value));
  }
  for (const auto& [name, value] : numbers) {
    names.push_back(icu::UnicodeString::fromUTF8(name));
    args.emplace_back(static_cast<int64_t>(value));
  }
  // This thread's clone of the message: no lock on the hot path, no waiting on other workers.
  // Clones of reloaded-away catalogs are dropped wholesale when the cache reaches its bound.
  thread_local std::unordered_map<std::uint64_t, std::unique_ptr<icu::MessageFormat>> clones;
  const Catalog::Message& shared = it->second;
  auto found = clones.find(shared.serial);
  if (found == clones.end()) {
    if (clones.size() >= limits::message_clones_per_thread_max) clones.clear();
    std::unique_ptr<icu::MessageFormat> copy;
    {
      std::lock_guard lock(*shared.mu);
      copy.reset(shared.format->clone());
    }
    LANDED_CHECK(copy != nullptr, "ICU could not clone a message format (out of memory)");
    found = clones.emplace(shared.serial, std::move(copy)).first;
  }
  icu::UnicodeString out;
  UErrorCode status = U_ZERO_ERROR;
  found->second->format(names.data(), args.data(), int32_t(args.size()), out, status);
  if (U_FAILURE(status)) {
    // Load checked every message against its arguments, so this is a bug: loud, never a crash.
    std::fprintf(stderr, "landed: BUG: message \"%.*s\" of catalog %s failed to format (%s); showing the key\n",
                 int(key.size()), key.data(), cat->name.c_str(), u_errorName(status));
    return std::string(key);
  }
  return to_utf8(out);
}

std::string Localizer::isolate(const LocaleView& locale, const std::string& text) {
  if (!locale.rtl) return text;
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  if (ubidi_getBaseDirection(u.getBuffer(), u.length()) == UBIDI_RTL) return text;
  return "\u2066" + text + "\u2069";  // LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE
}

std::string Localizer::country_name(const LocaleView& locale, std::string_view country) const {
  const std::string code(country);
  icu::UnicodeString name;
  icu::Locale("", code.c_str()).getDisplayCountry(*locale.locale, name);
  return name.isEmpty() ? code : to_utf8(name);
}

std::string Localizer::currency_name(const LocaleView& locale, Currency currency) const {
  icu::UnicodeString code = icu::UnicodeString::fromUTF8(icu::StringPiece(currency.code().data(), 3));
  UBool is_choice = false;
  int32_t length = 0;
  UErrorCode status = U_ZERO_ERROR;
  const UChar* name = ucurr_getName(code.getTerminatedBuffer(), locale.locale->getName(), UCURR_LONG_NAME, &is_choice,
                                    &length, &status);
  if (U_FAILURE(status) || !name) return std::string(currency.code());
  return to_utf8(icu::UnicodeString(name, length));
}

bool Localizer::has_own_text(const LocaleView& locale, std::string_view key) const {
  return locale.messages && locale.messages->texts.count(std::string(key)) > 0;
}

std::vector<std::string> Localizer::en_keys_with_prefix(std::string_view prefix) const {
  std::vector<std::string> out;
  for (const auto& [key, text] : catalogs_.at("en")->texts)
    if (std::string_view(key).substr(0, prefix.size()) == prefix) out.push_back(key);
  return out;
}

bool Localizer::has_text(std::string_view key) const {
  const auto& en = catalogs_.at("en")->texts;
  return en.find(key) != en.end();
}

const std::string& Localizer::text(const LocaleView& locale, std::string_view key) const {
  if (const auto it = locale.messages->texts.find(key); it != locale.messages->texts.end()) return it->second;
  const auto& en = catalogs_.at("en")->texts;
  const auto it = en.find(key);
  if (it == en.end()) {
    // Load requires every label in en, argument-free: a bug, so loud, but never a crash. The
    // key is shown instead, from a per-thread copy the caller reads before its next call.
    std::fprintf(stderr, "landed: BUG: no argument-free message \"%.*s\" in en; showing the key\n",
                 int(key.size()), key.data());
    thread_local std::string shown;
    shown.assign(key);
    return shown;
  }
  return it->second;
}

std::vector<std::string> Localizer::catalog_names() const {
  std::vector<std::string> names;
  for (const auto& [name, cat] : catalogs_) names.push_back(name);
  return names;
}

}  // namespace landed
