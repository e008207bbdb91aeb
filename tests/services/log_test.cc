// The JSON log format (services/common/log.h): string escaping and the
// level names.
#include "services/common/log.h"

#include "gtest/gtest.h"

namespace jianyan {
namespace {

TEST(LogTest, JsonStringEscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonString("plain"), "\"plain\"");
  EXPECT_EQ(JsonString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonString("line\nnext\ttab\x01\x7f"),
            "\"line\\nnext\\u0009tab\\u0001\\u007f\"");
  // UTF-8 passes through as it is.
  EXPECT_EQ(JsonString("泰安市信访局"), "\"泰安市信访局\"");
}

TEST(LogTest, ParsesTheThreeLevels) {
  EXPECT_EQ(*ParseLogLevel("info"), LogLevel::kInfo);
  EXPECT_EQ(*ParseLogLevel("warning"), LogLevel::kWarning);
  EXPECT_EQ(*ParseLogLevel("error"), LogLevel::kError);
  absl::StatusOr<LogLevel> bad = ParseLogLevel("debug");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("log_level"), absl::string_view::npos);
}

}  // namespace
}  // namespace jianyan
