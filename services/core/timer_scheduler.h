// TimerScheduler: makes the legal clocks real at run time. It fires every
// due timer of the store (CaseStore::NextDueTimers: deadline expiries and
// pre-warning points) as a system command through the same path as a user's
// command: FireTimerCommand / WarnTimerCommand, Transition, one WriteBatch.
//
// Exactly once: a fire's command carries the idempotency key
// ("system", "timer/<case>/<timer>/<start>" or "warn/..."), and the batch that
// applies it also removes the timer entry (the store derives entries from
// the case). A fire interrupted by a crash left nothing behind and is redone
// after restart; a fire already applied is either gone from the timer family
// or answered as a replay, never applied twice.
//
// Catch-up: timers are fired in due order, at most `batch` commands in
// flight, each batch waited for before the next is read, so that a backlog
// (100 000 timers due at start) shares the store with user commands instead
// of queueing ahead of them. Two due entries of one case are never in one
// batch (the second would meet a stale version): the later one waits for
// the next batch.
//
// Time comes from the injected clock. A background thread polls for due
// timers (`poll`, real time) once Start() is called; RunDue(now) fires
// everything due by `now` before returning (TestingService.AdvanceClock and
// tests use it).
//
// Thread-safety: safe for concurrent use; passes are serialised.
#ifndef JIANYAN_SERVICES_CORE_TIMER_SCHEDULER_H_
#define JIANYAN_SERVICES_CORE_TIMER_SCHEDULER_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/core/definition_registry.h"
#include "storage/case_store.h"
#include "workflow/clock.h"

namespace jianyan {

struct TimerSchedulerOptions {
  size_t batch = 64;  // fire commands in flight at once
  absl::Duration poll = absl::Milliseconds(200);  // idle re-check, real time
};

class TimerScheduler {
 public:
  TimerScheduler(storage::CaseStore& store, const DefinitionRegistry& registry,
                 const Clock& clock, TimerSchedulerOptions options = {});
  ~TimerScheduler();  // Stop()
  TimerScheduler(const TimerScheduler&) = delete;
  TimerScheduler& operator=(const TimerScheduler&) = delete;

  // Starts the background thread (at most once).
  void Start();
  // Stops it after its current batch; idempotent.
  void Stop();

  // Fires every timer due at or before `now`; returns how many commands it
  // applied, or the first store error that stopped it (UNAVAILABLE while
  // the store is not writable).
  absl::StatusOr<uint64_t> RunDue(absl::Time now);

  // For metrics and tests.
  uint64_t fired() const { return fired_.load(std::memory_order_relaxed); }
  uint64_t skipped() const { return skipped_.load(std::memory_order_relaxed); }
  // Seconds the oldest due timer waited at the last pass (0 when none).
  double lag_seconds() const { return lag_seconds_.load(); }

 private:
  // One batch: fires up to options_.batch entries due by `now`, adding the
  // fires applied to *fired. Returns how many entries made progress (fired,
  // or to be read again after a user command moved their case); 0 when
  // nothing (more) was due.
  absl::StatusOr<uint64_t> RunBatch(absl::Time now, uint64_t* fired)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(pass_mu_);
  void Loop();

  storage::CaseStore& store_;
  const DefinitionRegistry& registry_;
  const Clock& clock_;
  const TimerSchedulerOptions options_;

  absl::Mutex pass_mu_;  // one pass (batch) at a time
  // Entries that cannot fire (their case no longer has that running timer:
  // a store inconsistency Verify would report). Skipped, logged once.
  std::set<std::string> stale_ ABSL_GUARDED_BY(pass_mu_);
  // Where the next batch starts reading: every due entry before it was
  // fired or found stale. Without it each batch of a long catch-up would
  // step over the deletions of all earlier batches (quadratic). Cleared
  // when a batch from it finds nothing, so an entry written behind it is
  // still found.
  std::optional<storage::TimerEntry> resume_ ABSL_GUARDED_BY(pass_mu_);

  absl::Mutex stop_mu_;
  bool stopping_ ABSL_GUARDED_BY(stop_mu_) = false;
  std::thread thread_;

  std::atomic<uint64_t> fired_{0};
  std::atomic<uint64_t> skipped_{0};
  std::atomic<double> lag_seconds_{0};
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_TIMER_SCHEDULER_H_
