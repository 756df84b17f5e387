#include "core/json_positions.h"

#include <algorithm>

#include "core/limits.h"

namespace landed {

TextPosition position_of(std::string_view text, std::size_t offset) {
  TextPosition p;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

std::string pointer_append(const std::string& base, std::string_view token) {
  std::string out = base;
  out += '/';
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string pointer_append(const std::string& base, std::size_t index) {
  return base + "/" + std::to_string(index);
}

std::size_t json_nesting_depth(std::string_view text) {
  std::size_t depth = 0, deepest = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      const auto end = text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + 1;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

JsonPositions::JsonPositions(std::string_view text) : text_(text) {
  skip_space();
  if (pos_ < text_.size()) value("", 0);
}

void JsonPositions::skip_space() {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos_;
    } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
      while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
      const auto end = text_.find("*/", pos_ + 2);
      pos_ = end == std::string_view::npos ? text_.size() : end + 2;
    } else {
      return;
    }
  }
}

// Reads a string token and returns its content with the simple escapes resolved (enough to
// match object keys; \u escapes are kept verbatim, which only affects exotic keys).
std::string JsonPositions::string_token() {
  std::string out;
  ++pos_;  // opening quote
  while (pos_ < text_.size() && text_[pos_] != '"') {
    if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
      const char e = text_[pos_ + 1];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': out += "\\u"; break;
        default: out += e;
      }
      pos_ += 2;
    } else {
      out += text_[pos_++];
    }
  }
  ++pos_;  // closing quote
  return out;
}

void JsonPositions::value(const std::string& pointer, std::size_t depth) {
  offsets_.emplace(pointer, pos_);
  if (pos_ >= text_.size()) return;
  // Positions below the depth bound are not needed: such input is refused anyway.
  if (depth > limits::json_depth_max) return;
  const char c = text_[pos_];
  if (c == '{') {
    ++pos_;
    skip_space();
    while (pos_ < text_.size() && text_[pos_] != '}') {
      if (text_[pos_] != '"') return;  // not valid JSON: stop recording
      const std::string key = string_token();
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ':') ++pos_;
      skip_space();
      value(pointer_append(pointer, key), depth + 1);
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') ++pos_;
      skip_space();
    }
    ++pos_;
  } else if (c == '[') {
    ++pos_;
    skip_space();
    std::size_t index = 0;
    while (pos_ < text_.size() && text_[pos_] != ']') {
      value(pointer_append(pointer, index++), depth + 1);
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') ++pos_;
      skip_space();
    }
    ++pos_;
  } else if (c == '"') {
    string_token();
  } else {
    while (pos_ < text_.size()) {
      const char d = text_[pos_];
      if (d == ',' || d == '}' || d == ']' || d == ' ' || d == '\n' || d == '\r' || d == '\t' ||
          d == '/')
        break;
      ++pos_;
    }
  }
}

TextPosition JsonPositions::at(const std::string& pointer) const {
  std::string p = pointer;
  while (true) {
    const auto it = offsets_.find(p);
    if (it != offsets_.end()) return position_of(text_, it->second);
    if (p.empty()) return {};
    p.resize(p.rfind('/') == std::string::npos ? 0 : p.rfind('/'));
  }
}

}  // namespace landed
