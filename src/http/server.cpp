#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <chrono>
#include <unordered_set>
#include <nlohmann/json.hpp>

#include "core/limits.h"
#include "core/utf8.h"

namespace landed::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

std::string_view HttpRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

Response problem_response(int status, const std::string& title, const std::string& detail, const std::string& type) {
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  // The strings are made valid UTF-8 here, so dump() cannot throw; replace is the last defence.
  r.body = nlohmann::ordered_json{{"type", valid_utf8(type)},
                                  {"title", valid_utf8(title)},
                                  {"status", status},
                                  {"detail", valid_utf8(detail)}}
               .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  return r;
}

namespace {
class Session;
}  // namespace

// One thread, one io_context: a connection lives its whole life on one worker, so its handlers
// never need a strand, never wake another thread, and share no state with other workers.
struct Worker {
  // Sessions of this worker, for the timeout sweep; touched only on this worker's thread (or
  // after it has stopped). Declared before the io_context: sessions destroyed with the
  // context's pending handlers remove themselves from it.
  std::unordered_set<Session*> sessions;
  net::io_context ioc{1};
  net::executor_work_guard<net::io_context::executor_type> work = net::make_work_guard(ioc);
  net::steady_timer sweep{ioc};
  std::thread thread;
};

struct Server::Impl {
  Handler handler;
  ServerOptions options;
  // Sessions being served (not refused ones). Before the workers: sessions still pending when
  // the workers' io_contexts are destroyed decrement it as they go.
  std::atomic<std::size_t> connections{0};
  // Refused sessions still being answered (503, then a short lingering close): bounded on
  // their own, so a flood over the cap cannot run the process out of descriptors either.
  std::atomic<std::size_t> refusing{0};
  std::vector<std::unique_ptr<Worker>> workers;
  std::unique_ptr<tcp::acceptor> acceptor;     // on worker 0
  std::unique_ptr<net::steady_timer> backoff;  // on worker 0: the acceptor's wait after EMFILE
  std::size_t next_worker = 0;              // round robin, touched only by the accept handler
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> in_flight{0};
  std::atomic<bool> started{false};

  Impl(Handler h, ServerOptions o) : handler(std::move(h)), options(o) {
    for (int i = 0; i < o.threads; ++i) workers.push_back(std::make_unique<Worker>());
    acceptor = std::make_unique<tcp::acceptor>(workers[0]->ioc);
    backoff = std::make_unique<net::steady_timer>(workers[0]->ioc);
  }
  void observe(std::string_view method, int status, double seconds) const {
    if (options.observe) options.observe(method, status, seconds);
  }
  void accept();
  void sweep(Worker& w);
  // How often each worker looks for connections past their deadline: a fraction of the
  // shortest timeout, so a timeout is enforced within 25 % of its length.
  std::chrono::milliseconds sweep_period() const {
    const int shortest = std::min(options.header_timeout_ms, options.idle_timeout_ms);
    return std::chrono::milliseconds(std::clamp(shortest / 4, 5, 1000));
  }
};

namespace {

using Clock = std::chrono::steady_clock;

class Session : public std::enable_shared_from_this<Session> {
 public:
  // A refused session (over connections_max) is answered 503 and closed without being read.
  Session(tcp::socket socket, Worker& worker, Server::Impl& server, bool refused)
      : socket_(std::move(socket)), worker_(worker), server_(server), refused_(refused) {}
  ~Session() {
    worker_.sessions.erase(this);
    --(refused_ ? server_.refusing : server_.connections);
  }

  void start() {
    worker_.sessions.insert(this);
    // Room for a typical request in one recv: Beast reads into whatever capacity the buffer
    // has (at least 512 bytes), and a cart split over two reads costs a second system call.
    buffer_.reserve(limits::read_buffer_bytes);
    if (refused_) {
      Response res = problem_response(503, "Service unavailable",
                                      "the server has " + std::to_string(server_.options.connections_max) +
                                          " connections open; retry shortly");
      res.headers.emplace_back("Retry-After", std::to_string(limits::retry_after_seconds));
      server_.observe("", 503, 0);
      return reply(std::move(res), false);
    }
    read();
  }

  // Called by the sweep: closes the connection if its current wait has lasted too long. A new
  // connection, a request whose first bytes have arrived, and a response being written get
  // header_timeout; an idle keep-alive connection gets idle_timeout.
  void check(Clock::time_point now) {
    std::chrono::milliseconds limit{0};
    if (state_ == State::writing) {
      limit = std::chrono::milliseconds(server_.options.header_timeout_ms);
    } else if (state_ == State::reading) {
      const bool begun = first_ || buffer_.size() > 0 || (parser_ && parser_->got_some());
      limit = std::chrono::milliseconds(begun ? server_.options.header_timeout_ms : server_.options.idle_timeout_ms);
    } else if (state_ == State::lingering) {
      limit = std::chrono::milliseconds(server_.options.linger_timeout_ms);
    } else {
      return;
    }
    if (now - since_ > limit) close();
  }

 private:
  enum class State { reading, handling, writing, lingering, closed };

  // The header first, so that `Expect: 100-continue` can be answered before the body is sent.
  void read() {
    parser_.emplace();
    parser_->body_limit(server_.options.body_bytes_max);
    parser_->header_limit(std::uint32_t(server_.options.header_bytes_max));
    state_ = State::reading;
    since_ = Clock::now();
    bhttp::async_read_header(socket_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_error(ec);
    const auto& msg = parser_->get();
    if (!parser_->is_done() && msg.version() >= 11 && beast::iequals(msg[bhttp::field::expect], "100-continue")) {
      static constexpr std::string_view go_on = "HTTP/1.1 100 Continue\r\n\r\n";
      state_ = State::writing;
      since_ = Clock::now();
      return net::async_write(socket_, net::buffer(go_on.data(), go_on.size()),
                              [self = shared_from_this()](beast::error_code e, std::size_t) {
                                if (e) return self->close();
                                self->state_ = State::reading;
                                self->since_ = Clock::now();
                                self->read_body();
                              });
    }
    read_body();
  }

  // The body, parsed first from what the header's read already brought (usually all of it: no
  // system call, no round through the io_context), then read from the socket if more is due.
  void read_body() {
    parser_->eager(true);
    while (!parser_->is_done() && buffer_.size() > 0) {
      beast::error_code ec;
      const std::size_t n = parser_->put(buffer_.data(), ec);
      buffer_.consume(n);
      if (ec == bhttp::error::need_more) break;
      if (ec) return on_error(ec);
      if (n == 0) break;
    }
    if (parser_->is_done()) return on_read({});
    bhttp::async_read(socket_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  std::string_view method_if_read() const {
    // Set once the request line has been read, even if a later header field was refused.
    return parser_ ? std::string_view(parser_->get().method_string()) : std::string_view();
  }

  void on_error(beast::error_code ec) {
    if (state_ == State::closed || ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == net::error::eof || ec == net::error::connection_reset || ec == net::error::bad_descriptor) {
      return close();
    }
    // Too large or malformed: answer once, then close (the stream position is unknown).
    Response res;
    if (ec == bhttp::error::body_limit)
      res = problem_response(413, "Request too large",
                             "the body exceeds " + std::to_string(server_.options.body_bytes_max) + " bytes");
    else if (ec == bhttp::error::header_limit)
      res = problem_response(431, "Request header fields too large", "the header is too large");
    else if (ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category())  // any other HTTP parse error
      res = problem_response(400, "Malformed HTTP request", ec.message());
    else
      return close();  // a socket error: nobody to answer
    server_.observe(method_if_read(), res.status, 0);
    return reply(std::move(res), false);
  }

  void on_read(beast::error_code ec) {
    if (ec) return on_error(ec);
    first_ = false;
    state_ = State::handling;
    auto& msg = parser_->get();
    HttpRequest req;
    req.method = std::string(msg.method_string());
    const std::string_view target = msg.target();
    const auto q = target.find('?');
    req.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) req.query = std::string(target.substr(q + 1));
    req.headers.reserve(std::size_t(std::distance(msg.begin(), msg.end())));
    for (const auto& f : msg) {
      std::string name(f.name_string());
      for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
      req.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    req.body = std::move(msg.body());
    const bool keep_alive = msg.keep_alive();
    ++server_.in_flight;
    Response res;
    const auto started = Clock::now();
    try {
      res = server_.handler(req);
    } catch (const std::exception& e) {
      // A handler bug must not take the process down with it; it is loud in the log.
      std::fprintf(stderr, "landed: handler failed on %s %s: %s\n", valid_utf8(req.method).c_str(),
                   valid_utf8(req.path).c_str(), e.what());
      res = problem_response(500, "Internal error", "the request could not be completed");
      server_.observe(req.method, 500, std::chrono::duration<double>(Clock::now() - started).count());
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
    state_ = State::writing;
    since_ = Clock::now();
    bhttp::async_write(socket_, r, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      if (!self->response_->keep_alive()) return self->linger();
      self->read();
    });
  }

  // Lingering close: stop sending (the client reads the response, then end of stream), and read
  // and discard what the client is still sending, up to linger_discard_bytes_max or until the
  // sweep ends it after linger_timeout_ms. Closing with unread bytes would send a reset, and the
  // client would see that instead of the response.
  void linger() {
    if (state_ == State::closed) return;
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    state_ = State::lingering;
    since_ = Clock::now();
    buffer_.clear();
    discard();
  }

  void discard() {
    socket_.async_read_some(buffer_.prepare(limits::read_buffer_bytes),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->discarded_ += n;
                              if (ec || self->state_ != State::lingering ||
                                  self->discarded_ >= self->server_.options.linger_discard_bytes_max)
                                return self->close();
                              self->discard();
                            });
  }

  void close() {
    if (state_ == State::closed) return;
    state_ = State::closed;
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    socket_.close(ignored);  // pending operations end with operation_aborted, releasing the session
  }

  tcp::socket socket_;
  Worker& worker_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  State state_ = State::reading;
  Clock::time_point since_ = Clock::now();  // when the current read or write began
  bool first_ = true;                       // no request has been read on this connection yet
  bool refused_ = false;                    // over connections_max: answered 503, never read
  std::size_t discarded_ = 0;               // bytes thrown away while lingering
};

}  // namespace

void Server::Impl::sweep(Worker& w) {
  w.sweep.expires_after(sweep_period());
  w.sweep.async_wait([this, &w](beast::error_code ec) {
    if (ec) return;
    const auto now = Clock::now();
    // check() may close, but a session is destroyed only when its pending operation completes
    // later, so the set does not change during this loop.
    for (Session* s : w.sessions) s->check(now);
    sweep(w);
  });
}

void Server::Impl::accept() {
  Worker& target = *workers[next_worker];
  next_worker = (next_worker + 1) % workers.size();
  acceptor->async_accept(target.ioc, [this, &target](beast::error_code ec, tcp::socket socket) {
    if (stopping) return;
    if (ec == net::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system ||
        ec == net::error::no_buffer_space || ec == net::error::no_memory) {
      // The pending connection stays in the backlog; retrying at once would fail again at once,
      // as fast as the CPU allows. Wait, then try again.
      backoff->expires_after(std::chrono::milliseconds(limits::accept_backoff_ms));
      backoff->async_wait([this](beast::error_code e) {
        if (!e && !stopping) accept();
      });
      return;
    }
    if (!ec) {
      // Responses go out whole, at once: Nagle's delay only adds latency to keep-alive traffic.
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      const bool refused = connections >= options.connections_max;
      if (refused && refusing >= options.refused_connections_max) {
        // Already answering as many refusals as we allow: drop this one at once (the client
        // sees a closed connection, as from a full backlog) rather than hold a descriptor.
        socket.close(ignored);
        observe("", 503, 0);
        return accept();
      }
      ++(refused ? refusing : connections);
      auto session = std::make_shared<Session>(std::move(socket), target, *this, refused);
      net::post(target.ioc, [session] { session->start(); });
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
  auto& a = *impl_->acceptor;
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
  for (auto& w : impl_->workers) {
    impl_->sweep(*w);
    Worker* worker = w.get();
    w->thread = std::thread([worker] { worker->ioc.run(); });
  }
}

void Server::stop() {
  if (!impl_ || !impl_->started || impl_->stopping.exchange(true)) return;
  net::post(impl_->workers[0]->ioc, [this] {
    beast::error_code ignored;
    impl_->acceptor->close(ignored);
    impl_->backoff->cancel();
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(impl_->options.drain_timeout_ms);
  while (impl_->in_flight > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // Let responses already computed reach their clients.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  for (auto& w : impl_->workers) w->ioc.stop();
  for (auto& w : impl_->workers)
    if (w->thread.joinable()) w->thread.join();
}

std::size_t Server::in_flight() const { return impl_->in_flight; }
std::size_t Server::connections() const { return impl_->connections; }

}  // namespace landed::http
