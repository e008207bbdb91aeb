// Write errors: a failed WAL write makes the store "not writable" (every
// command and directory write fails fast with UNAVAILABLE, the listener is
// told), and TryResume() makes it writable again without losing anything
// acknowledged.
#include <atomic>
#include <mutex>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "rocksdb/env.h"
#include "storage/case_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/storage/wal_hook_file_system.h"

namespace jianyan::storage {
namespace {

using testing::CreateRequest;
using testing::ExpectVerifyClean;
using testing::Spec;
using testing::TempDir;
using testing::TestEpoch;
using testing::TestOptions;

class WriteHealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_ = std::make_shared<testing::WalHookFileSystem>(
        [this](rocksdb::FSWritableFile& file, const rocksdb::Slice& data,
               const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) {
          appends_.fetch_add(1);
          if (full_.load()) {
            return rocksdb::IOStatus::NoSpace("injected: disk full");
          }
          if (broken_.load()) {
            return rocksdb::IOStatus::IOError("injected: I/O error");
          }
          return file.Append(data, o, dbg);
        });
    env_ = rocksdb::NewCompositeEnv(fs_);
    CaseStoreOptions options = TestOptions(&clock_);
    options.sync = true;
    options.env = env_.get();
    // The store's own retries stay out of the way: the test resumes.
    options.resume_backoff = absl::Hours(24);
    options.resume_backoff_max = absl::Hours(24);
    auto store = CaseStore::Open(options, dir_.Sub("db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    store_->SetWriteHealthListener([this](const absl::Status& s) {
      std::lock_guard<std::mutex> lock(mu_);
      told_.push_back(s);
    });
  }
  std::vector<absl::Status> Told() {
    std::lock_guard<std::mutex> lock(mu_);
    return told_;
  }
  static void ExpectNotWritable(const absl::Status& s) {
    EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
    EXPECT_TRUE(absl::StartsWith(s.message(), "store is not writable: ")) << s;
    EXPECT_TRUE(absl::EndsWith(s.message(), "; retrying")) << s;
  }

  TempDir dir_;
  ManualClock clock_{TestEpoch()};
  std::atomic<bool> full_{false};
  std::atomic<bool> broken_{false};
  std::atomic<int> appends_{0};
  std::shared_ptr<testing::WalHookFileSystem> fs_;
  std::unique_ptr<rocksdb::Env> env_;
  std::unique_ptr<CaseStore> store_;
  std::mutex mu_;
  std::vector<absl::Status> told_;
};

TEST_F(WriteHealthTest, DiskFullFailsFastUntilResumedAndLosesNothing) {
  ASSERT_TRUE(store_->Apply(CreateRequest(Spec("P1"))).ok());
  EXPECT_TRUE(store_->WriteHealth().ok());

  full_ = true;
  ApplyRequest p2 = CreateRequest(Spec("P2"));
  p2.idempotency = IdempotencyInput{"terminal-1", "req-2", "h"};
  absl::Status failed = store_->Apply(p2).status();
  ExpectNotWritable(failed);
  EXPECT_FALSE(absl::StrContains(failed.message(), "P2"));
  ExpectNotWritable(store_->WriteHealth());
  ASSERT_EQ(Told().size(), 1u);
  ExpectNotWritable(Told()[0]);

  // Everything that writes now fails fast, without touching the WAL.
  const int appends = appends_.load();
  ExpectNotWritable(store_->Apply(CreateRequest(Spec("P3"))).status());
  for (const auto& r : store_->ApplyAll({CreateRequest(Spec("P4"))})) {
    ExpectNotWritable(r.status());
  }
  bool inline_callback = false;
  store_->ApplyAsync(CreateRequest(Spec("P5")),
                     [&](absl::StatusOr<ApplyResult> r) {
                       ExpectNotWritable(r.status());
                       inline_callback = true;
                     });
  EXPECT_TRUE(inline_callback);
  jianyan::v1::Organisation org;
  org.set_id("org-1");
  ExpectNotWritable(store_->PutOrganisation(org));
  EXPECT_EQ(appends_.load(), appends);
  // Reads still work.
  EXPECT_TRUE(store_->GetCase("P1").ok());
  full_ = false;
  absl::Status resumed = store_->TryResume();
  ASSERT_TRUE(resumed.ok()) << resumed;
  EXPECT_TRUE(store_->WriteHealth().ok());
  ASSERT_EQ(Told().size(), 2u);
  EXPECT_TRUE(Told()[1].ok());
  EXPECT_TRUE(store_->TryResume().ok());  // already writable: no change
  EXPECT_EQ(Told().size(), 2u);

  // Commands work again; the failed one was never applied.
  EXPECT_EQ(store_->LookupRequest("terminal-1", "req-2").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetCase("P2").status().code(), absl::StatusCode::kNotFound);
  ApplyRequest p6 = CreateRequest(Spec("P6"));
  p6.idempotency = IdempotencyInput{"terminal-1", "req-6", "h"};
  auto p6_result = store_->Apply(p6);
  ASSERT_TRUE(p6_result.ok()) << p6_result.status();
  EXPECT_FALSE(p6_result->replayed);
  absl::Notification done;
  store_->ApplyAsync(CreateRequest(Spec("P5")),
                     [&](absl::StatusOr<ApplyResult> r) {
                       EXPECT_TRUE(r.ok()) << r.status();
                       done.Notify();
                     });
  done.WaitForNotification();
  EXPECT_TRUE(store_->PutOrganisation(org).ok());
  ExpectVerifyClean(*store_);

  // Nothing acknowledged was lost, nothing refused appeared.
  store_.reset();
  auto reopened = CaseStore::Open(TestOptions(&clock_), dir_.Sub("db"));
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  for (const char* no : {"P1", "P5", "P6"}) {
    EXPECT_TRUE((*reopened)->GetCase(no).ok()) << no;
  }
  // The command that failed on the full disk was not replayed either.
  for (const char* no : {"P2", "P3", "P4"}) {
    EXPECT_EQ((*reopened)->GetCase(no).status().code(),
              absl::StatusCode::kNotFound)
        << no;
  }
  EXPECT_TRUE((*reopened)->GetOrganisation("org-1").ok());
  ExpectVerifyClean(**reopened);
}

TEST_F(WriteHealthTest, AsyncCommandsInTheFailedGroupFailUnavailable) {
  full_ = true;
  absl::Notification done;
  absl::Status got;
  store_->ApplyAsync(CreateRequest(Spec("P1")),
                     [&](absl::StatusOr<ApplyResult> r) {
                       got = r.status();
                       done.Notify();
                     });
  done.WaitForNotification();
  ExpectNotWritable(got);
  ExpectNotWritable(store_->WriteHealth());
  full_ = false;
  ASSERT_TRUE(store_->TryResume().ok());
  EXPECT_TRUE(store_->Apply(CreateRequest(Spec("P1"))).ok());
  ExpectVerifyClean(*store_);
}

// A plain I/O error on a WAL append: RocksDB 7.8 rates it fatal and will
// not resume; the store says so until it is reopened, and loses nothing.
TEST_F(WriteHealthTest, IoErrorOnTheWalNeedsARestart) {
  ASSERT_TRUE(store_->Apply(CreateRequest(Spec("P1"))).ok());
  broken_ = true;
  ExpectNotWritable(store_->Apply(CreateRequest(Spec("P2"))).status());
  broken_ = false;
  absl::Status resumed = store_->TryResume();
  EXPECT_EQ(resumed.code(), absl::StatusCode::kUnavailable) << resumed;
  EXPECT_TRUE(
      absl::EndsWith(resumed.message(), "; cannot resume, restart required"))
      << resumed;
  EXPECT_EQ(store_->WriteHealth(), resumed);
  ASSERT_EQ(Told().size(), 2u);
  EXPECT_EQ(Told()[1], resumed);
  EXPECT_EQ(store_->Apply(CreateRequest(Spec("P3"))).status(), resumed);
  EXPECT_EQ(store_->TryResume(), resumed);
  store_.reset();
  auto reopened = CaseStore::Open(TestOptions(&clock_), dir_.Sub("db"));
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_TRUE((*reopened)->GetCase("P1").ok());
  EXPECT_EQ((*reopened)->GetCase("P2").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE((*reopened)->Apply(CreateRequest(Spec("P3"))).ok());
  ExpectVerifyClean(**reopened);
}

}  // namespace
}  // namespace jianyan::storage
