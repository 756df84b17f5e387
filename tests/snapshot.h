// The project's shipped rules, rates and catalogs as a Snapshot, loaded once per test program.
#pragma once

#include "app/files.h"
#include "support.h"

namespace landed::test {

inline std::shared_ptr<const Snapshot> shipped_snapshot() {
  static const auto snap = [] {
    auto load = app::load_snapshot(app::DataPaths{home() / "rules", home() / "rates", home() / "locales"});
    for (const auto& d : load.diagnostics) UNSCOPED_INFO(d.to_string());
    for (const auto& e : load.errors) UNSCOPED_INFO(e.message);
    REQUIRE(load.snapshot);
    return load.snapshot;
  }();
  return snap;
}

}  // namespace landed::test
