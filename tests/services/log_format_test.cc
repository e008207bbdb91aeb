// The pieces of a log line (services/common/log_format.h) against the
// general formatters they stand in for.
#include "services/common/log_format.h"

#include <cstdint>
#include <random>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "workflow/clock.h"

namespace jianyan {
namespace {

std::string Formatted(absl::Time t) {
  return absl::StrCat(
      "\"", absl::FormatTime("%Y-%m-%dT%H:%M:%E3S%Ez", t, ChinaTimeZone()),
      "\"");
}

std::string Appended(absl::Time t) {
  std::string out = "x";
  AppendLogTime(&out, t);
  return out.substr(1);
}

TEST(LogFormatTest, TimesReadAsFormatTimeWritesThem) {
  EXPECT_EQ(Appended(absl::FromUnixMillis(1795305600123)),
            "\"2026-11-22T08:00:00.123+08:00\"");
  std::mt19937_64 rng(20261202);
  // Random instants 1900..2100, then runs within one second and across
  // the next (the per-thread cache), and instants before 1970.
  std::uniform_int_distribution<int64_t> micros(-2208988800000000,
                                                4102444800000000);
  for (int i = 0; i < 20000; ++i) {
    const absl::Time t = absl::FromUnixMicros(micros(rng));
    ASSERT_EQ(Appended(t), Formatted(t)) << i;
    for (int64_t step : {1, 999, 1000, 1001, 999999}) {
      const absl::Time u = t + absl::Microseconds(step);
      ASSERT_EQ(Appended(u), Formatted(u)) << i << " +" << step;
    }
  }
  for (const absl::Time t :
       {absl::UnixEpoch(), absl::UnixEpoch() - absl::Nanoseconds(1),
        absl::UnixEpoch() - absl::Milliseconds(1500),
        absl::FromUnixNanos(1795305600999999999), absl::InfiniteFuture(),
        absl::InfinitePast()}) {
    EXPECT_EQ(Appended(t), Formatted(t));
  }
}

TEST(LogFormatTest, MillisecondsHaveThreeDecimals) {
  auto text = [](double ms) {
    std::string out;
    AppendMilliseconds(&out, ms);
    return out;
  };
  EXPECT_EQ(text(0), "0.000");
  EXPECT_EQ(text(12.3456), "12.346");
  EXPECT_EQ(text(0.0004), "0.000");
  EXPECT_EQ(text(7), "7.000");
  EXPECT_EQ(text(1999.9996), "2000.000");
  EXPECT_EQ(text(86400000.25), "86400000.250");
  EXPECT_EQ(text(-1.5), "-1.500");  // never measured, still well-formed
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> any(0, 1e6);
  for (int i = 0; i < 20000; ++i) {
    const double ms = any(rng);
    double back = 0;
    ASSERT_TRUE(absl::SimpleAtod(text(ms), &back)) << ms;
    ASSERT_NEAR(back, ms, 0.0005 + 1e-9) << ms;
    ASSERT_EQ(text(ms).size() - text(ms).find('.'), 4u) << ms;
  }
}

TEST(LogFormatTest, JsonStringsAreEscaped) {
  std::string out = "{";
  AppendJsonString(&out, "a\"b\\c\n\x01泰安");
  EXPECT_EQ(out, "{\"a\\\"b\\\\c\\n\\u0001泰安\"");
}

}  // namespace
}  // namespace jianyan
