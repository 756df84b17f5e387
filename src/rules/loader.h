// The rule loader: rule files (JSON, comments allowed) in, a validated RuleSet out, or every
// problem found, each with file, line, column and a message. All or nothing: a set with any
// error yields no RuleSet, so the caller keeps serving the rules it had. Pure: the caller reads
// the files (a folder on disk, or candidate files posted for validation).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rules/rule_set.h"

namespace landed {

struct RuleSource {
  std::string path;  // as it should appear in messages, e.g. "tax/vat/HR.json"
  std::string text;
};

struct Diagnostic {
  std::string file;
  std::size_t line = 0;    // 1-based; 0 when the message is about the whole set
  std::size_t column = 0;
  std::string pointer;     // JSON pointer inside the file
  std::string message;
  std::string to_string() const;  // "file:line:column: message"
};

struct RuleLoad {
  std::shared_ptr<const RuleSet> rules;  // null when diagnostics is non-empty
  std::vector<Diagnostic> diagnostics;
  bool ok() const { return rules != nullptr; }
};

RuleLoad load_rules(const std::vector<RuleSource>& files);

}  // namespace landed
