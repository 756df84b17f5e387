#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

namespace landed::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

std::string_view Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

Response problem_response(int status, const std::string& title, const std::string& detail, const std::string& type) {
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = nlohmann::ordered_json{{"type", type}, {"title", title}, {"status", status}, {"detail", detail}}.dump();
  return r;
}

struct Server::Impl {
  Handler handler;
  ServerOptions options;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> in_flight{0};
  std::atomic<bool> started{false};

  Impl(Handler h, ServerOptions o) : handler(std::move(h)), options(o), ioc(o.threads) {}
  void accept();
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {}

  void start() { read(true); }

 private:
  void read(bool first) {
    parser_.emplace();
    parser_->body_limit(server_.options.body_bytes_max);
    parser_->header_limit(std::uint32_t(server_.options.header_bytes_max));
    // Waiting for the next request on a kept-alive connection may take idle_timeout; a request
    // header, once the connection is new, must arrive within header_timeout.
    stream_.expires_after(std::chrono::milliseconds(first ? server_.options.header_timeout_ms
                                                          : server_.options.idle_timeout_ms));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_error(ec);
    stream_.expires_after(std::chrono::milliseconds(server_.options.header_timeout_ms));
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code e, std::size_t) { self->on_body(e); });
  }

  void on_error(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == net::error::eof || ec == net::error::connection_reset) {
      return close();
    }
    // Too large or malformed: answer once, then close (the stream position is unknown).
    if (ec == bhttp::error::body_limit)
      return reply(problem_response(413, "Request too large",
                                    "the body exceeds " + std::to_string(server_.options.body_bytes_max) + " bytes"),
                   false);
    if (ec == bhttp::error::header_limit)
      return reply(problem_response(431, "Request header fields too large", "the header is too large"), false);
    return reply(problem_response(400, "Malformed HTTP request", ec.message()), false);
  }

  void on_body(beast::error_code ec) {
    if (ec) return on_error(ec);
    auto& msg = parser_->get();
    Request req;
    req.method = std::string(msg.method_string());
    const std::string_view target = msg.target();
    const auto q = target.find('?');
    req.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) req.query = std::string(target.substr(q + 1));
    for (const auto& f : msg) {
      std::string name(f.name_string());
      for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
      req.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    req.body = std::move(msg.body());
    const bool keep_alive = msg.keep_alive();
    ++server_.in_flight;
    Response res;
    try {
      res = server_.handler(req);
    } catch (const std::exception& e) {
      // A handler bug must not take the process down with it; it is loud in the log.
      std::fprintf(stderr, "landed: handler failed on %s %s: %s\n", req.method.c_str(), req.path.c_str(), e.what());
      res = problem_response(500, "Internal error", "the request could not be completed");
    }
    --server_.in_flight;
    reply(std::move(res), keep_alive);
  }

  void reply(Response res, bool keep_alive) {
    response_.emplace();
    auto& r = *response_;
    r.version(11);
    r.result(static_cast<bhttp::status>(res.status));
    r.set(bhttp::field::server, "landed");
    r.set(bhttp::field::content_type, res.content_type);
    for (const auto& [k, v] : res.headers) r.set(k, v);
    r.body() = std::move(res.body);
    r.keep_alive(keep_alive && !server_.stopping);
    r.prepare_payload();
    stream_.expires_after(std::chrono::milliseconds(server_.options.header_timeout_ms));
    bhttp::async_write(stream_, r, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec || !self->response_->keep_alive()) return self->close();
      self->read(false);
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
};

}  // namespace

void Server::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (stopping) return;
    if (!ec) {
      // Responses go out whole, at once: Nagle's delay only adds latency to keep-alive traffic.
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Session>(std::move(socket), *this)->start();
    }
    accept();
  });
}

Server::Server(Handler handler, ServerOptions options) {
  if (options.threads <= 0) options.threads = int(std::max(1u, std::thread::hardware_concurrency()));
  impl_ = std::make_unique<Impl>(std::move(handler), options);
}

Server::~Server() { stop(); }

Result<int> Server::listen(const std::string& host, int port) {
  beast::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec) return Error{ErrorCode::invalid_field, "not an IP address: " + host, ""};
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  auto& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Error{ErrorCode::io_error, "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message(), ""};
  return int(a.local_endpoint().port());
}

void Server::start() {
  if (impl_->started.exchange(true)) return;
  impl_->accept();
  for (int i = 0; i < impl_->options.threads; ++i) impl_->threads.emplace_back([this] { impl_->ioc.run(); });
}

void Server::stop() {
  if (!impl_ || !impl_->started || impl_->stopping.exchange(true)) return;
  net::post(impl_->ioc, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(impl_->options.drain_timeout_ms);
  while (impl_->in_flight > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // Let responses already computed reach their clients.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  impl_->ioc.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

std::size_t Server::in_flight() const { return impl_->in_flight; }

}  // namespace landed::http
