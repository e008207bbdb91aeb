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

using testing::Eventually;
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
        held.fetch_add(1);
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
  absl::Notification open;
};

struct Call {
  rocksdb::WriteBatch batch;
  CounterSums sums;
  absl::Status status = absl::UnknownError("not run");
};

TEST(GroupCommitTest, WaitingBatchesShareOneGroupAndOneMergePerKey) {
  TempDir dir;
  Gate gate;
  Db db(dir.path(), gate.Hook());
  GroupCommitter committer(db.db.get(), db.db->DefaultColumnFamily(), {});
  const uint64_t seq0 = db.db->GetLatestSequenceNumber();

  std::vector<Call> calls(11);
  calls[0].batch.Put("first", "held-marker").PermitUncheckedError();
  calls[0].sums["count"] = 1;
  for (int i = 1; i <= 10; ++i) {
    calls[i].batch.Put(absl::StrCat("k", i), "v").PermitUncheckedError();
    calls[i].sums["count"] = 1;
    calls[i].sums[absl::StrCat("own", i)] = static_cast<uint64_t>(i);
  }
  std::vector<std::thread> threads;
  auto run = [&](int i) {
    threads.emplace_back([&, i] {
      calls[i].status = committer.Commit(calls[i].batch, calls[i].sums,
                                         absl::StrCat("order", 10 - i));
    });
  };
  run(0);  // leads, held in its WAL append
  ASSERT_TRUE(Eventually([&] { return gate.held.load() == 1; }));
  for (int i = 1; i <= 10; ++i) run(i);
  ASSERT_TRUE(Eventually([&] { return committer.waiting() == 10; }));
  gate.open.Notify();
  for (auto& t : threads) t.join();

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

TEST(GroupCommitTest, AFailedGroupWriteFailsEveryCallerAndLeavesNothing) {
  TempDir dir;
  {
    Gate gate;
    Db db(dir.path(), gate.Hook());
    GroupCommitter committer(db.db.get(), db.db->DefaultColumnFamily(), {});
    std::vector<Call> calls(4);
    calls[0].batch.Put("first", "held-marker").PermitUncheckedError();
    calls[0].sums["count"] = 1;
    for (int i = 1; i <= 3; ++i) {
      calls[i]
          .batch.Put(absl::StrCat("k", i), i == 2 ? "doomed-marker" : "v")
          .PermitUncheckedError();
      calls[i].sums["count"] = 1;
    }
    std::vector<std::thread> threads;
    auto run = [&](int i) {
      threads.emplace_back([&, i] {
        calls[i].status =
            committer.Commit(calls[i].batch, calls[i].sums, "same order");
      });
    };
    run(0);
    ASSERT_TRUE(Eventually([&] { return gate.held.load() == 1; }));
    for (int i = 1; i <= 3; ++i) run(i);
    ASSERT_TRUE(Eventually([&] { return committer.waiting() == 3; }));
    gate.open.Notify();
    for (auto& t : threads) t.join();
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

}  // namespace
}  // namespace jianyan::storage
