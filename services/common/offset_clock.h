// OffsetClock: a clock that reads a base clock (the real one in jianyand)
// plus an offset that only grows. It is the clock of a jianyand started with
// --testing_clock: TestingService.AdvanceClock moves it forward, so timers
// and deadlines come due without waiting (Temporal's time skipping).
//
// Time never goes back: Advance() refuses a negative duration, so Now() is
// monotonic as long as the base clock is.
//
// Thread-safety: safe for concurrent use.
#ifndef JIANYAN_SERVICES_COMMON_OFFSET_CLOCK_H_
#define JIANYAN_SERVICES_COMMON_OFFSET_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "workflow/clock.h"

namespace jianyan {

class OffsetClock final : public Clock {
 public:
  // `base` must outlive this clock.
  explicit OffsetClock(const Clock& base) : base_(base) {}

  // base.Now() + offset().
  absl::Time Now() const override;

  // Adds `by` to the offset and returns the new Now(). INVALID_ARGUMENT
  // (offset unchanged) when `by` is negative or infinite.
  absl::StatusOr<absl::Time> Advance(absl::Duration by);

  // The sum of every successful Advance().
  absl::Duration offset() const;

 private:
  const Clock& base_;
  mutable absl::Mutex mu_;
  absl::Duration offset_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_COMMON_OFFSET_CLOCK_H_
