#include "quote/quote_json.h"

namespace landed {

using json = nlohmann::ordered_json;

json money_json(const Money& m) {
  return json{{"amount", m.to_string()}, {"currency", std::string(m.currency().code())}};
}

json to_json(const Quote& q) {
  json lines = json::array();
  for (const auto& l : q.lines)
    lines.push_back({{"sku", l.sku}, {"quantity", l.quantity}, {"unit_price", money_json(l.unit_price)},
                     {"subtotal", money_json(l.subtotal)}, {"duty", money_json(l.duty)}, {"tax", money_json(l.tax)},
                     {"total", money_json(l.total)}});
  json shipping = {{"service", q.shipping.service}, {"price", money_json(q.shipping.price)},
                   {"tax", money_json(q.shipping.tax)}};
  if (q.shipping.min_days && q.shipping.max_days)
    shipping["delivery"] = {{"min_days", *q.shipping.min_days}, {"max_days", *q.shipping.max_days}};
  const auto charges = [](const std::vector<QuoteTax>& list) {
    json out = json::array();
    for (const auto& t : list)
      out.push_back({{"name", t.name}, {"amount", money_json(t.amount)}, {"rate", t.rate.normalized().to_string()},
                     {"base", money_json(t.base)}, {"collected", t.collected}, {"rule", t.rule}, {"source", t.source}});
    return out;
  };
  json fees = json::array();
  for (const auto& f : q.fees) fees.push_back({{"name", f.name}, {"amount", money_json(f.amount)}, {"rule", f.rule}});
  json fx = json::array();
  for (const auto& f : q.fx)
    fx.push_back({{"from", std::string(f.rate.from.code())}, {"to", std::string(f.rate.to.code())},
                  {"rate", f.rate.rate.to_string()}, {"mid", f.rate.mid.to_string()},
                  {"markup", f.rate.markup.normalized().to_string()}, {"source", f.source},
                  {"as_of", f.as_of.to_string()}});
  const Totals& t = q.totals;
  json labels = json::object();
  for (const auto& [k, v] : q.display.labels) labels[k] = v;
  return json{
      {"quote_id", q.id},
      {"created_at", q.created_at.to_string()},
      {"expires_at", q.expires_at.to_string()},
      {"merchant", q.merchant},
      {"channel", q.channel},
      {"currency", std::string(q.currency.code())},
      {"locale", q.locale},
      {"incoterm", q.incoterm},
      {"ship_from", {{"country", q.ship_from}}},
      {"ship_to", {{"country", q.ship_to}}},
      {"lines", lines},
      {"shipping", shipping},
      {"duties", charges(q.duties)},
      {"taxes", charges(q.taxes)},
      {"fees", fees},
      {"totals",
       {{"items", money_json(t.items)}, {"shipping", money_json(t.shipping)}, {"duties", money_json(t.duties)},
        {"taxes", money_json(t.taxes)}, {"fees", money_json(t.fees)}, {"total", money_json(t.total)},
        {"due_on_delivery", money_json(t.due_on_delivery)}}},
      {"fx", fx},
      {"display",
       {{"total", q.display.total}, {"items", q.display.items}, {"shipping", q.display.shipping},
        {"duties", q.display.duties}, {"taxes", q.display.taxes}, {"fees", q.display.fees},
        {"due_on_delivery", q.display.due_on_delivery}, {"summary", q.display.summary},
        {"direction", q.display.direction}, {"labels", labels}}},
      {"rules_version", q.rules_version},
      {"rates_version", q.rates_version},
  };
}

}  // namespace landed
