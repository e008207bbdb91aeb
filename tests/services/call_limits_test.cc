// CallLimits: per-service bounds on calls in flight; a slot frees its place
// when its last copy goes.
#include "services/common/call_limits.h"

#include <vector>

#include "gtest/gtest.h"

namespace jianyan {
namespace {

TEST(CallLimitsTest, RefusesBeyondTheBoundAndFreesOnRelease) {
  CallLimits limits(CallBounds{2, 1});
  std::vector<CallSlot> held;
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<CallSlot> slot = limits.Enter("WorkflowService.Act");
    ASSERT_TRUE(slot.ok()) << slot.status();
    held.push_back(*slot);
  }
  absl::StatusOr<CallSlot> third = limits.Enter("WorkflowService.GetCase");
  EXPECT_EQ(third.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(third.status().message(),
            "WorkflowService: 2 calls in flight (limits.max_inflight_calls = "
            "2); retry with backoff");
  // Other services have their own bounds.
  EXPECT_TRUE(limits.Enter("AdminService.PutOrganisation").ok());
  EXPECT_EQ(limits.InFlight("WorkflowService"), 2u);
  // A copy keeps the place; dropping the last copy frees it.
  CallSlot copy = held[0];
  held[0].reset();
  EXPECT_EQ(limits.InFlight("WorkflowService"), 2u);
  copy.reset();
  EXPECT_EQ(limits.InFlight("WorkflowService"), 1u);
  EXPECT_TRUE(limits.Enter("WorkflowService").ok());
  EXPECT_EQ(limits.Peak("WorkflowService"), 2u);
}

TEST(CallLimitsTest, WatchStreamsHaveTheirOwnBound) {
  CallLimits limits(CallBounds{5, 1});
  absl::StatusOr<CallSlot> first = limits.EnterWatch();
  ASSERT_TRUE(first.ok());
  absl::StatusOr<CallSlot> second = limits.EnterWatch();
  EXPECT_EQ(second.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(second.status().message().find("limits.max_watch_streams = 1"),
            absl::string_view::npos);
  EXPECT_TRUE(limits.Enter("SupervisionService.ListOverdue").ok());
}

TEST(CallLimitsTest, UnknownServicesShareOneBoundAndNullMeansNone) {
  CallLimits limits(CallBounds{1, 1});
  absl::StatusOr<CallSlot> a = limits.Enter("SomethingElse.Call");
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(limits.Enter("AnotherOne").ok());
  EXPECT_EQ(limits.InFlight("NeverSeen"), 1u);  // the shared counter
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(EnterCall(nullptr, "WorkflowService").ok());
  }
}

TEST(CallLimitsTest, BoundsFromConfigKeepDefaultsForZero) {
  jianyan::v1::LimitsConfig config;
  CallBounds defaults = CallBounds::FromConfig(config);
  EXPECT_EQ(defaults.calls_per_service, 1024u);
  EXPECT_EQ(defaults.watch_streams, 64u);
  config.set_max_inflight_calls(7);
  config.set_max_watch_streams(3);
  CallBounds set = CallBounds::FromConfig(config);
  EXPECT_EQ(set.calls_per_service, 7u);
  EXPECT_EQ(set.watch_streams, 3u);
}

}  // namespace
}  // namespace jianyan
