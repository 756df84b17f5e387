// The landed binary run as a user runs it: a real process from the project root, its exit
// status and its output. Shared by the CLI tests so they all start it the same way.
#pragma once

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <sys/wait.h>

#include "support.h"

namespace landed::test {

struct Run {
  int status;
  std::string out;
};

struct RunOptions {
  bool merge_stderr = false;  // else stderr is discarded
  std::string stdin_file;     // empty: no redirection
  bool loopback_only = false;  // no proxy: feeds on loopback are reached directly
};

inline Run run_landed_process(const std::string& args, const RunOptions& o) {
  const std::string cmd = "cd '" + home().string() + "' && " + (o.loopback_only ? "no_proxy='*' NO_PROXY='*' " : "") +
                          "'" + LANDED_BINARY + "' " + args +
                          (o.stdin_file.empty() ? "" : " < '" + o.stdin_file + "'") +
                          (o.merge_stderr ? " 2>&1" : " 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

}  // namespace landed::test
