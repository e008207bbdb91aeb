// Warning timers: the timers family holds a warning entry (at warn_time)
// for each running deadline that is not yet warned and warns before it is
// due; it comes and goes with the deadline, NextDueTimers returns both
// kinds in time order, and Verify derives both.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "storage/case_store.h"
#include "storage/timer_key.h"
#include "tests/storage/notice_test_util.h"
#include "tests/storage/store_test_util.h"
#include "workflow/time_util.h"

namespace jianyan::storage {
namespace {

using testing::CreateRequest;
using testing::ExpectVerifyClean;
using testing::Spec;
using testing::TestEpoch;
using testing::UpdateRequest;

absl::Time Day(int d) { return TestEpoch() + absl::Hours(24 * d); }

jianyan::v1::Deadline Running(const std::string& timer, int warn_day,
                              int due_day) {
  jianyan::v1::Deadline d;
  d.set_timer(timer);
  *d.mutable_start_time() = ToProto(TestEpoch());
  *d.mutable_due_time() = ToProto(Day(due_day));
  if (warn_day >= 0) *d.mutable_warn_time() = ToProto(Day(warn_day));
  return d;
}

TimerEntry Due(const std::string& no, const std::string& timer, int day) {
  return {Day(day), no, timer, false};
}
TimerEntry Warn(const std::string& no, const std::string& timer, int day) {
  return {Day(day), no, timer, true};
}

std::string Describe(const std::vector<TimerEntry>& entries) {
  std::string s;
  for (const auto& e : entries) {
    s += e.case_number + "/" + e.timer + (e.warning ? "/warn@" : "/due@") +
         absl::FormatTime(e.due_time) + " ";
  }
  return s;
}

class WarningTimerTest : public testing::StoreFixture {
 protected:
  // Creates case `no` (when new) or moves it to these deadlines.
  void SetDeadlines(const std::string& no,
                    const std::vector<jianyan::v1::Deadline>& deadlines) {
    auto old = store_->GetCase(no);
    ApplyRequest r = absl::IsNotFound(old.status())
                         ? CreateRequest(Spec(no))
                         : UpdateRequest(old->case_(), Spec(no));
    r.change.case_after.clear_deadlines();
    for (const auto& d : deadlines) *r.change.case_after.add_deadlines() = d;
    auto applied = store_->Apply(std::move(r));
    ASSERT_TRUE(applied.ok()) << applied.status();
  }
  std::vector<TimerEntry> DueBy(absl::Time now, size_t limit = 100) {
    auto due = store_->NextDueTimers(now, limit);
    EXPECT_TRUE(due.ok()) << due.status();
    return due.ok() ? *due : std::vector<TimerEntry>();
  }
  void ExpectTimers(const std::vector<TimerEntry>& want) {
    std::vector<TimerEntry> got = DueBy(absl::InfiniteFuture());
    EXPECT_EQ(got, want) << "got " << Describe(got) << "\nwant "
                         << Describe(want);
    ExpectVerifyClean(*store_);
  }
};

TEST_F(WarningTimerTest, DueAndWarningEntriesComeInTimeOrder) {
  SetDeadlines("A", {Running("accept", 12, 15), Running("handle", 55, 60)});
  SetDeadlines("B", {Running("accept", -1, 13)});  // no warn_time
  ExpectTimers({Warn("A", "accept", 12), Due("B", "accept", 13),
                Due("A", "accept", 15), Warn("A", "handle", 55),
                Due("A", "handle", 60)});
  // Due by day 12 exactly: the warning only.
  EXPECT_EQ(DueBy(Day(12)), std::vector<TimerEntry>{Warn("A", "accept", 12)});
  EXPECT_EQ(DueBy(Day(15), 2),
            (std::vector<TimerEntry>{Warn("A", "accept", 12),
                                     Due("B", "accept", 13)}));
  EXPECT_TRUE(DueBy(Day(11)).empty());
  auto report = store_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->timer_entries, 5u);
}

TEST_F(WarningTimerTest, WarningEntryGoesWhenWarnedPausedOrCancelled) {
  SetDeadlines("A", {Running("accept", 12, 15), Running("handle", 55, 60)});
  // The pre-warning fired: warned.
  jianyan::v1::Deadline accept = Running("accept", 12, 15);
  accept.set_warned(true);
  SetDeadlines("A", {accept, Running("handle", 55, 60)});
  ExpectTimers({Due("A", "accept", 15), Warn("A", "handle", 55),
                Due("A", "handle", 60)});
  // Paused (due time cleared): neither entry of the timer.
  jianyan::v1::Deadline handle = Running("handle", 55, 60);
  handle.set_paused(true);
  handle.clear_due_time();
  handle.set_remaining_seconds(3600);
  SetDeadlines("A", {accept, handle});
  ExpectTimers({Due("A", "accept", 15)});
  // Resumed, restarted (warned cleared): both entries again.
  SetDeadlines("A", {Running("accept", 20, 22), Running("handle", 70, 80)});
  ExpectTimers({Warn("A", "accept", 20), Due("A", "accept", 22),
                Warn("A", "handle", 70), Due("A", "handle", 80)});
  // Cancelled: gone.
  SetDeadlines("A", {Running("handle", 70, 80)});
  ExpectTimers({Warn("A", "handle", 70), Due("A", "handle", 80)});
  SetDeadlines("A", {});
  ExpectTimers({});
}

TEST_F(WarningTimerTest, NoWarningEntryUnlessItWarnsBeforeTheDueTime) {
  SetDeadlines("A", {Running("at", 15, 15), Running("after", 16, 15)});
  ExpectTimers({Due("A", "after", 15), Due("A", "at", 15)});
}

TEST_F(WarningTimerTest, VerifyFindsAMissingWarningEntry) {
  SetDeadlines("A", {Running("accept", 12, 15)});
  ASSERT_TRUE(store_->raw_db()
                  ->Delete(rocksdb::WriteOptions(), store_->handle(Cf::kTimers),
                           TimerKey(Warn("A", "accept", 12)))
                  .ok());
  auto report = store_->Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_TRUE(absl::StrContains(report->problems[0], "timers: missing entry"))
      << report->problems[0];
  // A warning entry the deadline does not have is stray.
  ASSERT_TRUE(store_->raw_db()
                  ->Put(rocksdb::WriteOptions(), store_->handle(Cf::kTimers),
                        TimerKey(Warn("A", "accept", 12)), "")
                  .ok());
  ASSERT_TRUE(store_->raw_db()
                  ->Put(rocksdb::WriteOptions(), store_->handle(Cf::kTimers),
                        TimerKey(Warn("A", "accept", 13)), "")
                  .ok());
  report = store_->Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_TRUE(absl::StrContains(report->problems[0], "timers: stray entry"))
      << report->problems[0];
}

}  // namespace
}  // namespace jianyan::storage
