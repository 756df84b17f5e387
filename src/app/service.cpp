#include "app/service.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli.h"
#include "app/rates_history.h"
#include "app/responses.h"
#include "core/ascii.h"
#include "core/json_positions.h"
#include "core/json_writer.h"
#include "core/limits.h"
#include "core/sha256.h"
#include "core/utf8.h"
#include "http/problem.h"
#include "l10n/localizer.h"
#include "quote/engine.h"
#include "quote/quote_json.h"
#include "core/json_tree.h"

namespace landed::app {
namespace {

using json = nlohmann::ordered_json;
using http::Response;
using http::Role;

// A store problem that is not the caller's fault (API.md): 503, and when to try again.
Response store_unavailable(const std::string& detail) {
  Response r = problem(503, "Service unavailable", detail, "store_unavailable");
  r.headers.emplace_back("Retry-After", std::to_string(limits::store_retry_after_seconds));
  return r;
}

std::string new_id(const char* prefix, Timestamp now) {
  std::string id = new_quote_id(now);
  id.replace(0, 2, prefix);
  return id;
}

bool allowed(Role have, const std::vector<Role>& roles) {
  if (have == Role::admin) return true;  // admin may call every endpoint
  for (Role r : roles)
    if (r == have) return true;
  return false;
}

std::string order_json(const store::Order& o) {
  std::string out;
  JsonWriter w(out);
  w.begin_object()
      .field("order_id", o.id)
      .field("quote_id", o.quote_id)
      .field("status", o.status)
      .field("created_at", o.created_at.to_string())
      .end_object();
  return out;
}

// RFC 9110: the media type is case-insensitive and may carry parameters ("; charset=utf-8").
bool is_json_media_type(std::string_view type) {
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  return equals_ignoring_ascii_case(type, "application/json");
}

Result<std::string> read_text(const std::string& path, std::size_t bytes_max) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::io_error, "cannot read " + path, ""};
  std::ostringstream s;
  s << in.rdbuf();
  if (s.str().size() > bytes_max) return Error{ErrorCode::out_of_range, path + " is too large", ""};
  return s.str();
}

}  // namespace

Result<std::unique_ptr<Service>> Service::create(ServiceOptions options, std::shared_ptr<const Clock> clock) {
  auto keys_text = read_text(options.keys_path, limits::keys_file_bytes_max);
  if (!keys_text.ok()) return keys_text.errors();
  auto keys = http::Keys::parse(*keys_text);
  if (!keys.ok()) {
    Errors e;
    for (const auto& x : keys.errors()) e.push_back({x.code, options.keys_path + ": " + x.pointer + " " + x.message, ""});
    return e;
  }
  store::StoreOptions so;
  so.clock = clock;
  so.quote_retention_seconds = options.quote_retention_days * 86400;
  so.idempotency_retention_seconds = options.idempotency_retention_hours * 3600;
  so.quote_queue_max = options.quote_queue_max;
  auto store = store::Store::open(options.db_path, std::move(so));
  if (!store.ok()) return store.errors();
  // The store first: the snapshot's rates are rates/ and the database's rate history together.
  SnapshotLoad load = load_snapshot_with_history(options.paths, **store);
  if (!load.snapshot) {
    Errors e;
    for (const auto& d : load.diagnostics) e.push_back({ErrorCode::rule_error, d.to_string(), ""});
    for (const auto& x : load.errors) e.push_back(x);
    return e;
  }
  Active active{load.snapshot, clock->now(), std::move(load.fetched_at)};
  return std::unique_ptr<Service>(
      new Service(std::move(options), std::move(clock), std::move(keys).value(), std::move(store).value(), active));
}

Service::Service(ServiceOptions options, std::shared_ptr<const Clock> clock, http::Keys keys,
                 std::unique_ptr<store::Store> store, Active active)
    : options_(std::move(options)),
      clock_(std::move(clock)),
      keys_(std::move(keys)),
      store_(std::move(store)),
      active_(std::make_shared<const Active>(std::move(active))) {
  http::ServerOptions o;
  o.threads = options_.threads;
  o.body_bytes_max = limits::body_bytes_max;
  o.header_bytes_max = limits::header_bytes_max;
  o.header_timeout_ms = limits::header_timeout_ms;
  o.idle_timeout_ms = limits::idle_timeout_ms;
  o.drain_timeout_ms = limits::drain_timeout_ms;
  o.connections_max = limits::connections_max;
  // Responses the server makes itself (bad HTTP, over the cap, a handler that threw) are counted
  // too, under their own route label.
  o.observe = [this](std::string_view method, int status, double seconds) {
    metrics_.observe("(server)", method, status, seconds);
  };
  server_ = std::make_unique<http::Server>([this](const http::HttpRequest& r) { return handle(r); }, o);
}

Service::~Service() { stop(); }

Result<int> Service::listen(const std::string& host, int port) { return server_->listen(host, port); }
void Service::start() {
  server_->start();
  if (options_.rate_feeds.empty() || refresher_) return;
  RefresherOptions r;
  r.feeds = options_.rate_feeds;
  r.rates_dir = options_.paths.rates;
  r.interval = options_.rates_refresh_interval;
  r.fetch = options_.rates_fetch;
  r.history = store_.get();
  auto log = options_.log ? options_.log : [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  refresher_ = std::make_unique<RatesRefresher>(
      std::move(r), clock_, metrics_,
      [this, log] {
        const ReloadReport report = reload();
        for (const auto& d : report.diagnostics) log("landed: reload: " + d.to_string());
        for (const auto& e : report.errors) log("landed: reload: " + e.message);
        return report.reloaded;
      },
      log);
  refresher_->start();
}

void Service::stop() {
  std::call_once(stopped_, [this] {
    if (refresher_) refresher_->stop();  // first: no reload while the server drains
    if (server_) server_->stop();
    if (store_ && !store_->flush(std::chrono::milliseconds(limits::db_shutdown_flush_ms)))
      std::fprintf(stderr, "landed: %zu quotes still queued after %d ms; giving up on them at exit\n",
                   store_->queued_quotes(), limits::db_shutdown_flush_ms);
  });
}

ReloadReport Service::reload() {
  std::lock_guard lock(reload_mu_);  // one reload at a time; requests never wait for it
  ReloadReport report;
  SnapshotLoad load = load_snapshot_with_history(options_.paths, *store_);
  report.diagnostics = std::move(load.diagnostics);
  report.errors = std::move(load.errors);
  if (!load.snapshot) return report;
  active_.store(std::make_shared<const Active>(Active{load.snapshot, clock_->now(), std::move(load.fetched_at)}));
  report.reloaded = true;
  return report;
}

http::Response Service::handle(const http::HttpRequest& r) {
  const auto started = std::chrono::steady_clock::now();
  std::string route = "unmatched";
  Response res;
  try {
  [&] {
    // Path segments after the leading slash.
    std::vector<std::string_view> seg;
    std::string_view p = r.path;
    while (!p.empty()) {
      if (p.front() == '/') p.remove_prefix(1);
      const auto end = p.find('/');
      seg.push_back(p.substr(0, end));
      p = end == std::string_view::npos ? std::string_view() : p.substr(end);
    }
    const auto method_not_allowed = [&](const char* allow) {
      res = problem(405, "Method not allowed", r.method + " is not allowed on " + r.path, "method_not_allowed");
      res.headers.emplace_back("Allow", allow);
    };
    // Operations: no auth.
    if (seg.size() == 1 && (seg[0] == "healthz" || seg[0] == "readyz" || seg[0] == "metrics")) {
      route = "/" + std::string(seg[0]);
      if (r.method != "GET") return method_not_allowed("GET");
      if (seg[0] == "healthz") res = json_response(200, R"({"status":"ok"})");
      else if (seg[0] == "readyz") res = readyz();
      else {
        const auto a = active();
        res.status = 200;
        res.content_type = "text/plain; version=0.0.4";
        metrics_.set_store_write_failures(store_->health().write_failures);
        res.body = metrics_.render({{"rules_version", a->snapshot->rules->version},
                                    {"rates_version", a->snapshot->rates->latest().version()},
                                    {"locales_version", a->snapshot->l10n->version()}});
      }
      return;
    }
    if (seg.size() < 2 || seg[0] != "v1") {
      res = problem(404, "Not found", "no such endpoint: " + r.path, "not_found");
      return;
    }
    // Which roles may call it, and which methods it has.
    struct Match {
      std::string route;
      const char* allow;
      std::vector<Role> roles;  // besides admin
    };
    std::optional<Match> m;
    if (seg.size() == 2 && seg[1] == "quotes") m = Match{"/v1/quotes", "POST", {Role::checkout}};
    else if (seg.size() == 3 && seg[1] == "quotes") m = Match{"/v1/quotes/{id}", "GET", {Role::checkout}};
    else if (seg.size() == 2 && seg[1] == "orders") m = Match{"/v1/orders", "POST", {Role::checkout}};
    else if (seg.size() == 3 && seg[1] == "orders") m = Match{"/v1/orders/{id}", "GET", {Role::checkout}};
    else if (seg.size() == 2 && seg[1] == "rules") m = Match{"/v1/rules", "GET", {Role::finance}};
    else if (seg.size() == 3 && seg[1] == "rules" && seg[2] == "validate") m = Match{"/v1/rules/validate", "POST", {Role::finance}};
    else if (seg.size() == 3 && seg[1] == "rules" && seg[2] == "reload") m = Match{"/v1/rules/reload", "POST", {}};
    else if (seg.size() == 2 && seg[1] == "rates") m = Match{"/v1/rates", "GET", {Role::finance}};
    else if (seg.size() == 2 && seg[1] == "payment-methods") m = Match{"/v1/payment-methods", "GET", {Role::checkout}};
    else if (seg.size() == 3 && seg[1] == "rates" && seg[2] == "pending") m = Match{"/v1/rates/pending", "GET", {Role::finance}};
    else if (seg.size() == 5 && seg[1] == "rates" && seg[2] == "pending" && seg[4] == "accept")
      m = Match{"/v1/rates/pending/{source}/accept", "POST", {}};
    if (!m) {
      res = problem(404, "Not found", "no such endpoint: " + r.path, "not_found");
      return;
    }
    route = m->route;
    if (r.method != m->allow) return method_not_allowed(m->allow);
    const auto key = keys_.authenticate(r.header("authorization"));
    if (!key) {
      res = problem(401, "Unauthorized", "send a valid API key as Authorization: Bearer <key>", "unauthorized");
      res.headers.emplace_back("WWW-Authenticate", "Bearer");
      return;
    }
    if (!allowed(key->role, m->roles)) {
      res = problem(403, "Forbidden", "the " + std::string(to_string(key->role)) + " role may not call " + r.method +
                                          " " + m->route, "forbidden");
      return;
    }
    if (r.method == "POST") {
      const std::string_view type = r.header("content-type");
      if (!type.empty() && !is_json_media_type(type))
        return void(res = problem(415, "Unsupported media type", "send Content-Type: application/json", "unsupported_media_type"));
    }
    const std::string id = seg.size() == 3 ? std::string(seg[2]) : "";
    if (m->route == "/v1/quotes") res = post_quote(r, *key);
    else if (m->route == "/v1/quotes/{id}") res = get_quote(id, *key);
    else if (m->route == "/v1/orders") res = post_order(r, *key);
    else if (m->route == "/v1/orders/{id}") res = get_order(id, *key);
    else if (m->route == "/v1/rules") res = get_rules();
    else if (m->route == "/v1/rules/validate") res = validate_rules(r);
    else if (m->route == "/v1/rules/reload") res = post_reload();
    else if (m->route == "/v1/rates/pending") res = get_pending_rates();
    else if (m->route == "/v1/payment-methods") res = get_payment_methods(r);
    else if (m->route == "/v1/rates/pending/{source}/accept") res = accept_pending_rates(std::string(seg[3]));
    else res = get_rates(r);
  }();
  } catch (const std::exception& e) {
    // A bug, not bad input: loud in the log, a 500 for the client, and counted like any response.
    std::fprintf(stderr, "landed: %s %s failed: %s\n", valid_utf8(r.method).c_str(), valid_utf8(r.path).c_str(), e.what());
    res = problem(500, "Internal error", "the request could not be completed", "internal");
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.observe(route, r.method, res.status, seconds);
  return res;
}

Service::InProgress::~InProgress() {
  if (!service) return;
  std::lock_guard lock(service->idempotency_mu_);
  service->in_progress_.erase({key_id, key});
}

std::optional<http::Response> Service::begin_idempotent(const http::HttpRequest& r, const std::string& key_id,
                                                        Timestamp now, Idempotency& idem, InProgress& guard) {
  idem.key = std::string(r.header("idempotency-key"));
  if (idem.key.empty()) return std::nullopt;
  if (idem.key.size() > limits::idempotency_key_bytes_max)
    return problem(Errors{{ErrorCode::out_of_range, "the Idempotency-Key header must be at most 255 bytes", ""}});
  idem.request_sha256 = Sha256::hex(r.method + " " + r.path + "\n" + r.body);
  // Lookup-or-reserve is one step because the reservation comes first: while it is held no
  // other request with this key gets past here, and the holder stores its response (queued or
  // committed, both visible to the lookup) before releasing it. So a request that gets the
  // reservation either finds the first one's response or is the first.
  {
    std::lock_guard lock(idempotency_mu_);
    if (!in_progress_.emplace(key_id, idem.key).second)
      return problem(409, "Conflict", "a request with this Idempotency-Key is in progress", "idempotency_in_progress");
  }
  guard = InProgress{this, key_id, idem.key};
  const auto seen = store_->idempotent(key_id, idem.key, now.plus_seconds(-limits::idempotency_ttl_seconds));
  if (!seen.ok()) return store_unavailable(seen.error().message);
  if (const auto& stored = *seen) {
    if (stored->request_sha256 != idem.request_sha256)
      return problem(409, "Conflict", "this Idempotency-Key was used with a different request", "idempotency_conflict");
    Response replay = json_response(stored->status, stored->body);
    if (!stored->location.empty()) replay.headers.emplace_back("Location", stored->location);
    replay.headers.emplace_back("Idempotent-Replayed", "true");
    return replay;
  }
  return std::nullopt;
}

http::Response Service::post_quote(const http::HttpRequest& r, const http::ApiKey& key) {
  const Timestamp now = clock_->now();
  Idempotency idem;
  InProgress guard;
  if (auto early = begin_idempotent(r, key.id, now, idem, guard)) return *early;
  // Every problem at once: what the parse found, and what the engine finds in the rest.
  auto parsed = parse_request_partial(r.body);
  if (!parsed.request) return problem(parsed.errors);
  const auto& request = parsed.request;
  const auto a = active();  // this request's snapshot, whatever reloads happen meanwhile
  // Tenancy: a merchant the key does not act for is refused exactly like an unknown merchant
  // (the engine's own words), so a key learns nothing about which other merchants exist.
  const RuleSet& rules = *a->snapshot->rules;
  const std::string& merchant = request->merchant.empty() ? rules.default_merchant : request->merchant;
  if (!merchant.empty() && !key.acts_for(merchant))
    return problem(Errors{{ErrorCode::not_found, "is not a known merchant: " + merchant, "/merchant"}});
  QuoteContext ctx;
  ctx.now = now;
  ctx.quote_id = new_id("q_", now);
  ctx.ttl_seconds = options_.quote_ttl_seconds;
  ctx.stale_rates = options_.stale_rates;
  auto quote = price(*request, *a->snapshot, ctx, std::move(parsed.errors));
  if (!quote.ok()) {
    Response p = problem(quote.errors());
    // Rates too old to price with: not the caller's fault, so 503, and when a refresh may have
    // brought new ones (API.md).
    if (std::any_of(quote.errors().begin(), quote.errors().end(),
                    [](const Error& e) { return e.code == ErrorCode::stale_rates; }))
      p.headers.emplace_back("Retry-After", std::to_string(limits::stale_rates_retry_after_seconds));
    return p;
  }
  Response res = json_response(201, to_json_text(*quote));
  const std::string location = "/v1/quotes/" + quote->id;
  res.headers.emplace_back("Location", location);
  std::optional<store::IdempotentResponse> record;
  if (!idem.key.empty())
    record = store::IdempotentResponse{key.id, idem.key, idem.request_sha256, 201, res.body, now, location};
  // A quote the store cannot take is refused, not answered: a checkout turns quotes into orders,
  // and a quote that could not be ordered (or found) later is worse than an honest 503.
  if (!store_->save_quote({quote->id, key.id, r.body, res.body, quote->rules_version, quote->rates_version,
                           quote->ship_to, quote->created_at, quote->expires_at, quote->merchant},
                          std::move(record))) {
    metrics_.count_quote_refused();
    return store_unavailable("quotes are not being stored fast enough; try again");
  }
  metrics_.count_quote(quote->ship_to);
  return res;
}

// Another merchant's quote or order is answered exactly as an unknown id: no hint it exists.
http::Response Service::get_quote(const std::string& id, const http::ApiKey& key) {
  const auto q = store_->quote(id);
  if (!q.ok()) return store_unavailable(q.error().message);
  if (!*q || !key.acts_for((*q)->merchant)) return problem(404, "Not found", "no quote " + id, "not_found");
  return json_response(200, (*q)->response);
}

http::Response Service::post_order(const http::HttpRequest& r, const http::ApiKey& key) {
  const Timestamp now = clock_->now();
  Idempotency idem;
  InProgress guard;
  if (auto early = begin_idempotent(r, key.id, now, idem, guard)) return *early;
  // The one reader of request bodies: linear, bounded (json_values_max), strict about repeats.
  const auto tree = JsonTree::parse(r.body);
  if (!tree.ok()) return problem(tree.errors());
  const JsonView body = tree->root();
  if (!body.is_object()) return problem(Errors{{ErrorCode::invalid_field, "the request must be a JSON object", ""}});
  Errors errors;
  const auto id_value = body.find("quote_id");
  if (!id_value)
    errors.push_back({ErrorCode::missing_field, "is required", "/quote_id"});
  else if (!id_value->is_string() || id_value->str().empty() || id_value->str().size() > limits::id_bytes_max)
    errors.push_back({ErrorCode::invalid_field, "must be a quote id such as \"q_...\"", "/quote_id"});
  for (const JsonView member : body)
    if (member.key() != "quote_id")
      errors.push_back({ErrorCode::invalid_field, "is not a known field", pointer_append("", member.key())});
  if (!errors.empty()) return problem(errors);
  const std::string quote_id(id_value->str());
  const std::string order_id = new_id("o_", now);
  // Risk scoring arrives with the fraud issue; until then every order is approved.
  const std::string status = "approved";
  store::Order draft{order_id, quote_id, status, key.id, now, ""};
  const std::string response_body = order_json(draft);
  const std::string location = "/v1/orders/" + order_id;
  std::optional<store::IdempotentResponse> record;
  if (!idem.key.empty())
    record = store::IdempotentResponse{key.id, idem.key, idem.request_sha256, 201, response_body, now, location};
  const auto visible = [&key](std::string_view merchant) { return key.acts_for(merchant); };
  const auto result = store_->create_order(quote_id, order_id, status, key.id, now, visible, std::move(record));
  if (!result.ok()) return store_unavailable(result.error().message);
  switch (result->outcome) {
    case store::OrderOutcome::quote_not_found:
      return problem(404, "Not found", "no quote " + quote_id, "quote_not_found");
    case store::OrderOutcome::quote_expired:
      return problem(410, "Gone", "quote " + quote_id + " has expired; ask for a new quote", "quote_expired");
    case store::OrderOutcome::already_ordered: {
      Response c = problem(409, "Conflict", "quote " + quote_id + " is already ordered as " + result->order.id,
                           "already_ordered");
      return c;
    }
    case store::OrderOutcome::created: break;
  }
  Response res = json_response(201, response_body);
  res.headers.emplace_back("Location", location);
  return res;
}

http::Response Service::get_order(const std::string& id, const http::ApiKey& key) {
  const auto o = store_->order(id);
  if (!o.ok()) return store_unavailable(o.error().message);
  if (!*o || !key.acts_for((*o)->merchant)) return problem(404, "Not found", "no order " + id, "not_found");
  return json_response(200, order_json(**o));
}

http::Response Service::get_rules() {
  const auto a = active();
  const RuleSet& rules = *a->snapshot->rules;
  json files = json::array();
  for (const auto& f : rules.files)
    files.push_back({{"path", f.path}, {"sha256", f.sha256}, {"concern", f.concern}, {"rules", f.rules}});
  return json_response(200, json{{"rules_version", rules.version},
                                 {"loaded_at", a->loaded_at.to_string()},
                                 {"rules", rules.rule_count()},
                                 {"files", files},
                                 {"rates_version", a->snapshot->rates->latest().version()},
                                 {"locales_version", a->snapshot->l10n->version()}}
                                .dump());
}

http::Response Service::validate_rules(const http::HttpRequest& r) {
  const auto tree = JsonTree::parse(r.body);  // as for every request body
  if (!tree.ok()) return problem(tree.errors());
  Errors errors;
  const auto files = tree->root().find("files");
  if (!files || !files->is_array())
    return problem(Errors{{ErrorCode::missing_field, "must be an array of {\"path\", \"content\"}", "/files"}});
  if (files->size() > limits::rule_files_max)
    return problem(Errors{{ErrorCode::out_of_range, "too many files", "/files"}});
  std::map<std::string, std::string> candidate;
  std::size_t i = 0;
  for (const JsonView f : *files) {
    const std::string ptr = "/files/" + std::to_string(i++);
    const auto path_value = f.find("path"), content = f.find("content");
    if (!path_value || !path_value->is_string() || !content || !content->is_string()) {
      errors.push_back({ErrorCode::invalid_field, "must be {\"path\": string, \"content\": string}", ptr});
      continue;
    }
    const std::string path(path_value->str());
    if (path.empty() || path.size() > limits::text_bytes_max || path.find("..") != std::string::npos || path[0] == '/' ||
        path.size() < 6 || path.substr(path.size() - 5) != ".json")
      errors.push_back({ErrorCode::invalid_field, "must be a relative path ending in .json, such as tax/HR.json", ptr + "/path"});
    else
      candidate[path] = std::string(content->str());
  }
  if (!errors.empty()) return problem(errors);
  // The candidates replace or join the rules on disk; the whole set is checked, as a reload would.
  auto on_disk = read_json_tree(options_.paths.rules);
  if (!on_disk.ok()) return problem(503, "Service unavailable", on_disk.error().message, "rules_unreadable");
  std::vector<RuleSource> set;
  for (auto& f : *on_disk)
    if (!candidate.count(f.path)) set.push_back(std::move(f));
  for (auto& [path, text] : candidate) set.push_back({path, text});
  const RuleLoad load = load_rules(set);
  json errs = json::array();
  for (const auto& d : load.diagnostics)
    errs.push_back({{"file", d.file}, {"line", d.line}, {"column", d.column}, {"pointer", d.pointer}, {"message", d.message}});
  json out{{"valid", load.ok()}, {"errors", errs}};
  if (load.ok()) {
    out["rules_version"] = load.rules->version;
    out["rules"] = load.rules->rule_count();
  }
  return json_response(200, out.dump());
}

http::Response Service::post_reload() {
  const ReloadReport report = reload();
  const auto a = active();
  json errs = json::array();
  for (const auto& d : report.diagnostics)
    errs.push_back({{"file", d.file}, {"line", d.line}, {"column", d.column}, {"pointer", d.pointer}, {"message", d.message}});
  for (const auto& e : report.errors) errs.push_back({{"message", e.message}});
  json out{{"reloaded", report.reloaded},
           {"rules_version", a->snapshot->rules->version},
           {"rates_version", a->snapshot->rates->latest().version()},
           {"loaded_at", a->loaded_at.to_string()},
           {"errors", errs}};
  if (!report.reloaded) {
    // Refused: the old snapshot keeps serving; say so in a problem document with every error.
    json p{{"type", "/problems/reload_refused"},
           {"title", "Reload refused"},
           {"status", 422},
           {"detail", "the rules, rates or catalogs on disk have errors; the active set keeps serving"}};
    for (const auto& [k, v] : out.items()) p[k] = v;
    Response r = json_response(422, p.dump());
    r.content_type = "application/problem+json";
    return r;
  }
  return json_response(200, out.dump());
}

// Documents the refresher refused for moves beyond the bound only, waiting for an operator. Not
// the feed's URL: a provider's may carry an access key.
http::Response Service::get_pending_rates() {
  json list = json::array();
  for (const PendingRates& p : refresher_ ? refresher_->pending() : std::vector<PendingRates>{}) {
    json moves = json::array();
    for (const auto& m : p.moves) moves.push_back({{"currency", m.currency}, {"from", m.before}, {"to", m.after}});
    list.push_back({{"source", p.source},
                    {"format", std::string(to_string(p.feed.format))},
                    {"as_of", p.as_of ? json(p.as_of->to_string()) : json(nullptr)},
                    {"received_at", p.received_at.to_string()},
                    {"reason", p.reason},
                    {"message", p.line},
                    {"moves", moves},
                    {"accept", "/v1/rates/pending/" + p.source + "/accept"}});
  }
  return json_response(200, json{{"pending", list}}.dump());
}

// An operator's acceptance of exactly the pending document (as `landed rates accept FILE`), then a
// reload so it serves.
http::Response Service::accept_pending_rates(const std::string& source) {
  auto outcome = refresher_ ? refresher_->accept_pending(source) : Result<std::optional<StoreOutcome>>(std::nullopt);
  if (!outcome.ok()) return problem(503, "Service unavailable", outcome.error().message, "rates_store_unavailable");
  if (!*outcome)
    return problem(404, "Not found", "no rate document is pending for source " + valid_utf8(source), "not_found");
  const StoreOutcome& stored = **outcome;
  if (!stored.accepted())
    return problem(409, "Conflict", "the pending document can no longer be accepted: " + stored.line, "rates_refused");
  const ReloadReport report = reload();
  const auto a = active();
  json out{{"accepted", true},
           {"source", source},
           {"message", stored.line},
           {"reloaded", report.reloaded},
           {"rates_version", a->snapshot->rates->latest().version()}};
  return json_response(200, out.dump());
}

namespace {

// One source's table as GET /v1/rates shows it. `published`: the instant its rates came into
// force (ECB: 16:00 Frankfurt on as_of; a provider: as_of from its start in UTC), so age_seconds
// is how long they have been the newest; fetched_at only where the rate history knows it.
json rates_source_json(const BaseRateTable& t, Timestamp published, Timestamp now, const Active& a) {
  json rates = json::object();
  for (const auto& [code, rate] : t.per_base()) rates[code] = rate.to_string();
  json out{{"source", t.source()},
           {"base", std::string(t.base().code())},
           {"as_of", t.as_of().to_string()},
           {"published_at", published.to_string()},
           {"age_seconds", now.seconds() - published.seconds()}};
  if (const auto f = a.fetched_at.find({t.source(), t.as_of()}); f != a.fetched_at.end())
    out["fetched_at"] = f->second.to_string();
  out["rates_version"] = t.version();
  out["rates"] = std::move(rates);
  return out;
}

}  // namespace

// GET /v1/rates[?date=YYYY-MM-DD]: the tables quotes convert with now, or those in force at the
// end of a past day (23:59:59 UTC; today: now), one entry per source in "sources" (the ECB
// first); the top-level fields repeat the ECB's entry, as this endpoint answered before sources.
http::Response Service::get_rates(const http::HttpRequest& r) {
  const Timestamp now = clock_->now();
  std::optional<Date> date;
  Errors errors;
  bool seen_date = false;
  std::string_view q = r.query;
  while (!q.empty()) {
    const auto amp = q.find('&');
    const std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    const std::string name(pair.substr(0, eq));
    const std::string_view value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (name == "date" && seen_date) {
      errors.push_back({ErrorCode::invalid_field, "is given more than once", "/date"});
      continue;
    }
    if (name == "date") seen_date = true;
    if (name != "date") {
      errors.push_back({ErrorCode::invalid_field, "is not a query parameter of GET /v1/rates (date=YYYY-MM-DD is)",
                        pointer_append("", valid_utf8(name.substr(0, limits::text_bytes_max)))});
    } else if (const auto d = Date::parse(value); !d) {
      errors.push_back({ErrorCode::invalid_field, "must be a calendar day YYYY-MM-DD, such as 2008-10-15", "/date"});
    } else if (now.date() < *d) {
      errors.push_back({ErrorCode::invalid_field, "is in the future (today is " + now.date().to_string() +
                                                      " UTC): rates are known only for past days", "/date"});
    } else {
      date = *d;
    }
  }
  if (!errors.empty()) return problem(errors);
  const auto a = active();
  const RateHistory& history = *a->snapshot->rates;
  // End of the asked day, or now: what a quote at that instant converts with.
  Timestamp at = now;
  if (date) {
    const Timestamp end = Timestamp::from_seconds(
        std::int64_t(date->days().time_since_epoch().count()) * 86400 + 86399);
    if (end < now) at = end;
  }
  const std::optional<RateSources> sources = history.sources_at(at);
  if (!sources)
    return problem(404, "Not found",
                   date ? "Landed holds no exchange rates in force on " + date->to_string() + " (its oldest are of " +
                              history.earliest().as_of().to_string() + ")"
                        : "Landed holds no exchange rates published by " + now.to_string(),
                   "rates_not_found");
  json list = json::array();
  list.push_back(rates_source_json(sources->primary(), RateHistory::published_at(sources->primary().as_of()), now, *a));
  if (const BaseRateTable* p = sources->secondary())
    list.push_back(rates_source_json(*p, *Timestamp::parse(p->as_of().to_string()), now, *a));
  // The rates serving now: how overdue their successor is, judged by the default policy as
  // /readyz judges it (a merchant's own rates_staleness may be stricter or looser). A past day's
  // rates were superseded long ago, so the state would say nothing there.
  if (!date) {
    std::size_t i = 0;
    for (const BaseRateTable* t : {&sources->primary(), sources->secondary()}) {
      if (!t) continue;
      const Timestamp due = next_expected_publication(i == 0, t->as_of());
      const std::int64_t overdue = now.seconds() - due.seconds();
      list[i]["next_expected"] = due.to_string();
      list[i]["state"] = std::string(to_string(rates_state(overdue, RatesStaleness{})));
      ++i;
    }
  }
  json out = list[0];
  if (date) out["date"] = date->to_string();
  out["days_held"] = history.size();
  out["sources"] = std::move(list);
  return json_response(200, out.dump());
}

namespace {

struct SourceAge {
  std::string source;
  Date as_of;
  Timestamp due;
  std::int64_t overdue = 0;
  RatesState state = RatesState::fresh;
};

// The newest table of each source the snapshot holds, judged at `now`.
std::vector<SourceAge> rates_ages(const RateHistory& h, Timestamp now, const RatesStaleness& policy) {
  std::vector<SourceAge> out;
  const auto add = [&](const std::string& source, const Date& as_of, bool ecb) {
    const Timestamp due = next_expected_publication(ecb, as_of);
    const std::int64_t overdue = now.seconds() - due.seconds();
    out.push_back({source, as_of, due, overdue, rates_state(overdue, policy)});
  };
  add(h.latest().source(), h.latest().as_of(), true);
  if (const BaseRateTable* p = h.latest_provider()) add(p->source(), p->as_of(), false);
  return out;
}

json source_age_json(const SourceAge& s) {
  return json{{"source", s.source},
              {"as_of", s.as_of.to_string()},
              {"next_expected", s.due.to_string()},
              {"overdue_seconds", std::max<std::int64_t>(0, s.overdue)},
              {"state", to_string(s.state)}};
}

}  // namespace

// Ready means able to take traffic now: a snapshot is loaded, the database answers reads, the
// last write succeeded (the writer probes while it does not) and the quote queue is below its
// high-water mark. Otherwise 503 with the reason, for the load balancer and the operator.
http::Response Service::readyz() {
  const auto a = active();
  const store::StoreHealth h = store_->health();
  const auto version = store_->schema_version();
  std::string reason;
  if (!a || !a->snapshot) reason = "no rules snapshot is loaded";
  else if (!version.ok()) reason = "the database cannot be read: " + version.error().message;
  else if (!h.writable) reason = "the database is not writable: " + h.last_error;
  else if (h.queued > h.queue_high_water)
    reason = "the quote queue is over its high-water mark (" + std::to_string(h.queued) + " of " +
             std::to_string(h.queue_max) + " queued)";
  // The rates' state per source, against the default staleness policy (rules/rule_set.h): a
  // merchant's own policy may differ, so this is the operator's view, not a quote's verdict.
  json rates = json::array();
  if (a && a->snapshot) {
    const std::vector<SourceAge> ages = rates_ages(*a->snapshot->rates, clock_->now(), RatesStaleness{});
    bool all_expired = !ages.empty();
    for (const SourceAge& s : ages) {
      rates.push_back(source_age_json(s));
      all_expired = all_expired && s.state == RatesState::expired;
    }
    // Every source past refuse_after: a refusing service would turn every converted quote away.
    if (reason.empty() && all_expired && options_.stale_rates == StaleRatesMode::refuse)
      reason = "every rate source is past refuse_after (" + std::to_string(rates_refuse_after_hours_default) +
               " h past its next expected publication); quotes that convert are refused";
  }
  json out{{"status", reason.empty() ? "ready" : "not ready"}};
  if (!reason.empty()) out["reason"] = reason;
  if (a && a->snapshot) {
    out["rules_version"] = a->snapshot->rules->version;
    out["rates_version"] = a->snapshot->rates->latest().version();
    out["rates"] = rates;
    out["stale_rates"] = options_.stale_rates == StaleRatesMode::refuse ? "refuse" : "warn";
  }
  out["schema_version"] = version.ok() ? json(*version) : json(nullptr);
  out["queued_quotes"] = h.queued;
  out["store"] = json{{"writable", h.writable}, {"queue_max", h.queue_max}, {"queue_high_water", h.queue_high_water},
                      {"write_failures", h.write_failures}};
  return json_response(reason.empty() ? 200 : 503, out.dump());
}

}  // namespace landed::app
