#include "services/core/attempt_limiter.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace jianyan {

absl::Status AttemptLimiter::Admit(const std::string& case_number) {
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(case_number);
  if (it == entries_.end()) {
    if (entries_.size() >= kMaxTracked && PruneLocked(now) >= kMaxTracked) {
      return absl::ResourceExhaustedError(
          "query_code: too many wrong attempts; try again later");
    }
    return absl::OkStatus();
  }
  const absl::Time open_again = it->second.last_wrong + kLockout;
  if (now >= open_again) {
    entries_.erase(it);
    return absl::OkStatus();
  }
  if (it->second.wrong < kMaxWrong) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      "query_code: too many wrong attempts for this case; try again after ",
      absl::FormatTime("%Y-%m-%d %H:%M:%S %z", open_again, ChinaTimeZone())));
}

void AttemptLimiter::Record(const std::string& case_number, bool right) {
  absl::MutexLock lock(&mu_);
  if (right) {
    entries_.erase(case_number);
    return;
  }
  Entry& entry = entries_[case_number];
  ++entry.wrong;
  entry.last_wrong = clock_.Now();
}

size_t AttemptLimiter::PruneLocked(absl::Time now) {
  absl::erase_if(entries_, [now](const auto& kv) {
    return now >= kv.second.last_wrong + kLockout;
  });
  return entries_.size();
}

}  // namespace jianyan
