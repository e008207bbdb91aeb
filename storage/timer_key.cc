#include "storage/timer_key.h"

#include <cstdint>

#include "storage/key_coding.h"

namespace jianyan::storage {

std::string TimerPrefix() { return V1Key(); }

std::string TimerKey(const TimerEntry& entry) {
  std::string k = TimerPrefix();
  PutFixed64BE(&k, OrderedTime(entry.due_time));
  PutOrderedString(&k, entry.case_number);
  PutOrderedString(&k, entry.timer);
  return k;
}

bool DecodeTimerKey(absl::string_view key, TimerEntry* entry) {
  uint64_t t = 0;
  if (!ConsumeVersion(&key) || !GetFixed64BE(&key, &t) ||
      !GetOrderedString(&key, &entry->case_number) ||
      !GetOrderedString(&key, &entry->timer) || !key.empty()) {
    return false;
  }
  entry->due_time = TimeFromOrdered(t);
  return true;
}

std::string TimerUpperBound(absl::Time now) {
  uint64_t t = OrderedTime(now);
  if (t == ~uint64_t{0}) return PrefixSuccessor(TimerPrefix());  // all
  std::string k = TimerPrefix();
  PutFixed64BE(&k, t + 1);
  return k;
}

}  // namespace jianyan::storage
