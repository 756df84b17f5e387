// Helpers shared by the tests: reading files, CSV rows, and where the data lives.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace landed::test {

inline std::filesystem::path home() { return LANDED_HOME; }

// Waits (bounded) for a condition another thread makes true; false if it never did.
template <typename F>
bool await(F condition, std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}
inline std::filesystem::path shared_data() { return LANDED_SHARED_DATA; }
inline std::filesystem::path fixtures() { return LANDED_FIXTURES; }
inline bool have_shared_data() { return std::filesystem::is_directory(shared_data()); }

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines.
inline std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& p) {
  const std::string text = read_text(p);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') { field += '"'; ++i; }
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(field); field.clear();
    } else if (c == '\n') {
      row.push_back(field); field.clear();
      rows.push_back(row); row.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!field.empty() || !row.empty()) { row.push_back(field); rows.push_back(row); }
  return rows;
}

}  // namespace landed::test

// Catch2 2.x has no SKIP: say why in the output and leave the test case.
#define LANDED_SKIP_WITHOUT_SHARED_DATA()                                                   \
  do {                                                                                      \
    if (!landed::test::have_shared_data()) {                                                \
      WARN("skipped: ../shared/data is not beside the project (" << LANDED_SHARED_DATA << ")"); \
      return;                                                                               \
    }                                                                                       \
  } while (0)
