// WatchEscalations: resuming with a cursor (every notice once, in order),
// 200 concurrent watchers, a slow consumer cut off with RESOURCE_EXHAUSTED,
// and filters. Real gRPC, real store; notices are raised by escalations.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/core/notice_hub.h"
#include "tests/services/core_server.h"
#include "tests/services/supervision_test_util.h"

namespace jianyan::testing {
namespace {

using jianyan::v1::EscalationNotice;

class NoticeStreamTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.Seed(); }

  // A forwarded petition, 催办'd once: one ESCALATED notice. Returns the
  // case number.
  std::string UrgedCase() {
    const std::string id = absl::StrCat("urged-case-", ++seq_);
    jianyan::v1::Case c = server_.CreatePetition(id);
    EXPECT_TRUE(server_
                    .Act("registrar", c.case_number(), "forward",
                         {{"organisation_id", kHousing}})
                    .ok());
    EXPECT_TRUE(server_.Act("supervisor", c.case_number(), "urge", {}).ok());
    return c.case_number();
  }

  CoreServer server_;
  int seq_ = 0;
};

TEST_F(NoticeStreamTest, ResumeDeliversExactlyTheMissedNotices) {
  std::vector<std::string> numbers;
  uint64_t last = 0;
  {
    NoticeStream first(server_.supervision(), server_.As("supervisor"),
                       WatchAfter(0));
    numbers.push_back(UrgedCase());
    numbers.push_back(UrgedCase());
    for (int i = 0; i < 2; ++i) {
      EscalationNotice n = first.Next();
      EXPECT_EQ(n.case_().case_number(), numbers[i]);
      EXPECT_EQ(n.cursor(), static_cast<uint64_t>(i + 1));
      last = n.cursor();
    }
  }  // disconnected
  for (int i = 0; i < 3; ++i) numbers.push_back(UrgedCase());
  NoticeStream again(server_.supervision(), server_.As("supervisor"),
                     WatchAfter(last));
  for (int i = 2; i < 5; ++i) {
    EscalationNotice n = again.Next();
    EXPECT_EQ(n.cursor(), static_cast<uint64_t>(i + 1));
    EXPECT_EQ(n.case_().case_number(), numbers[i]);
    EXPECT_EQ(n.kind(), jianyan::v1::NOTICE_KIND_ESCALATED);
  }
  // Then the live ones, without a gap or a repeat.
  numbers.push_back(UrgedCase());
  EscalationNotice live = again.Next();
  EXPECT_EQ(live.cursor(), 6u);
  EXPECT_EQ(live.case_().case_number(), numbers[5]);

  // 0 means live only: an old notice is not replayed.
  NoticeStream fresh(server_.supervision(), server_.As("supervisor"),
                     WatchAfter(0));
  numbers.push_back(UrgedCase());
  EXPECT_EQ(fresh.Next().cursor(), 7u);
}

TEST_F(NoticeStreamTest, TwoHundredWatchersEachReceiveTheNotice) {
  std::vector<std::unique_ptr<NoticeStream>> watchers;
  for (int i = 0; i < 200; ++i) {
    watchers.push_back(std::make_unique<NoticeStream>(
        server_.supervision(), server_.As("supervisor"), WatchAfter(0)));
  }
  const std::string no = UrgedCase();
  for (auto& w : watchers) {
    EscalationNotice n = w->Next();
    EXPECT_EQ(n.case_().case_number(), no);
    EXPECT_EQ(n.cursor(), 1u);
  }
}

TEST_F(NoticeStreamTest, FiltersBySubtreeLevelAndKind) {
  // The district supervisor's stream sees the housing bureau's cases; a
  // stream of the other district does not.
  jianyan::v1::WatchEscalationsRequest other;
  other.set_organisation_id(kOtherDistrict);
  NoticeStream elsewhere(server_.supervision(), server_.As("supervisor"),
                         other);
  NoticeStream district(server_.supervision(),
                        server_.As("district_supervisor"), WatchAfter(0));
  jianyan::v1::WatchEscalationsRequest high;
  high.set_min_level(jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
  NoticeStream serious(server_.supervision(), server_.As("supervisor"), high);
  jianyan::v1::WatchEscalationsRequest only_due;
  only_due.add_kinds(jianyan::v1::NOTICE_KIND_DUE_SOON);
  NoticeStream due(server_.supervision(), server_.As("supervisor"), only_due);

  const std::string urged = UrgedCase();  // level 催办
  EXPECT_EQ(district.Next().case_().case_number(), urged);
  ASSERT_TRUE(server_
                  .Act("supervisor", urged, "supervise",
                       {{"reason", "督办"},
                        {"reply_due_time",
                         absl::FormatTime(absl::RFC3339_full,
                                          server_.Now() + absl::Hours(72),
                                          absl::UTCTimeZone())}})
                  .ok());
  EscalationNotice n = serious.Next();  // the 催办 did not pass
  EXPECT_EQ(n.level(), jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
  EXPECT_EQ(district.Next().level(), jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
  // The acceptance warning passes the kind filter, nothing before it did.
  server_.Advance(absl::Hours(24 * 13));
  EXPECT_EQ(due.Next().kind(), jianyan::v1::NOTICE_KIND_DUE_SOON);
  // Nothing reached the other district: its stream ends empty on cancel.
  elsewhere.Cancel();
  EXPECT_EQ(elsewhere.Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(NoticeStreamTest, SlowConsumerIsCutOffNotWaitedFor) {
  // A hub of its own with a buffer of 3 (it takes over the store's
  // listener from the core's hub for this test).
  NoticeHub hub(server_.store(), server_.core().orgs(),
                NoticeHubOptions{/*watcher_buffer=*/3, /*replay_page=*/2});
  int wakes = 0;
  auto sub = hub.Subscribe(NoticeFilter(), 0, [&] { ++wakes; });
  ASSERT_TRUE(sub.ok()) << sub.status();
  // Five notices while the watcher reads none: the commits never wait.
  for (int i = 0; i < 5; ++i) UrgedCase();
  // The dispatcher runs on its own thread; wait for it to hand out all 5.
  while (hub.dispatched_cursor() < 5) std::this_thread::yield();
  std::vector<NoticePtr> out;
  absl::Status s = (*sub)->Next(10, &out);
  EXPECT_TRUE(absl::IsResourceExhausted(s)) << s;
  EXPECT_NE(s.message().find("after_cursor"), std::string::npos);
  // Resuming after cursor 1 replays 2..5 from the store, in pages of 2.
  auto again = hub.Subscribe(NoticeFilter(), 1, [] {});
  ASSERT_TRUE(again.ok());
  std::vector<uint64_t> cursors;
  for (;;) {
    ASSERT_TRUE((*again)->Next(10, &out).ok());
    if (out.empty()) break;
    for (const auto& n : out) cursors.push_back(n->cursor());
  }
  EXPECT_EQ(cursors, (std::vector<uint64_t>{2, 3, 4, 5}));
  hub.Close();
  EXPECT_TRUE(absl::IsUnavailable((*again)->Next(10, &out)));
}

}  // namespace
}  // namespace jianyan::testing
