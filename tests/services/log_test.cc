// The JSON log format (services/common/log.h): string escaping, the level
// names, and the access log's buffer (stderr redirected to a file).
#include "services/common/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
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

// Sends fd 2 to a file for the life of the object.
class CapturedStderr {
 public:
  CapturedStderr()
      : path_(absl::StrCat(::testing::TempDir(), "log_test_stderr_",
                           ::getpid())) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~CapturedStderr() {
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    std::remove(path_.c_str());
  }
  std::string Text() const {
    std::ifstream in(path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::string path_;
  int saved_ = -1;
};

RpcLogRecord Rpc(const std::string& request_id) {
  RpcLogRecord record;
  record.rpc = "/jianyan.v1.FeedbackService/GetPublicStatus";
  record.code = "OK";
  record.request_id = request_id;
  return record;
}

TEST(AccessLogBufferTest, RpcLinesWaitOtherLinesDoNotAndTheOrderHolds) {
  CapturedStderr err;
  {
    // An interval no test outlives: only the other paths write.
    AccessLogBuffer buffer(absl::Hours(24));
    LogRpc(Rpc("buffered-1"));
    EXPECT_EQ(err.Text(), "");
    LogWarning("a warning");
    const std::string both = err.Text();
    const size_t rpc = both.find("buffered-1");
    const size_t warning = both.find("a warning");
    ASSERT_NE(rpc, std::string::npos) << both;
    ASSERT_NE(warning, std::string::npos) << both;
    EXPECT_LT(rpc, warning);
    LogRpc(Rpc("buffered-2"));
    EXPECT_EQ(err.Text().find("buffered-2"), std::string::npos);
  }
  // The destructor wrote the rest; without a buffer a line goes at once.
  EXPECT_NE(err.Text().find("buffered-2"), std::string::npos);
  LogRpc(Rpc("unbuffered"));
  const std::string text = err.Text();
  EXPECT_NE(text.find("unbuffered"), std::string::npos);
  std::vector<std::string> lines =
      absl::StrSplit(text, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u) << text;
  for (const std::string& line : lines) {
    EXPECT_EQ(line.front(), '{');
    EXPECT_EQ(line.back(), '}');
  }
}

TEST(LogTest, AnRpcLineHoldsItsFieldsInOrder) {
  CapturedStderr err;
  RpcLogRecord record = Rpc("req-\"1\"");
  record.latency_ms = 12.3456;
  record.peer = "ipv4:127.0.0.1:50412";
  LogRpc(record);
  const std::string line = err.Text();
  const std::string time = "\"time\":\"";
  ASSERT_EQ(line.rfind("{" + time, 0), 0u) << line;
  // "2026-11-28T08:00:00.123+08:00"
  const std::string stamp = line.substr(1 + time.size(), 29);
  EXPECT_EQ(stamp[10], 'T') << stamp;
  EXPECT_EQ(stamp[19], '.') << stamp;
  EXPECT_EQ(stamp.substr(23), "+08:00") << stamp;
  EXPECT_EQ(
      line.substr(1 + time.size() + 29),
      "\",\"level\":\"info\","
      "\"rpc\":\"/jianyan.v1.FeedbackService/GetPublicStatus\","
      "\"code\":\"OK\",\"latency_ms\":12.346,"
      "\"request_id\":\"req-\\\"1\\\"\",\"peer\":\"ipv4:127.0.0.1:50412\"}\n");
}

TEST(AccessLogBufferTest, AFullBufferIsWrittenByItsCaller) {
  CapturedStderr err;
  AccessLogBuffer buffer(absl::Hours(24));
  // 64 KiB of lines of ~150 bytes, then some: the early ones are out.
  for (int i = 0; i < 600; ++i) LogRpc(Rpc(absl::StrCat("full-", i, ".")));
  const std::string text = err.Text();
  EXPECT_NE(text.find("\"full-0.\""), std::string::npos);
  EXPECT_EQ(text.find("\"full-599.\""), std::string::npos);
  EXPECT_GE(text.size(), 64u << 10);
}

TEST(AccessLogBufferTest, TheThreadWritesWithinTheInterval) {
  CapturedStderr err;
  AccessLogBuffer buffer(absl::Milliseconds(1));
  LogRpc(Rpc("by-the-thread"));
  // Waits for the thread's write, not for a length of time.
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  while (err.Text().find("by-the-thread") == std::string::npos &&
         absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(2));
  }
  EXPECT_NE(err.Text().find("by-the-thread"), std::string::npos);
}

}  // namespace
}  // namespace jianyan
