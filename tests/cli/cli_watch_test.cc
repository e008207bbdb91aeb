// `jianyan supervise watch` with stdout a pipe: one JSON line per notice,
// in cursor order, for the timers that advancing the testing clock fires in
// the same test; after the server restarts (same data directory and port)
// it reconnects with its cursor and goes on without a duplicate or a gap.
#include <signal.h>

#include <set>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jianyan/v1/supervision.pb.h"
#include "tests/cli/cli_fixture.h"
#include "workflow/clock.h"

namespace jianyan::testing {
namespace {

using ::testing::HasSubstr;

class CliWatchTest : public CliFixture {
 protected:
  // The next notice the watch prints (bounded wait for its output).
  jianyan::v1::EscalationNotice NextNotice(Subprocess& watch) {
    auto line = watch.WaitForLine("{", absl::Seconds(60));
    EXPECT_TRUE(line.ok()) << line.status();
    std::vector<jianyan::v1::EscalationNotice> notices =
        JsonLines<jianyan::v1::EscalationNotice>(
            "{" + (line.ok() ? *line : std::string("}")));
    return notices.empty() ? jianyan::v1::EscalationNotice() : notices[0];
  }
};

TEST_F(CliWatchTest, FollowsFiredTimersInOrderAcrossARestart) {
  StartDemo();
  // One case escalated, then accepted (its handling limit is 60 days away):
  // notice 1, the cursor the watch starts after.
  const std::string escalated = Submit("违建占道").case_number();
  Ok("supervisor", {"supervise", "escalate", escalated, "--level", "urge"});
  Ok("handler-taishan", {"case", "act", escalated, "accept"});
  // Two registered cases: their 15-day routing limit warns on day 12.
  const std::set<std::string> waiting = {Submit("供暖不热").case_number(),
                                         Submit("噪音扰民").case_number()};

  auto watch = Subprocess::Start(
      Argv("supervisor", {"supervise", "watch", "--after-cursor", "1"}));
  ASSERT_TRUE(watch.ok()) << watch.status();

  Advance(absl::Hours(24 * 13));
  std::set<std::string> warned;
  for (uint64_t cursor : {2u, 3u}) {
    jianyan::v1::EscalationNotice n = NextNotice(**watch);
    EXPECT_EQ(n.cursor(), cursor);
    EXPECT_EQ(n.kind(), jianyan::v1::NOTICE_KIND_DUE_SOON);
    EXPECT_EQ(n.timer(), "routing");
    warned.insert(n.case_().case_number());
  }
  EXPECT_EQ(warned, waiting);

  // Restart on the same port; the watch reconnects by itself.
  const std::string port = absl::StrCat(Port(address_));
  StopServer(*server_);
  StartDemo("127.0.0.1:" + port);
  Advance(absl::Hours(24 * 3));
  std::set<std::string> overdue;
  for (uint64_t cursor : {4u, 5u}) {
    jianyan::v1::EscalationNotice n = NextNotice(**watch);
    EXPECT_EQ(n.cursor(), cursor);
    EXPECT_EQ(n.kind(), jianyan::v1::NOTICE_KIND_OVERDUE);
    overdue.insert(n.case_().case_number());
  }
  EXPECT_EQ(overdue, waiting);

  // Ctrl-C: a clean stop, and nothing was printed twice.
  (*watch)->Signal(SIGINT);
  auto code = (*watch)->Wait(absl::Seconds(30));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0) << (*watch)->stderr_text();
  auto all = JsonLines<jianyan::v1::EscalationNotice>((*watch)->stdout_text());
  ASSERT_EQ(all.size(), 4u) << (*watch)->stdout_text();
  EXPECT_THAT((*watch)->stderr_text(), ::testing::HasSubstr("reconnecting"));
  StopServer(*server_);
}

TEST_F(CliWatchTest, OnATerminalATableOfOverdueCasesColouredByLevel) {
  StartDemo();
  const std::string first = Submit("供暖不热").case_number();
  const std::string second = Submit("噪音扰民").case_number();
  Ok("supervisor", {"supervise", "escalate", second, "--level", "supervise",
                    "--note", "请于三日内答复", "--reply-by",
                    absl::FormatCivilTime(
                        absl::ToCivilDay(absl::Now(), ChinaTimeZone()) + 30)});
  Advance(absl::Hours(24 * 16));  // both past their routing limit

  // A terminal: `script` gives the client a pseudo-terminal as stdout.
  std::string command;
  for (const std::string& arg : Argv("supervisor", {"supervise", "watch"})) {
    absl::StrAppend(&command, "'", arg, "' ");
  }
  auto tty =
      Subprocess::Start({"/usr/bin/script", "-qfec", command, "/dev/null"});
  ASSERT_TRUE(tty.ok()) << tty.status();
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  auto frame = [&] {
    const std::string& out = (*tty)->stdout_text();
    const size_t last = out.rfind("\x1b[H\x1b[2J");
    return last == std::string::npos ? std::string() : out.substr(last);
  };
  while (!absl::StrContains(frame(), "connected") && absl::Now() < deadline) {
    // Pumps the output for a moment; no line starts with \x01.
    (*tty)->WaitForLine("\x01", absl::Milliseconds(100)).IgnoreError();
  }
  const std::string shown = frame();
  ASSERT_THAT(shown, HasSubstr("connected")) << (*tty)->stdout_text();
  // Both overdue cases, the first one (due first) on top, each coloured by
  // its level: urge yellow (by the expiry), supervise magenta.
  EXPECT_THAT(shown, HasSubstr("\x1b[33m" + first));
  EXPECT_THAT(shown, HasSubstr("\x1b[35m" + second));
  EXPECT_LT(shown.find(first), shown.find(second));
  EXPECT_THAT(shown, HasSubstr("cursor"));
  (*tty)->Signal(SIGTERM);
  EXPECT_TRUE((*tty)->Wait(absl::Seconds(30)).ok());
  StopServer(*server_);
}

}  // namespace
}  // namespace jianyan::testing
