#include "storage/sequence_blocks.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace jianyan::storage {

SequenceBlocks::SequenceBlocks(uint32_t block, uint64_t max, ReadMark read,
                               WriteMark write)
    : block_(std::max<uint32_t>(block, 1)),
      max_(max),
      read_(std::move(read)),
      write_(std::move(write)) {}

absl::StatusOr<uint64_t> SequenceBlocks::Next(const std::string& series,
                                              absl::string_view label) {
  absl::MutexLock lock(&mu_);
  Series& s = series_[series];
  while (true) {
    if (s.loaded && s.next > s.limit && s.ahead != 0) {
      s.limit = s.ahead;  // the next block starts right above this one
      s.ahead = 0;
    }
    if (s.loaded && s.next <= s.limit) {
      const uint64_t n = s.next++;
      const uint64_t left = s.limit - n;
      if (left <= block_ / 2 && s.ahead == 0 && !s.reserving &&
          s.limit < max_) {
        // Ahead of need: `n` is this caller's whatever happens, and a failed
        // reservation is tried again by the next caller.
        s.reserving = true;
        Reserve(series, label, s).IgnoreError();
      }
      return n;
    }
    if (s.reserving) {
      reserved_.Wait(&mu_);
      continue;
    }
    s.reserving = true;
    if (absl::Status st = Reserve(series, label, s); !st.ok()) return st;
  }
}

absl::Status SequenceBlocks::Reserve(const std::string& series,
                                     absl::string_view label, Series& s) {
  const bool loaded = s.loaded;
  uint64_t mark = s.limit;  // no block is ahead when a reservation starts
  mu_.Unlock();
  absl::Status status;
  bool read = loaded;
  if (!loaded) {
    absl::StatusOr<uint64_t> stored = read_(series);
    if (stored.ok()) {
      mark = *stored;
      read = true;
    } else {
      status = stored.status();
    }
  }
  uint64_t new_mark = mark;
  if (status.ok() && mark >= max_) {
    status = absl::ResourceExhaustedError(absl::StrCat(label, " are used up"));
  } else if (status.ok()) {
    new_mark = mark + std::min<uint64_t>(block_, max_ - mark);
    status = write_(series, new_mark);
  }
  mu_.Lock();
  if (!loaded && read) {
    // Only a reserving caller changes a series, one at a time.
    s.loaded = true;
    s.next = mark + 1;
    s.limit = mark;
  }
  if (status.ok()) s.ahead = new_mark;
  s.reserving = false;
  reserved_.SignalAll();
  return status;
}

}  // namespace jianyan::storage
