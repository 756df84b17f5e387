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

// --- amounts -------------------------------------------------------------------------------
// Input amounts: at most 12 integer digits (under a trillion) and, for unit prices, 6 fraction
// digits. unit × quantity (at most 24 digits) is exact in the 128-bit mantissa; its product with
// an FX rate (fx_rate_digits of mid times 1 + markup: up to 19 digits) may not be, so conversion
// forms that product in 256 bits and rounds it once (Decimal::multiply_round).
inline constexpr int amount_integer_digits_max = 12;
inline constexpr int unit_price_fraction_digits_max = 6;
// Largest scale a Decimal may carry (digits after the point).
inline constexpr int decimal_scale_max = 30;
// Significant digits kept in an applied FX rate (enough for IDR->KWD and back).
inline constexpr int fx_rate_digits = 10;
// Rates and percentages in rule files: fraction digits.
inline constexpr int rate_fraction_digits_max = 8;

// --- rule files ----------------------------------------------------------------------------
inline constexpr std::size_t rule_file_bytes_max = 1 << 20;
inline constexpr std::size_t rule_files_max = 1000;
inline constexpr std::size_t rules_per_file_max = 5000;
inline constexpr std::size_t rule_errors_max = 200;  // report this many, then stop listing

// --- rates and catalogs --------------------------------------------------------------------
inline constexpr std::size_t rates_file_bytes_max = 1 << 20;
// Days of rates held in memory (rates/ keeps history; live FX will prune it).
inline constexpr std::size_t rate_files_max = 4000;
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

// --- quotes and state ---------------------------------------------------------------------
inline constexpr std::int64_t quote_ttl_seconds_default = 30 * 60;
// A queued quote is committed within this time: the most a crash can lose.
inline constexpr int quote_flush_ms = 5;
// A batch is committed early when this many quotes wait (bounds memory and commit size).
inline constexpr std::size_t quote_batch_max = 1024;
// Beyond this many queued quotes, save_quote waits for the writer (back-pressure, not OOM).
inline constexpr std::size_t quote_queue_max = 100000;
// API.md: an Idempotency-Key is remembered for 24 hours.
inline constexpr std::int64_t idempotency_ttl_seconds = 24 * 3600;
inline constexpr std::size_t idempotency_key_bytes_max = 255;
// SQLite page cache per connection (KiB) and WAL pages (64 KiB each on a new file) before a
// checkpoint copies them into the database: bounds memory and the WAL file at about 16 MiB.
inline constexpr int db_cache_kib = 32 << 10;
inline constexpr int db_wal_checkpoint_pages = 256;
// SQLite waits this long for a lock before reporting busy.
inline constexpr int db_busy_timeout_ms = 5000;

// --- HTTP ----------------------------------------------------------------------------------
inline constexpr std::size_t header_bytes_max = 16 << 10;
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
// glibc malloc for the server: free memory kept per heap before returning it to the OS, and the
// size from which an allocation gets its own mapping (a 1 MiB body does; a quote does not).
inline constexpr std::size_t malloc_trim_threshold_bytes = 64 << 20;
inline constexpr std::size_t malloc_mmap_threshold_bytes = 1 << 20;
inline constexpr std::size_t keys_file_bytes_max = 1 << 20;

}  // namespace landed::limits
