#include "services/core/attempt_limiter.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace jianyan {

absl::Status AttemptLimiter::Attempt(const std::string& case_number) {
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(case_number);
  if (it != entries_.end() && now >= it->second.last_wrong + kLockout) {
    entries_.erase(it);
    it = entries_.end();
  }
  if (it == entries_.end()) {
    if (entries_.size() >= kMaxTracked && PruneLocked(now) >= kMaxTracked) {
      return absl::ResourceExhaustedError(
          "query_code: too many wrong attempts; try again later");
    }
    entries_[case_number] = Entry{1, now};
    return absl::OkStatus();
  }
  if (it->second.wrong >= kMaxWrong) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "query_code: too many wrong attempts for this case; try again after ",
        absl::FormatTime("%Y-%m-%d %H:%M:%S %z",
                         it->second.last_wrong + kLockout, ChinaTimeZone())));
  }
  ++it->second.wrong;
  it->second.last_wrong = now;
  return absl::OkStatus();
}

void AttemptLimiter::Succeeded(const std::string& case_number) {
  absl::MutexLock lock(&mu_);
  entries_.erase(case_number);
}

size_t AttemptLimiter::PruneLocked(absl::Time now) {
  absl::erase_if(entries_, [now](const auto& kv) {
    return now >= kv.second.last_wrong + kLockout;
  });
  return entries_.size();
}

}  // namespace jianyan
