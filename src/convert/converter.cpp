#include "convert/converter.h"

#include "fx/target_calendar.h"

namespace landed {

const char* to_string(RatesState s) {
  switch (s) {
    case RatesState::fresh: return "fresh";
    case RatesState::stale: return "stale";
    case RatesState::expired: return "expired";
  }
  return "unknown";
}

RatesState rates_state(std::int64_t overdue_seconds, const RatesStaleness& policy) {
  if (overdue_seconds > policy.refuse_after_hours * 3600) return RatesState::expired;
  if (overdue_seconds > policy.warn_after_hours * 3600) return RatesState::stale;
  return RatesState::fresh;
}

Timestamp next_expected_publication(bool ecb, const Date& as_of) {
  return ecb ? target::next_ecb_publication(as_of) : target::next_daily_publication(as_of);
}

Result<ConvertedCart> convert_cart(const QuoteRequest& req, const Merchant& merchant, Currency cur, Converter& convert) {
  Errors errors;
  ConvertedCart out;
  // Items, rounded as the merchant's line policy says: the whole line once (line), or the
  // converted unit price, then multiplied exactly (unit).
  out.lines.reserve(req.items.size());
  for (std::size_t i = 0; i < req.items.size(); ++i) {
    const Item& it = req.items[i];
    const std::string ptr = "/items/" + std::to_string(it.index);
    auto rate = convert.rate(it.price_currency, ptr + "/unit_price/currency");
    if (!rate.ok()) { errors.push_back(rate.error()); continue; }
    QuoteLine line;
    line.sku = it.sku;
    line.quantity = it.quantity;
    line.unit_price = convert.convert(it.unit_price, *rate);
    Decimal unit_value = line.unit_price.amount();
    if (merchant.line_rounding == LineRounding::line) {
      line.unit_price_decimal = it.unit_price * rate->rate;  // exact, at the scale of its factors
      unit_value = *line.unit_price_decimal;
      line.subtotal = convert.convert(it.unit_price * Decimal::from_int(it.quantity), *rate);
    } else {
      // A merchant that prints unit prices prints whole minor units; a finer price would be
      // silently cut by the rounding, so it is refused instead.
      if (!Money::exact(it.unit_price, it.price_currency).ok()) {
        errors.push_back({ErrorCode::invalid_field,
                          "is finer than the minor unit of " + std::string(it.price_currency.code()) + ", and merchant " +
                              merchant.id + " rounds unit prices (line_rounding \"unit\"); send whole minor units",
                          ptr + "/unit_price/amount"});
        continue;
      }
      if (line.unit_price.is_zero() && !it.unit_price.is_zero()) {
        errors.push_back({ErrorCode::invalid_field,
                          "rounds to zero in " + std::string(cur.code()) + " under unit rounding (merchant " + merchant.id +
                              "); it would be given away",
                          ptr + "/unit_price/amount"});
        continue;
      }
      line.subtotal = line.unit_price.times(it.quantity);
    }
    line.duty = Money::zero(cur);  // the duty stage's seam: priced by the duties issue
    out.lines.push_back(line);
    out.unit_values.push_back(unit_value);
  }

  // Shipping: an explicit price, a named service of the merchant, or the merchant's first one.
  Money ship_price = Money::zero(cur);
  if (req.shipping_price) {
    auto rate = convert.rate(req.shipping_price->currency(), "/shipping/price/currency");
    if (!rate.ok()) errors.push_back(rate.error());
    else ship_price = convert.convert(req.shipping_price->amount(), *rate);
    out.shipping.service = req.shipping_service.empty() ? "custom" : req.shipping_service;
  } else if (!merchant.shipping.empty()) {
    const ShippingService* s = req.shipping_service.empty() ? &merchant.shipping.front()
                                                             : merchant.find_shipping(req.shipping_service);
    if (!s) {
      std::string list;
      for (const auto& o : merchant.shipping) list += (list.empty() ? "" : ", ") + o.service;
      errors.push_back({ErrorCode::invalid_field, "is not a shipping service of " + merchant.id + " (one of: " + list + ")",
                        "/shipping/service"});
    } else {
      auto rate = convert.rate(s->price.currency(), "/shipping/service");
      if (!rate.ok()) errors.push_back(rate.error());
      else ship_price = convert.convert(s->price.amount(), *rate);
      out.shipping.service = s->service;
      out.shipping.min_days = s->min_days;
      out.shipping.max_days = s->max_days;
    }
  } else if (!req.shipping_service.empty()) {
    errors.push_back({ErrorCode::invalid_field, "merchant " + merchant.id + " lists no shipping services; send shipping.price",
                      "/shipping/service"});
  }
  out.shipping.price = ship_price;
  if (!errors.empty()) {
    // A conversion refused for stale or missing rates is reported once, at the first field that
    // needs it.
    std::set<std::string> seen;
    std::erase_if(errors, [&](const Error& e) {
      const bool about_rates = e.code == ErrorCode::stale_rates || e.message.rfind("needs an exchange rate", 0) == 0;
      return about_rates && !seen.insert(e.message).second;
    });
    return errors;
  }
  return out;
}

}  // namespace landed
