// ApplyAsync: callbacks run exactly once, on a store thread, after the
// command's commit group is durable; results equal Apply's; the destructor
// runs every queued callback; admission rejects inline.
#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "rocksdb/env.h"
#include "storage/case_store.h"
#include "tests/storage/fault_file_systems.h"
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
using testing::UpdateRequest;

// Once armed, the next WAL append notifies `held` and waits for `open`.
struct FirstAppendGate {
  std::atomic<bool> armed{false};
  absl::Notification held, open;
  std::unique_ptr<rocksdb::Env> env =
      rocksdb::NewCompositeEnv(std::make_shared<testing::WalHookFileSystem>(
          [this](rocksdb::FSWritableFile& file, const rocksdb::Slice& data,
                 const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) {
            if (armed.exchange(false)) {
              held.Notify();
              open.WaitForNotification();
            }
            return file.Append(data, o, dbg);
          }));
};

// Applies `r` with ApplyAsync and waits for its callback.
absl::StatusOr<ApplyResult> ApplyAndWait(CaseStore& store, ApplyRequest r) {
  absl::StatusOr<ApplyResult> out = absl::UnknownError("no callback");
  absl::Notification done;
  store.ApplyAsync(std::move(r), [&](absl::StatusOr<ApplyResult> result) {
    out = std::move(result);
    done.Notify();
  });
  done.WaitForNotification();
  return out;
}

// Racing updates through ApplyAsync on `cases` cases: each either wins or
// is ABORTED, and the versions add up.
void RaceUpdates(int cases) {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = CaseStore::Open(TestOptions(&clock), dir.Sub("db"));
  ASSERT_TRUE(store.ok()) << store.status();
  CaseStore& s = **store;
  for (int c = 0; c < cases; ++c) {
    ASSERT_TRUE(s.Apply(CreateRequest(Spec("P" + std::to_string(c)))).ok());
  }
  constexpr int kThreads = 8, kTries = 40;
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kTries; ++i) {
        std::string no = "P" + std::to_string((t + i) % cases);
        auto old = s.GetCase(no);
        ASSERT_TRUE(old.ok());
        ApplyRequest r =
            UpdateRequest(old->case_(), Spec(no, "s" + std::to_string(i % 3)));
        r.idempotency = IdempotencyInput{"terminal-" + std::to_string(t),
                                         "req-" + std::to_string(i), "h"};
        auto res = ApplyAndWait(s, std::move(r));
        if (res.ok()) {
          EXPECT_FALSE(res->replayed);
          EXPECT_EQ(res->version, old->case_().version() + 1);
          EXPECT_EQ(res->last_event_seq, old->case_().last_event_seq() + 1);
          wins.fetch_add(1);
        } else {
          EXPECT_EQ(res.status().code(), absl::StatusCode::kAborted)
              << res.status();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  uint64_t sum = 0;
  for (int c = 0; c < cases; ++c) {
    sum += s.GetCase("P" + std::to_string(c))->case_().version();
  }
  EXPECT_EQ(sum, static_cast<uint64_t>(cases + wins.load()));
  EXPECT_GT(wins.load(), 0);
  ExpectVerifyClean(s);
}

TEST(AsyncApplyTest, ConcurrentCallersOnOneCase) { RaceUpdates(1); }

TEST(AsyncApplyTest, ConcurrentCallersOnManyCases) { RaceUpdates(16); }

TEST(AsyncApplyTest, BurstOfCreatesRunsEachCallbackOnceOnAStoreThread) {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = CaseStore::Open(TestOptions(&clock), dir.Sub("db"));
  ASSERT_TRUE(store.ok()) << store.status();
  constexpr int kCommands = 300;
  std::mutex mu;
  std::map<int, int> calls;
  std::vector<absl::StatusOr<ApplyResult>> results(kCommands,
                                                   absl::UnknownError(""));
  std::atomic<int> on_caller{0};
  const std::thread::id caller = std::this_thread::get_id();
  absl::BlockingCounter pending(kCommands);
  for (int i = 0; i < kCommands; ++i) {
    // Every tenth command repeats the previous one (a client's retry sent
    // before the first answer came): queued after it, it is its replay.
    const int req = i % 10 == 9 ? i - 1 : i;
    ApplyRequest r = CreateRequest(Spec("P" + std::to_string(req)));
    r.idempotency =
        IdempotencyInput{"terminal-1", "req-" + std::to_string(req), "h"};
    (*store)->ApplyAsync(std::move(r), [&, i](absl::StatusOr<ApplyResult> res) {
      if (std::this_thread::get_id() == caller) on_caller.fetch_add(1);
      {
        std::lock_guard<std::mutex> lock(mu);
        ++calls[i];
        results[i] = std::move(res);
      }
      pending.DecrementCount();
    });
  }
  pending.Wait();
  EXPECT_EQ(on_caller.load(), 0);
  for (int i = 0; i < kCommands; ++i) {
    EXPECT_EQ(calls[i], 1) << i;
    ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].status();
    const int req = i % 10 == 9 ? i - 1 : i;
    EXPECT_EQ(results[i]->replayed, req != i) << i;
    EXPECT_EQ(results[i]->case_number, "P" + std::to_string(req));
    EXPECT_EQ(results[i]->version, 1u);
    EXPECT_EQ(results[i]->first_event_seq, 1u);
  }
  ExpectVerifyClean(**store);
}

TEST(AsyncApplyTest, CallbackRunsOnlyAfterTheWalIsSynced) {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto fs = std::make_shared<testing::SyncGateFileSystem>();
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  CaseStoreOptions options = TestOptions(&clock);
  options.sync = true;
  options.env = env.get();
  auto store = CaseStore::Open(options, dir.Sub("db"));
  ASSERT_TRUE(store.ok()) << store.status();
  absl::Notification entered, release, called;
  std::atomic<bool> synced_at_callback{false};
  fs->HoldNextSync(&entered, &release);
  (*store)->ApplyAsync(CreateRequest(Spec("P1")),
                       [&](absl::StatusOr<ApplyResult> r) {
                         EXPECT_TRUE(r.ok()) << r.status();
                         synced_at_callback = fs->synced() == fs->appended();
                         called.Notify();
                       });
  entered.WaitForNotification();
  // The command's WAL record is written but not synced: no callback yet.
  EXPECT_GT(fs->appended(), fs->synced());
  EXPECT_FALSE(called.HasBeenNotified());
  release.Notify();
  called.WaitForNotification();
  EXPECT_TRUE(synced_at_callback.load());
  // And for a stream of commands: every callback sees its record synced.
  std::atomic<int> unsynced{0};
  absl::BlockingCounter pending(50);
  for (int i = 0; i < 50; ++i) {
    (*store)->ApplyAsync(CreateRequest(Spec("Q" + std::to_string(i))),
                         [&](absl::StatusOr<ApplyResult> r) {
                           EXPECT_TRUE(r.ok()) << r.status();
                           auto c = (*store)->GetCase(r->case_number);
                           if (!c.ok() || fs->synced() == 0) unsynced++;
                           pending.DecrementCount();
                         });
  }
  pending.Wait();
  EXPECT_EQ(unsynced.load(), 0);
}

TEST(AsyncApplyTest, DestructorRunsEveryQueuedCallback) {
  TempDir dir;
  ManualClock clock(TestEpoch());
  // The first WAL append once armed waits: the queue fills behind it.
  FirstAppendGate gate;
  CaseStoreOptions options = TestOptions(&clock);
  options.env = gate.env.get();
  auto store = CaseStore::Open(options, dir.Sub("db"));
  ASSERT_TRUE(store.ok()) << store.status();
  gate.armed = true;
  constexpr int kCommands = 40;
  std::atomic<int> ok{0}, failed{0}, calls{0};
  auto done = [&](absl::StatusOr<ApplyResult> r) {
    calls.fetch_add(1);
    if (r.ok()) {
      ok.fetch_add(1);
    } else {
      EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
      failed.fetch_add(1);
    }
  };
  (*store)->ApplyAsync(CreateRequest(Spec("P0")), done);
  gate.held.WaitForNotification();
  for (int i = 1; i < kCommands; ++i) {
    (*store)->ApplyAsync(CreateRequest(Spec("P" + std::to_string(i))), done);
  }
  EXPECT_EQ((*store)->InflightCommands(), static_cast<size_t>(kCommands));
  std::thread closer([&] { store->reset(); });
  gate.open.Notify();
  closer.join();
  EXPECT_EQ(calls.load(), kCommands);
  EXPECT_EQ(ok.load() + failed.load(), kCommands);
  // What was acknowledged is there after reopening.
  auto again = CaseStore::Open(TestOptions(&clock), dir.Sub("db"));
  ASSERT_TRUE(again.ok()) << again.status();
  int present = 0;
  for (int i = 0; i < kCommands; ++i) {
    present += (*again)->GetCase("P" + std::to_string(i)).ok() ? 1 : 0;
  }
  EXPECT_EQ(present, ok.load());
  ExpectVerifyClean(**again);
}

TEST(AsyncApplyTest, AdmissionRejectsInlineWithResourceExhausted) {
  TempDir dir;
  ManualClock clock(TestEpoch());
  FirstAppendGate gate;
  CaseStoreOptions options = TestOptions(&clock);
  options.env = gate.env.get();
  options.max_queued_commands = 2;
  auto store = CaseStore::Open(options, dir.Sub("db"));
  ASSERT_TRUE(store.ok()) << store.status();
  gate.armed = true;
  absl::BlockingCounter accepted(2);
  (*store)->ApplyAsync(CreateRequest(Spec("P0")),
                       [&](absl::StatusOr<ApplyResult> r) {
                         EXPECT_TRUE(r.ok()) << r.status();
                         accepted.DecrementCount();
                       });
  gate.held.WaitForNotification();
  (*store)->ApplyAsync(CreateRequest(Spec("P1")),
                       [&](absl::StatusOr<ApplyResult> r) {
                         EXPECT_TRUE(r.ok()) << r.status();
                         accepted.DecrementCount();
                       });
  bool rejected_inline = false;
  (*store)->ApplyAsync(
      CreateRequest(Spec("P2")), [&](absl::StatusOr<ApplyResult> r) {
        EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
        rejected_inline = true;
      });
  EXPECT_TRUE(rejected_inline);
  // Blocking calls count against the same limit.
  EXPECT_EQ((*store)->Apply(CreateRequest(Spec("P3"))).status().code(),
            absl::StatusCode::kResourceExhausted);
  gate.open.Notify();
  accepted.Wait();
  EXPECT_EQ((*store)->GetCase("P2").status().code(),
            absl::StatusCode::kNotFound);
  ExpectVerifyClean(**store);
}

}  // namespace
}  // namespace jianyan::storage
