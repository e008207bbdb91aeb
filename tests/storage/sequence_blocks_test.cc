// SequenceBlocks against an in-memory mark (so that writes can fail on
// cue); CaseStoreTest covers it on RocksDB, the crash test across SIGKILL.
#include "storage/sequence_blocks.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "tests/storage/store_test_util.h"

namespace jianyan::storage {
namespace {

// The durable mark of one series, with writes that fail while `failing`.
class Marks {
 public:
  SequenceBlocks::ReadMark Reader() {
    return [this](const std::string&) -> absl::StatusOr<uint64_t> {
      absl::MutexLock lock(&mu_);
      if (fail_reads_) return absl::UnavailableError("read failed");
      return mark_;
    };
  }
  SequenceBlocks::WriteMark Writer() {
    return [this](const std::string&, uint64_t mark) {
      std::this_thread::yield();  // let other callers run meanwhile
      absl::MutexLock lock(&mu_);
      if (failing_) return absl::UnavailableError("write failed");
      EXPECT_GT(mark, mark_) << "marks only grow";
      mark_ = mark;
      ++writes_;
      return absl::OkStatus();
    };
  }
  uint64_t mark() {
    absl::MutexLock lock(&mu_);
    return mark_;
  }
  int writes() {
    absl::MutexLock lock(&mu_);
    return writes_;
  }
  void set_failing(bool f) {
    absl::MutexLock lock(&mu_);
    failing_ = f;
  }
  void set_fail_reads(bool f) {
    absl::MutexLock lock(&mu_);
    fail_reads_ = f;
  }
  void set_mark(uint64_t m) {
    absl::MutexLock lock(&mu_);
    mark_ = m;
  }

 private:
  absl::Mutex mu_;
  uint64_t mark_ ABSL_GUARDED_BY(mu_) = 0;
  int writes_ ABSL_GUARDED_BY(mu_) = 0;
  bool failing_ ABSL_GUARDED_BY(mu_) = false;
  bool fail_reads_ ABSL_GUARDED_BY(mu_) = false;
};

TEST(SequenceBlocksTest, AscendingWithoutGapsAndNeverAboveTheDurableMark) {
  Marks marks;
  SequenceBlocks seq(10, 1000, marks.Reader(), marks.Writer());
  for (uint64_t want = 1; want <= 95; ++want) {
    auto n = seq.Next("s", "numbers");
    ASSERT_TRUE(n.ok()) << n.status();
    EXPECT_EQ(*n, want);
    EXPECT_LE(*n, marks.mark());
    // The next block is reserved once half of one is handed out, so the
    // mark is never more than two blocks ahead.
    EXPECT_LE(marks.mark(), *n + 20);
  }
  // 10 at the start, then 20 when 5 was handed out, ..., 110 at 95.
  EXPECT_EQ(marks.writes(), 11);
  EXPECT_EQ(marks.mark(), 110u);
}

TEST(SequenceBlocksTest, ARestartContinuesAboveTheMark) {
  Marks marks;
  {
    SequenceBlocks seq(10, 1000, marks.Reader(), marks.Writer());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(seq.Next("s", "numbers").ok());
  }
  ASSERT_EQ(marks.mark(), 10u);
  SequenceBlocks again(10, 1000, marks.Reader(), marks.Writer());
  EXPECT_EQ(*again.Next("s", "numbers"), 11u);
  // Another series starts at 1.
  Marks other;
  SequenceBlocks fresh(10, 1000, other.Reader(), other.Writer());
  EXPECT_EQ(*fresh.Next("t", "numbers"), 1u);
}

TEST(SequenceBlocksTest, AFailedReservationHandsOutNothingBeyondTheMark) {
  Marks marks;
  SequenceBlocks seq(4, 1000, marks.Reader(), marks.Writer());
  ASSERT_EQ(*seq.Next("s", "numbers"), 1u);  // block [1, 4]
  marks.set_failing(true);
  // 2 reaches the half: its reservation fails, 2 is still handed out.
  ASSERT_EQ(*seq.Next("s", "numbers"), 2u);
  ASSERT_EQ(*seq.Next("s", "numbers"), 3u);
  ASSERT_EQ(*seq.Next("s", "numbers"), 4u);
  EXPECT_EQ(marks.mark(), 4u);
  // The block is used up and no reservation can be made.
  auto failed = seq.Next("s", "numbers");
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(seq.Next("s", "numbers").status().code(),
            absl::StatusCode::kUnavailable);
  marks.set_failing(false);
  EXPECT_EQ(*seq.Next("s", "numbers"), 5u);
  EXPECT_EQ(marks.mark(), 8u);
}

TEST(SequenceBlocksTest, AFailedReadIsReturnedAndTriedAgain) {
  Marks marks;
  marks.set_mark(41);
  marks.set_fail_reads(true);
  SequenceBlocks seq(10, 1000, marks.Reader(), marks.Writer());
  EXPECT_EQ(seq.Next("s", "numbers").status().code(),
            absl::StatusCode::kUnavailable);
  marks.set_fail_reads(false);
  EXPECT_EQ(*seq.Next("s", "numbers"), 42u);
}

TEST(SequenceBlocksTest, UsedUpAtTheMaximum) {
  Marks marks;
  SequenceBlocks seq(10, 25, marks.Reader(), marks.Writer());
  for (uint64_t want = 1; want <= 25; ++want) {
    ASSERT_EQ(*seq.Next("s", "numbers"), want);
  }
  EXPECT_EQ(marks.mark(), 25u);
  auto over = seq.Next("s", "case numbers of 2026");
  EXPECT_EQ(over.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(over.status().message(), "case numbers of 2026 are used up");
}

TEST(SequenceBlocksTest, ConcurrentCallersGetEveryNumberOnce) {
  Marks marks;
  SequenceBlocks seq(16, 1000000, marks.Reader(), marks.Writer());
  constexpr int kThreads = 8, kEach = 1000;
  std::vector<std::vector<uint64_t>> got(kThreads);
  std::atomic<bool> above_mark{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto n = seq.Next("s", "numbers");
        ASSERT_TRUE(n.ok()) << n.status();
        if (*n > marks.mark()) above_mark = true;
        got[t].push_back(*n);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_FALSE(above_mark.load());
  testing::ExpectOneToNOnce(got, kThreads * kEach);
  EXPECT_LE(marks.mark(), uint64_t{kThreads * kEach + 32});
}

}  // namespace
}  // namespace jianyan::storage
