// Backpressure: while the WAL is stuck, the staged batch stays bounded and
// commands beyond max_queued_commands get RESOURCE_EXHAUSTED at once; when
// the WAL moves again every accepted command is applied.
#include <atomic>
#include <functional>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "storage/case_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/storage/wal_hook_file_system.h"

namespace jianyan::storage {
namespace {

using testing::CreateRequest;
using testing::Spec;
using testing::TempDir;
using testing::TestEpoch;
using testing::TestOptions;

// Waits (bounded) until `done()`; the pipeline's threads make it true.
template <typename F>
bool Eventually(F done) {
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!done()) {
    if (absl::Now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(BackpressureTest, FullQueueAnswersResourceExhaustedAndLosesNothing) {
  TempDir dir;
  ManualClock clock(TestEpoch());
  std::atomic<bool> closed{false};
  absl::Notification open;
  std::atomic<int> waiting{0};
  // While `closed` is set, WAL appends wait for `open`.
  auto fs = std::make_shared<testing::WalHookFileSystem>(
      [&](rocksdb::FSWritableFile& file, const rocksdb::Slice& data,
          const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) {
        if (closed.load()) {
          waiting.fetch_add(1);
          open.WaitForNotification();
        }
        return file.Append(data, o, dbg);
      });
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  CaseStoreOptions options = TestOptions(&clock);
  options.env = env.get();
  options.max_commands_per_commit = 1;
  options.max_queued_commands = 2;
  auto store = CaseStore::Open(options, dir.path());
  ASSERT_TRUE(store.ok()) << store.status();
  CaseStore& s = **store;

  closed = true;
  std::vector<std::thread> callers;
  std::vector<absl::StatusOr<ApplyResult>> results(4, absl::UnknownError(""));
  // On any exit, failed assertions included: open the gate, join callers.
  struct Cleanup {
    std::function<void()> run;
    ~Cleanup() { run(); }
  } cleanup{[&] {
    closed = false;
    if (!open.HasBeenNotified()) open.Notify();
    for (auto& t : callers) {
      if (t.joinable()) t.join();
    }
  }};
  auto submit = [&](int i) {
    callers.emplace_back([&, i] {
      results[i] = s.Apply(
          CreateRequest(Spec(absl::StrCat("P2026-0000000", i + 1, "-X"))));
    });
  };
  submit(0);  // taken by the writer, stuck in the WAL append
  ASSERT_TRUE(Eventually([&] { return waiting.load() == 1; }));
  submit(1);  // staged: the staged batch is now full
  ASSERT_TRUE(Eventually([&] { return s.StagedCommands() == 1; }));
  submit(2);  // queued
  ASSERT_TRUE(Eventually([&] { return s.QueuedCommands() == 1; }));
  submit(3);  // queued: the queue is full
  ASSERT_TRUE(Eventually([&] { return s.QueuedCommands() == 2; }));
  EXPECT_EQ(s.StagedCommands(), 1u);  // the batch did not grow

  auto refused = s.Apply(CreateRequest(Spec("P2026-00000009-X")));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "limit 2"))
      << refused.status();

  cleanup.run();  // the WAL moves again
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(results[i].ok()) << i << ": " << results[i].status();
    EXPECT_TRUE(s.GetCase(absl::StrCat("P2026-0000000", i + 1, "-X")).ok());
  }
  EXPECT_EQ(s.GetCase("P2026-00000009-X").status().code(),
            absl::StatusCode::kNotFound);
  auto report = s.Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
}

}  // namespace
}  // namespace jianyan::storage
