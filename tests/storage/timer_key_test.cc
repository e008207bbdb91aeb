#include "storage/timer_key.h"

#include "gtest/gtest.h"

namespace jianyan::storage {
namespace {

TEST(TimerKeyTest, RoundTripsAndSortsByDueTime) {
  TimerEntry a{absl::FromUnixSeconds(100), "P2", "accept"};
  TimerEntry b{absl::FromUnixSeconds(200), "P1", "handle"};
  EXPECT_LT(TimerKey(a), TimerKey(b));
  TimerEntry out;
  ASSERT_TRUE(DecodeTimerKey(TimerKey(b), &out));
  EXPECT_EQ(out, b);
  EXPECT_FALSE(DecodeTimerKey("\x01short", &out));
}

TEST(TimerKeyTest, UpperBoundIncludesTimersDueExactlyNow) {
  TimerEntry due{absl::FromUnixSeconds(100), "P", "t"};
  EXPECT_LT(TimerKey(due), TimerUpperBound(absl::FromUnixSeconds(100)));
  EXPECT_GE(TimerKey(due), TimerUpperBound(absl::FromUnixSeconds(99)));
}

TEST(TimerKeyTest, UpperBoundAtInfiniteFutureIncludesEverything) {
  TimerEntry late{absl::FromUnixSeconds(int64_t{1} << 40), "P", "t"};
  EXPECT_LT(TimerKey(late), TimerUpperBound(absl::InfiniteFuture()));
}

}  // namespace
}  // namespace jianyan::storage
