#include "http/query.h"

#include "core/json_positions.h"
#include "core/limits.h"
#include "core/utf8.h"

namespace landed::http {
namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// False on a bad escape or invalid UTF-8.
bool decode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') { out += ' '; continue; }
    if (in[i] != '%') { out += in[i]; continue; }
    if (i + 2 >= in.size()) return false;
    const int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out += char(hi * 16 + lo);
    i += 2;
  }
  return is_valid_utf8(out);
}

}  // namespace

QueryParams parse_query(std::string_view q) {
  QueryParams out;
  while (!q.empty() && out.params.size() < limits::query_params_max) {
    const auto amp = q.find('&');
    const std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    std::string name, value;
    if (!decode(pair.substr(0, eq), name)) {
      out.errors.push_back({ErrorCode::invalid_field, "a query parameter name is not valid percent-encoded UTF-8", ""});
      continue;
    }
    if (eq != std::string_view::npos && !decode(pair.substr(eq + 1), value)) {
      out.errors.push_back({ErrorCode::invalid_field, "is not valid percent-encoded UTF-8", pointer_append("", valid_utf8(name))});
      continue;
    }
    out.params.emplace_back(std::move(name), std::move(value));
  }
  if (!q.empty()) out.errors.push_back({ErrorCode::out_of_range, "more than query_params_max parameters", ""});
  return out;
}

}  // namespace landed::http
