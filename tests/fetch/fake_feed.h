// FakeFeed: a rate feed on loopback for tests, never the internet. A handler decides each
// response; besides ordinary ones it can misbehave the ways a real feed does: hang after the
// request, send its body byte by byte, cut the body short, stream without end, or speak plain
// HTTP to a TLS client. Plain POSIX sockets, one thread per connection, "Connection: close".
// Every request is recorded (method, target, headers) for the test to inspect.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace landed::test {

struct FeedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string header(const std::string& lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct FeedResponse {
  enum class Mode {
    normal,    // status, headers, body with its Content-Length
    hang,      // read the request, then say nothing until the client gives up
    slow,      // the full Content-Length, then the body one byte every byte_interval_ms
    truncate,  // Content-Length of declared_length, then only the body, then close
    endless,   // no Content-Length: 'x' bytes until the client closes
  };
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  Mode mode = Mode::normal;
  int byte_interval_ms = 20;
  std::size_t declared_length = 0;
};

using FeedHandler = std::function<FeedResponse(const FeedRequest&)>;

inline FeedResponse respond(int status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
  FeedResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

class FakeFeed {
 public:
  explicit FakeFeed(FeedHandler handler) : handler_(std::move(handler)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listener_ < 0) throw std::runtime_error("socket");
    const int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener_, 64) != 0)
      throw std::runtime_error("bind/listen");
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  FakeFeed(const FakeFeed&) = delete;
  FakeFeed& operator=(const FakeFeed&) = delete;

  ~FakeFeed() {
    stop_ = true;
    acceptor_.join();
    ::close(listener_);
    std::vector<std::thread> workers;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      workers.swap(workers_);
    }
    for (auto& w : workers) w.join();
  }

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

  std::vector<FeedRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  std::size_t request_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_.size();
  }

 private:
  void accept_loop() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      std::lock_guard<std::mutex> lock(mutex_);
      workers_.emplace_back([this, fd] {
        serve(fd);
        ::close(fd);
      });
    }
  }

  // Waits up to 20 ms for the socket to be readable; false once the feed stops.
  bool wait_readable(int fd) const {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 20) > 0;
  }

  bool send_all(int fd, const std::string& data) const {
    std::size_t sent = 0;
    while (sent < data.size()) {
      if (stop_) return false;
      const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += std::size_t(n);
    }
    return true;
  }

  void serve(int fd) {
    std::string in;
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (in.find("\r\n\r\n") == std::string::npos) {
      if (stop_ || std::chrono::steady_clock::now() > give_up) return;
      if (!in.empty() && !std::isupper(static_cast<unsigned char>(in[0]))) {
        // Not HTTP (a TLS ClientHello starts with 0x16): answer in plain HTTP, as a
        // misconfigured server would, so the client's TLS layer fails at once.
        send_all(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
      }
      if (!wait_readable(fd)) continue;
      char buf[4096];
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      in.append(buf, std::size_t(n));
    }
    FeedRequest req = parse(in.substr(0, in.find("\r\n\r\n")));
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(req);
    }
    const FeedResponse r = handler_(req);
    std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + reason_phrase(r.status) + "\r\n";
    for (const auto& [name, value] : r.headers) head += name + ": " + value + "\r\n";
    head += "Connection: close\r\n";
    using Mode = FeedResponse::Mode;
    switch (r.mode) {
      case Mode::normal:
        send_all(fd, head + "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body);
        return;
      case Mode::hang:
        for (;;) {  // until the client closes or the feed stops
          if (stop_) return;
          if (!wait_readable(fd)) continue;
          char buf[256];
          if (::recv(fd, buf, sizeof buf, 0) <= 0) return;
        }
      case Mode::slow:
        if (!send_all(fd, head + "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n")) return;
        for (char c : r.body) {
          if (!send_all(fd, std::string(1, c))) return;
          std::this_thread::sleep_for(std::chrono::milliseconds(r.byte_interval_ms));
        }
        return;
      case Mode::truncate:
        send_all(fd, head + "Content-Length: " + std::to_string(r.declared_length) + "\r\n\r\n" + r.body);
        return;
      case Mode::endless: {
        if (!send_all(fd, head + "\r\n")) return;
        const std::string chunk(64 << 10, 'x');
        while (send_all(fd, chunk)) {
        }
        return;
      }
    }
  }

  static FeedRequest parse(const std::string& head) {
    FeedRequest r;
    std::size_t pos = head.find("\r\n");
    const std::string line = head.substr(0, pos);
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = line.find(' ', sp1 + 1);
    r.method = line.substr(0, sp1);
    r.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    while (pos != std::string::npos) {
      const std::size_t start = pos + 2;
      pos = head.find("\r\n", start);
      const std::string h = head.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
      const std::size_t colon = h.find(':');
      if (colon == std::string::npos) continue;
      std::string name = h.substr(0, colon);
      for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
      std::string value = h.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[name] = value;
    }
    return r;
  }

  static const char* reason_phrase(int status) {
    switch (status) {
      case 200: return "OK";
      case 301: return "Moved Permanently";
      case 302: return "Found";
      case 304: return "Not Modified";
      case 404: return "Not Found";
      case 429: return "Too Many Requests";
      case 500: return "Internal Server Error";
      case 503: return "Service Unavailable";
      default: return "Status";
    }
  }

  FeedHandler handler_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::vector<std::thread> workers_;
  std::vector<FeedRequest> requests_;
};

// A loopback port nothing listens on (bound, then closed): connecting to it is refused.
inline std::uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace landed::test
