#include "core/json_tree.h"

// Boost.JSON's SAX parser, compiled into this one file (header-only use; nothing else in Landed
// uses Boost.JSON). It parses a cart six times faster than nlohmann/json's SAX reader, which
// remains the JSON library everywhere else: rule files, catalogs, keys, tests.
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/src.hpp>

#include <algorithm>
#include <limits>
#include <vector>

#include "core/check.h"
#include "core/json_positions.h"
#include "core/limits.h"

namespace landed {

// Receives Boost.JSON's SAX events and appends nodes. Returning false stops the parse; `error`
// then says why.
class JsonTreeBuilder {
 public:
  using error_code = boost::json::error_code;
  using sv = boost::json::string_view;
  // Boost.JSON's own caps; ours are the body limit and json_depth_max.
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  JsonTreeBuilder(JsonTree& tree, std::size_t text_bytes) : tree_(tree) {
    // Decoded strings are never longer than their JSON spelling, so this never reallocates and
    // the views held for duplicate detection stay valid.
    tree_.strings_.reserve(text_bytes);
    tree_.nodes_.reserve(std::min(text_bytes / 16 + 8, limits::json_values_max));
  }

  std::string error;
  ErrorCode code = ErrorCode::invalid_json;

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_null(error_code&) { return leaf(JsonKind::null) != nullptr; }
  bool on_bool(bool v, error_code&) {
    auto* n = leaf(JsonKind::boolean);
    if (n) n->boolean = v;
    return n != nullptr;
  }
  bool on_number_part(sv, error_code&) { return true; }
  bool on_int64(std::int64_t v, sv, error_code&) {
    auto* n = leaf(JsonKind::integer);
    if (n) n->integer = v;
    return n != nullptr;
  }
  bool on_uint64(std::uint64_t v, sv s, error_code& ec) {
    if (v > std::uint64_t(std::numeric_limits<std::int64_t>::max())) return leaf(JsonKind::floating) != nullptr;
    return on_int64(std::int64_t(v), s, ec);
  }
  bool on_double(double, sv, error_code&) { return leaf(JsonKind::floating) != nullptr; }
  bool on_string_part(sv s, std::size_t, error_code&) { return part(s); }
  bool on_string(sv s, std::size_t, error_code&) {
    part(s);
    auto* n = leaf(JsonKind::string);
    if (!n) return false;
    n->str_at = part_at_;
    n->str_bytes = std::uint32_t(tree_.strings_.size() - part_at_);
    in_part_ = false;
    return true;
  }
  bool on_comment_part(sv, error_code&) { return true; }
  bool on_comment(sv, error_code&) { return true; }
  bool on_object_begin(error_code&) { return open(JsonKind::object); }
  bool on_array_begin(error_code&) { return open(JsonKind::array); }
  bool on_object_end(std::size_t, error_code&) { return close(); }
  bool on_array_end(std::size_t, error_code&) { return close(); }

  bool on_key_part(sv s, std::size_t, error_code&) { return part(s); }
  bool on_key(sv s, std::size_t, error_code&) {
    part(s);
    in_part_ = false;
    LANDED_CHECK(!open_.empty(), "a key outside an object");
    const std::uint32_t object = open_.back();
    const std::string_view name = std::string_view(tree_.strings_).substr(part_at_);
    const auto& nodes = tree_.nodes_;
    // The first few keys of an object are checked at once against the ones before them (a
    // bounded scan); an object with more is checked whole when it closes (sorted: n log n).
    if (nodes[object].count < linear_scan_keys_max)
      for (std::uint32_t c = object + 1; c < nodes.size(); c = nodes[c].end)
        if (key_of(c) == name) return duplicate(name);
    key_at_ = part_at_;
    key_bytes_ = std::uint32_t(name.size());
    return true;
  }

 private:
  // Repeated keys are found by scanning on arrival up to limits::json_scan_keys_max, then by
  // sorting at the close (see limits.h).
  static constexpr std::uint32_t linear_scan_keys_max = std::uint32_t(limits::json_scan_keys_max);

  // A key or string may arrive in parts (around escapes); they are joined in strings_.
  bool part(sv s) {
    if (!in_part_) {
      part_at_ = std::uint32_t(tree_.strings_.size());
      in_part_ = true;
    }
    tree_.strings_.append(s.data(), s.size());
    return true;
  }

  std::string_view key_of(std::uint32_t node) const {
    const auto& n = tree_.nodes_[node];
    return std::string_view(tree_.strings_).substr(n.key_at, n.key_bytes);
  }

  bool duplicate(std::string_view name) {
    error = "the body is not acceptable JSON: key \"" + std::string(name) + "\" appears twice in one object";
    return false;
  }

  // Appends a node as the next member or element of the open container (or as the root).
  JsonTree::Node* leaf(JsonKind kind) {
    auto& nodes = tree_.nodes_;
    if (nodes.size() >= limits::json_values_max) {
      error = "the body has more than " + std::to_string(limits::json_values_max) +
              " JSON values (members, elements and containers; json_values_max)";
      code = ErrorCode::too_large;
      return nullptr;
    }
    JsonTree::Node n;
    n.kind = kind;
    if (!open_.empty()) {
      auto& parent = nodes[open_.back()];
      ++parent.count;
      if (parent.kind == JsonKind::object) {
        n.key_at = key_at_;
        n.key_bytes = key_bytes_;
      }
    }
    n.end = std::uint32_t(nodes.size() + 1);
    nodes.push_back(n);
    return &nodes.back();
  }

  bool open(JsonKind kind) {
    if (!leaf(kind)) return false;
    open_.push_back(std::uint32_t(tree_.nodes_.size() - 1));
    return true;
  }

  bool close() {
    LANDED_CHECK(!open_.empty(), "a close without an open");
    const std::uint32_t index = open_.back();
    open_.pop_back();
    auto& nodes = tree_.nodes_;
    nodes[index].end = std::uint32_t(nodes.size());
    if (nodes[index].kind == JsonKind::object && nodes[index].count > linear_scan_keys_max) {
      std::vector<std::string_view> keys;
      keys.reserve(nodes[index].count);
      for (std::uint32_t c = index + 1; c < nodes.size(); c = nodes[c].end) keys.push_back(key_of(c));
      std::sort(keys.begin(), keys.end());
      if (const auto twice = std::adjacent_find(keys.begin(), keys.end()); twice != keys.end()) return duplicate(*twice);
    }
    return true;
  }

  JsonTree& tree_;
  std::vector<std::uint32_t> open_;  // the open containers, by node index
  std::uint32_t key_at_ = 0, key_bytes_ = 0;
  std::uint32_t part_at_ = 0;
  bool in_part_ = false;
};

Result<JsonTree> JsonTree::parse(std::string_view text) {
  JsonTree tree;
  boost::json::parse_options options;
  options.max_depth = limits::json_depth_max;  // the parser does not recurse; this refuses abuse
  boost::json::basic_parser<JsonTreeBuilder> parser(options, tree, text.size());
  boost::json::error_code ec;
  std::size_t consumed = 0;
  try {
    consumed = parser.write_some(false, text.data(), text.size(), ec);
  } catch (const std::exception& e) {  // allocation: the parser itself reports through ec
    return Error{ErrorCode::invalid_json, std::string("the body cannot be read as JSON: ") + e.what(), ""};
  }
  if (!ec && consumed != text.size()) ec = boost::json::error::extra_data;
  if (ec) {
    const std::string& said = parser.handler().error;
    if (!said.empty()) return Error{parser.handler().code, said, ""};
    if (ec == boost::json::error::too_deep)
      return Error{ErrorCode::invalid_json,
                   "the body is not acceptable JSON: nesting deeper than " + std::to_string(limits::json_depth_max) +
                       " levels",
                   ""};
    const TextPosition at = position_of(text, std::min(consumed, text.size()));
    return Error{ErrorCode::invalid_json,
                 "the body is not valid JSON (line " + std::to_string(at.line) + ", column " +
                     std::to_string(at.column) + "): " + ec.message(),
                 ""};
  }
  LANDED_CHECK(!tree.nodes_.empty(), "a parsed document has a root");
  return tree;
}

JsonKind JsonView::kind() const { return tree_->nodes_[index_].kind; }

std::int64_t JsonView::integer() const {
  LANDED_CHECK(is_integer(), "integer() of a non-integer");
  return tree_->nodes_[index_].integer;
}

std::string_view JsonView::str() const {
  const auto& n = tree_->nodes_[index_];
  LANDED_CHECK(n.kind == JsonKind::string, "str() of a non-string");
  return std::string_view(tree_->strings_).substr(n.str_at, n.str_bytes);
}

std::string_view JsonView::key() const {
  const auto& n = tree_->nodes_[index_];
  return std::string_view(tree_->strings_).substr(n.key_at, n.key_bytes);
}

std::size_t JsonView::size() const { return tree_->nodes_[index_].count; }

std::optional<JsonView> JsonView::find(std::string_view name) const {
  if (!is_object()) return std::nullopt;
  for (const JsonView member : *this)
    if (member.key() == name) return member;
  return std::nullopt;
}

JsonView::iterator& JsonView::iterator::operator++() {
  index_ = tree_->nodes_[index_].end;
  return *this;
}

JsonView::iterator JsonView::begin() const {
  const auto& n = tree_->nodes_[index_];
  const bool container = n.kind == JsonKind::object || n.kind == JsonKind::array;
  return {tree_, container ? index_ + 1 : n.end};
}

JsonView::iterator JsonView::end() const { return {tree_, tree_->nodes_[index_].end}; }

}  // namespace landed
