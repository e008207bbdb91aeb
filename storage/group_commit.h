// GroupCommitter: writes the WriteBatches of concurrent callers as commit
// groups (leveldb's writer queue). A caller queues its batch; when no group
// is being written, the first in line becomes the leader: it joins the
// queued batches into ONE batch (each caller's records stay contiguous and
// the joined batch is atomic as a whole), adds one counter merge per counter
// key with the group's summed increments, writes it with one WAL sync, hands
// leadership to the next in line and then wakes its followers.
//
// Why not let RocksDB group the callers' batches itself: a batch holding
// merges makes RocksDB insert the whole group into the memtables serially
// in its leader, without the memtable insert hints (insert_hint_prefix.h)
// doing much, since the batches arrive in any order. The leader here sorts
// the group's batches by their `order` key (the case number) before joining
// them, so each family's inserts of the group arrive in key order and the
// hints make most of them O(1).
//
// Supervision notices (schema 4): a caller may hand its batch's notices
// (StoredNotice without cursor) to Commit. The leader assigns their cursors
// when it joins the group, in queue order (the leader's batch first, then
// the followers' in arrival order; within a batch, in the caller's order):
// an integer increment, no read. It adds one Put per notice to the
// `notices` family of the joined batch. If the write fails, the cursors are
// given back and the next group reuses them, so the log has no gaps. After
// a write is durable, and before the group's callers are woken and the next
// group is written, the leader calls the notice listener with the group's
// notices in cursor order: listener calls are serialised and in cursor
// order across groups.
//
// Callers must not queue batches that depend on each other's effects:
// CaseStore holds the stripe locks of a command's case and request id until
// its Commit returns, so the batches of a group touch disjoint cases.
//
// Thread-safety: Commit is safe for concurrent use.
#ifndef JIANYAN_STORAGE_GROUP_COMMIT_H_
#define JIANYAN_STORAGE_GROUP_COMMIT_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jianyan/v1/records.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "workflow/clock.h"

namespace jianyan::storage {

// Counter key -> increment.
using CounterSums = std::map<std::string, uint64_t>;

// Receives the notices of one durable commit group, cursors set, in cursor
// order.
using NoticeListener =
    std::function<void(const std::vector<jianyan::v1::StoredNotice>&)>;

struct GroupCommitOptions {
  bool sync = true;
  size_t max_batches_per_group = 512;  // queued batches joined at most
  size_t max_group_bytes = 8u << 20;   // stop joining beyond this size
  // Called by a group's leader when its write fails, with the RocksDB
  // error; what it returns is what every caller of the group gets. Null:
  // the error mapped by FromRocks.
  std::function<absl::Status(const rocksdb::Status&)> on_write_error;
  // The family notices go to (needed only when Commit is given notices),
  // and the cursor of the first notice this committer writes: one above
  // the last cursor in that family (1 for an empty log).
  rocksdb::ColumnFamilyHandle* notices = nullptr;
  uint64_t next_notice_cursor = 1;
  // Commit's deadlines are compared with this clock's time.
  const Clock* deadline_clock = &Clock::Real();
};

// What a command whose caller's deadline passed before it was written gets.
absl::Status DeadlinePassedError();

class GroupCommitter {
 public:
  // `db` and `counters` (the family the merges go to) outlive this.
  GroupCommitter(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* counters,
                 const GroupCommitOptions& options)
      : db_(db),
        counters_(counters),
        options_(options),
        next_notice_cursor_(options.next_notice_cursor),
        last_notice_cursor_(options.next_notice_cursor - 1) {}

  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Writes `batch` plus merges of `sums` (one per key) atomically, in a
  // group with concurrent callers; `order` places the batch in its group
  // (any order is correct; key order makes memtable inserts cheaper).
  // Returns once written (synced when `sync`); on error nothing of the
  // group was written. `notices` (may be null) are written with the batch
  // under cursors assigned by the group's leader (see above); on success
  // their `cursor` fields hold them when this returns. A batch whose
  // `deadline` has passed when a leader would join it into a group (or it
  // would lead one) is left out: DEADLINE_EXCEEDED, nothing of it written.
  absl::Status Commit(const rocksdb::WriteBatch& batch, const CounterSums& sums,
                      absl::string_view order,
                      std::vector<jianyan::v1::StoredNotice>* notices = nullptr,
                      absl::Time deadline = absl::InfiniteFuture());

  // Replaces the notice listener (null removes it). Waits for a listener
  // call in progress. The listener must not block for long (it holds up
  // every commit) and must not call SetNoticeListener.
  void SetNoticeListener(NoticeListener listener);
  // The cursor of the newest durable notice; 0 when there is none.
  uint64_t LastNoticeCursor() const { return last_notice_cursor_.load(); }

  // Groups written so far, batches in them, and batches waiting now (for
  // tests and metrics).
  uint64_t groups() const;
  uint64_t batches() const;
  size_t waiting() const;
  // Blocks until at least `n` batches wait (for tests: woken by the
  // arrivals, no polling).
  void AwaitWaiting(size_t n);

 private:
  struct Writer;
  absl::Status WriteGroup(std::vector<Writer*>& group);
  // Tells the listener (if any) the notices of a durable group.
  void Announce(const std::vector<Writer*>& group);

  rocksdb::DB* const db_;
  rocksdb::ColumnFamilyHandle* const counters_;
  const GroupCommitOptions options_;

  mutable std::mutex mu_;
  std::deque<Writer*> queue_;  // guarded by mu_: waiting, in arrival order
  bool leading_ = false;       // guarded by mu_: a group is being written
  uint64_t groups_ = 0;        // guarded by mu_
  uint64_t batches_ = 0;       // guarded by mu_
  size_t awaiting_ = 0;        // guarded by mu_: callers of AwaitWaiting
  std::condition_variable arrived_;  // with mu_, when awaiting_ > 0

  // Owned by the current leader (the lead is handed over under mu_): the
  // cursor the next notice gets.
  uint64_t next_notice_cursor_;
  std::atomic<uint64_t> last_notice_cursor_;
  std::mutex listener_mu_;   // serialises listener calls and replacement
  NoticeListener listener_;  // guarded by listener_mu_
};

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_GROUP_COMMIT_H_
