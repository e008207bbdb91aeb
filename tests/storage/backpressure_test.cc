// Backpressure: while the WAL is stuck, commands beyond max_queued_commands
// get RESOURCE_EXHAUSTED at once (an ApplyAll too: each command beyond the
// limit); when the WAL moves again every accepted command is applied.
#include <atomic>
#include <functional>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/blocking_counter.h"
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
using testing::ExpectVerifyClean;
using testing::Spec;
using testing::TempDir;
using testing::TestEpoch;
using testing::TestOptions;

TEST(BackpressureTest, FullQueueAnswersResourceExhaustedAndLosesNothing) {
  TempDir dir;
  ManualClock clock(TestEpoch());
  std::atomic<bool> closed{false};
  absl::Notification open;
  std::atomic<int> waiting{0};
  absl::Notification first_waiting;
  // While `closed` is set, WAL appends wait for `open`.
  auto fs = std::make_shared<testing::WalHookFileSystem>(
      [&](rocksdb::FSWritableFile& file, const rocksdb::Slice& data,
          const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) {
        if (closed.load()) {
          if (waiting.fetch_add(1) == 0) first_waiting.Notify();
          open.WaitForNotification();
        }
        return file.Append(data, o, dbg);
      });
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  CaseStoreOptions options = TestOptions(&clock);
  options.env = env.get();
  options.max_queued_commands = 3;
  auto store = CaseStore::Open(options, dir.path());
  ASSERT_TRUE(store.ok()) << store.status();
  CaseStore& s = **store;

  closed = true;
  std::vector<std::thread> callers;
  std::vector<absl::StatusOr<ApplyResult>> results(3, absl::UnknownError(""));
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
  auto request = [](int i) {
    return CreateRequest(Spec(absl::StrCat("P2026-0000000", i + 1, "-X")));
  };
  // The group leader, a blocking call stuck in the WAL append.
  callers.emplace_back([&] { results[0] = s.Apply(request(0)); });
  first_waiting.WaitForNotification();
  // Two asynchronous commands queued behind it (admitted before ApplyAsync
  // returns): the limit is reached.
  absl::BlockingCounter queued(2);
  for (int i = 1; i <= 2; ++i) {
    s.ApplyAsync(request(i), [&, i](absl::StatusOr<ApplyResult> r) {
      results[i] = std::move(r);
      queued.DecrementCount();
    });
  }
  EXPECT_EQ(s.InflightCommands(), 3u);

  auto refused = s.Apply(CreateRequest(Spec("P2026-00000009-X")));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "limit 3"))
      << refused.status();
  std::vector<ApplyRequest> two;
  two.push_back(CreateRequest(Spec("P2026-00000010-2")));
  two.push_back(CreateRequest(Spec("P2026-00000011-0")));
  for (const auto& r : s.ApplyAll(std::move(two))) {
    EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  }
  EXPECT_EQ(s.InflightCommands(), 3u);  // refusals leave no trace

  cleanup.run();  // the WAL moves again
  queued.Wait();
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(results[i].ok()) << i << ": " << results[i].status();
    EXPECT_TRUE(s.GetCase(absl::StrCat("P2026-0000000", i + 1, "-X")).ok());
  }
  for (const char* no :
       {"P2026-00000009-X", "P2026-00000010-2", "P2026-00000011-0"}) {
    EXPECT_EQ(s.GetCase(no).status().code(), absl::StatusCode::kNotFound);
  }
  EXPECT_EQ(s.InflightCommands(), 0u);
  ExpectVerifyClean(s);
}

}  // namespace
}  // namespace jianyan::storage
