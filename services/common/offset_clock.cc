#include "services/common/offset_clock.h"

#include "absl/strings/str_cat.h"

namespace jianyan {

absl::Time OffsetClock::Now() const {
  absl::MutexLock lock(&mu_);
  return base_.Now() + offset_;
}

absl::StatusOr<absl::Time> OffsetClock::Advance(absl::Duration by) {
  if (by < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("by: ", absl::FormatDuration(by),
                     " is negative; time never goes back"));
  }
  if (by == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError("by: must be finite");
  }
  absl::MutexLock lock(&mu_);
  offset_ += by;
  return base_.Now() + offset_;
}

absl::Duration OffsetClock::offset() const {
  absl::MutexLock lock(&mu_);
  return offset_;
}

}  // namespace jianyan
