// Supervision against a real jianyand with --testing_clock: the notice
// stream resumes with its cursor across SIGTERM and SIGKILL, and the timer
// scheduler fires every due timer exactly once although the process is
// killed while it fires.
#include <signal.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <thread>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/jianyand_fixture.h"
#include "tests/integration/supervision_client.h"
#include "tests/services/supervision_test_util.h"

namespace jianyan::testing {
namespace {

class SupervisionProcessTest : public JianyandFixture {
 protected:
  void Start() {
    std::string address;
    server_ = StartServer({"--testing_clock"}, &address);
    ASSERT_NE(server_, nullptr);
    client_.Connect(address);
  }
  void Kill() {
    server_->Signal(SIGKILL);
    ASSERT_TRUE(server_->Wait(absl::Seconds(30)).ok());
  }
  NoticeStream Watch(uint64_t after) {
    return NoticeStream(client_.supervision(),
                        SupervisionClient::As(client_.supervisor()),
                        WatchAfter(after));
  }
  // Urges `n` new cases; returns their numbers.
  std::vector<std::string> UrgeNew(int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) {
      out.push_back(client_.Forwarded(absl::StrCat("case-", ++seq_)));
      EXPECT_TRUE(client_.Urge(out.back()).ok());
    }
    return out;
  }
  // Reads the notices after `after` from a new stream: exactly `numbers`,
  // with consecutive cursors.
  void ExpectResumed(uint64_t after, const std::vector<std::string>& numbers) {
    NoticeStream stream = Watch(after);
    for (size_t i = 0; i < numbers.size(); ++i) {
      jianyan::v1::EscalationNotice n = stream.Next();
      EXPECT_EQ(n.cursor(), after + i + 1);
      EXPECT_EQ(n.case_().case_number(), numbers[i]);
    }
  }

  std::unique_ptr<Subprocess> server_;
  SupervisionClient client_;
  int seq_ = 0;
};

TEST_F(SupervisionProcessTest, WatchResumesAcrossSigtermAndSigkill) {
  Start();
  client_.Setup(AdminToken());
  {
    NoticeStream live = Watch(0);
    std::vector<std::string> first = UrgeNew(2);
    EXPECT_EQ(live.Next().cursor(), 1u);
    EXPECT_EQ(live.Next().cursor(), 2u);
    // SIGTERM: the open stream ends (UNAVAILABLE), the server drains.
    StopServer(*server_);
    EXPECT_FALSE(live.Finish().ok());
  }
  Start();
  std::vector<std::string> second = UrgeNew(2);
  ExpectResumed(2, second);

  // SIGKILL with a console connected: what it missed comes back after the
  // restart, from the store.
  NoticeStream watching = Watch(4);
  std::vector<std::string> third = UrgeNew(1);
  EXPECT_EQ(watching.Next().cursor(), 5u);
  Kill();
  EXPECT_FALSE(watching.Finish().ok());
  Start();
  std::vector<std::string> fourth = UrgeNew(3);
  ExpectResumed(5, fourth);
  // And from further back, across both restarts.
  std::vector<std::string> all = second;
  all.insert(all.end(), third.begin(), third.end());
  all.insert(all.end(), fourth.begin(), fourth.end());
  ExpectResumed(2, all);
  StopServer(*server_);
}

// The config's limits reach the served process: with max_watch_streams 1
// a second console is refused at once, and gets in once the first leaves.
TEST_F(SupervisionProcessTest, WatchStreamsAreBoundedByTheConfig) {
  const std::string config = (dir_ / "limits.textproto").string();
  std::ofstream(config) << "limits { max_watch_streams: 1 }\n";
  std::string address;
  server_ = StartServer({"--testing_clock", "--config=" + config}, &address);
  ASSERT_NE(server_, nullptr);
  client_.Connect(address);
  client_.Setup(AdminToken());
  {
    NoticeStream first = Watch(0);
    NoticeStream second = Watch(0);
    grpc::Status refused = second.Finish();
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_NE(refused.error_message().find("limits.max_watch_streams = 1"),
              std::string::npos)
        << refused.error_message();
    UrgeNew(1);
    EXPECT_EQ(first.Next().cursor(), 1u);
  }
  // The first stream is gone (cancelled by its destructor); its place is
  // freed once the server has seen the cancel.
  bool got_in = false;
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (!got_in && absl::Now() < give_up) {
    NoticeStream again = Watch(0);
    UrgeNew(1);
    jianyan::v1::EscalationNotice n;
    got_in = again.TryNext(&n);
  }
  EXPECT_TRUE(got_in);
  StopServer(*server_);
}

TEST_F(SupervisionProcessTest, SchedulerFiresEachTimerOnceAcrossKills) {
  Start();
  client_.Setup(AdminToken());
  constexpr int kCases = 120;
  std::vector<std::string> numbers;
  for (int i = 0; i < kCases; ++i) {
    numbers.push_back(client_.Forwarded(absl::StrCat("timer-", i)));
  }
  std::mt19937 random(::testing::UnitTest::GetInstance()->random_seed());
  // Round 1: the warnings (day 12-13) come due; round 2: the expiries (day
  // 15-16). Each time the process is killed while AdvanceClock fires, then
  // killed again right after restarting, while the background scheduler
  // catches up.
  absl::Time target;
  ASSERT_TRUE(client_.Advance(absl::ZeroDuration(), &target).ok());
  for (absl::Duration step : {absl::Hours(24 * 13), absl::Hours(24 * 3)}) {
    target += step;
    std::thread advance([&] { client_.Advance(step).IgnoreError(); });
    // Not a wait for time: a random point for the crash to hit.
    std::this_thread::sleep_for(std::chrono::milliseconds(random() % 40));
    Kill();
    advance.join();
    Start();
    std::this_thread::sleep_for(std::chrono::milliseconds(random() % 40));
    Kill();
    Start();
    // The kill may have come before the advance was kept: move on to the
    // round's target time (real time only adds seconds). AdvanceClock
    // returns once everything due by the new time has fired.
    absl::Time now;
    ASSERT_TRUE(client_.Advance(absl::ZeroDuration(), &now).ok());
    if (now < target) {
      ASSERT_TRUE(client_.Advance(target - now).ok());
    }
  }
  // Each case: created, forwarded, warned once, expired once; in order.
  const std::vector<std::string> expected = {
      "register", "forward", "deadline_warning", "acceptance_overdue"};
  for (const std::string& no : numbers) {
    std::vector<std::string> history = client_.History(no);
    // The objection window (5 working days) closed in between: a window's
    // expiry is an event too, but no supervision notice.
    history.erase(
        std::remove(history.begin(), history.end(), "objection_window_closed"),
        history.end());
    EXPECT_EQ(history, expected) << no;
  }
  jianyan::v1::VerifyResponse verify = client_.Verify();
  EXPECT_TRUE(verify.ok()) << (verify.problems_size() > 0
                                   ? verify.problems(0).DebugString()
                                   : "");
  // The notice log: one warning and one expiry per case, cursors 1..2n and
  // not one more.
  NoticeStream last = Watch(2 * kCases - 1);
  EXPECT_EQ(last.Next().cursor(), 2u * kCases);
  NoticeStream beyond = Watch(2 * kCases + 1);
  EXPECT_EQ(beyond.Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  StopServer(*server_);
}

}  // namespace
}  // namespace jianyan::testing
