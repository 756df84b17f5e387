// Server: HTTP/1.1 on Boost.Beast/Asio. Keep-alive, a fixed pool of worker threads, a body limit,
// header and idle timeouts, a connection cap, and graceful shutdown: stop accepting, let in-flight
// requests finish (up to drain_timeout_ms), then stop. It knows nothing of quotes: a Handler turns
// an HttpRequest into a Response. Bad HTTP (unparseable, too large, too slow) is answered here, as
// problem+json, and never reaches the handler; so is a connection over connections_max (503,
// Retry-After, Connection: close). `Expect: 100-continue` is answered once the header is read.
// A final response on a connection that may hold unread request bytes is followed by a lingering
// close (stop sending, discard what still arrives, bounded in bytes and time), so the client
// reads the response rather than a reset. Out of file descriptors, the acceptor backs off
// (accept_backoff_ms) instead of spinning.
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

#include "core/limits.h"
#include "core/result.h"

namespace landed::http {

struct HttpRequest {
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

using Handler = std::function<Response(const HttpRequest&)>;
// Told of every response the server makes itself (400, 413, 431, the 503 of a connection over
// the cap, the 500 of a handler that threw), so that metrics count every response, not only
// the handler's. `method` is empty when the request line was never read. Not on the hot path.
using Observer = std::function<void(std::string_view method, int status, double seconds)>;

struct ServerOptions {
  int threads = 0;  // 0: one per core
  std::size_t body_bytes_max = limits::body_bytes_max;
  std::size_t header_bytes_max = limits::header_bytes_max;
  int header_timeout_ms = limits::header_timeout_ms;
  int idle_timeout_ms = limits::idle_timeout_ms;
  int drain_timeout_ms = limits::drain_timeout_ms;
  std::size_t connections_max = limits::connections_max;
  std::size_t refused_connections_max = limits::refused_connections_max;
  std::size_t linger_discard_bytes_max = limits::linger_discard_bytes_max;
  int linger_timeout_ms = limits::linger_timeout_ms;
  Observer observe;  // optional
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
  std::size_t connections() const;  // open connections being served (not those refused)

  struct Impl;  // opaque: Beast and Asio stay out of this header

 private:
  std::unique_ptr<Impl> impl_;
};

// A problem+json Response for a status and message (no field pointer); `type` is the problem
// type URI ("about:blank" when the status says it all). Text from the wire (a path, a method)
// may be passed as is: every string is made valid UTF-8 first.
Response problem_response(int status, const std::string& title, const std::string& detail,
                          const std::string& type = "about:blank");

}  // namespace landed::http
