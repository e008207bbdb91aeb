// Key codec of the `timers` column family (key version 2, schema 4):
// durable timers, due and warning entries alike.
//   v2 | be64(OrderedTime(time)) | str(case_number) | str(timer) | kind
// where kind is 'd' for a deadline's due time and 'w' for its pre-warning
// point (warn_time), so that the two entries of one timer are distinct keys.
// Scanned from the start with an upper bound of "now": the due entries of
// both kinds come first, soonest first. (Key version 1, schema 1..3, had no
// kind byte and no warning entries; the schema-4 migration rebuilds the
// family.)
//
// Thread-safety: pure functions.
#ifndef JIANYAN_STORAGE_TIMER_KEY_H_
#define JIANYAN_STORAGE_TIMER_KEY_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace jianyan::storage {

inline constexpr char kTimerKeyV2 = 0x02;

struct TimerEntry {
  // When the entry is due: the deadline's due_time, or its warn_time for a
  // warning entry.
  absl::Time due_time;
  std::string case_number;
  std::string timer;
  // A pre-warning (预警) entry: reaching due_time raises DUE_SOON, it does
  // not expire the deadline.
  bool warning = false;

  bool operator==(const TimerEntry& o) const {
    return due_time == o.due_time && case_number == o.case_number &&
           timer == o.timer && warning == o.warning;
  }
};

std::string TimerKey(const TimerEntry& entry);
// Returns false on a malformed key (also on a key of version 1).
bool DecodeTimerKey(absl::string_view key, TimerEntry* entry);
// The exclusive upper bound of every timer due at or before `now`.
std::string TimerUpperBound(absl::Time now);
std::string TimerPrefix();

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_TIMER_KEY_H_
