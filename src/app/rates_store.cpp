#include "app/rates_store.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "core/limits.h"

namespace landed::app {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view ecb_prefix = "eurofxref";

Error io_error(std::string message) { return Error{ErrorCode::io_error, std::move(message), ""}; }

Result<std::string> read_text(const fs::path& p) {
  std::error_code ec;
  const auto size = fs::file_size(p, ec);
  if (ec) return io_error(p.string() + ": " + ec.message());
  if (size > limits::fx_document_bytes_max)
    return io_error(p.string() + ": larger than " + std::to_string(limits::fx_document_bytes_max) + " bytes");
  std::ifstream in(p, std::ios::binary);
  if (!in) return io_error(p.string() + ": cannot be opened");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// "<prefix>-YYYY-MM-DD<ext>": the day, or nullopt for any other name.
std::optional<Date> day_of(const std::string& name, std::string_view prefix, std::string_view ext) {
  const std::size_t len = prefix.size() + 1 + 10 + ext.size();
  if (name.size() != len || name.compare(0, prefix.size(), prefix) != 0 || name[prefix.size()] != '-' ||
      name.compare(len - ext.size(), ext.size(), ext) != 0)
    return std::nullopt;
  return Date::parse(std::string_view(name).substr(prefix.size() + 1, 10));
}

std::string_view extension(RateFormat format) { return format == RateFormat::ecb_xml ? ".xml" : ".json"; }

fs::path file_for(const fs::path& dir, RateFormat format, std::string_view source, const Date& day) {
  return dir / (std::string(source) + "-" + day.to_string() + std::string(extension(format)));
}

// Writes to a hidden temporary name beside the target, then renames: atomic on one file system.
Result<bool> write_atomically(const fs::path& target, std::string_view text) {
  const fs::path tmp = target.parent_path() / ("." + target.filename().string() + ".tmp" + std::to_string(::getpid()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), std::streamsize(text.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      return io_error(target.string() + ": cannot be written");
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    return io_error(target.string() + ": " + ec.message());
  }
  return true;
}

// The table a file on disk holds, for comparing with a day about to be written.
std::optional<BaseRateTable> table_in(const fs::path& file, RateFormat format, std::string_view source) {
  auto text = read_text(file);
  if (!text.ok()) return std::nullopt;
  if (format == RateFormat::ecb_xml) {
    auto t = RateTable::parse_ecb_xml(*text, display_source(format, source));
    if (!t.ok()) return std::nullopt;
    return BaseRateTable::from_ecb(*t);
  }
  auto t = parse_provider_json(*text, display_source(format, source));
  if (!t.ok()) return std::nullopt;
  return std::move(t).value();
}

bool same_rates(const BaseRateTable& a, const BaseRateTable& b) {
  return a.base().code() == b.base().code() && a.as_of() == b.as_of() && a.per_base() == b.per_base();
}

}  // namespace

bool valid_source_name(std::string_view name) {
  return !name.empty() && name.size() <= limits::rates_source_name_bytes_max && name != ecb_prefix &&
         std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::string display_source(RateFormat format, std::string_view source) {
  if (format != RateFormat::provider_json) return "ECB";
  std::string out(source);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  return out;
}

Result<RateFeed> parse_rate_feed(std::string_view spec) {
  RateFeed feed;
  std::string_view rest = spec;
  const auto bad = [&](const std::string& why) {
    return Error{ErrorCode::invalid_field, "--rates-feed " + why, ""};
  };
  if (rest.rfind("json:", 0) == 0) {
    feed.format = RateFormat::provider_json;
    rest.remove_prefix(5);
    feed.source = "provider";
    // "NAME=URL": a name is [a-z0-9_-] only, so an '=' before "://" ends it.
    const auto eq = rest.find('=');
    const auto scheme = rest.find("://");
    if (eq != std::string_view::npos && (scheme == std::string_view::npos || eq < scheme)) {
      feed.source = std::string(rest.substr(0, eq));
      rest.remove_prefix(eq + 1);
      if (!valid_source_name(feed.source))
        return bad("source name must be 1 to " + std::to_string(limits::rates_source_name_bytes_max) +
                   " of a-z, 0-9 or '_' (and not \"eurofxref\")");
    }
  } else {
    if (rest.rfind("ecb:", 0) == 0) rest.remove_prefix(4);
    feed.format = RateFormat::ecb_xml;
    feed.source = std::string(ecb_prefix);
  }
  if (rest.rfind("http://", 0) != 0 && rest.rfind("https://", 0) != 0) return bad("needs an http:// or https:// URL");
  feed.url = std::string(rest);
  return feed;
}

Result<std::optional<BaseRateTable>> last_accepted(const fs::path& dir, RateFormat format, std::string_view source) {
  std::error_code ec;
  std::optional<std::pair<Date, fs::path>> newest;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const auto day = day_of(it->path().filename().string(), source, extension(format));
    if (day && (!newest || newest->first < *day)) newest = std::pair{*day, it->path()};
  }
  if (ec) return io_error(dir.string() + ": " + ec.message());
  if (!newest) return std::optional<BaseRateTable>{};
  auto text = read_text(newest->second);
  if (!text.ok()) return text.errors();
  if (format == RateFormat::ecb_xml) {
    auto t = RateTable::parse_ecb_xml(*text, display_source(format, source));
    if (!t.ok()) return io_error(newest->second.string() + ": " + t.error().message);
    return std::optional<BaseRateTable>(BaseRateTable::from_ecb(*t));
  }
  auto t = parse_provider_json(*text, display_source(format, source));
  if (!t.ok()) return io_error(newest->second.string() + ": " + t.error().message);
  return std::optional<BaseRateTable>(std::move(t).value());
}

std::string ecb_day_xml(const RawDay& day) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<gesmes:Envelope xmlns:gesmes=\"http://www.gesmes.org/xml/2002-08-01\" "
      "xmlns=\"http://www.ecb.int/vocabulary/2002-08-01/eurofxref\">\n"
      "\t<gesmes:subject>Reference rates</gesmes:subject>\n"
      "\t<gesmes:Sender>\n\t\t<gesmes:name>European Central Bank</gesmes:name>\n\t</gesmes:Sender>\n"
      "\t<!-- Stored by landed rates fetch/accept (or the serve refresher) from a validated ECB document -->\n"
      "\t<Cube>\n\t\t<Cube time='" +
      day.date.to_string() + "'>\n";
  // Codes and rates were validated (ISO 4217 letters, plain decimals): nothing to escape.
  for (const auto& r : day.rates) out += "\t\t\t<Cube currency='" + r.currency + "' rate='" + r.rate + "'/>\n";
  out += "\t\t</Cube>\n\t</Cube>\n</gesmes:Envelope>\n";
  return out;
}

Result<StoreOutcome> validate_and_store(const fs::path& dir, RateFormat format, std::string_view source,
                                        std::string_view text, Timestamp now, const ValidationPolicy& policy) {
  if (format == RateFormat::ecb_csv)
    return Error{ErrorCode::unsupported, "the ECB history CSV is imported by tools/, not stored here", ""};
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return io_error(dir.string() + ": not a folder");
  if (format == RateFormat::provider_json) {
    // The loader (app/files.cpp) prices from one provider: a second one's files would make
    // every reload fail, so they are refused here, before anything is written.
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (it->path().extension() != ".json" || name.size() <= 16) continue;
      const std::string other = name.substr(0, name.size() - 16);  // "-YYYY-MM-DD.json"
      if (other != source && day_of(name, other, ".json"))
        return Error{ErrorCode::unsupported, dir.string() + " already holds rates of provider \"" + other +
                                                 "\" (" + name + "); one provider per rates folder is supported", ""};
    }
    if (ec) return io_error(dir.string() + ": " + ec.message());
  }
  const std::string shown = display_source(format, source);
  auto last = last_accepted(dir, format, source);
  if (!last.ok()) return last.errors();
  StoreOutcome out;
  out.verdict = validate_document(text, format, shown, *last ? &**last : nullptr, now, policy);
  if (!out.accepted()) {
    out.line = out.verdict.summary(shown);
    return out;
  }
  const Date newest = out.verdict.newest().as_of();
  const auto should_write = [&](const fs::path& file, const Date& day, const BaseRateTable& table) {
    if (!fs::exists(file, ec)) return true;
    if (!(day == newest)) return false;  // history already held stays as it is
    const auto held = table_in(file, format, source);
    return !held || !same_rates(*held, table);
  };
  if (format == RateFormat::ecb_xml) {
    auto doc = read_ecb_xml(text, shown);  // validated above, so it reads
    if (!doc.ok()) return doc.errors();
    for (const BaseRateTable& table : out.verdict.days) {
      const auto raw = std::find_if(doc->days.begin(), doc->days.end(),
                                    [&](const RawDay& d) { return d.date == table.as_of(); });
      if (raw == doc->days.end()) continue;
      const fs::path file = file_for(dir, format, source, table.as_of());
      if (!should_write(file, table.as_of(), table)) continue;
      auto w = write_atomically(file, ecb_day_xml(*raw));
      if (!w.ok()) return w.errors();
      out.written.push_back(file);
    }
  } else {
    const fs::path file = file_for(dir, format, source, newest);
    if (should_write(file, newest, out.verdict.newest())) {
      auto w = write_atomically(file, text);
      if (!w.ok()) return w.errors();
      out.written.push_back(file);
    }
  }
  out.line = out.verdict.summary(shown);
  if (out.written.empty()) {
    out.line += "; nothing new to store";
  } else {
    out.line += "; stored " + out.written.back().filename().string();
    if (out.written.size() > 1) out.line += " and " + std::to_string(out.written.size() - 1) + " older day(s)";
    out.line += " in " + dir.string();
  }
  return out;
}

}  // namespace landed::app
