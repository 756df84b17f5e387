// JsonWriter: appends compact JSON text to a string, for responses on the hot path. Building a
// nlohmann DOM costs more than pricing the quote (its initializer lists copy every level), so
// responses are written directly. The caller keeps the structure balanced; strings must be
// UTF-8 (request fields were validated as such on parse, ICU output is), and are escaped as
// RFC 8259 requires.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace landed {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object() { separate(); out_ += '{'; first_ = true; return *this; }
  JsonWriter& end_object() { out_ += '}'; first_ = false; return *this; }
  JsonWriter& begin_array() { separate(); out_ += '['; first_ = true; return *this; }
  JsonWriter& end_array() { out_ += ']'; first_ = false; return *this; }
  JsonWriter& key(std::string_view k) {
    separate();
    quoted(k);
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  // A key spelled in the source (plain ASCII, no quote or backslash): written without scanning.
  JsonWriter& key_literal(std::string_view k) {
    separate();
    out_ += '"';
    out_.append(k);
    out_.append("\":", 2);
    after_key_ = true;
    return *this;
  }
  JsonWriter& string(std::string_view s) { separate(); quoted(s); return *this; }
  // A string value the caller appends itself, between these two calls, already JSON-safe (digits,
  // a point, a sign): lets a Decimal write its digits straight into the output.
  std::string& begin_raw_string() { separate(); out_ += '"'; return out_; }
  JsonWriter& end_raw_string() { out_ += '"'; return *this; }
  JsonWriter& integer(std::int64_t v) { separate(); out_ += std::to_string(v); return *this; }
  JsonWriter& boolean(bool v) { separate(); out_ += v ? "true" : "false"; return *this; }
  JsonWriter& null() { separate(); out_ += "null"; return *this; }
  // key + string value
  JsonWriter& field(std::string_view k, std::string_view v) { return key(k).string(v); }
  JsonWriter& field_literal(std::string_view k, std::string_view v) { return key_literal(k).string(v); }

 private:
  void separate() {
    if (after_key_) { after_key_ = false; first_ = false; return; }
    if (!first_) out_ += ',';
    first_ = false;
  }
  void quoted(std::string_view s) {
    out_ += '"';
    std::size_t run = 0;  // start of the pending run of characters that need no escape
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(s.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        default: {
          static constexpr char hex[] = "0123456789abcdef";
          const char esc[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
          out_.append(esc, sizeof esc);
        }
      }
    }
    out_.append(s.data() + run, s.size() - run);
    out_ += '"';
  }
  std::string& out_;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace landed
