// A command applies fully or not at all: a WAL write that fails half-way
// (fault-injecting FileSystem), and a command that fails while being staged
// next to good ones in the same commit group.
#include <atomic>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "storage/case_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/storage/wal_hook_file_system.h"

namespace jianyan::storage {
namespace {

using testing::CaseSpec;
using testing::CreateRequest;
using testing::ExpectVerifyClean;
using testing::Spec;
using testing::TempDir;
using testing::TestEpoch;
using testing::TestOptions;
using testing::UpdateRequest;

// Once armed, the next append to a WAL file writes only the first half of
// its data and fails, like a disk that fills up or dies mid-write.
std::shared_ptr<rocksdb::FileSystem> TornWalFileSystem(
    std::atomic<bool>* armed) {
  return std::make_shared<testing::WalHookFileSystem>(
      [armed](rocksdb::FSWritableFile& file, const rocksdb::Slice& data,
              const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) {
        if (!armed->exchange(false)) return file.Append(data, o, dbg);
        file.Append(rocksdb::Slice(data.data(), data.size() / 2), o, dbg)
            .PermitUncheckedError();
        file.Flush(o, dbg).PermitUncheckedError();
        return rocksdb::IOStatus::IOError("injected: torn WAL write");
      });
}

TEST(AtomicityTest, TornWalWriteLeavesNoTraceOfTheCommands) {
  TempDir dir;
  ManualClock clock(TestEpoch());
  std::atomic<bool> armed{false};
  auto fs = TornWalFileSystem(&armed);
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  CaseSpec a = Spec("P2026-00000001-X", "registered", "org", "pt", "c");
  a.due_time = TestEpoch() + absl::Hours(1);
  {
    CaseStoreOptions options = TestOptions(&clock);
    options.sync = true;
    options.env = env.get();
    auto store = CaseStore::Open(options, dir.Sub("db"));
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->Apply(CreateRequest(a)).ok());
    jianyan::v1::Case old = (*store)->GetCase(a.case_number)->case_();
    CaseSpec moved = a;
    moved.state = "accepted";
    moved.org = "org2";
    moved.due_time = TestEpoch() + absl::Hours(9);
    std::vector<ApplyRequest> group;
    group.push_back(UpdateRequest(old, moved));
    ApplyRequest b = CreateRequest(Spec("P2026-00000002-8", "registered"));
    b.idempotency = IdempotencyInput{"terminal-1", "req-b", "h"};
    group.push_back(std::move(b));
    armed = true;
    for (const auto& r : (*store)->ApplyAll(std::move(group))) {
      EXPECT_FALSE(r.ok());
    }
    EXPECT_FALSE(armed.load()) << "the fault was never hit";
  }
  CaseStoreOptions plain = TestOptions(&clock);
  auto store = CaseStore::Open(plain, dir.Sub("db"));
  ASSERT_TRUE(store.ok()) << store.status();
  auto stored = (*store)->GetCase(a.case_number);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->case_().version(), 1u);
  EXPECT_EQ(stored->case_().state(), "registered");
  EXPECT_EQ((*store)->GetCase("P2026-00000002-8").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ((*store)->LookupRequest("terminal-1", "req-b").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ((*store)->ListCases(testing::OrgQuery("org2"), {})->cases.size(),
            0u);
  EXPECT_EQ((*store)->GetEvents(a.case_number, {})->events.size(), 1u);
  ExpectVerifyClean(**store);
}

TEST(AtomicityTest, AFailingCommandInAGroupWritesNothingOthersCommit) {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = CaseStore::Open(TestOptions(&clock), dir.Sub("db"));
  ASSERT_TRUE(store.ok());
  std::vector<ApplyRequest> group;
  group.push_back(CreateRequest(Spec("P1", "s", "org")));
  ApplyRequest bad = CreateRequest(Spec("P2", "s", "org"));
  // Two events where the second has a wrong seq. (CheckChange refuses it
  // before anything is staged; a later staging error would be discarded by
  // the batch save point the same way.)
  bad.change.events.push_back(bad.change.events[0]);
  bad.change.events[1].set_seq(5);
  bad.change.case_after.set_last_event_seq(2);
  group.push_back(std::move(bad));
  group.push_back(CreateRequest(Spec("P3", "s", "org")));
  auto results = (*store)->ApplyAll(std::move(group));
  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(results[1].status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(results[2].ok());
  EXPECT_EQ((*store)->GetCase("P2").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ((*store)->ListCases(testing::StateQuery("s"), {})->cases.size(),
            2u);
  ExpectVerifyClean(**store);
}

}  // namespace
}  // namespace jianyan::storage
