// AttemptLimiter: the wrong-query-code count per case number, kept in the
// core so that every feedback replica shares it.
//
// After kMaxWrong wrong codes for a number, every attempt (right or wrong)
// is refused with RESOURCE_EXHAUSTED until kLockout after the last of them;
// the count then starts over. A right code before the lockout clears the
// count, and a count that saw no wrong code for kLockout is forgotten.
// Unknown case numbers are counted like known ones, so the lockout reveals
// nothing about which numbers exist. The count lives in memory: a core
// restart clears it (an attacker gains at most kMaxWrong more guesses per
// restart). Memory is bounded: when kMaxTracked numbers are being counted,
// forgotten entries are dropped, and if that frees nothing, untracked numbers
// are refused (fail closed) until some entry expires.
//
// Time comes from the injected clock. Thread-safety: safe for concurrent use.
#ifndef JIANYAN_SERVICES_CORE_ATTEMPT_LIMITER_H_
#define JIANYAN_SERVICES_CORE_ATTEMPT_LIMITER_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "workflow/clock.h"

namespace jianyan {

class AttemptLimiter {
 public:
  static constexpr int kMaxWrong = 5;
  static constexpr absl::Duration kLockout = absl::Minutes(15);
  static constexpr size_t kMaxTracked = 100000;

  explicit AttemptLimiter(const Clock& clock) : clock_(clock) {}

  // Counts an attempt on `case_number` as wrong until Succeeded() says
  // otherwise, so that concurrent guesses cannot slip past the limit: OK
  // when it may be tried now; RESOURCE_EXHAUSTED "query_code: too many
  // wrong attempts for this case; try again after <time>" otherwise (the
  // attempt is then not counted).
  absl::Status Attempt(const std::string& case_number);

  // The attempt had the right code: the count starts over.
  void Succeeded(const std::string& case_number);

 private:
  struct Entry {
    int wrong = 0;
    absl::Time last_wrong;
  };
  // Drops entries the clock has moved past. Returns how many remain.
  size_t PruneLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock& clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_ATTEMPT_LIMITER_H_
