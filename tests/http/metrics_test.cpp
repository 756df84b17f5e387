#include <catch2/catch.hpp>

#include "core/limits.h"
#include "http/metrics.h"

using landed::http::Metrics;

TEST_CASE("Metrics render Prometheus counters, histograms and the info metric") {
  Metrics m;
  m.observe("/v1/quotes", "POST", 201, 0.0003);
  m.observe("/v1/quotes", "POST", 201, 0.02);
  m.observe("/v1/quotes", "POST", 422, 0.0001);
  m.count_quote("HR");
  const std::string text = m.render({{"rules_version", "sha256:ab"}});
  CHECK(text.find("landed_http_requests_total{route=\"/v1/quotes\",method=\"POST\",status=\"201\"} 2") != std::string::npos);
  CHECK(text.find("landed_http_request_duration_seconds_bucket{route=\"/v1/quotes\",method=\"POST\",status=\"201\",le=\"0.0005\"} 1") != std::string::npos);
  CHECK(text.find("landed_http_request_duration_seconds_bucket{route=\"/v1/quotes\",method=\"POST\",status=\"201\",le=\"+Inf\"} 2") != std::string::npos);
  CHECK(text.find("landed_quotes_total{destination=\"HR\"} 1") != std::string::npos);
  CHECK(text.find("landed_build_info{rules_version=\"sha256:ab\"} 1") != std::string::npos);
}

TEST_CASE("Metrics labels are bounded: invented methods, odd statuses and destinations fold to other") {
  Metrics m;
  for (int i = 0; i < 2000; ++i) m.observe("unmatched", "X" + std::to_string(i), 405, 0.0001);
  m.observe("/v1/quotes", "PATCH", 999, 0.0001);
  for (const char* d : {"HR", "hr", "HRV", "\xff\xfe", ""}) m.count_quote(d);
  const std::string text = m.render({});
  std::size_t series = 0;
  for (std::size_t at = 0; (at = text.find("\nlanded_http_requests_total{", at)) != std::string::npos; ++at) ++series;
  CHECK(series == 2);
  CHECK(text.find("landed_http_requests_total{route=\"unmatched\",method=\"other\",status=\"405\"} 2000") != std::string::npos);
  CHECK(text.find("landed_http_requests_total{route=\"/v1/quotes\",method=\"PATCH\",status=\"other\"} 1") != std::string::npos);
  CHECK(text.find("landed_quotes_total{destination=\"HR\"} 1") != std::string::npos);
  CHECK(text.find("landed_quotes_total{destination=\"other\"} 4") != std::string::npos);
  for (char a = 'A'; a <= 'Z'; ++a)
    for (char b = 'A'; b <= 'Z'; ++b) m.count_quote(std::string{a, b});
  const std::string all = m.render({});
  std::size_t destinations = 0;
  for (std::size_t at = 0; (at = all.find("\nlanded_quotes_total{", at)) != std::string::npos; ++at) ++destinations;
  CHECK(destinations <= landed::limits::metrics_destinations_max);
}

TEST_CASE("Metrics count rate fetches and refusals with bounded labels") {
  Metrics m;
  m.count_rates_fetch("ok");
  m.count_rates_fetch("refused");
  m.count_rates_rejected("moved_too_far");
  m.count_rates_rejected("moved_too_far");
  m.count_rates_rejected("Not a \"code\"\n");
  m.set_rates_last_success("ecb", 1795000000);
  for (std::size_t i = 0; i < 2 * landed::limits::metrics_rates_labels_max; ++i)
    m.count_rates_rejected("r" + std::to_string(i));
  const std::string text = m.render({});
  CHECK(text.find("landed_rates_fetch_total{outcome=\"ok\"} 1\n") != std::string::npos);
  CHECK(text.find("landed_rates_fetch_total{outcome=\"refused\"} 1\n") != std::string::npos);
  CHECK(text.find("landed_rates_rejected_total{reason=\"moved_too_far\"} 2\n") != std::string::npos);
  CHECK(text.find("landed_rates_last_success_timestamp_seconds{source=\"ecb\"} 1795000000\n") != std::string::npos);
  CHECK(text.find("Not a") == std::string::npos);
  std::size_t series = 0;
  for (std::size_t at = 0; (at = text.find("landed_rates_rejected_total{", at)) != std::string::npos; ++at) ++series;
  CHECK(series <= landed::limits::metrics_rates_labels_max);
  CHECK(text.find("landed_rates_rejected_total{reason=\"other\"}") != std::string::npos);
}
