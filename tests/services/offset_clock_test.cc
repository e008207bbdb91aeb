#include "services/common/offset_clock.h"

#include "gtest/gtest.h"

namespace jianyan {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1790000000);

TEST(OffsetClockTest, ReadsTheBaseClockPlusTheOffset) {
  ManualClock base(kStart);
  OffsetClock clock(base);
  EXPECT_EQ(clock.Now(), kStart);
  base.Advance(absl::Seconds(5));
  EXPECT_EQ(clock.Now(), kStart + absl::Seconds(5));
  EXPECT_EQ(clock.offset(), absl::ZeroDuration());
}

TEST(OffsetClockTest, AdvanceAddsUpAndReturnsTheNewNow) {
  ManualClock base(kStart);
  OffsetClock clock(base);
  auto now = clock.Advance(absl::Hours(48));
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ(*now, kStart + absl::Hours(48));
  now = clock.Advance(absl::ZeroDuration());
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(*now, kStart + absl::Hours(48));
  now = clock.Advance(absl::Nanoseconds(1));
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(clock.offset(), absl::Hours(48) + absl::Nanoseconds(1));
  base.Advance(absl::Minutes(1));
  EXPECT_EQ(clock.Now(),
            kStart + absl::Minutes(1) + absl::Hours(48) + absl::Nanoseconds(1));
}

TEST(OffsetClockTest, TimeNeverGoesBack) {
  ManualClock base(kStart);
  OffsetClock clock(base);
  ASSERT_TRUE(clock.Advance(absl::Hours(1)).ok());
  auto back = clock.Advance(-absl::Seconds(1));
  EXPECT_EQ(back.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(back.status().message().find("by:"), absl::string_view::npos);
  EXPECT_EQ(clock.Advance(absl::InfiniteDuration()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(clock.offset(), absl::Hours(1));
}

}  // namespace
}  // namespace jianyan
