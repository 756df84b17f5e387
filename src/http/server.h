// Server: HTTP/1.1 on Boost.Beast/Asio. Keep-alive, a fixed pool of worker threads, a body limit,
// header and idle timeouts, and graceful shutdown: stop accepting, let in-flight requests
// finish (up to drain_timeout_ms), then stop. It knows nothing of quotes: a Handler turns a
// Request into a Response. Bad HTTP (unparseable, too large, too slow) is answered here, as
// problem+json, and never reaches the handler.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/result.h"

namespace landed::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // target without the query
  std::string query;   // after '?', undecoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string body;
  std::string_view header(std::string_view lowercase_name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

using Handler = std::function<Response(const Request&)>;

struct ServerOptions {
  int threads = 0;  // 0: one per core
  std::size_t body_bytes_max = 1 << 20;
  std::size_t header_bytes_max = 16 << 10;
  int header_timeout_ms = 10000;
  int idle_timeout_ms = 60000;
  int drain_timeout_ms = 10000;
};

class Server {
 public:
  Server(Handler handler, ServerOptions options);
  ~Server();
  // Binds host:port (port 0: any free port) and returns the bound port.
  Result<int> listen(const std::string& host, int port);
  void start();  // runs the worker threads in the background
  // Graceful stop: no new connections, in-flight requests finish, then the threads end.
  void stop();
  std::size_t in_flight() const;

  struct Impl;  // opaque: Beast and Asio stay out of this header

 private:
  std::unique_ptr<Impl> impl_;
};

// A problem+json Response for a status and message (no field pointer); `type` is the problem
// type URI ("about:blank" when the status says it all).
Response problem_response(int status, const std::string& title, const std::string& detail,
                          const std::string& type = "about:blank");

}  // namespace landed::http
