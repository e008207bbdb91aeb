#include "storage/timer_key.h"

#include "gtest/gtest.h"
#include "storage/key_coding.h"

namespace jianyan::storage {
namespace {

TEST(TimerKeyTest, RoundTripsAndSortsByDueTime) {
  TimerEntry a{absl::FromUnixSeconds(100), "P2", "accept"};
  TimerEntry b{absl::FromUnixSeconds(200), "P1", "handle"};
  EXPECT_LT(TimerKey(a), TimerKey(b));
  TimerEntry out;
  ASSERT_TRUE(DecodeTimerKey(TimerKey(b), &out));
  EXPECT_EQ(out, b);
  EXPECT_FALSE(out.warning);
  EXPECT_FALSE(DecodeTimerKey("\x02short", &out));
}

TEST(TimerKeyTest, WarningAndDueEntriesOfOneTimerAreDistinct) {
  TimerEntry due{absl::FromUnixSeconds(100), "P1", "accept"};
  TimerEntry warn = due;
  warn.warning = true;
  EXPECT_NE(TimerKey(due), TimerKey(warn));
  EXPECT_FALSE(due == warn);
  TimerEntry out;
  ASSERT_TRUE(DecodeTimerKey(TimerKey(warn), &out));
  EXPECT_EQ(out, warn);
  EXPECT_TRUE(out.warning);
  // Entries sort by time first, whatever their kind.
  TimerEntry later_warn{absl::FromUnixSeconds(101), "P0", "a", true};
  EXPECT_LT(TimerKey(due), TimerKey(later_warn));
  // A key without its kind byte, or with an unknown one, is malformed.
  std::string key = TimerKey(due);
  EXPECT_FALSE(DecodeTimerKey(key.substr(0, key.size() - 1), &out));
  key.back() = 'x';
  EXPECT_FALSE(DecodeTimerKey(key, &out));
}

TEST(TimerKeyTest, KeysOfVersionOneAreRefused) {
  std::string v1(1, kKeyCodecV1);
  PutFixed64BE(&v1, OrderedTime(absl::FromUnixSeconds(100)));
  PutOrderedString(&v1, "P1");
  PutOrderedString(&v1, "accept");
  TimerEntry out;
  EXPECT_FALSE(DecodeTimerKey(v1, &out));
  EXPECT_FALSE(DecodeTimerKey(v1 + "d", &out));
}

TEST(TimerKeyTest, UpperBoundIncludesTimersDueExactlyNow) {
  TimerEntry due{absl::FromUnixSeconds(100), "P", "t"};
  TimerEntry warn{absl::FromUnixSeconds(100), "P", "t", true};
  EXPECT_LT(TimerKey(due), TimerUpperBound(absl::FromUnixSeconds(100)));
  EXPECT_LT(TimerKey(warn), TimerUpperBound(absl::FromUnixSeconds(100)));
  EXPECT_GE(TimerKey(due), TimerUpperBound(absl::FromUnixSeconds(99)));
}

TEST(TimerKeyTest, UpperBoundAtInfiniteFutureIncludesEverything) {
  TimerEntry late{absl::FromUnixSeconds(int64_t{1} << 40), "P", "t", true};
  EXPECT_LT(TimerKey(late), TimerUpperBound(absl::InfiniteFuture()));
}

}  // namespace
}  // namespace jianyan::storage
