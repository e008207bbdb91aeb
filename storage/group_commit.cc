#include "storage/group_commit.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "storage/case_store.h"
#include "storage/commit_stats.h"
#include "storage/key_coding.h"
#include "storage/notice_key.h"

namespace jianyan::storage {
namespace {

// A WriteBatch's representation (rocksdb/db/write_batch.cc; it is also the
// WAL record format, stable across versions): fixed64 sequence, fixed32
// little-endian count, then the records.
constexpr size_t kBatchHeader = 12;

void SetCount(std::string* rep, uint32_t count) {
  for (int i = 0; i < 4; ++i) {
    (*rep)[8 + i] = static_cast<char>((count >> (8 * i)) & 0xff);
  }
}

}  // namespace

absl::Status DeadlinePassedError() {
  return absl::DeadlineExceededError(
      "deadline: the caller's deadline passed before the command was "
      "written; nothing was written");
}

// One queued batch. Its caller sleeps on the writer's own mutex and
// condition variable, so waking it touches nothing shared; whoever changes
// `state` holds `mu` while doing so, and the caller cannot return (and free
// the Writer) before that holder lets go.
struct GroupCommitter::Writer {
  enum class State { kWaiting, kLeader, kDone };

  const rocksdb::WriteBatch* batch = nullptr;
  const CounterSums* sums = nullptr;
  std::vector<jianyan::v1::StoredNotice>* notices = nullptr;  // may be null
  absl::string_view order;
  absl::Time deadline = absl::InfiniteFuture();
  std::mutex mu;
  std::condition_variable cv;
  State state = State::kWaiting;  // guarded by mu
  absl::Status status;            // set with kDone

  void Set(State s, const absl::Status& st = absl::OkStatus()) {
    std::lock_guard<std::mutex> lock(mu);
    state = s;
    status = st;
    cv.notify_one();
  }
  State Wait() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [this] { return state != State::kWaiting; });
    return state;
  }
};

absl::Status GroupCommitter::Commit(
    const rocksdb::WriteBatch& batch, const CounterSums& sums,
    absl::string_view order, std::vector<jianyan::v1::StoredNotice>* notices,
    absl::Time deadline) {
  Writer w;
  w.batch = &batch;
  w.sums = &sums;
  w.notices = notices;
  w.order = order;
  w.deadline = deadline;
  bool lead = false;
  {
    // Invariant: batches wait only while a group is being written.
    std::lock_guard<std::mutex> lock(mu_);
    if (!leading_) {
      leading_ = true;
      lead = true;
    } else {
      queue_.push_back(&w);
      if (awaiting_ > 0) arrived_.notify_all();
    }
  }
  if (!lead && w.Wait() == Writer::State::kDone) return w.status;
  // The leader (the lead was taken for it): join what waits, up to limits,
  // leaving out the batches whose deadline has passed (its own included).
  const absl::Time now = options_.deadline_clock->Now();
  const bool mine_expired = deadline <= now;
  std::vector<Writer*> group;
  std::vector<Writer*> expired;
  if (!mine_expired) group.push_back(&w);
  {
    std::lock_guard<std::mutex> lock(mu_);
    size_t bytes = mine_expired ? 0 : batch.GetDataSize();
    while (!queue_.empty() && group.size() < options_.max_batches_per_group &&
           bytes < options_.max_group_bytes) {
      Writer* f = queue_.front();
      queue_.pop_front();
      if (f->deadline <= now) {
        expired.push_back(f);
        continue;
      }
      bytes += f->batch->GetDataSize();
      group.push_back(f);
    }
    if (!group.empty()) ++groups_;
    batches_ += group.size();
  }
  for (Writer* f : expired) f->Set(Writer::State::kDone, DeadlinePassedError());
  absl::Status s = group.empty() ? absl::OkStatus() : WriteGroup(group);
  if (s.ok()) Announce(group);
  Writer* next = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.empty()) {
      leading_ = false;
    } else {  // hand the lead straight to the first in line
      next = queue_.front();
      queue_.pop_front();
    }
  }
  // The next group starts before this one's followers are woken.
  if (next != nullptr) next->Set(Writer::State::kLeader);
  for (Writer* f : group) {
    if (f != &w) f->Set(Writer::State::kDone, s);
  }
  return mine_expired ? DeadlinePassedError() : s;
}

absl::Status GroupCommitter::WriteGroup(std::vector<Writer*>& group) {
  // Cursors in queue order (the group is still in it), before the sort.
  const uint64_t first_cursor = next_notice_cursor_;
  std::vector<const jianyan::v1::StoredNotice*> notices;
  for (Writer* f : group) {
    if (f->notices == nullptr) continue;
    for (jianyan::v1::StoredNotice& n : *f->notices) {
      n.set_cursor(next_notice_cursor_++);
      notices.push_back(&n);
    }
  }
  std::sort(group.begin(), group.end(), [](const Writer* a, const Writer* b) {
    return a->order < b->order;
  });
  size_t bytes = 0;
  for (const Writer* f : group) bytes += f->batch->GetDataSize();
  std::string rep;
  rep.reserve(bytes + 128);
  rep.resize(kBatchHeader, '\0');
  uint32_t count = 0;
  CounterSums sums;  // ordered: the merges go in in key order
  for (const Writer* f : group) {
    const std::string& data = f->batch->Data();
    if (data.size() > kBatchHeader) {
      rep.append(data, kBatchHeader, std::string::npos);
    }
    count += f->batch->Count();
    for (const auto& [key, delta] : *f->sums) sums[key] += delta;
  }
  SetCount(&rep, count);
  rocksdb::WriteBatch joined(std::move(rep));
  for (const auto& [key, delta] : sums) {
    joined.Merge(counters_, key, EncodeFixed64LE(delta))
        .PermitUncheckedError();  // in-memory append; cannot fail
  }
  for (const jianyan::v1::StoredNotice* n : notices) {
    joined.Put(options_.notices, NoticeKey(n->cursor()), n->SerializeAsString())
        .PermitUncheckedError();  // in-memory append; cannot fail
  }
  if (joined.Count() == 0) return absl::OkStatus();
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync;
  const absl::Time started = absl::Now();
  rocksdb::Status s = db_->Write(wo, &joined);
  CommitStats& stats = GlobalCommitStats();
  stats.wal_sync_seconds.Observe(absl::ToDoubleSeconds(absl::Now() - started));
  stats.group_size.Observe(static_cast<double>(group.size()));
  if (s.ok()) {
    last_notice_cursor_.store(next_notice_cursor_ - 1);
    return absl::OkStatus();
  }
  next_notice_cursor_ = first_cursor;  // given back: no gaps
  if (options_.on_write_error) return options_.on_write_error(s);
  return FromRocks(s, "apply");
}

void GroupCommitter::Announce(const std::vector<Writer*>& group) {
  std::lock_guard<std::mutex> lock(listener_mu_);
  if (!listener_) return;
  std::vector<jianyan::v1::StoredNotice> notices;
  for (const Writer* f : group) {
    if (f->notices == nullptr) continue;
    notices.insert(notices.end(), f->notices->begin(), f->notices->end());
  }
  if (notices.empty()) return;
  // The group is sorted by `order` now: back to cursor order.
  std::sort(notices.begin(), notices.end(),
            [](const jianyan::v1::StoredNotice& a,
               const jianyan::v1::StoredNotice& b) {
              return a.cursor() < b.cursor();
            });
  listener_(notices);
}

void GroupCommitter::SetNoticeListener(NoticeListener listener) {
  std::lock_guard<std::mutex> lock(listener_mu_);
  listener_ = std::move(listener);
}

uint64_t GroupCommitter::groups() const {
  std::lock_guard<std::mutex> lock(mu_);
  return groups_;
}

uint64_t GroupCommitter::batches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return batches_;
}

size_t GroupCommitter::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void GroupCommitter::AwaitWaiting(size_t n) {
  std::unique_lock<std::mutex> lock(mu_);
  ++awaiting_;
  arrived_.wait(lock, [&] { return queue_.size() >= n; });
  --awaiting_;
}

}  // namespace jianyan::storage
