// Readers of the customs duty rule files (rules/duty/<territory>/, issue #10): the territory
// (concern "duty_territory"), its tariff ("duty_tariff"), preferences ("duty_preferences") and
// additional duties ("duty_additional"). Internal to the rules library: load_rules (loader.cpp)
// dispatches to them by concern. Format: rules/duty/README.md.
#pragma once

#include <map>
#include <string>

#include "rules/file_reader.h"
#include "rules/rule_set.h"

namespace landed::rules_internal {

// `folder`: the territory folder the file is in ("duty/EU/tariff.json" -> "EU"); the file's
// "territory" must equal it.
std::size_t read_duty_file(FileReader& r, const json& doc, RuleSet& set, const std::string& concern, const std::string& folder);
// Once every file is read: each territory has its territory.json, no country is in two
// territories, no HS line repeats in overlapping periods. False (with diagnostics) on any problem.
bool check_duty_rules(RuleSet& set, const std::map<std::string, const RuleSource*>& by_path, std::vector<Diagnostic>& diags);

}  // namespace landed::rules_internal
