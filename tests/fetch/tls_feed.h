// TlsFeed: an HTTPS feed on loopback with the test certificate in tests/fixtures/tls/ (self-signed,
// for "localhost" only, valid until 2126; its key is a test fixture, never used elsewhere). It
// shows that the Fetcher really verifies: an untrusted certificate and a certificate for another
// name are refused, and the same feed is fetched once its CA is trusted. One connection at a time;
// every response is `response` verbatim (status line, headers and body).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>

namespace landed::test {

inline std::string tls_fixture(const char* name) { return std::string(LANDED_FIXTURES) + "/tls/" + name; }

class TlsFeed {
 public:
  explicit TlsFeed(std::string response) : response_(std::move(response)) {
    ctx_ = SSL_CTX_new(TLS_server_method());
    if (ctx_ == nullptr || SSL_CTX_use_certificate_file(ctx_, tls_fixture("feed-cert.pem").c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx_, tls_fixture("feed-key.pem").c_str(), SSL_FILETYPE_PEM) != 1)
      throw std::runtime_error("TLS fixture certificate or key not loaded");
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener_, 16) != 0)
      throw std::runtime_error("bind/listen");
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  TlsFeed(const TlsFeed&) = delete;
  TlsFeed& operator=(const TlsFeed&) = delete;
  ~TlsFeed() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
    SSL_CTX_free(ctx_);
  }

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& host = "localhost") const { return "https://" + host + ":" + std::to_string(port_) + "/"; }
  // Requests received in full over an established TLS session.
  int requests() const { return requests_; }

 private:
  void run() {
    // OpenSSL writes with write(2), not send(MSG_NOSIGNAL): a client that hangs up mid-handshake
    // (as one refusing the certificate does) must give EPIPE here, not a SIGPIPE for the process.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      timeval tv{2, 0};  // a client that stalls cannot hold the feed
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      SSL* ssl = SSL_new(ctx_);
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) == 1) {  // fails when the client refuses the certificate
        std::string in;
        char buf[4096];
        while (in.find("\r\n\r\n") == std::string::npos) {
          const int n = SSL_read(ssl, buf, sizeof buf);
          if (n <= 0) break;
          in.append(buf, std::size_t(n));
        }
        if (in.find("\r\n\r\n") != std::string::npos) {
          ++requests_;  // a client that refused the certificate never sends its request
          SSL_write(ssl, response_.data(), int(response_.size()));
        }
        SSL_shutdown(ssl);
      }
      ERR_clear_error();
      SSL_free(ssl);
      ::close(fd);
    }
  }

  std::string response_;
  SSL_CTX* ctx_ = nullptr;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace landed::test
