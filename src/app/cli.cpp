#include "app/cli.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>

#include <csignal>
#include <nlohmann/json.hpp>
#include <malloc.h>
#include <pthread.h>

#include "app/files.h"
#include "app/rates_history.h"
#include "app/rates_store.h"
#include "app/service.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "fetch/fetcher.h"
#include "http/problem.h"
#include "l10n/localizer.h"
#include "quote/engine.h"
#include "quote/quote_json.h"

namespace landed::app {
namespace {

constexpr const char* usage = R"(usage:
  landed quote [FILE|-] [--date|--at YYYY-MM-DD|RFC3339] [--id QUOTE_ID] [--rules DIR] [--rates DIR]
      [--locales DIR] [--db FILE] [--stale-rates refuse|warn]
      price a cart (API.md POST /v1/quotes body) and print the quote JSON; bad input prints
      RFC 9457 problem details and exits 2. Rates past the merchant's refuse_after (default 96 h
      past their next expected publication) refuse the quote (problem stale_rates, exit 1) unless
      --stale-rates warn, which prices it with a stale_rates warning. --db adds the database's
      rate history (see `rates import`) to the rates of --rates, so a back-dated quote uses its
      own day's rates
  landed format --locale TAG --currency CODE AMOUNT [--sign auto|always|never|except-zero|accounting|
      accounting-always|accounting-except-zero] [--display symbol|narrow|code|name|none] [--no-grouping]
      [--rounding HalfEven|HalfUp|HalfDown|Up|Down] [--min-fraction N] [--max-fraction N]
      print one amount formatted by ICU
  landed rules check [DIR]
      validate a rules folder; print every error as file:line:column: message, or a summary
  landed rates fetch --url URL [--format ecb-xml|json] [--rates DIR] [--source NAME] [--accept]
  landed rates accept FILE [--format ecb-xml|json] [--rates DIR] [--source NAME]
      fetch (or read) one rate document, validate it against the newest file of the same source
      in DIR and store it there if accepted: ECB as eurofxref-YYYY-MM-DD.xml per day, JSON as
      NAME-YYYY-MM-DD.json (NAME: a-z 0-9 _, default "provider"; one per DIR). --accept (and
      `accept`) is an operator's acceptance of a move beyond the bound or a changed base; a
      malformed, future or stale document is never stored. Prints what was stored or why not;
      exit 1 on refusal or a failed fetch. A running server picks new files up on SIGHUP or
      POST /v1/rules/reload
  landed rates import --csv FILE --db FILE
      write every day of ECB's history CSV (eurofxref-hist.csv: Date,USD,JPY,... one row per
      business day) into the database's rate history, in one transaction; a day already held
      with the same rates is left as it is, so importing again changes nothing. Exit 1 when
      the CSV is refused or the database cannot be written
  landed serve --listen HOST:PORT --db FILE --keys FILE [--rules DIR] [--rates DIR] [--locales DIR]
      [--threads N] [--quote-ttl-seconds N] [--quote-retention-days N] [--idempotency-retention-hours N]
      [--quote-queue-max N] [--rates-feed [ecb:|json:[NAME=]]URL ...] [--rates-refresh-seconds N]
      [--stale-rates refuse|warn]
      serve the HTTP API (API.md); SIGHUP reloads rules, rates and catalogs; SIGTERM or SIGINT
      stops gracefully (in-flight requests finish, queued quotes are written, within bounds).
      Unordered quotes are pruned N days after expiry (default 30), idempotency records after
      N hours (default 24, the least API.md allows); orders and their quotes are kept.
      Each --rates-feed (ECB XML unless json:) is fetched at start and every N seconds (default
      3600), validated and stored into the rates folder as `landed rates fetch` does, and new
      rates are swapped in like a reload; a failure or refusal is logged and counted in /metrics.
      --stale-rates warn (development only) prices quotes on rates past refuse_after with a
      warning instead of refusing them with 503
)";

struct Options {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  // the last of a repeated --name
  std::multimap<std::string, std::string> all;  // every --name value, in order
  std::vector<std::string> flags;
};

// --name value pairs, bare --flags from `flag_names`, everything else positional.
std::optional<Options> parse_args(const std::vector<std::string>& args, std::size_t from,
                                  std::initializer_list<const char*> flag_names, std::ostream& err) {
  Options o;
  for (std::size_t i = from; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) == 0 && a.size() > 2) {
      if (std::any_of(flag_names.begin(), flag_names.end(), [&](const char* f) { return a == f; })) {
        o.flags.push_back(a);
      } else if (i + 1 < args.size()) {
        o.values[a] = args[++i];
        o.all.emplace(a, args[i]);
      } else {
        err << "landed: " << a << " needs a value\n" << usage;
        return std::nullopt;
      }
    } else {
      o.positional.push_back(a);
    }
  }
  return o;
}

DataPaths paths_from(const Options& o) {
  DataPaths p = DataPaths::defaults();
  if (o.values.count("--rules")) p.rules = o.values.at("--rules");
  if (o.values.count("--rates")) p.rates = o.values.at("--rates");
  if (o.values.count("--locales")) p.locales = o.values.at("--locales");
  return p;
}

// --stale-rates refuse|warn; refuse when absent.
std::optional<StaleRatesMode> stale_rates_of(const Options& o, std::ostream& err) {
  if (!o.values.count("--stale-rates")) return StaleRatesMode::refuse;
  const std::string& v = o.values.at("--stale-rates");
  if (v == "refuse") return StaleRatesMode::refuse;
  if (v == "warn") return StaleRatesMode::warn;
  err << "landed: --stale-rates must be refuse or warn\n";
  return std::nullopt;
}

void print_load_failure(const SnapshotLoad& load, std::ostream& err) {
  for (const auto& d : load.diagnostics) err << d.to_string() << "\n";
  for (const auto& e : load.errors) err << "landed: " << e.message << "\n";
}

// A database that must already exist (a typo must not create an empty one and price without
// the history the caller asked for).
std::unique_ptr<store::Store> open_existing_db(const std::string& path, std::ostream& err) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    err << "landed: no database at " << path << " (landed rates import --csv FILE --db " << path
        << " creates one with the ECB history)\n";
    return nullptr;
  }
  auto store = store::Store::open(path);
  if (!store.ok()) {
    for (const auto& e : store.errors()) err << "landed: " << e.message << "\n";
    return nullptr;
  }
  return std::move(store).value();
}

int cmd_quote(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err) {
  const auto o = parse_args(args, 1, {}, err);
  if (!o) return 2;
  if (o->positional.size() > 1) return err << usage, 2;
  std::string body;
  const std::string file = o->positional.empty() ? "-" : o->positional[0];
  if (file == "-") {
    std::ostringstream s;
    s << in.rdbuf();
    body = s.str();
  } else {
    std::ifstream f(file, std::ios::binary);
    if (!f) return err << "landed: cannot read " << file << "\n", 2;
    std::ostringstream s;
    s << f.rdbuf();
    body = s.str();
  }
  QuoteContext ctx;
  if (o->values.count("--date") && o->values.count("--at")) return err << "landed: give --date or --at, not both\n", 2;
  const char* at_flag = o->values.count("--at") ? "--at" : "--date";  // --at: the same, named for an instant
  if (o->values.count(at_flag)) {
    const auto t = Timestamp::parse(o->values.at(at_flag));
    if (!t) return err << "landed: " << at_flag << " must be YYYY-MM-DD or an RFC 3339 UTC time\n", 2;
    ctx.now = *t;
  } else {
    ctx.now = Timestamp::from_seconds(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  }
  ctx.quote_id = o->values.count("--id") ? o->values.at("--id") : new_quote_id(ctx.now);
  // The id is written into the quote's JSON: letters, digits, '_' and '-' only (as API ids are).
  if (ctx.quote_id.empty() || ctx.quote_id.size() > limits::id_bytes_max ||
      !std::all_of(ctx.quote_id.begin(), ctx.quote_id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      }))
    return err << "landed: --id must be 1 to " << limits::id_bytes_max << " letters, digits, '_' or '-'\n", 2;
  ctx.ttl_seconds = limits::quote_ttl_seconds_default;
  const auto stale = stale_rates_of(*o, err);
  if (!stale) return 2;
  ctx.stale_rates = *stale;

  auto parsed = parse_request_partial(body);
  if (!parsed.request) return out << http::problem(parsed.errors).dump(2) << "\n", 2;
  const auto& request = parsed.request;
  SnapshotLoad load;
  if (o->values.count("--db")) {
    auto store = open_existing_db(o->values.at("--db"), err);
    if (!store) return 1;
    load = load_snapshot_with_history(paths_from(*o), *store);
  } else {
    load = load_snapshot(paths_from(*o));
  }
  if (!load.snapshot) return print_load_failure(load, err), 1;
  auto quote = price(*request, *load.snapshot, ctx, std::move(parsed.errors));
  if (!quote.ok()) {
    out << http::problem(quote.errors()).dump(2) << "\n";
    // 1: the rates are too old to price with now (the cart may be fine); 2: the input is bad.
    return http::status_for(quote.errors()) == 503 ? 1 : 2;
  }
  out << to_json_pretty(*quote) << "\n";
  return 0;
}

int cmd_format(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const auto o = parse_args(args, 1, {"--no-grouping"}, err);
  if (!o) return 2;
  if (o->positional.size() != 1 || !o->values.count("--locale") || !o->values.count("--currency"))
    return err << usage, 2;
  const auto currency = Currency::of(o->values.at("--currency"));
  if (!currency.ok()) return err << "landed: --currency " << currency.error().message << "\n", 2;
  const auto amount = Decimal::parse(o->positional[0]);
  if (!amount.ok()) return err << "landed: AMOUNT " << amount.error().message << "\n", 2;
  FormatOptions f;
  static const std::map<std::string, FormatOptions::Sign> signs = {
      {"auto", FormatOptions::Sign::automatic}, {"always", FormatOptions::Sign::always},
      {"never", FormatOptions::Sign::never}, {"except-zero", FormatOptions::Sign::except_zero},
      {"accounting", FormatOptions::Sign::accounting}, {"accounting-always", FormatOptions::Sign::accounting_always},
      {"accounting-except-zero", FormatOptions::Sign::accounting_except_zero}};
  static const std::map<std::string, FormatOptions::Display> displays = {
      {"symbol", FormatOptions::Display::symbol}, {"narrow", FormatOptions::Display::narrow_symbol},
      {"code", FormatOptions::Display::code}, {"name", FormatOptions::Display::name},
      {"none", FormatOptions::Display::none}};
  if (o->values.count("--sign")) {
    const auto it = signs.find(o->values.at("--sign"));
    if (it == signs.end()) return err << "landed: unknown --sign\n" << usage, 2;
    f.sign = it->second;
  }
  if (o->values.count("--display")) {
    const auto it = displays.find(o->values.at("--display"));
    if (it == displays.end()) return err << "landed: unknown --display\n" << usage, 2;
    f.display = it->second;
  }
  if (o->values.count("--rounding")) {
    f.rounding = parse_rounding(o->values.at("--rounding"));
    if (!f.rounding) return err << "landed: unknown --rounding\n" << usage, 2;
  }
  for (const auto& [flag, slot] : {std::pair{"--min-fraction", &f.min_fraction_digits},
                                   std::pair{"--max-fraction", &f.max_fraction_digits}}) {
    if (!o->values.count(flag)) continue;
    const std::string& v = o->values.at(flag);
    if (v.empty() || v.size() > 2 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return err << "landed: " << flag << " must be 0 to 20\n", 2;
    *slot = std::stoi(v);
    if (**slot > 20) return err << "landed: " << flag << " must be 0 to 20\n", 2;
  }
  f.grouping = std::find(o->flags.begin(), o->flags.end(), "--no-grouping") == o->flags.end();
  const auto s = Localizer::format_with(o->values.at("--locale"), *currency, *amount, f);
  if (!s.ok()) return err << "landed: --locale " << s.error().message << "\n", 2;
  out << *s << "\n";
  return 0;
}

int cmd_rules(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.size() < 2 || args[1] != "check" || args.size() > 3) return err << usage, 2;
  const std::filesystem::path dir = args.size() == 3 ? std::filesystem::path(args[2]) : DataPaths::defaults().rules;
  auto files = read_json_tree(dir);
  if (!files.ok()) return err << "landed: " << files.error().message << "\n", 1;
  const RuleLoad load = load_rules(*files);
  if (!load.ok()) {
    for (const auto& d : load.diagnostics) {
      Diagnostic shown = d;
      // A problem of the whole set (no merchant at all) names the folder it is about.
      shown.file = (dir / shown.file).string();
      out << shown.to_string() << "\n";
    }
    err << load.diagnostics.size() << " error(s); nothing loaded\n";
    return 1;
  }
  const RuleSet& r = *load.rules;
  out << "ok: " << r.files.size() << " files, " << r.rule_count() << " rules, version " << r.version << "\n";
  out << "tax: " << r.tax.size() << " jurisdictions:";
  for (const auto& [id, j] : r.tax) out << " " << id;
  out << "\nregimes:";
  for (const auto& g : r.regimes) out << " " << g.provenance.id;
  out << "\nmerchants:";
  for (const auto& [id, m] : r.merchants) out << " " << id << (m.is_default ? " (default)" : "");
  out << "\npayment methods: " << r.payments.methods.size();
  if (r.payments.cards) out << ", card brands: " << r.payments.cards->brands.size();
  out << "\nduty territories: " << r.duty.territories.size() << " (" << r.duty.line_count() << " tariff, preference and additional lines):";
  for (const auto& [id, t] : r.duty.territories) out << " " << id << " " << t.valuation;
  out << "\n";
  return 0;
}


std::optional<std::string> read_whole(const std::string& file, std::size_t bytes_max) {
  std::ifstream f(file, std::ios::binary);
  if (!f) return std::nullopt;
  std::string text;
  char buf[65536];
  while (f.read(buf, sizeof buf) || f.gcount() > 0) {
    text.append(buf, std::size_t(f.gcount()));
    if (text.size() > bytes_max) break;  // one byte over: validation calls it malformed
  }
  return text;
}

Timestamp system_now() {
  return Timestamp::from_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

// landed rates fetch|accept: one document, validated against the newest of its source in --rates
// and stored there (app/rates_store.h). 0 stored or nothing new, 1 refused or not fetched, 2 usage.
// landed rates import: ECB's history CSV into the database's rate history (app/rates_history.h).
// 0 imported (or already held), 1 refused or not written, 2 usage.
int cmd_rates_import(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const auto o = parse_args(args, 2, {}, err);
  if (!o) return 2;
  if (!o->positional.empty() || !o->values.count("--csv") || !o->values.count("--db")) return err << usage, 2;
  const std::string& csv = o->values.at("--csv");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(csv, ec)) return err << "landed: no CSV file at " << csv << "\n", 2;
  auto text = read_whole(csv, limits::fx_document_bytes_max);
  if (!text) return err << "landed: cannot read " << csv << "\n", 2;
  const auto started = std::chrono::steady_clock::now();
  auto store = store::Store::open(o->values.at("--db"));
  if (!store.ok()) {
    for (const auto& e : store.errors()) err << "landed: " << e.message << "\n";
    return 1;
  }
  const auto report = import_ecb_history(**store, *text, system_now());
  if (!report.ok()) {
    for (const auto& e : report.errors()) err << "landed: " << csv << ": " << e.message << "\n";
    err << "landed: nothing imported\n";
    return 1;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  out << "imported ECB " << report->first.to_string() << " to " << report->last.to_string() << ": " << report->days
      << " days, " << report->saved.inserted << " new, " << report->saved.unchanged << " already held, into "
      << o->values.at("--db") << " in " << ms << " ms\n";
  if (!report->ignored_currencies.empty()) {
    out << "not imported (no longer current ISO 4217 currencies, so never quoted):";
    for (const auto& c : report->ignored_currencies) out << " " << c;
    out << "\n";
  }
  return 0;
}

int cmd_rates(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.size() >= 2 && args[1] == "import") return cmd_rates_import(args, out, err);
  if (args.size() < 2 || (args[1] != "fetch" && args[1] != "accept")) return err << usage, 2;
  const bool fetch = args[1] == "fetch";
  const auto o = parse_args(args, 2, {"--accept"}, err);
  if (!o) return 2;
  if (fetch ? (!o->positional.empty() || !o->values.count("--url")) : o->positional.size() != 1)
    return err << usage, 2;
  RateFormat format = RateFormat::ecb_xml;
  if (o->values.count("--format")) {
    const auto f = parse_rate_format(o->values.at("--format"));
    if (!f || *f == RateFormat::ecb_csv) return err << "landed: --format must be ecb-xml or json\n", 2;
    format = *f;
  }
  std::string source = format == RateFormat::ecb_xml ? "eurofxref" : "provider";
  if (o->values.count("--source")) {
    if (format != RateFormat::provider_json) return err << "landed: --source names a JSON source (--format json)\n", 2;
    source = o->values.at("--source");
    if (!valid_source_name(source))
      return err << "landed: --source must be 1 to " << limits::rates_source_name_bytes_max
                 << " of a-z, 0-9 or '_' (and not \"eurofxref\")\n",
             2;
  }
  const std::filesystem::path dir = paths_from(*o).rates;
  ValidationPolicy policy;
  policy.operator_accepted = !fetch || std::find(o->flags.begin(), o->flags.end(), "--accept") != o->flags.end();

  std::string text;
  if (fetch) {
    const std::string& url = o->values.at("--url");
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
      return err << "landed: --url must be an http:// or https:// URL\n", 2;
    const FetchOutcome got = Fetcher().get({url, {}, {}});
    if (!got.ok()) {
      out << "not fetched (" << got.reason << "): " << got.message << "; nothing stored\n";
      return 1;
    }
    text = got.body;
  } else {
    auto read = read_whole(o->positional[0], limits::fx_document_bytes_max);
    if (!read) return err << "landed: cannot read " << o->positional[0] << "\n", 2;
    text = std::move(*read);
  }
  auto stored = validate_and_store(dir, format, source, text, system_now(), policy);
  if (!stored.ok()) {
    for (const auto& e : stored.errors()) err << "landed: " << e.message << "\n";
    return 1;
  }
  out << stored->line << "\n";
  return stored->accepted() ? 0 : 1;
}

int cmd_serve(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const auto o = parse_args(args, 1, {}, err);
  if (!o) return 2;
  // A server allocates and frees the same sizes all day: keep freed memory in the allocator
  // instead of trimming each worker's heap back to the OS and growing it again (an mprotect or
  // madvise per trim, thousands a second under load). Fixed thresholds also stop glibc from
  // moving its mmap threshold as sizes vary.
  mallopt(M_TRIM_THRESHOLD, int(limits::malloc_trim_threshold_bytes));
  mallopt(M_MMAP_THRESHOLD, int(limits::malloc_mmap_threshold_bytes));
  if (!o->positional.empty() || !o->values.count("--keys")) return err << usage, 2;
  ServiceOptions options;
  options.paths = paths_from(*o);
  options.keys_path = o->values.at("--keys");
  if (o->values.count("--db")) options.db_path = o->values.at("--db");
  const auto number = [&](const char* flag, std::int64_t lo, std::int64_t hi, std::int64_t& slot) {
    if (!o->values.count(flag)) return true;
    const std::string& v = o->values.at(flag);
    if (v.empty() || v.size() > 9 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoll(v) < lo || std::stoll(v) > hi) {
      err << "landed: " << flag << " must be from " << lo << " to " << hi << "\n";
      return false;
    }
    slot = std::stoll(v);
    return true;
  };
  std::int64_t threads = 0;
  std::int64_t queue_max = std::int64_t(options.quote_queue_max);
  if (!number("--threads", 1, 256, threads) || !number("--quote-ttl-seconds", 1, 7 * 24 * 3600, options.quote_ttl_seconds) ||
      !number("--quote-retention-days", 0, limits::quote_retention_days_max, options.quote_retention_days) ||
      !number("--idempotency-retention-hours", limits::idempotency_ttl_seconds / 3600,
              limits::idempotency_retention_hours_max, options.idempotency_retention_hours) ||
      !number("--quote-queue-max", 1, std::int64_t(limits::quote_queue_max), queue_max))
    return 2;
  options.threads = int(threads);
  options.quote_queue_max = std::size_t(queue_max);
  std::int64_t refresh_seconds = limits::rates_refresh_seconds_default;
  if (!number("--rates-refresh-seconds", limits::rates_refresh_seconds_min, limits::rates_refresh_seconds_max,
              refresh_seconds))
    return 2;
  options.rates_refresh_interval = std::chrono::seconds(refresh_seconds);
  const auto stale = stale_rates_of(*o, err);
  if (!stale) return 2;
  options.stale_rates = *stale;
  const auto feeds = o->all.equal_range("--rates-feed");
  for (auto it = feeds.first; it != feeds.second; ++it) {
    auto feed = parse_rate_feed(it->second);
    if (!feed.ok()) return err << "landed: " << feed.error().message << "\n", 2;
    options.rate_feeds.push_back(std::move(feed).value());
  }
  if (options.rate_feeds.size() > limits::rates_feeds_max)
    return err << "landed: at most " << limits::rates_feeds_max << " --rates-feed\n", 2;
  // Quotes price from one provider (app/files.cpp); mirrors of the same one may repeat.
  for (const auto& f : options.rate_feeds)
    for (const auto& g : options.rate_feeds)
      if (f.format == RateFormat::provider_json && g.format == RateFormat::provider_json && f.source != g.source)
        return err << "landed: --rates-feed: one JSON provider is supported (" << f.source << ", " << g.source << ")\n", 2;
  std::string listen = o->values.count("--listen") ? o->values.at("--listen") : "127.0.0.1:8080";
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size()) return err << "landed: --listen must be HOST:PORT\n", 2;
  std::int64_t port = 0;
  const std::string port_text = listen.substr(colon + 1);
  if (port_text.size() > 5 || !std::all_of(port_text.begin(), port_text.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      (port = std::stoll(port_text)) > 65535)
    return err << "landed: --listen port must be 0 to 65535\n", 2;
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);

  // A file size limit (RLIMIT_FSIZE) must make writes fail with EFBIG, which the store reports
  // as a failed write (503, /readyz), not kill the process with SIGXFSZ.
  std::signal(SIGXFSZ, SIG_IGN);
  // A peer closing a socket must be an error on that write, never a kill: the fetcher sets
  // CURLOPT_NOSIGNAL, and this covers whatever TLS writes it does on a closed connection.
  std::signal(SIGPIPE, SIG_IGN);
  // Signals are handled by this thread only: block them before the worker threads start.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGHUP, SIGINT, SIGTERM}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto service = Service::create(options, std::make_shared<SystemClock>());
  if (!service.ok()) {
    for (const auto& e : service.errors()) err << "landed: " << e.message << "\n";
    return 1;
  }
  auto bound = (*service)->listen(host, int(port));
  if (!bound.ok()) return err << "landed: " << bound.error().message << "\n", 1;
  (*service)->start();
  out << "landed: listening on http://" << listen.substr(0, colon) << ":" << *bound << std::endl;
  if (options.stale_rates == StaleRatesMode::warn)
    out << "landed: --stale-rates warn: quotes on rates past refuse_after are priced with a stale_rates warning, "
           "not refused (development only)"
        << std::endl;
  while (true) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      const auto report = (*service)->reload();
      if (report.reloaded) {
        err << "landed: reloaded\n";
      } else {
        err << "landed: reload refused; the active rules keep serving\n";
        for (const auto& d : report.diagnostics) err << d.to_string() << "\n";
        for (const auto& e : report.errors) err << "landed: " << e.message << "\n";
      }
      continue;
    }
    err << "landed: stopping\n";
    (*service)->stop();
    return 0;
  }
}

}  // namespace

std::string new_quote_id(Timestamp now) {
  // "q_", then the creation second in 7 base-36 digits, then 13 base-36 characters (about 67
  // bits) from the OS random source. The time prefix makes ids of one period sort together, so
  // the database appends to its id index instead of touching a random page per quote; the
  // random part keeps ids unguessable, with no per-thread generator state that could repeat.
  static constexpr char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  thread_local std::random_device os;
  std::string id = "q_";
  std::int64_t s = std::max<std::int64_t>(0, now.seconds());
  char stamp[7];
  for (int i = 6; i >= 0; --i) {
    stamp[i] = alphabet[s % 36];
    s /= 36;
  }
  id.append(stamp, sizeof stamp);
  for (const int digits : {5, 4, 4}) {
    std::uint32_t bits = os();  // 36^5 < 2^32: each draw gives its digits with negligible bias
    for (int i = 0; i < digits; ++i) {
      id += alphabet[bits % 36];
      bits /= 36;
    }
  }
  return id;
}

namespace {

int dispatch(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "help" || args[0] == "--help") return (args.empty() ? err : out) << usage, args.empty() ? 2 : 0;
  if (args[0] == "quote") return cmd_quote(args, in, out, err);
  if (args[0] == "format") return cmd_format(args, out, err);
  if (args[0] == "rules") return cmd_rules(args, out, err);
  if (args[0] == "serve") return cmd_serve(args, out, err);
  if (args[0] == "rates") return cmd_rates(args, out, err);
  err << "landed: unknown command " << args[0] << "\n" << usage;
  return 2;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err) {
  // A bug, not bad input, but the user still gets a problem document and an exit code, never an
  // abort and a core dump.
  const auto internal = [&](const std::string& what) {
    err << "landed: internal error: " << what << "\n";
    out << nlohmann::ordered_json{{"type", "/problems/internal"},
                                  {"title", "Internal error"},
                                  {"status", 500},
                                  {"detail", what}}
               .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
        << "\n";
    return 2;
  };
  try {
    return dispatch(args, in, out, err);
  } catch (const std::exception& e) {
    return internal(valid_utf8(e.what()));
  } catch (...) {
    return internal("unknown exception");
  }
}

}  // namespace landed::app
