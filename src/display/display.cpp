#include "display/display.h"

#include "l10n/localizer.h"

namespace landed {

void display_quote(Quote& q, const Localizer& l10n, const LocaleView& locale, const std::string& region) {
  for (auto& a : q.adjustments) a.name = l10n.text(locale, "adjustment." + a.code);
  // Display: every total through ICU in the buyer's locale, the summary from the catalog.
  const Totals& t = q.totals;
  const auto formatter_ptr = l10n.formatter(locale, q.currency);
  const auto& formatter = *formatter_ptr;
  Display& d = q.display;
  d.total = Localizer::format(formatter, t.total);
  d.items = Localizer::format(formatter, t.items);
  d.shipping = Localizer::format(formatter, t.shipping);
  d.duties = Localizer::format(formatter, t.duties);
  d.taxes = Localizer::format(formatter, t.taxes);
  d.fees = Localizer::format(formatter, t.fees);
  d.adjustments = Localizer::format(formatter, t.adjustments);
  d.due_on_delivery = Localizer::format(formatter, t.due_on_delivery);
  d.direction = locale.rtl ? "rtl" : "ltr";
  std::int64_t count = 0;
  for (const auto& l : q.lines) count += l.quantity;
  const std::string total = Localizer::isolate(locale, d.total);
  // Never "duties included" where Landed computed none: the summary says they were not calculated.
  const std::string suffix = q.customs.computed ? "" : "_no_duties";
  if (t.due_on_delivery.is_zero())
    d.summary = l10n.message(locale, "summary.checkout" + suffix, {{"total", total}}, {{"count", count}});
  else
    d.summary = l10n.message(locale, "summary.delivery" + suffix,
                             {{"total", total}, {"due", Localizer::isolate(locale, d.due_on_delivery)}},
                             {{"count", count}});
  for (auto& x : q.duties) x.name = l10n.text(locale, "duty." + x.kind);
  for (auto& w : q.duties_waived) {
    std::vector<std::pair<std::string, std::string>> args;
    if (w.test) {
      args.emplace_back("threshold", Localizer::isolate(locale, Localizer::format(*l10n.formatter(locale, w.test->threshold.currency()), w.test->threshold)));
      args.emplace_back("value", Localizer::isolate(locale, Localizer::format(*l10n.formatter(locale, w.test->value_tested.currency()), w.test->value_tested)));
    }
    // A relief tested on the duty itself (CH: under CHF 5) says so, not "the value tested".
    const bool on_duty = w.test && w.test->value == "duty";
    w.message = l10n.message(locale, on_duty ? "duty_waiver.duty_below_threshold" : "duty_waiver." + w.reason, args, {});
  }
  // Every waiver and note in the buyer's language: amounts through ICU in the currency they are
  // stated in (a threshold in EUR stays in EUR), isolated inside right-to-left text.
  for (auto& w : q.taxes_waived) {
    std::vector<std::pair<std::string, std::string>> args{{"tax", Localizer::isolate(locale, w.name)},
                                                          {"category", w.category},
                                                          {"territory", Localizer::isolate(locale, w.territory)},
                                                          {"region", Localizer::isolate(locale, region)}};
    if (w.test) {
      args.emplace_back("threshold", Localizer::isolate(locale, Localizer::format(*l10n.formatter(locale, w.test->threshold.currency()), w.test->threshold)));
      args.emplace_back("value", Localizer::isolate(locale, Localizer::format(*l10n.formatter(locale, w.test->value_tested.currency()), w.test->value_tested)));
    } else {
      args.emplace_back("threshold", "");
      args.emplace_back("value", "");
    }
    w.message = l10n.message(locale, "waiver." + w.reason, args, {});
  }
  for (auto& n : q.notes) n.message = l10n.text(locale, "note." + n.code);
  // Payment methods by their name in the buyer's language: brands stay brands (the catalogs say so).
  for (auto& m : q.payment_methods) m.name = l10n.text(locale, "payment_method." + m.id);
  static constexpr std::pair<const char*, const char*> labels[] = {
      {"items", "label.items"}, {"shipping", "label.shipping"}, {"duties", "label.duties"}, {"taxes", "label.taxes"},
      {"fees", "label.fees"},   {"adjustments", "label.adjustments"}, {"total", "label.total"},
      {"due_on_delivery", "label.due_on_delivery"}};
  for (const auto& [field, key] : labels) d.labels.emplace_back(field, l10n.text(locale, key));

}

std::string payment_reason_message(const Localizer& l10n, const LocaleView& locale, const std::string& method,
                                   const QuotePaymentReason& reason, const std::string& country, const std::string& brand,
                                   const std::string& card_bin) {
  const auto iso = [&](const std::string& text) { return Localizer::isolate(locale, text); };
  std::vector<std::pair<std::string, std::string>> args{{"method", iso(method)}};
  const std::string& c = reason.code;
  if (c == "country_not_supported") {
    args.emplace_back("country", iso(l10n.country_name(locale, country)));
  } else if (c == "currency_not_supported") {
    const auto cur = Currency::of(reason.value);
    args.emplace_back("currency", iso(cur.ok() ? l10n.currency_name(locale, *cur) : reason.value));
  } else if (c == "below_minimum" || c == "above_maximum") {
    const Money& limit = *reason.limit;
    args.emplace_back(c == "below_minimum" ? "minimum" : "maximum", iso(Localizer::format(*l10n.formatter(locale, limit.currency()), limit)));
  } else if (c == "channel_not_supported") {
    args.emplace_back("channel", reason.value);  // a select key: the catalog names the app
  } else if (c == "device_not_supported") {
    args.emplace_back("device", reason.value);
  } else if (c == "brand_not_accepted" && reason.value == "unknown") {
    return l10n.message(locale, "payment_reason.brand_unknown",
                        {{"bin", iso(card_bin)}, {"country", iso(l10n.country_name(locale, country))}}, {});
  } else if (c == "brand_not_accepted") {
    args = {{"brand", iso(brand)}, {"country", iso(l10n.country_name(locale, country))}};
  }
  return l10n.message(locale, "payment_reason." + c, args, {});
}

}  // namespace landed
