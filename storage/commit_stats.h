// CommitStats: figures of the command path for the metrics endpoint,
// updated where commands are admitted, committed and synced. Process-wide
// (one store per serving process); a process with several stores, such as
// a test, sees their sum.
//
// Thread-safety: safe for concurrent use. Updates on the commit path are
// relaxed atomics; CountCommands takes a reader lock per commit call (a
// writer lock only the first time an action name is seen).
#ifndef JIANYAN_STORAGE_COMMIT_STATS_H_
#define JIANYAN_STORAGE_COMMIT_STATS_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "workflow/atomic_histogram.h"

namespace jianyan::storage {

class CommitStats {
 public:
  CommitStats();
  CommitStats(const CommitStats&) = delete;
  CommitStats& operator=(const CommitStats&) = delete;

  // Commands admitted and not yet answered (Apply, ApplyAll, ApplyAsync).
  std::atomic<int64_t> inflight{0};
  // Write batches joined into one WAL write, per write.
  AtomicHistogram group_size;
  // Seconds of each commit group's write (with its WAL fsync when synced).
  AtomicHistogram wal_sync_seconds;

  // Adds one applied command per entry of `actions` (action names).
  void CountCommands(const std::vector<std::string>& actions);
  // Applied commands by action name.
  std::map<std::string, uint64_t> Commands() const;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<std::atomic<uint64_t>>> commands_
      ABSL_GUARDED_BY(mu_);
};

// The process's stats (never destroyed).
CommitStats& GlobalCommitStats();

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_COMMIT_STATS_H_
