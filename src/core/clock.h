// Clock: where "now" comes from. The engine never reads the time itself; the service asks a
// Clock, and tests inject one they control (quote expiry without waiting 30 minutes).
#pragma once

#include <atomic>
#include <chrono>

#include "core/date.h"

namespace landed {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override {
    return Timestamp::from_seconds(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  }
};

// A clock that stands still until moved: for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp t) : seconds_(t.seconds()) {}
  Timestamp now() const override { return Timestamp::from_seconds(seconds_.load()); }
  void advance(std::int64_t seconds) { seconds_ += seconds; }

 private:
  std::atomic<std::int64_t> seconds_;
};

}  // namespace landed
