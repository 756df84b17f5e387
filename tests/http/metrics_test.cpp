#include <catch2/catch.hpp>

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
