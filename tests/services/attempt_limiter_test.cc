#include "services/core/attempt_limiter.h"

#include <atomic>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace jianyan {
namespace {

constexpr char kCase[] = "P2026-00000001-7";

TEST(AttemptLimiterTest, FiveWrongThenLockedFor15MinutesAfterTheFifth) {
  ManualClock clock(absl::FromUnixSeconds(1'800'000'000));
  AttemptLimiter limiter(clock);
  for (int i = 0; i < AttemptLimiter::kMaxWrong; ++i) {
    EXPECT_TRUE(limiter.Attempt(kCase).ok()) << i;
    clock.Advance(absl::Minutes(1));
  }
  const absl::Time fifth = clock.Now() - absl::Minutes(1);
  absl::Status locked = limiter.Attempt(kCase);
  EXPECT_EQ(locked.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(locked.message().find("query_code"), absl::string_view::npos);
  // Other numbers are not affected.
  EXPECT_TRUE(limiter.Attempt("P2026-00000002-5").ok());
  clock.Set(fifth + AttemptLimiter::kLockout - absl::Seconds(1));
  EXPECT_FALSE(limiter.Attempt(kCase).ok());
  clock.Set(fifth + AttemptLimiter::kLockout);
  EXPECT_TRUE(limiter.Attempt(kCase).ok());
}

TEST(AttemptLimiterTest, ARightCodeBeforeTheLockoutStartsOver) {
  ManualClock clock(absl::FromUnixSeconds(1'800'000'000));
  AttemptLimiter limiter(clock);
  for (int i = 0; i < AttemptLimiter::kMaxWrong - 1; ++i) {
    ASSERT_TRUE(limiter.Attempt(kCase).ok());
  }
  ASSERT_TRUE(limiter.Attempt(kCase).ok());
  limiter.Succeeded(kCase);
  for (int i = 0; i < AttemptLimiter::kMaxWrong; ++i) {
    EXPECT_TRUE(limiter.Attempt(kCase).ok()) << i;
  }
  EXPECT_FALSE(limiter.Attempt(kCase).ok());
}

TEST(AttemptLimiterTest, ConcurrentGuessesCannotPassTheLimit) {
  ManualClock clock(absl::FromUnixSeconds(1'800'000'000));
  AttemptLimiter limiter(clock);
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 4; ++i) {
        if (limiter.Attempt(kCase).ok()) ++admitted;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(admitted.load(), AttemptLimiter::kMaxWrong);
}

}  // namespace
}  // namespace jianyan
