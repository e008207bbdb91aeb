#include "storage/timer_key.h"

#include <cstdint>

#include "storage/key_coding.h"

namespace jianyan::storage {
namespace {

constexpr char kDue = 'd';
constexpr char kWarning = 'w';

}  // namespace

std::string TimerPrefix() { return std::string(1, kTimerKeyV2); }

std::string TimerKey(const TimerEntry& entry) {
  std::string k = TimerPrefix();
  PutFixed64BE(&k, OrderedTime(entry.due_time));
  PutOrderedString(&k, entry.case_number);
  PutOrderedString(&k, entry.timer);
  k.push_back(entry.warning ? kWarning : kDue);
  return k;
}

bool DecodeTimerKey(absl::string_view key, TimerEntry* entry) {
  uint64_t t = 0;
  if (key.empty() || key[0] != kTimerKeyV2) return false;
  key.remove_prefix(1);
  if (!GetFixed64BE(&key, &t) || !GetOrderedString(&key, &entry->case_number) ||
      !GetOrderedString(&key, &entry->timer) || key.size() != 1 ||
      (key[0] != kDue && key[0] != kWarning)) {
    return false;
  }
  entry->due_time = TimeFromOrdered(t);
  entry->warning = key[0] == kWarning;
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
