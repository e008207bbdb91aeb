// Callers' deadlines in the store (ApplyRequest::deadline): a command whose
// deadline has passed when it is admitted, staged, or while its batch waits
// for a commit group is not written; the rest of its group is.
#include <memory>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "rocksdb/env.h"
#include "storage/case_store.h"
#include "tests/storage/fault_file_systems.h"
#include "tests/storage/store_test_util.h"

namespace jianyan::storage {
namespace {

using testing::CreateRequest;
using testing::ExpectVerifyClean;
using testing::Spec;
using testing::TempDir;
using testing::TestEpoch;
using testing::TestOptions;

class DeadlineTest : public ::testing::Test {
 protected:
  void Open(rocksdb::Env* env = nullptr) {
    CaseStoreOptions options = TestOptions(&clock_);
    // One committer: what waits behind a held commit waits in the queue,
    // unstaged, so the staging check decides (the commit group's check is
    // GroupCommitTest.ExpiredBatchesAreLeftOutOfTheirGroup).
    options.committer_threads = 1;
    options.deadline_clock = &deadline_clock_;
    if (env != nullptr) {
      options.sync = true;
      options.env = env;
    }
    auto store = CaseStore::Open(options, dir_.Sub("db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  bool Exists(const std::string& no) { return store_->GetCase(no).ok(); }

  TempDir dir_;
  ManualClock clock_{TestEpoch()};
  ManualClock deadline_clock_{TestEpoch()};
  // Before store_: the store uses them until it is closed.
  std::shared_ptr<testing::SyncGateFileSystem> fs_ =
      std::make_shared<testing::SyncGateFileSystem>();
  std::unique_ptr<rocksdb::Env> env_ = rocksdb::NewCompositeEnv(fs_);
  std::unique_ptr<CaseStore> store_;
};

TEST_F(DeadlineTest, PassedDeadlineIsRefusedInlineAndWritesNothing) {
  Open();
  ApplyRequest r = CreateRequest(Spec("P1"));
  r.deadline = deadline_clock_.Now();  // due now: passed
  bool called = false;
  store_->ApplyAsync(std::move(r), [&](absl::StatusOr<ApplyResult> result) {
    called = true;
    EXPECT_EQ(result.status().code(), absl::StatusCode::kDeadlineExceeded);
    EXPECT_NE(result.status().message().find("deadline"), std::string::npos);
  });
  EXPECT_TRUE(called);  // inline, before ApplyAsync returned
  EXPECT_FALSE(Exists("P1"));
  EXPECT_EQ(store_->InflightCommands(), 0u);
  ExpectVerifyClean(*store_);
}

TEST_F(DeadlineTest, ApplyAllSkipsOnlyTheExpiredCommand) {
  Open();
  std::vector<ApplyRequest> requests;
  requests.push_back(CreateRequest(Spec("P1")));
  requests.push_back(CreateRequest(Spec("P2")));
  requests.push_back(CreateRequest(Spec("P3")));
  requests[1].deadline = deadline_clock_.Now() - absl::Milliseconds(1);
  requests[2].deadline = deadline_clock_.Now() + absl::Seconds(1);
  auto results = store_->ApplyAll(std::move(requests));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok()) << results[0].status();
  EXPECT_EQ(results[1].status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_TRUE(results[2].ok()) << results[2].status();
  EXPECT_TRUE(Exists("P1"));
  EXPECT_FALSE(Exists("P2"));
  EXPECT_TRUE(Exists("P3"));
  ExpectVerifyClean(*store_);
}

// A command queued behind a commit that is held (its WAL sync waits) whose
// deadline passes meanwhile is not written once the commit goes through;
// the held one and a command without a deadline are.
TEST_F(DeadlineTest, CommandBehindAHeldCommitIsDroppedWhenItsDeadlinePasses) {
  Open(env_.get());
  absl::Notification entered, release, held_done, late_done;
  fs_->HoldNextSync(&entered, &release);
  store_->ApplyAsync(CreateRequest(Spec("HELD")),
                     [&](absl::StatusOr<ApplyResult> r) {
                       EXPECT_TRUE(r.ok()) << r.status();
                       held_done.Notify();
                     });
  entered.WaitForNotification();
  ApplyRequest late = CreateRequest(Spec("LATE"));
  late.deadline = deadline_clock_.Now() + absl::Milliseconds(1);
  ApplyRequest patient = CreateRequest(Spec("PATIENT"));
  absl::Notification patient_done;
  store_->ApplyAsync(std::move(late), [&](absl::StatusOr<ApplyResult> r) {
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDeadlineExceeded)
        << r.status();
    late_done.Notify();
  });
  store_->ApplyAsync(std::move(patient), [&](absl::StatusOr<ApplyResult> r) {
    EXPECT_TRUE(r.ok()) << r.status();
    patient_done.Notify();
  });
  EXPECT_FALSE(late_done.HasBeenNotified());
  deadline_clock_.Advance(absl::Milliseconds(2));
  release.Notify();
  held_done.WaitForNotification();
  late_done.WaitForNotification();
  patient_done.WaitForNotification();
  EXPECT_TRUE(Exists("HELD"));
  EXPECT_FALSE(Exists("LATE"));
  EXPECT_TRUE(Exists("PATIENT"));
  ExpectVerifyClean(*store_);
}

}  // namespace
}  // namespace jianyan::storage
