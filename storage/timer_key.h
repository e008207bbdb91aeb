// Key codec of the `timers` column family (version 1): durable timers.
//   v1 | be64(OrderedTime(due)) | str(case_number) | str(timer) -> ""
// Scanned from the start with an upper bound of "now": the due timers come
// first, soonest first.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_STORAGE_TIMER_KEY_H_
#define JIANYAN_STORAGE_TIMER_KEY_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace jianyan::storage {

struct TimerEntry {
  absl::Time due_time;
  std::string case_number;
  std::string timer;

  bool operator==(const TimerEntry& o) const {
    return due_time == o.due_time && case_number == o.case_number &&
           timer == o.timer;
  }
};

std::string TimerKey(const TimerEntry& entry);
// Returns false on a malformed key.
bool DecodeTimerKey(absl::string_view key, TimerEntry* entry);
// The exclusive upper bound of every timer due at or before `now`.
std::string TimerUpperBound(absl::Time now);
std::string TimerPrefix();

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_TIMER_KEY_H_
