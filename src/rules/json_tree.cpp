#include "rules/json_tree.h"

#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "core/check.h"
#include "core/json_positions.h"
#include "core/limits.h"

namespace landed {

// Receives nlohmann's SAX events and appends nodes. Returning false stops the parse; `error`
// then says why.
class JsonTreeBuilder {
 public:
  using json = nlohmann::json;

  JsonTreeBuilder(JsonTree& tree, std::string_view text) : tree_(tree), text_(text) {
    // Decoded strings are never longer than their JSON spelling, so this never reallocates and
    // the views held for duplicate detection stay valid.
    tree_.strings_.reserve(text.size());
    tree_.nodes_.reserve(text.size() / 16 + 8);
  }

  std::string error;

  bool null() { return leaf(JsonKind::null) != nullptr; }
  bool boolean(bool v) {
    auto* n = leaf(JsonKind::boolean);
    if (n) n->boolean = v;
    return n != nullptr;
  }
  bool number_integer(json::number_integer_t v) {
    auto* n = leaf(JsonKind::integer);
    if (n) n->integer = v;
    return n != nullptr;
  }
  bool number_unsigned(json::number_unsigned_t v) {
    if (v > json::number_unsigned_t(std::numeric_limits<std::int64_t>::max())) return leaf(JsonKind::floating) != nullptr;
    return number_integer(json::number_integer_t(v));
  }
  bool number_float(json::number_float_t, const json::string_t&) { return leaf(JsonKind::floating) != nullptr; }
  bool string(json::string_t& s) {
    auto* n = leaf(JsonKind::string);
    if (!n) return false;
    n->str_at = std::uint32_t(tree_.strings_.size());
    n->str_bytes = std::uint32_t(s.size());
    tree_.strings_.append(s);
    return true;
  }
  bool binary(json::binary_t&) {  // never produced by the JSON reader
    error = "binary values are not JSON";
    return false;
  }
  bool start_object(std::size_t) { return open(JsonKind::object); }
  bool start_array(std::size_t) { return open(JsonKind::array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(json::string_t& k) {
    LANDED_CHECK(!open_.empty(), "a key outside an object");
    Frame& f = open_.back();
    const std::string_view name(k);
    const auto& nodes = tree_.nodes_;
    if (f.seen) {
      if (f.seen->count(name)) return duplicate(name);
    } else {
      for (std::uint32_t c = f.index + 1; c < nodes.size(); c = nodes[c].end)
        if (key_of(c) == name) return duplicate(name);
    }
    key_at_ = std::uint32_t(tree_.strings_.size());
    key_bytes_ = std::uint32_t(k.size());
    tree_.strings_.append(k);
    if (!f.seen && nodes[f.index].count >= linear_scan_keys_max) {
      // Many members: a linear scan per key would make one hostile object cost quadratic time.
      f.seen = std::make_unique<std::unordered_set<std::string_view>>();
      for (std::uint32_t c = f.index + 1; c < nodes.size(); c = nodes[c].end) f.seen->insert(key_of(c));
    }
    if (f.seen) f.seen->insert(std::string_view(tree_.strings_).substr(key_at_, key_bytes_));
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    if (e.id == 101 || e.id == 102 || e.id == 103) {  // syntax: say where
      const TextPosition at = position_of(text_, position == 0 ? 0 : position - 1);
      error = "the body is not valid JSON (line " + std::to_string(at.line) + ", column " + std::to_string(at.column) + ")";
    } else {
      error = std::string("the body cannot be read as JSON: ") + e.what();
    }
    return false;
  }

 private:
  // Objects with more members than this switch from a scan of their keys to a hash set.
  static constexpr std::uint32_t linear_scan_keys_max = 16;

  struct Frame {
    std::uint32_t index;
    std::unique_ptr<std::unordered_set<std::string_view>> seen;
  };

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
    if (nodes.size() >= std::numeric_limits<std::uint32_t>::max() - 1) {
      error = "the body has too many values";
      return nullptr;
    }
    JsonTree::Node n;
    n.kind = kind;
    if (!open_.empty()) {
      auto& parent = nodes[open_.back().index];
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
    if (open_.size() >= limits::json_depth_max) {
      error = "the body is not acceptable JSON: nesting deeper than " + std::to_string(limits::json_depth_max) + " levels";
      return false;
    }
    if (!leaf(kind)) return false;
    open_.push_back({std::uint32_t(tree_.nodes_.size() - 1), nullptr});
    return true;
  }

  bool close() {
    LANDED_CHECK(!open_.empty(), "a close without an open");
    tree_.nodes_[open_.back().index].end = std::uint32_t(tree_.nodes_.size());
    open_.pop_back();
    return true;
  }

  JsonTree& tree_;
  std::string_view text_;
  std::vector<Frame> open_;
  std::uint32_t key_at_ = 0, key_bytes_ = 0;
};

Result<JsonTree> JsonTree::parse(std::string_view text) {
  JsonTree tree;
  JsonTreeBuilder builder(tree, text);
  bool ok = false;
  try {
    ok = nlohmann::json::sax_parse(text, &builder, nlohmann::json::input_format_t::json, true, false);
  } catch (const std::exception& e) {  // e.g. allocation; the SAX reader itself reports through parse_error
    return Error{ErrorCode::invalid_json, std::string("the body cannot be read as JSON: ") + e.what(), ""};
  }
  if (!ok) return Error{ErrorCode::invalid_json, builder.error.empty() ? "the body is not valid JSON" : builder.error, ""};
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
