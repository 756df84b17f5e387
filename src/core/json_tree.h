// JsonTree: a parsed JSON document held as one flat array of nodes and one buffer of decoded
// strings, built by Boost.JSON's SAX parser (basic_parser). It exists for request bodies on the
// hot path: nlohmann's DOM allocates a std::map node and a std::string for every member, and its
// reader goes byte by byte; parsing a cart that way cost more than pricing it. The tree's own
// storage is two buffers sized from the body, and it applies the same strictness as
// parse_strict_json: a key repeated in one object and nesting deeper than json_depth_max are
// errors; and more than json_values_max values is a too_large error (413), found as soon as the
// bound is crossed. It reads every request body (quotes, orders, rule validation), in time
// linear in the body (n log n for the duplicate check of an object with many keys).
// Floating-point numbers are recorded as such but never converted: nothing in a request may be
// a float, so a float is only ever a type error.
//
// A node's children follow it directly in the array; `end` is the index just past its subtree,
// so the next sibling of node i is node[i].end. Views are cheap copies pointing into the tree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace landed {

class JsonTree;

enum class JsonKind : std::uint8_t { null, boolean, integer, floating, string, array, object };

class JsonView {
 public:
  JsonView(const JsonTree* tree, std::uint32_t index) : tree_(tree), index_(index) {}

  JsonKind kind() const;
  bool is_null() const { return kind() == JsonKind::null; }
  bool is_string() const { return kind() == JsonKind::string; }
  bool is_object() const { return kind() == JsonKind::object; }
  bool is_array() const { return kind() == JsonKind::array; }
  // An integer that fits std::int64_t (larger integers are `floating`, as out of any range here).
  bool is_integer() const { return kind() == JsonKind::integer; }
  std::int64_t integer() const;
  std::string_view str() const;   // is_string() only
  std::string_view key() const;   // the member name, when this is an object member
  std::size_t size() const;       // members or elements; 0 for scalars
  // The member named `name`, if this is an object that has it.
  std::optional<JsonView> find(std::string_view name) const;

  // Iteration over the members or elements of an object or array.
  class iterator {
   public:
    iterator(const JsonTree* t, std::uint32_t i) : tree_(t), index_(i) {}
    JsonView operator*() const { return {tree_, index_}; }
    iterator& operator++();
    bool operator!=(const iterator& o) const { return index_ != o.index_; }

   private:
    const JsonTree* tree_;
    std::uint32_t index_;
  };
  iterator begin() const;
  iterator end() const;

 private:
  const JsonTree* tree_;
  std::uint32_t index_;
};

class JsonTree {
 public:
  struct Node {
    JsonKind kind = JsonKind::null;
    bool boolean = false;
    std::uint32_t end = 0;         // index just past this node's subtree
    std::uint32_t count = 0;       // members or elements
    std::uint32_t key_at = 0, key_bytes = 0;  // in strings_, for object members
    std::uint32_t str_at = 0, str_bytes = 0;  // in strings_, for strings
    std::int64_t integer = 0;
  };

  // Parses text; an error says what is wrong and where (line and column), with an empty pointer.
  static Result<JsonTree> parse(std::string_view text);

  JsonView root() const { return {this, 0}; }

 private:
  friend class JsonView;
  friend class JsonTreeBuilder;
  std::vector<Node> nodes_;
  std::string strings_;
};

}  // namespace landed
