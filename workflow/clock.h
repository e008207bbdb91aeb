// Clock: the only source of "now" in Jianyan. Everything that reads time
// takes a Clock&, so tests drive time exactly (envoy's TimeSource).
//
// Thread-safety: implementations are safe for concurrent use.
#ifndef JIANYAN_WORKFLOW_CLOCK_H_
#define JIANYAN_WORKFLOW_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace jianyan {

class Clock {
 public:
  virtual ~Clock() = default;
  // Returns the current time.
  virtual absl::Time Now() const = 0;
  // The process-wide real clock (never destroyed).
  static Clock& Real();
};

// A clock that moves only when told to. For tests and simulations.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

// China Standard Time (UTC+8, no daylight saving): the zone of every date
// and working-day computation in Jianyan.
absl::TimeZone ChinaTimeZone();

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_CLOCK_H_
