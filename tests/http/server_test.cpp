// The HTTP server on its own, with a small handler: keep-alive, the request it hands over,
// limits, timeouts, handler failures and graceful stop. Clients are plain Asio sockets writing
// raw HTTP, so malformed and partial requests can be sent as they are.
#include <boost/asio.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "http/server.h"

using namespace landed::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

Response echo(const Request& r) {
  if (r.path == "/throw") throw std::runtime_error("handler bug");
  if (r.path == "/slow") std::this_thread::sleep_for(std::chrono::milliseconds(300));
  Response res;
  res.body = r.method + " " + r.path + " ?" + r.query + " x-test=" + std::string(r.header("x-test")) + " body=" + r.body;
  return res;
}

struct Running {
  explicit Running(ServerOptions o = {}) : server(echo, o) {
    port = *server.listen("127.0.0.1", 0);
    server.start();
  }
  Server server;
  int port = 0;
};

class Client {
 public:
  explicit Client(int port) : socket_(ioc_) { socket_.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}); }
  void send(const std::string& raw) { net::write(socket_, net::buffer(raw)); }
  // Everything the server sends until it has sent one whole response (by Content-Length).
  std::string response() {
    std::string out;
    char buf[4096];
    while (true) {
      const auto head_end = out.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const auto cl = out.find("Content-Length: ");
        if (cl != std::string::npos && cl < head_end) {
          const std::size_t length = std::stoul(out.substr(cl + 16));
          if (out.size() >= head_end + 4 + length) return out;
        }
      }
      boost::system::error_code ec;
      const std::size_t n = socket_.read_some(net::buffer(buf), ec);
      if (ec) return out;
      out.append(buf, n);
    }
  }
  // True if the server closes the connection within `within`.
  bool closed_within(std::chrono::milliseconds within) {
    socket_.non_blocking(true);
    const auto deadline = std::chrono::steady_clock::now() + within;
    char buf[256];
    while (std::chrono::steady_clock::now() < deadline) {
      boost::system::error_code ec;
      socket_.read_some(net::buffer(buf), ec);
      if (ec == net::error::eof || ec == net::error::connection_reset) return true;
      if (ec && ec != net::error::would_block) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
};

std::string post(const std::string& path, const std::string& body, const std::string& extra = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: t\r\nX-Test: yes\r\n" + extra + "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

TEST_CASE("Server answers several requests on one kept-alive connection and hands over the request") {
  Running s;
  Client c(s.port);
  c.send(post("/a?x=1", "hello"));
  const std::string first = c.response();
  CHECK(first.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(first.find("POST /a ?x=1 x-test=yes body=hello") != std::string::npos);
  c.send("GET /b HTTP/1.1\r\nHost: t\r\n\r\n");
  const std::string second = c.response();
  CHECK(second.find("GET /b ? x-test= body=") != std::string::npos);
  CHECK(second.find("Server: landed") != std::string::npos);
}

TEST_CASE("Server refuses an oversized body with 413, a malformed request with 400, and closes") {
  ServerOptions o;
  o.body_bytes_max = 16;
  Running s(o);
  {
    Client c(s.port);
    c.send(post("/big", std::string(100, 'x')));
    const std::string r = c.response();
    CHECK(r.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(r.find("application/problem+json") != std::string::npos);
    CHECK(c.closed_within(std::chrono::seconds(3)));
  }
  {
    Client c(s.port);
    c.send("NOT HTTP AT ALL\r\n\r\n");
    const std::string r = c.response();
    CHECK(r.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(c.closed_within(std::chrono::seconds(3)));
  }
}

TEST_CASE("Server closes a connection whose header does not arrive within header_timeout") {
  ServerOptions o;
  o.header_timeout_ms = 200;
  Running s(o);
  Client c(s.port);
  c.send("POST /slowloris HTTP/1.1\r\nHost: t\r\n");  // and never the rest
  CHECK(c.closed_within(std::chrono::seconds(3)));
}

TEST_CASE("Server keeps an idle connection for idle_timeout, then closes it") {
  ServerOptions o;
  o.header_timeout_ms = 100;
  o.idle_timeout_ms = 600;
  Running s(o);
  Client c(s.port);
  c.send(post("/a", ""));
  CHECK(c.response().rfind("HTTP/1.1 200", 0) == 0);
  // Longer than the header timeout: an idle keep-alive connection is judged by idle_timeout.
  CHECK_FALSE(c.closed_within(std::chrono::milliseconds(300)));
  CHECK(c.closed_within(std::chrono::seconds(3)));
}

TEST_CASE("A handler that throws gets a 500 problem and the server keeps serving") {
  Running s;
  Client c(s.port);
  c.send(post("/throw", ""));
  const std::string r = c.response();
  CHECK(r.rfind("HTTP/1.1 500", 0) == 0);
  CHECK(r.find("handler bug") == std::string::npos);  // internals stay in the log
  c.send(post("/fine", ""));
  CHECK(c.response().rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("Stopping lets an in-flight request finish and answers it") {
  Running s;
  Client c(s.port);
  c.send(post("/slow", "late"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the handler is running
  std::thread stopper([&] { s.server.stop(); });
  const std::string r = c.response();
  stopper.join();
  CHECK(r.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(r.find("body=late") != std::string::npos);
  CHECK(r.find("Connection: close") != std::string::npos);
}
