// SequenceBlocks: hands out the numbers of named sequences (the case-number
// series of one kind, year and shard) from blocks reserved with a durable
// write, so that a number is never handed out twice, across restarts and
// crashes, while most calls touch no storage at all.
//
// Each series has a durable high-water mark: every number handed out is at
// or below it. A block is `block` numbers above the mark, reserved by making
// mark + block the new mark. When half of the current block is handed out,
// the caller that crossed the half reserves the next block after taking its
// number, without holding the lock: the other callers go on taking numbers
// from what is left, and only wait when it runs out before the reservation
// is durable. Numbers come out in ascending order with no gaps while the
// process runs; a crash loses at most the rest of the current block and the
// block reserved ahead (gaps), never reuses a number.
//
// Thread-safety: safe for concurrent use; `read` and `write` are called
// without the lock held, never twice at once for one series.
#ifndef JIANYAN_STORAGE_SEQUENCE_BLOCKS_H_
#define JIANYAN_STORAGE_SEQUENCE_BLOCKS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace jianyan::storage {

class SequenceBlocks {
 public:
  // The durable high-water mark of `series` (0 for a new series).
  using ReadMark =
      std::function<absl::StatusOr<uint64_t>(const std::string& series)>;
  // Makes `mark` the durable high-water mark of `series`: OK only once it
  // would survive a crash.
  using WriteMark =
      std::function<absl::Status(const std::string& series, uint64_t mark)>;

  // `block` >= 1 numbers per reservation; numbers are 1..`max`.
  SequenceBlocks(uint32_t block, uint64_t max, ReadMark read, WriteMark write);

  SequenceBlocks(const SequenceBlocks&) = delete;
  SequenceBlocks& operator=(const SequenceBlocks&) = delete;

  // The next number of `series`. RESOURCE_EXHAUSTED "<label> are used up"
  // after `max`; the error of `read` or `write` when a number needed a
  // reservation that failed (nothing is handed out then).
  absl::StatusOr<uint64_t> Next(const std::string& series,
                                absl::string_view label);

 private:
  struct Series {
    bool loaded = false;  // `limit` holds the durable mark read at start
    uint64_t next = 1;    // the current block is [next, limit]
    uint64_t limit = 0;
    uint64_t ahead = 0;  // the block (limit, ahead] is durable; 0: none
    bool reserving = false;
  };

  // Reserves the block above the series' mark; `s.reserving` must be set by
  // the caller. Releases mu_ around the read and the write.
  absl::Status Reserve(const std::string& series, absl::string_view label,
                       Series& s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const uint32_t block_;
  const uint64_t max_;
  const ReadMark read_;
  const WriteMark write_;
  absl::Mutex mu_;
  absl::CondVar reserved_;
  std::map<std::string, Series> series_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_SEQUENCE_BLOCKS_H_
