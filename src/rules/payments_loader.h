// Readers of the payment rule files (rules/payments/, issue #11): one method per file
// (concern "payment_method") and the card brands (concern "card_brands"). Internal to the rules
// library: load_rules (loader.cpp) dispatches to them by concern.
#pragma once

#include <map>
#include <string>

#include "rules/file_reader.h"
#include "rules/rule_set.h"

namespace landed::rules_internal {

// `stem`: the file name without folder and ".json"; a method's id must equal it.
std::size_t read_payment_method(FileReader& r, const json& doc, RuleSet& set, const std::string& stem);
std::size_t read_card_brands(FileReader& r, const json& doc, RuleSet& set);
// Once every file is read: the brands `card` needs exist, acceptance names known brands. Indexes
// the methods by country. False (with diagnostics) on any problem.
bool check_payment_rules(RuleSet& set, const std::map<std::string, const RuleSource*>& by_path,
                         std::vector<Diagnostic>& diags);

}  // namespace landed::rules_internal
