// The client's pure pieces: display widths, truncation, aligned tables,
// enum names, dates and times (China time), request ids.
#include <sstream>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "jianyan/v1/common.pb.h"
#include "services/cli/format.h"
#include "services/cli/output.h"

namespace jianyan::cli {
namespace {

TEST(CliOutputTest, WidthsCountChineseTwiceAndEscapesNothing) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("办理中"), 6u);
  EXPECT_EQ(DisplayWidth("\x1b[1;31mlisted\x1b[0m"), 6u);
  EXPECT_EQ(Truncate("小区供暖不热", 7), "小区供…");
  EXPECT_EQ(Truncate("short", 7), "short");
}

TEST(CliOutputTest, TableAlignsColumnsByDisplayWidth) {
  Table table({"A", "STATE", "N"});
  table.Add({"x", "办理中", "1"});
  table.Add({"yy", "ok", "22"});
  std::ostringstream out;
  table.Print(out);
  EXPECT_EQ(out.str(),
            "A   STATE   N\n"
            "x   办理中  1\n"
            "yy  ok      22\n");
}

TEST(CliFormatTest, EnumsByShortName) {
  const auto* levels = jianyan::v1::EscalationLevel_descriptor();
  EXPECT_EQ(EnumShort(levels, jianyan::v1::ESCALATION_LEVEL_LISTED), "listed");
  EXPECT_EQ(*ParseEnum(levels, "supervise"),
            jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
  EXPECT_EQ(
      *ParseEnum(jianyan::v1::RatingLevel_descriptor(), "basically_satisfied"),
      jianyan::v1::RATING_LEVEL_BASICALLY_SATISFIED);
  absl::StatusOr<int> bad = ParseEnum(levels, "none");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(
      absl::StrContains(bad.status().message(), "urge, supervise, listed"));
}

TEST(CliFormatTest, TimesInChinaTime) {
  // A date is the end of that day in China (UTC+8).
  EXPECT_EQ(*ParseTimeArg("2026-12-10"),
            absl::FromUnixSeconds(1796918399));  // 2026-12-10T15:59:59Z
  EXPECT_EQ(*ParseTimeArg("2026-12-10 08:00"),
            absl::FromUnixSeconds(1796860800));  // 2026-12-10T00:00:00Z
  EXPECT_EQ(*ParseTimeArg("2026-12-10T00:00:00Z"),
            absl::FromUnixSeconds(1796860800));
  EXPECT_FALSE(ParseTimeArg("next week").ok());
  google::protobuf::Timestamp ts;
  ts.set_seconds(1796860800);
  EXPECT_EQ(FormatTime(ts), "2026-12-10 08:00");
  EXPECT_EQ(FormatTime(google::protobuf::Timestamp()), "-");
  EXPECT_EQ(ShortDuration(-absl::Hours(50)), "-2d 2h");
  EXPECT_EQ(ShortDuration(absl::Minutes(90)), "1h 30m");
}

TEST(CliFormatTest, RequestIdsAreValidAndFresh) {
  const std::string id = NewRequestId();
  EXPECT_EQ(id.size(), 28u);
  EXPECT_NE(id, NewRequestId());
  EXPECT_EQ(RequestIdOr("given-id"), "given-id");
}

}  // namespace
}  // namespace jianyan::cli
