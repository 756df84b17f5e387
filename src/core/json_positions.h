// JsonPositions: where each value of a JSON text starts, by RFC 6901 pointer, as line and column
// (both 1-based, columns in bytes). nlohmann/json does not keep positions, and a finance editor
// needs "file:line:column" for a rule that is wrong in meaning, not only in syntax. Comments
// (// and /* */) are skipped, as the rule loader allows them. The text must already have parsed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace landed {

struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};

// Line and column of a byte offset in text.
TextPosition position_of(std::string_view text, std::size_t offset);

class JsonPositions {
 public:
  explicit JsonPositions(std::string_view text);
  // Position of the value at pointer, or of its closest recorded ancestor.
  TextPosition at(const std::string& pointer) const;

 private:
  void value(const std::string& pointer, std::size_t depth);
  void skip_space();
  std::string string_token();
  std::string_view text_;
  std::size_t pos_ = 0;
  std::unordered_map<std::string, std::size_t> offsets_;
};

// Deepest nesting of arrays and objects in a JSON text (comments and strings skipped), counted
// without recursion so that a hostile text cannot exhaust the stack before it is refused.
std::size_t json_nesting_depth(std::string_view text);

// Appends one reference token to a JSON pointer, escaping ~ and / as RFC 6901 says.
std::string pointer_append(const std::string& base, std::string_view token);
std::string pointer_append(const std::string& base, std::size_t index);

}  // namespace landed
