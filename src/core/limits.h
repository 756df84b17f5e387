// Every bound on input and work, in one place, named with units last. A bound exists so that a
// hostile or mistaken input is refused with a clear error instead of exhausting memory or time,
// and so that exact decimal arithmetic provably fits its 128-bit representation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace landed::limits {

// --- quote requests -------------------------------------------------------------------------
// API.md: 1..500 items per cart.
inline constexpr std::size_t items_max = 500;
// A checkout line never needs more; bounds subtotal magnitude (see decimal budget below).
inline constexpr std::int64_t quantity_max = 100000;
// Short identifiers (sku, merchant, ids, city...) and free text (description).
inline constexpr std::size_t id_bytes_max = 128;
inline constexpr std::size_t text_bytes_max = 1024;
// BCP 47 tags longer than this are not real locales.
inline constexpr std::size_t locale_bytes_max = 64;
// JSON nesting of a request; a cart is 4 deep, so 32 only refuses abuse.
inline constexpr std::size_t json_depth_max = 32;
// Whole request body (HTTP and CLI alike).
inline constexpr std::size_t body_bytes_max = 1 << 20;
// Values (every member, element and container) in one request body. A full cart (500 items of
// about a dozen values each) is some 7,000 and a rule validation of rule_files_max files about
// 3,000: this refuses, early and in linear time, a body made of tens of thousands of keys.
inline constexpr std::size_t json_values_max = 20000;
// An object's keys are checked for repeats by scanning as they arrive up to this many (cheaper
// than sorting for the few keys a cart's objects have); past it, by sorting at the close. A
// sort, not a hash set: its cost cannot be driven quadratic by keys chosen to collide.
inline constexpr std::size_t json_scan_keys_max = 16;
// Problems listed in one error response; the rest are counted ("errors_omitted"). 100 is more
// than any person fixes in one go, and keeps a reply to a hostile body a few KiB, not megabytes.
inline constexpr std::size_t problem_errors_max = 100;

// --- amounts -------------------------------------------------------------------------------
// Input amounts: at most 12 integer digits (under a trillion) and, for unit prices, 6 fraction
// digits. unit × quantity (at most 24 digits) is exact in the 128-bit mantissa; its product with
// an FX rate (fx_rate_digits of mid times 1 + markup: up to 19 digits) may not be, so conversion
// forms that product in 256 bits and rounds it once (Decimal::multiply_round).
inline constexpr int amount_integer_digits_max = 12;
inline constexpr int unit_price_fraction_digits_max = 6;
// Largest scale a Decimal may carry (digits after the point).
inline constexpr int decimal_scale_max = 30;
// Significant digits kept in an FX mid rate (enough for IDR->KWD and back); the applied rate is
// that mid times (1 + markup), exactly, so it may have up to 19.
inline constexpr int fx_rate_digits = 10;
// ECB publishes a day's reference rates "at around 16:00 CET" (Frankfurt civil time): the table
// of day D is in force from D at this many seconds after local midnight.
inline constexpr std::int64_t ecb_publication_seconds_after_midnight = 16 * 3600;
// Rates and percentages in rule files: fraction digits.
inline constexpr int rate_fraction_digits_max = 8;
// A merchant's FX markup (the default and each per-pair one) must be below this fraction. A markup
// is a margin over the mid rate: card schemes' cross-border fees are 1-3 %, dynamic currency
// conversion rarely above 12 %. At 20 % it is a slip ("0.2" meant for "0.02") or a price rise that
// belongs in the price list, and a slip in a rule file would overcharge every buyer in that
// currency. Text, parsed as an exact Decimal (never a double).
inline constexpr std::string_view fx_markup_max = "0.20";

// --- rule files ----------------------------------------------------------------------------
inline constexpr std::size_t rule_file_bytes_max = 1 << 20;
inline constexpr std::size_t rule_files_max = 1000;
inline constexpr std::size_t rules_per_file_max = 5000;
inline constexpr std::size_t rule_errors_max = 200;  // report this many, then stop listing
// Payment rules (rules/payments/): an amount bound in minor units, far above any checkout (10^15
// minor units is 10^13 in a 2-digit currency) yet small enough that comparisons stay in int64.
inline constexpr std::int64_t payment_amount_minor_max = 1'000'000'000'000'000;
// Ranks order methods in a market: 0..payment_rank_max, room for every method with gaps.
inline constexpr std::int64_t payment_rank_max = 1000;
// A card BIN/IIN is 6 or 8 digits (ISO/IEC 7812 moved to 8 in 2022); patterns are no longer.
inline constexpr std::size_t card_bin_digits_min = 6;
inline constexpr std::size_t card_bin_digits_max = 8;
// A User-Agent is a few hundred bytes; longer ones are truncated by every browser's own limits.
inline constexpr std::size_t user_agent_bytes_max = 2048;

// --- rates and catalogs --------------------------------------------------------------------
inline constexpr std::size_t rates_file_bytes_max = 1 << 20;
// Days of rates held in memory (rates/ keeps history; live FX will prune it).
inline constexpr std::size_t rate_files_max = 4000;
// Days of one source's rate history held in the database and in memory (store rate_sets, the
// snapshot's RateHistory). ECB's history since 1999-01-04 is ~7,000 business days and grows by
// ~256 a year; 20,000 leaves room for decades more (or a daily provider's ~365 a year for as
// long), while bounding what one load reads: each day is ~30 rates, a few KB in memory.
inline constexpr std::size_t rate_history_days_max = 20000;
inline constexpr std::size_t catalog_file_bytes_max = 256 << 10;
inline constexpr std::size_t catalog_messages_max = 500;
// Per-thread clones of catalog messages (each worker formats with its own); past this many the
// thread's clones are dropped and rebuilt as used, which bounds what reloads leave behind.
inline constexpr std::size_t message_clones_per_thread_max = 4096;
// Formatters built lazily for locales outside the catalogs; beyond this, built per use.
inline constexpr std::size_t formatter_cache_entries_max = 4096;

// --- live FX -------------------------------------------------------------------------------
// Fetching a rate feed (src/fetch). A refresh runs off the request path, so these bound how long
// one refresh can hold its thread and how much memory one response can take, not request latency.
// A feed host that is up completes TCP and TLS handshakes in well under a second; 5 s rides out a
// slow path and still fails fast enough for the retries to fit in one refresh.
inline constexpr int fx_fetch_connect_timeout_ms = 5000;
// Whole transfer of one attempt, redirects included. ECB's 90-day file (~40 KB) arrives in well
// under a second; 30 s bounds a feed that answers byte by byte, which no per-read timeout catches.
inline constexpr int fx_fetch_total_timeout_ms = 30000;
// Below this many bytes per second for this long, a transfer is stalled and abandoned before the
// total timeout: a working feed sends kilobytes per second.
inline constexpr long fx_fetch_low_speed_bytes_per_second = 100;
inline constexpr long fx_fetch_low_speed_window_seconds = 10;
// Response body cap (after decompression): the largest ECB document, the full-history XML, is a
// few MB; a daily or JSON feed is a few KB. Past this the transfer is aborted, not buffered.
inline constexpr std::size_t fx_fetch_body_bytes_max = 16 << 20;
// Feeds move (ECB has moved its files before) so a few redirects are followed; more is a loop.
inline constexpr long fx_fetch_redirects_max = 5;
// Attempts per fetch, the first included: three retries ride out a restart or a brief outage;
// the next scheduled refresh (an hour later by default) is the retry after that.
inline constexpr int fx_fetch_attempts_max = 4;
// Exponential backoff with full jitter between attempts: a retry waits a uniformly random time in
// [0, min(max, base × 2^(retry-1))], so feeds' clients do not retry in step after an outage.
inline constexpr int fx_fetch_backoff_base_ms = 500;
inline constexpr int fx_fetch_backoff_max_ms = 30000;
// A 429 or 503 Retry-After is honoured up to this; a server asking for longer is not retried
// (the next scheduled refresh tries again) rather than holding the refresh thread for it.
inline constexpr int fx_fetch_retry_after_max_ms = 60000;
// Rate documents (src/fx): bytes parsed, days in one document (ECB publishes ~256 days a year:
// since 1999 that is ~7000) and currencies in one day (ISO 4217 has under 200 active codes).
inline constexpr std::size_t fx_document_bytes_max = 16 << 20;
inline constexpr std::size_t fx_document_days_max = 20000;
inline constexpr std::size_t fx_document_currencies_max = 400;
// A rate moving by more than this fraction from the last accepted one is refused until an
// operator accepts it: a 20 % day is a devaluation or a feed error, and both deserve a human.
// Text, parsed as an exact Decimal (never a double).
inline constexpr std::string_view fx_move_fraction_max = "0.20";
// Background refresh of `landed serve --rates-feed` (src/app/rates_refresher). ECB publishes once
// a business day, so hourly (the default) notices a new day within the hour at negligible load on
// the feed; under a minute would only hammer it, and over a day would let a day go unseen.
inline constexpr std::int64_t rates_refresh_seconds_default = 3600;
inline constexpr std::int64_t rates_refresh_seconds_min = 60;
inline constexpr std::int64_t rates_refresh_seconds_max = 24 * 3600;
// Feeds one server refreshes: a primary and a secondary source, with room for mirrors; each is a
// fetch per refresh and a set of metric series, so the count is kept small.
inline constexpr std::size_t rates_feeds_max = 8;
// A JSON source's name is a file name prefix and a metric label: short, [a-z0-9_] (app/files.cpp).
inline constexpr std::size_t rates_source_name_bytes_max = 32;
// Staleness policy (rules/rule_set.h RatesStaleness): a merchant's warn/refuse hours are 1 to
// this. Four weeks: a rate a month overdue is no live rate, and a bigger figure is a typo that
// would let quotes price on it without a word.
inline constexpr std::int64_t rates_staleness_hours_max = 4 * 7 * 24;
// Retry-After of a quote refused for expired rates: the refresher's default interval, the
// soonest new rates can arrive.
inline constexpr std::int64_t stale_rates_retry_after_seconds = rates_refresh_seconds_default;

// --- quotes and state ---------------------------------------------------------------------
inline constexpr std::int64_t quote_ttl_seconds_default = 30 * 60;
// A queued quote is committed within this time: the most a crash can lose.
inline constexpr int quote_flush_ms = 5;
// A batch is committed early when this many quotes wait (bounds memory and commit size).
inline constexpr std::size_t quote_batch_max = 1024;
// Quotes accepted but not yet committed (queued or being written), held in memory and readable.
// A quote row is about 6 KB (request and response), so this bounds the queue near 200 MB, and
// at peak rate (~17k quotes/s) absorbs about 2 s of a stalled disk. Beyond it a quote is
// refused with 503 (the request thread never waits for the disk). `landed serve
// --quote-queue-max` lowers it for small machines (and for the full-disk test).
inline constexpr std::size_t quote_queue_max = 32768;
// /readyz says not ready once the queue is over this share of its bound (quote_queue_max / 2
// by default): the disk is falling behind and a load balancer should send traffic elsewhere.
inline constexpr std::size_t quote_queue_high_water_percent = 50;
// API.md: an Idempotency-Key is remembered for 24 hours.
inline constexpr std::int64_t idempotency_ttl_seconds = 24 * 3600;
inline constexpr std::size_t idempotency_key_bytes_max = 255;
// Retention, pruned in the background: idempotency records are kept as long as API.md promises
// to remember them (24 h; more with --idempotency-retention-hours), unordered quotes 30 days
// after they expire (enough for support to look up what a buyer was shown last month; more or
// less with --quote-retention-days). Orders and their quotes are books: never pruned.
inline constexpr std::int64_t quote_retention_days_default = 30;
inline constexpr std::int64_t quote_retention_days_max = 3650;
inline constexpr std::int64_t idempotency_retention_hours_max = 24 * 366;
// The writer looks for prunable rows this often, and deletes at most this many rows per table
// per transaction: a chunk holds the write lock for a few ms, and batches and orders run
// between chunks, so a backlog (after downtime or a retention change) never stalls writes.
inline constexpr int prune_interval_ms = 60000;
inline constexpr std::int64_t prune_chunk_rows = 500;
// SQLite page cache per connection (KiB) and WAL pages (64 KiB each on a new file) before a
// checkpoint copies them into the database: bounds memory and the WAL file at about 16 MiB.
inline constexpr int db_cache_kib = 32 << 10;
inline constexpr int db_wal_checkpoint_pages = 256;
// Reads have their own connections (WAL lets them run beside a writer and never wait for one):
// at most this many, each with a smaller cache than the writer's. Workers are one per core, so
// 8 covers typical hosts; beyond it a read waits (up to db_read_wait_ms) for a free connection.
inline constexpr std::size_t db_read_connections_max = 8;
inline constexpr int db_read_cache_kib = 8 << 10;
inline constexpr int db_read_wait_ms = 1000;
// The longest a write (an order, a quote batch, a prune chunk) waits for the database's write
// lock before failing (an order then gets 503 + Retry-After). A normal commit with fsync takes a
// few ms, a batch of quote_batch_max rows some tens, so 250 ms absorbs ordinary contention and
// still answers a checkout, whose own timeout is a second or two, honestly and quickly.
inline constexpr int db_write_wait_ms = 250;
// Opening waits this long for a lock another process holds (a backup, the sqlite3 shell) before
// migrating; nothing is being served yet, so waiting is better than refusing to start.
inline constexpr int db_open_wait_ms = 5000;
// After a failed write the writer waits this long before trying again (or probing, when nothing
// is queued, so /readyz sees a recovered disk without waiting for traffic).
inline constexpr int db_write_retry_ms = 100;
// Shutdown writes queued quotes for at most this long (then what is left is logged as lost), so
// SIGTERM ends on a full or locked disk; a last attempt adds at most db_write_wait_ms.
inline constexpr int db_shutdown_flush_ms = 2000;
// Retry-After (seconds) on a 503 caused by the store: long enough for a lock to clear or the
// queue to drain, short enough that a checkout retries within its session.
inline constexpr int store_retry_after_seconds = 1;

// --- HTTP ----------------------------------------------------------------------------------
inline constexpr std::size_t header_bytes_max = 16 << 10;
// A query string's parameters: every GET endpoint takes a handful; more is a mistake or abuse.
inline constexpr std::size_t query_params_max = 64;
// Initial read buffer of a connection: a typical cart and its header arrive in one read; larger
// bodies grow it up to body_bytes_max. Per connection, so it also bounds idle memory.
inline constexpr std::size_t read_buffer_bytes = 8 << 10;
// A client must send its whole header within this time, and may idle this long between
// keep-alive requests, before the connection is closed.
inline constexpr int header_timeout_ms = 10000;
inline constexpr int idle_timeout_ms = 60000;
// Graceful shutdown waits this long for in-flight requests.
inline constexpr int drain_timeout_ms = 10000;
inline constexpr std::size_t api_keys_max = 10000;
// Merchants one key may name (a platform key for many shops lists them; admin says "*").
inline constexpr std::size_t key_merchants_max = 10000;
// glibc malloc for the server: free memory kept per heap before returning it to the OS, and the
// size from which an allocation gets its own mapping (a 1 MiB body does; a quote does not).
inline constexpr std::size_t malloc_trim_threshold_bytes = 64 << 20;
inline constexpr std::size_t malloc_mmap_threshold_bytes = 1 << 20;
inline constexpr std::size_t keys_file_bytes_max = 1 << 20;
// Open connections per server. Each costs a file descriptor and at least read_buffer_bytes;
// 10,000 is well past what 2-8 workers serve with keep-alive (the benchmark uses 64) and keeps
// idle memory under about 100 MiB. A connection over the cap is answered 503 and closed.
inline constexpr std::size_t connections_max = 10000;
// Over-cap clients being answered 503 at once (each lingers up to linger_timeout_ms). Past this
// many, a new over-cap connection is closed without an answer: a flood then costs at most
// connections_max + refused_connections_max descriptors, and 256 refusals in flight is far more
// than a real client population needs to learn to back off.
inline constexpr std::size_t refused_connections_max = 256;
// Out of file descriptors (EMFILE/ENFILE) or kernel memory, the acceptor waits this long before
// trying again, instead of retrying at once and spinning a core; 50 ms is a few accept attempts
// per second of outage and no noticeable delay once descriptors free up.
inline constexpr int accept_backoff_ms = 50;
// Seconds a refused (over-cap, 503) client is told to wait before retrying.
inline constexpr int retry_after_seconds = 1;
// Lingering close (as nginx does): after a final response on a connection that may still have
// unread request bytes (a 413 sent before the body, a 400, a 503), the server stops sending and
// reads and discards what the client is still sending, so the client sees the response instead
// of a reset. Bounded in bytes (4 bodies' worth: enough for a client that sends its whole
// slightly-too-large body) and time (nginx's lingering_timeout is 5 s; 2 s holds a descriptor
// less long), whichever ends first.
inline constexpr std::size_t linger_discard_bytes_max = 4 << 20;
inline constexpr int linger_timeout_ms = 2000;

// --- business buyers' tax numbers ------------------------------------------------------------
// A VAT/GST/business number as typed: the longest real form (a 15-character GSTIN, a Canadian BN
// with its program account, "CHE-123.456.789 MWST") is under 25 characters even with every
// separator; 64 leaves room for generous spacing and refuses, before any parsing, text that
// cannot be a tax number (a pasted paragraph, a hostile megabyte).
inline constexpr std::size_t tax_id_bytes_max = 64;

// --- metrics -------------------------------------------------------------------------------
// Every label of /metrics takes a bounded set of values, so no request can grow the series
// without limit: route is one of the API's patterns (about a dozen, plus "unmatched" and
// "(server)"), method one of the 9 RFC 9110 methods plus "other", status one of the codes the
// server produces (any other folds to "other"). The destination label of quotes is a country the
// request validated against ICU's ISO 3166-1 list (249 codes in ICU 72); anything that is not two
// capital letters folds to "other", so its structural bound is 26 * 26 + 1.
inline constexpr std::size_t metrics_destinations_max = 26 * 26 + 1;
// Live FX labels (outcome, reason, source): the callers pass fixed codes (4 outcomes, 11 fetch
// and 7 validation reasons, "store") and at most rates_feeds_max sources; this keeps the bound
// whatever calls it, with room to spare.
inline constexpr std::size_t metrics_rates_labels_max = 32;

}  // namespace landed::limits
