// The HTTP server on its own, with a small handler: keep-alive, the request it hands over,
// limits, timeouts, handler failures and graceful stop. Clients are plain Asio sockets writing
// raw HTTP, so malformed and partial requests can be sent as they are.
#include <boost/asio.hpp>
#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "http/server.h"

using namespace landed::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

Response echo(const HttpRequest& r) {
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
  // Sends all of raw; false (not an exception) if the connection fails on the way.
  bool try_send(const std::string& raw) {
    boost::system::error_code ec;
    net::write(socket_, net::buffer(raw), ec);
    return !ec;
  }
  // What the server sends until `marker` has arrived or `within` has passed.
  std::string read_until(const std::string& marker, std::chrono::milliseconds within) {
    socket_.non_blocking(true);
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + within;
    char buf[4096];
    while (out.find(marker) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      boost::system::error_code ec;
      const std::size_t n = socket_.read_some(net::buffer(buf), ec);
      if (ec == net::error::would_block) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      if (ec) break;
      out.append(buf, n);
    }
    socket_.non_blocking(false);
    return out;
  }
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

TEST_CASE("Header names are matched case-insensitively") {
  Running s;
  Client c(s.port);
  c.send("GET /h HTTP/1.1\r\nHOST: t\r\nX-TEST: upper\r\n\r\n");
  CHECK(c.response().find("x-test=upper") != std::string::npos);
  c.send("GET /h HTTP/1.1\r\nHost: t\r\nx-tEsT: mixed\r\n\r\n");
  CHECK(c.response().find("x-test=mixed") != std::string::npos);
}

TEST_CASE("Expect: 100-continue is answered before the client sends the body") {
  Running s;
  Client c(s.port);
  c.send("POST /e HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  const std::string interim = c.read_until("\r\n\r\n", std::chrono::seconds(3));
  REQUIRE(interim.rfind("HTTP/1.1 100 Continue\r\n\r\n", 0) == 0);
  c.send("hello");
  const std::string r = c.response();
  CHECK(r.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(r.find("body=hello") != std::string::npos);
  // Without the header nothing interim is sent: the same request, body and all at once.
  c.send(post("/e", "again"));
  CHECK(c.response().rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("A 413 reaches a client that sends its whole oversized body without waiting") {
  ServerOptions o;
  o.body_bytes_max = 16;
  Running s(o);
  Client c(s.port);
  // 3 MiB, more than the socket buffers hold: without a lingering close the server's close
  // resets the connection while the client is still writing (broken pipe) and it never reads.
  CHECK(c.try_send(post("/big", std::string(3 << 20, 'x'))));
  const std::string r = c.response();
  CHECK(r.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(r.find("Connection: close") != std::string::npos);
  CHECK(c.closed_within(std::chrono::seconds(3)));
}

TEST_CASE("Over connections_max a client gets 503 and once others close new ones are served") {
  ServerOptions o;
  o.connections_max = 2;
  Running s(o);
  auto first = std::make_unique<Client>(s.port);
  Client second(s.port);
  first->send(post("/a", ""));
  CHECK(first->response().rfind("HTTP/1.1 200", 0) == 0);
  second.send(post("/a", ""));
  CHECK(second.response().rfind("HTTP/1.1 200", 0) == 0);
  {
    Client third(s.port);
    third.send(post("/a", "x"));
    const std::string r = third.response();
    CHECK(r.rfind("HTTP/1.1 503", 0) == 0);
    CHECK(r.find("Retry-After: ") != std::string::npos);
    CHECK(r.find("Connection: close") != std::string::npos);
    CHECK(r.find("application/problem+json") != std::string::npos);
    CHECK(third.closed_within(std::chrono::seconds(3)));
  }
  first.reset();  // the server sees it close
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (s.server.connections() >= 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  Client fourth(s.port);
  fourth.send(post("/a", ""));
  CHECK(fourth.response().rfind("HTTP/1.1 200", 0) == 0);
}

// Refusals are bounded too: each lingers, so without a cap a flood over connections_max would
// still take a descriptor per client for linger_timeout.
TEST_CASE("Past refused_connections_max an over-cap client is closed at once without an answer") {
  ServerOptions o;
  o.connections_max = 1;
  o.refused_connections_max = 1;
  o.linger_timeout_ms = 5000;  // the refused client below keeps its refusal lingering
  Running s(o);
  Client served(s.port);
  served.send(post("/a", ""));
  CHECK(served.response().rfind("HTTP/1.1 200", 0) == 0);
  auto refused = std::make_unique<Client>(s.port);
  CHECK(refused->read_until("\r\n\r\n", std::chrono::seconds(3)).rfind("HTTP/1.1 503", 0) == 0);
  Client dropped(s.port);
  CHECK(dropped.read_until("HTTP", std::chrono::milliseconds(300)).empty());
  CHECK(dropped.closed_within(std::chrono::seconds(3)));
  refused.reset();  // its lingering close ends, and refusals are answered again
  bool answered = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!answered && std::chrono::steady_clock::now() < deadline) {
    Client again(s.port);
    answered = again.read_until("\r\n\r\n", std::chrono::milliseconds(500)).rfind("HTTP/1.1 503", 0) == 0;
  }
  CHECK(answered);
}

TEST_CASE("Responses the server makes itself are reported to the observer") {
  std::mutex mu;
  std::vector<std::pair<std::string, int>> seen;
  ServerOptions o;
  o.body_bytes_max = 16;
  o.observe = [&](std::string_view method, int status, double) {
    std::lock_guard lock(mu);
    seen.emplace_back(std::string(method), status);
  };
  Running s(o);
  {
    Client c(s.port);
    c.send(post("/throw", ""));
    CHECK(c.response().rfind("HTTP/1.1 500", 0) == 0);
    c.send(post("/fine", ""));  // a handler's own response is the handler's to count
    CHECK(c.response().rfind("HTTP/1.1 200", 0) == 0);
  }
  {
    Client c(s.port);
    c.send(post("/big", std::string(100, 'x')));
    CHECK(c.response().rfind("HTTP/1.1 413", 0) == 0);
  }
  {
    Client c(s.port);
    c.send("NOT HTTP AT ALL\r\n\r\n");
    CHECK(c.response().rfind("HTTP/1.1 400", 0) == 0);
  }
  std::lock_guard lock(mu);
  std::string got;
  for (const auto& [method, status] : seen) got += method + " " + std::to_string(status) + ",";
  CHECK(got == "POST 500,POST 413, 400,");
}

namespace {

// How many descriptors a process has open, and the highest of them.
std::pair<std::size_t, int> descriptors(pid_t pid) {
  std::size_t n = 0;
  int highest = -1;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++n;
    highest = std::max(highest, std::stoi(it->path().filename().string()));
  }
  return {n, highest};
}
std::size_t open_descriptors(pid_t pid) { return descriptors(pid).first; }

// utime + stime of a live process, in seconds.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));  // after "pid (comm) "
  std::string f;
  std::vector<std::string> v;
  while (fields >> f) v.push_back(f);
  REQUIRE(v.size() > 12);
  REQUIRE(v[0] != "Z");  // a dead server uses no CPU, which would prove nothing
  return double(std::stoll(v[11]) + std::stoll(v[12])) / double(sysconf(_SC_CLK_TCK));  // fields 14 and 15
}

}  // namespace

TEST_CASE("Out of file descriptors the acceptor backs off instead of spinning") {
#if defined(__SANITIZE_ADDRESS__)
  // UBSan checks a virtual call's target by writing it to a pipe (sanitizer_common's
  // IsAccessibleMemoryRange); out of descriptors that fails and it reports an invalid vptr and
  // aborts the server. So this test runs in the Release build only.
  WARN("skipped under sanitizers: their runtime needs file descriptors of its own");
  return;
#endif
  // The server runs in a child whose RLIMIT_NOFILE allows only a few more descriptors than it
  // has; this process opens more connections than that, then reads the child's CPU time.
  int to_child[2], from_child[2];
  REQUIRE(pipe(to_child) == 0);
  REQUIRE(pipe(from_child) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(to_child[1]);
    close(from_child[0]);
    // Only the standard streams and the two pipe ends stay open (the shell may have left, say,
    // descriptor 255), so the descriptors below the limit are few and all known.
    std::vector<int> inherited;
    for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd"))
      inherited.push_back(std::stoi(e.path().filename().string()));
    for (const int fd : inherited)
      if (fd > 2 && fd != to_child[0] && fd != from_child[1]) close(fd);
    int port = 0;
    {
      ServerOptions o;
      o.threads = 1;
      Server server(echo, o);
      const auto bound = server.listen("127.0.0.1", 0);
      port = bound.ok() ? *bound : 0;
      server.start();
      // Room for 3 more descriptors above the highest (and any free below it).
      const rlim_t room = rlim_t(descriptors(getpid()).second + 4);
      const rlimit low{room, room};
      setrlimit(RLIMIT_NOFILE, &low);
      if (write(from_child[1], &port, sizeof port) != sizeof port) _exit(1);
      char ch;
      while (read(to_child[0], &ch, 1) > 0) {}  // until the parent closes its end
      server.stop();
    }
    _exit(0);
  }
  close(to_child[0]);
  close(from_child[1]);
  int port = 0;
  REQUIRE(read(from_child[0], &port, sizeof port) == sizeof port);
  close(from_child[0]);
  REQUIRE(port > 0);
  {
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < 24; ++i) clients.push_back(std::make_unique<Client>(port));  // the backlog takes the rest
    rlimit limit{};
    REQUIRE(prlimit(pid, RLIMIT_NOFILE, nullptr, &limit) == 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (open_descriptors(pid) < limit.rlim_cur && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(open_descriptors(pid) == limit.rlim_cur);  // every descriptor number in use: the child is out
    const double before = cpu_seconds(pid);
    const auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // measuring CPU use over time
    const double per_second =
        (cpu_seconds(pid) - before) / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    WARN("server CPU while out of descriptors: " << per_second << " CPU-s per second");
    CHECK(per_second < 0.2);  // a spinning acceptor uses a whole core (1.0)
  }
  // Descriptors free again: the connections waiting in the backlog are accepted, and served.
  {
    Client c(port);
    c.send(post("/after", ""));
    CHECK(c.response().rfind("HTTP/1.1 200", 0) == 0);
  }
  close(to_child[1]);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
}
