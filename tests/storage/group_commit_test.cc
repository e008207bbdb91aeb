// GroupCommitter on a real RocksDB: batches that wait while a group is
// written are joined into the next group with one merge per counter key, and
// a group whose WAL write fails fails every caller in it and leaves nothing.
#include "storage/group_commit.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "storage/key_coding.h"
#include "storage/uint64_add_operator.h"
#include "tests/storage/store_test_util.h"
#include "tests/storage/wal_hook_file_system.h"

namespace jianyan::storage {
namespace {

using testing::TempDir;

// A database whose WAL appends go through `hook`; merges add uint64s.
struct Db {
  Db(const std::string& dir, testing::WalHookFileSystem::Hook hook)
      : env(rocksdb::NewCompositeEnv(
            std::make_shared<testing::WalHookFileSystem>(std::move(hook)))) {
    rocksdb::Options o;
    o.create_if_missing = true;
    o.env = env.get();
    o.merge_operator = std::make_shared<Uint64AddOperator>();
    rocksdb::DB* raw = nullptr;
    EXPECT_TRUE(rocksdb::DB::Open(o, dir, &raw).ok());
    db.reset(raw);
  }
  std::string Get(const std::string& key) {
    std::string v;
    rocksdb::Status s = db->Get(rocksdb::ReadOptions(), key, &v);
    return s.ok() ? v : "<" + s.ToString() + ">";
  }
  std::unique_ptr<rocksdb::Env> env;
  std::unique_ptr<rocksdb::DB> db;
};

// Holds WAL appends that carry `marker` until `open` is notified, and
// tears (half written, then an I/O error) every append carrying `doomed`.
struct Gate {
  testing::WalHookFileSystem::Hook Hook() {
    return [this](rocksdb::FSWritableFile& file, const rocksdb::Slice& data,
                  const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) {
      absl::string_view bytes(data.data(), data.size());
      if (absl::StrContains(bytes, "held-marker")) {
        if (held.fetch_add(1) == 0) first_held.Notify();
        open.WaitForNotification();
      }
      if (absl::StrContains(bytes, "doomed-marker")) {
        file.Append(rocksdb::Slice(data.data(), data.size() / 2), o, dbg)
            .PermitUncheckedError();
        file.Flush(o, dbg).PermitUncheckedError();
        return rocksdb::IOStatus::IOError("injected: torn WAL write");
      }
      return file.Append(data, o, dbg);
    };
  }
  std::atomic<int> held{0};
  absl::Notification first_held;  // an append is held
  absl::Notification open;
};

struct Call {
  rocksdb::WriteBatch batch;
  CounterSums sums;
  std::string order;
  absl::Time deadline = absl::InfiniteFuture();
  absl::Status status = absl::UnknownError("not run");
};

// Runs calls on their own threads. On every exit, failed assertions
// included, it opens the gate and joins them, so a broken committer fails
// the test instead of hanging or aborting it.
class Callers {
 public:
  Callers(GroupCommitter* committer, Gate* gate)
      : committer_(committer), gate_(gate) {}
  ~Callers() {
    if (!gate_->open.HasBeenNotified()) gate_->open.Notify();
    for (auto& t : threads_) t.join();
  }
  void Run(Call* call) {
    threads_.emplace_back([this, call] {
      call->status = committer_->Commit(call->batch, call->sums, call->order,
                                        nullptr, call->deadline);
    });
  }
  void JoinAll() {
    if (!gate_->open.HasBeenNotified()) gate_->open.Notify();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

 private:
  GroupCommitter* committer_;
  Gate* gate_;
  std::vector<std::thread> threads_;
};

// The first call writes "first" with the marker that holds its WAL append.
void HeldFirst(Call* call) {
  call->batch.Put("first", "held-marker").PermitUncheckedError();
  call->sums["count"] = 1;
  call->order = "first";
}

TEST(GroupCommitTest, WaitingBatchesShareOneGroupAndOneMergePerKey) {
  TempDir dir;
  Gate gate;
  Db db(dir.path(), gate.Hook());
  GroupCommitter committer(db.db.get(), db.db->DefaultColumnFamily(), {});
  const uint64_t seq0 = db.db->GetLatestSequenceNumber();

  std::vector<Call> calls(11);
  HeldFirst(&calls[0]);
  for (int i = 1; i <= 10; ++i) {
    calls[i].batch.Put(absl::StrCat("k", i), "v").PermitUncheckedError();
    calls[i].sums["count"] = 1;
    calls[i].sums[absl::StrCat("own", i)] = static_cast<uint64_t>(i);
    calls[i].order = absl::StrCat("order", 10 - i);
  }
  Callers callers(&committer, &gate);
  callers.Run(&calls[0]);  // leads, held in its WAL append
  gate.first_held.WaitForNotification();
  for (int i = 1; i <= 10; ++i) callers.Run(&calls[i]);
  committer.AwaitWaiting(10);
  callers.JoinAll();

  for (const Call& c : calls) EXPECT_TRUE(c.status.ok()) << c.status;
  EXPECT_EQ(committer.groups(), 2u);
  EXPECT_EQ(committer.batches(), 11u);
  // Group 1: a put and a merge. Group 2: ten puts, ONE merge of "count"
  // (summed) and one of each "own" key.
  EXPECT_EQ(db.db->GetLatestSequenceNumber() - seq0, 2u + 10u + 1u + 10u);
  EXPECT_EQ(db.Get("count"), EncodeFixed64LE(11));
  EXPECT_EQ(db.Get("own7"), EncodeFixed64LE(7));
  for (int i = 1; i <= 10; ++i) EXPECT_EQ(db.Get(absl::StrCat("k", i)), "v");
}

// Batches are joined in `order`, not in arrival order (seen through two
// batches that write one key: the one ordered last wins), and a group takes
// at most max_batches_per_group of the waiting batches.
TEST(GroupCommitTest, GroupsAreSortedByOrderAndBounded) {
  TempDir dir;
  Gate gate;
  Db db(dir.path(), gate.Hook());
  GroupCommitOptions options;
  options.max_batches_per_group = 4;
  GroupCommitter committer(db.db.get(), db.db->DefaultColumnFamily(), options);
  std::vector<Call> calls(5);
  HeldFirst(&calls[0]);
  const char* orders[] = {"", "d", "a", "c", "b"};
  for (int i = 1; i <= 4; ++i) {
    calls[i].batch.Put("shared", orders[i]).PermitUncheckedError();
    calls[i].order = orders[i];
  }
  Callers callers(&committer, &gate);
  callers.Run(&calls[0]);
  gate.first_held.WaitForNotification();
  for (int i = 1; i <= 4; ++i) {  // arrival order d, a, c, b
    callers.Run(&calls[i]);
    committer.AwaitWaiting(size_t(i));
  }
  callers.JoinAll();
  EXPECT_EQ(db.Get("shared"), "d");  // arrival order would leave "b"
  EXPECT_EQ(committer.groups(), 2u);

  // Nine more behind a held write: groups of 4, 4 and 1.
  Gate gate2;
  Db db2(dir.Sub("two"), gate2.Hook());
  GroupCommitter bounded(db2.db.get(), db2.db->DefaultColumnFamily(), options);
  std::vector<Call> more(10);
  HeldFirst(&more[0]);
  for (int i = 1; i <= 9; ++i) {
    more[i].batch.Put(absl::StrCat("m", i), "v").PermitUncheckedError();
  }
  Callers callers2(&bounded, &gate2);
  callers2.Run(&more[0]);
  gate2.first_held.WaitForNotification();
  for (int i = 1; i <= 9; ++i) callers2.Run(&more[i]);
  bounded.AwaitWaiting(9);
  callers2.JoinAll();
  for (const Call& c : more) EXPECT_TRUE(c.status.ok()) << c.status;
  EXPECT_EQ(bounded.groups(), 4u);
  EXPECT_EQ(bounded.batches(), 10u);
}

TEST(GroupCommitTest, AFailedGroupWriteFailsEveryCallerAndLeavesNothing) {
  TempDir dir;
  {
    Gate gate;
    Db db(dir.path(), gate.Hook());
    GroupCommitter committer(db.db.get(), db.db->DefaultColumnFamily(), {});
    std::vector<Call> calls(4);
    HeldFirst(&calls[0]);
    for (int i = 1; i <= 3; ++i) {
      calls[i]
          .batch.Put(absl::StrCat("k", i), i == 2 ? "doomed-marker" : "v")
          .PermitUncheckedError();
      calls[i].sums["count"] = 1;
    }
    Callers callers(&committer, &gate);
    callers.Run(&calls[0]);
    gate.first_held.WaitForNotification();
    for (int i = 1; i <= 3; ++i) callers.Run(&calls[i]);
    committer.AwaitWaiting(3);
    callers.JoinAll();
    EXPECT_TRUE(calls[0].status.ok()) << calls[0].status;
    for (int i = 1; i <= 3; ++i) {
      EXPECT_FALSE(calls[i].status.ok()) << i;
      EXPECT_TRUE(absl::StrContains(calls[i].status.message(), "torn"))
          << calls[i].status;
    }
  }
  Db reopened(dir.path(),
              [](rocksdb::FSWritableFile& file, const rocksdb::Slice& data,
                 const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) {
                return file.Append(data, o, dbg);
              });
  EXPECT_EQ(reopened.Get("first"), "held-marker");
  EXPECT_EQ(reopened.Get("count"), EncodeFixed64LE(1));
  for (int i = 1; i <= 3; ++i) {
    EXPECT_TRUE(
        absl::StrContains(reopened.Get(absl::StrCat("k", i)), "NotFound"))
        << i;
  }
}

// Batches whose deadline passes while they wait for a group are left out
// of it (DEADLINE_EXCEEDED, nothing written, no counter added), an expired
// first-in-line hands the lead on, and the others are written as usual.
TEST(GroupCommitTest, ExpiredBatchesAreLeftOutOfTheirGroup) {
  TempDir dir;
  Gate gate;
  Db db(dir.path(), gate.Hook());
  ManualClock clock(testing::TestEpoch());
  GroupCommitOptions options;
  options.deadline_clock = &clock;
  GroupCommitter committer(db.db.get(), db.db->DefaultColumnFamily(), options);

  std::vector<Call> calls(5);
  HeldFirst(&calls[0]);
  const char* keys[] = {"", "a", "b", "c", "d"};
  const absl::Time soon = clock.Now() + absl::Milliseconds(1);
  const absl::Time later = clock.Now() + absl::Hours(1);
  const absl::Time deadlines[] = {absl::InfiniteFuture(), soon,
                                  absl::InfiniteFuture(), soon, later};
  for (int i = 1; i <= 4; ++i) {
    calls[i].batch.Put(keys[i], "v").PermitUncheckedError();
    calls[i].sums["count"] = 1;
    calls[i].order = keys[i];
    calls[i].deadline = deadlines[i];
  }
  Callers callers(&committer, &gate);
  callers.Run(&calls[0]);  // leads, held in its WAL append
  gate.first_held.WaitForNotification();
  for (int i = 1; i <= 4; ++i) {
    callers.Run(&calls[i]);  // in line in this order: "a" leads next
    committer.AwaitWaiting(static_cast<size_t>(i));
  }
  clock.Advance(absl::Milliseconds(2));  // "a" and "c" expire
  callers.JoinAll();

  EXPECT_TRUE(calls[0].status.ok()) << calls[0].status;
  EXPECT_EQ(calls[1].status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_TRUE(calls[2].status.ok()) << calls[2].status;
  EXPECT_EQ(calls[3].status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_TRUE(calls[4].status.ok()) << calls[4].status;
  EXPECT_EQ(committer.groups(), 2u);
  EXPECT_EQ(committer.batches(), 3u);  // first, then b and d
  EXPECT_EQ(db.Get("b"), "v");
  EXPECT_EQ(db.Get("d"), "v");
  EXPECT_NE(db.Get("a"), "v");
  EXPECT_NE(db.Get("c"), "v");
  EXPECT_EQ(db.Get("count"), EncodeFixed64LE(3));
}

}  // namespace
}  // namespace jianyan::storage
