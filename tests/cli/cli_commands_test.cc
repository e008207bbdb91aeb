// The jianyan client's commands against a real jianyand --demo: a petition
// from submission to rating with tables checked and JSON parsed; every exit
// code with its message; --help and the bash completion.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "absl/strings/ascii.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jianyan/v1/feedback.pb.h"
#include "jianyan/v1/supervision.pb.h"
#include "jianyan/v1/workflow_service.pb.h"
#include "tests/cli/cli_fixture.h"
#include "workflow/clock.h"

namespace jianyan::testing {
namespace {

using ::testing::HasSubstr;

class CliCommandsTest : public CliFixture {};

TEST_F(CliCommandsTest, PetitionFromSubmissionToRating) {
  StartDemo();
  // Table mode: the receipt shows the number, the query code once and the
  // acceptance deadline.
  CliRun submitted =
      Ok("terminal",
         {"case", "submit", "--type", "claim", "--region", "370902",
          "--category", "城乡建设", "--title", "小区供暖不热", "--content",
          "冬季室温长期低于十六度。", "--name", "张三", "--phone",
          "13800000000", "--id-number", "11010519491231002X"});
  EXPECT_THAT(submitted.out, HasSubstr("query code"));
  EXPECT_THAT(submitted.out, HasSubstr("shown once"));
  EXPECT_THAT(submitted.out, HasSubstr("acceptance due"));
  std::string number, code;
  for (absl::string_view line : absl::StrSplit(submitted.out, '\n')) {
    std::vector<std::string> words =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (words.size() >= 2 && words[0] == "case") number = words[1];
    if (words.size() >= 3 && words[0] == "query") code = words[2];
  }
  ASSERT_FALSE(number.empty()) << submitted.out;
  ASSERT_EQ(code.size(), 9u) << submitted.out;

  EXPECT_THAT(submitted.out,
              ::testing::Not(::testing::ContainsRegex("acceptance due +-")));
  // The receipt again, without the code.
  CliRun receipt = Ok("terminal", {"case", "receipt", number});
  EXPECT_THAT(receipt.out, HasSubstr(number));
  EXPECT_THAT(receipt.out, ::testing::Not(HasSubstr(code)));

  // The handler's list: a table with the number; JSON lines of summaries.
  CliRun list = Ok("handler-taishan", {"case", "list"});
  EXPECT_THAT(list.out, HasSubstr("NUMBER"));
  EXPECT_THAT(list.out, HasSubstr(number));
  auto summaries = JsonLines<jianyan::v1::CaseSummary>(
      Ok("handler-taishan", {"case", "list", "--all", "-o", "json"}).out);
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_EQ(summaries[0].case_number(), number);
  EXPECT_EQ(summaries[0].state(), "registered");

  CliRun actions = Ok("handler-taishan", {"case", "actions", number});
  EXPECT_THAT(actions.out, HasSubstr("accept"));
  EXPECT_THAT(actions.out, HasSubstr("organisation_id*"));  // forward's

  // Act without a version (read, then act), then with the version seen.
  Ok("handler-taishan",
     {"case", "act", number, "accept", "--field", "notice_delivery=written"});
  auto shown = JsonLines<jianyan::v1::Case>(
      Ok("handler-taishan", {"-o", "json", "case", "show", number}).out);
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].state(), "handling");
  auto acted = JsonLines<jianyan::v1::ActResponse>(
      Ok("handler-taishan",
         {"-o", "json", "case", "act", number, "respond", "--field",
          "opinion=support", "--reason", "已协调供热公司", "--expect-version",
          absl::StrCat(shown[0].version())})
          .out);
  ASSERT_EQ(acted.size(), 1u);
  EXPECT_EQ(acted[0].case_().state(), "responded");
  CliRun delivered = Ok("handler-taishan", {"case", "act", number, "deliver",
                                            "--field", "delivery=written"});
  EXPECT_THAT(delivered.out, HasSubstr("answered"));

  // The petitioner, with no token: status, then the rating.
  CliRun status = Ok("", {"case", "status", number, "--code", code});
  EXPECT_THAT(status.out, HasSubstr("answered"));
  EXPECT_THAT(status.out, ::testing::ContainsRegex("rateable +yes"));
  auto rated = JsonLines<jianyan::v1::PublicStatus>(
      Ok("", {"-o", "json", "case", "rate", number, "--code", code, "--level",
              "basically_satisfied"})
          .out);
  ASSERT_EQ(rated.size(), 1u);
  EXPECT_EQ(rated[0].rating().level(),
            jianyan::v1::RATING_LEVEL_BASICALLY_SATISFIED);

  auto events = JsonLines<jianyan::v1::Event>(
      Ok("supervisor", {"-o", "json", "case", "history", number}).out);
  std::vector<std::string> names;
  for (const auto& e : events) names.push_back(e.action());
  EXPECT_THAT(names, ::testing::IsSupersetOf(
                         {"register", "accept", "respond", "deliver", "rate"}));
  CliRun history = Ok("supervisor", {"case", "history", number});
  EXPECT_THAT(history.out, HasSubstr("registered → handling"));

  // Stats: one rated case, basically satisfied: 100% satisfaction of 1.
  CliRun stats = Ok("supervisor", {"stats", "--by", "kind"});
  EXPECT_THAT(stats.out, HasSubstr("满意率 SATISFACTION"));
  EXPECT_THAT(stats.out, HasSubstr("100.0% 1/1"));
  auto rows = JsonLines<jianyan::v1::StatsRow>(
      Ok("supervisor", {"-o", "json", "stats", "--by", "kind"}).out);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].rated(), 1u);
  EXPECT_EQ(rows[0].basically_satisfied(), 1u);
  StopServer(*server_);
}

TEST_F(CliCommandsTest, ExitCodesAndMessages) {
  StartDemo();
  const std::string number = Submit("路灯不亮").case_number();

  // 2: usage.
  CliRun usage = Run("", {"case", "status", number});
  EXPECT_EQ(usage.code, 2);
  EXPECT_THAT(usage.err, HasSubstr("--code"));
  EXPECT_EQ(Run("", {"case", "frobnicate"}).code, 2);
  EXPECT_EQ(Run("", {"case", "rate", number, "--code", "1234-5678", "--level",
                     "delighted"})
                .code,
            2);
  CliRun missing_entry = Run("nobody", {"case", "list"});
  EXPECT_EQ(missing_entry.code, 2);
  EXPECT_THAT(missing_entry.err, HasSubstr("handler-taishan"));

  // 1: the server said no; a refused action lists what is allowed now.
  CliRun refused = Run("handler-taishan", {"case", "act", number, "deliver"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(refused.err, HasSubstr("allowed now (state 'registered')"));
  EXPECT_THAT(refused.err, HasSubstr("accept"));
  // A missing field: the action's fields are named.
  CliRun missing = Run("handler-taishan",
                       {"case", "act", number, "forward", "--reason", "x"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_THAT(missing.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(missing.err, HasSubstr("'forward' takes organisation_id*"));
  CliRun stale = Run("handler-taishan", {"case", "act", number, "accept",
                                         "--expect-version", "99"});
  EXPECT_EQ(stale.code, 1);
  EXPECT_THAT(stale.err, HasSubstr("ABORTED"));
  CliRun wrong_code =
      Run("", {"case", "status", number, "--code", "0000-0000"});
  EXPECT_EQ(wrong_code.code, 1);
  EXPECT_THAT(wrong_code.err, HasSubstr("NOT_FOUND"));
  EXPECT_THAT(wrong_code.err, HasSubstr("next: check the case number"));

  // 4: authentication.
  CliRun bad_token = RunArgv({JIANYAN_CLI_PATH, "--server", address_, "--token",
                              "nonsense", "case", "list"});
  EXPECT_EQ(bad_token.code, 4);
  EXPECT_THAT(bad_token.err, HasSubstr("UNAUTHENTICATED"));
  EXPECT_THAT(bad_token.err, HasSubstr("--token-file"));
  EXPECT_EQ(Run("terminal", {"supervise", "overdue"}).code, 4);

  // 3: nothing listens on the port.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string closed = absl::StrCat("127.0.0.1:", ntohs(addr.sin_port));
  close(fd);
  CliRun unreachable = RunArgv({JIANYAN_CLI_PATH, "--server", closed, "case",
                                "status", number, "--code", "1234-5678"});
  EXPECT_EQ(unreachable.code, 3);
  EXPECT_THAT(unreachable.err, HasSubstr("UNAVAILABLE"));
  EXPECT_THAT(unreachable.err, HasSubstr("is jianyand running at " + closed));

  StopServer(*server_);
}

TEST_F(CliCommandsTest, EscalateAndDeadlineLists) {
  StartDemo();
  const std::string number = Submit("噪音扰民").case_number();
  CliRun urged = Ok("supervisor", {"supervise", "escalate", number, "--level",
                                   "urge", "--note", "请尽快处理"});
  EXPECT_THAT(urged.out, ::testing::ContainsRegex("escalation +urge"));
  CliRun twice =
      Run("supervisor", {"supervise", "escalate", number, "--level", "urge"});
  EXPECT_EQ(twice.code, 1);
  EXPECT_THAT(twice.err, HasSubstr("levels only rise"));
  // Day 13: the routing limit's warning; day 16: overdue.
  Advance(absl::Hours(24 * 13));
  CliRun soon = Ok("supervisor", {"supervise", "due-soon"});
  EXPECT_THAT(soon.out, HasSubstr(number));
  EXPECT_THAT(soon.out, HasSubstr("routing"));
  Advance(absl::Hours(24 * 3));
  auto overdue = JsonLines<jianyan::v1::DeadlineEntry>(
      Ok("supervisor", {"-o", "json", "supervise", "overdue", "--all"}).out);
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].case_().case_number(), number);
  // Time left counts from the core's (advanced) clock: negative, overdue.
  EXPECT_THAT(Ok("supervisor", {"supervise", "overdue"}).out,
              ::testing::ContainsRegex(" -[0-9]+[dh] [0-9]+[hm] "));
  CliRun moved = Ok("supervisor", {"supervise", "reassign", number, "--to",
                                   "feicheng-xfj", "--reason", "属地管辖"});
  EXPECT_THAT(moved.out, HasSubstr(number));
  StopServer(*server_);
}

TEST_F(CliCommandsTest, StatsShowTheChangeAgainstThePreviousPeriod) {
  StartDemo();
  // One answered case rated on each of two days: satisfied, then not.
  auto rate_answered = [&](const std::string& title, const char* level) {
    CliRun submitted =
        Ok("terminal",
           {"-o",         "json",        "case",        "submit",
            "--type",     "claim",       "--region",    "370902",
            "--category", "城乡建设",    "--title",     title,
            "--content",  "内容",        "--name",      "张三",
            "--phone",    "13800000000", "--id-number", "11010519491231002X"});
    auto receipt = JsonLines<jianyan::v1::Receipt>(submitted.out);
    ASSERT_EQ(receipt.size(), 1u);
    const std::string& no = receipt[0].case_number();
    Ok("handler-taishan", {"case", "act", no, "accept"});
    Ok("handler-taishan",
       {"case", "act", no, "respond", "--field", "opinion=explain"});
    Ok("handler-taishan", {"case", "act", no, "deliver"});
    Ok("", {"case", "rate", no, "--code", receipt[0].query_code(), "--level",
            level});
  };
  const absl::CivilDay first =
      absl::ToCivilDay(Advance(absl::ZeroDuration()), ChinaTimeZone());
  rate_answered("第一件", "satisfied");
  Advance(absl::Hours(24));
  rate_answered("第二件", "unsatisfied");
  CliRun stats =
      Ok("supervisor",
         {"stats", "--period", "day", "--from", absl::FormatCivilTime(first),
          "--to", absl::FormatCivilTime(first + 1), "--by", "kind"});
  // Day one: 1 of 1 satisfied; day two: 0 of 1, 100 points down.
  EXPECT_THAT(stats.out,
              ::testing::ContainsRegex(absl::FormatCivilTime(first) +
                                       " +petition +1 .*100.0% 1/1"));
  EXPECT_THAT(stats.out,
              ::testing::ContainsRegex(absl::FormatCivilTime(first + 1) +
                                       " +petition +1 .*0.0% 0/1 -100.0"));
  StopServer(*server_);
}

TEST_F(CliCommandsTest, BashCompletionCompletesCommandsAndOptions) {
  CliRun script = RunArgv({JIANYAN_CLI_PATH, "completion", "bash"});
  ASSERT_EQ(script.code, 0) << script.err;
  const std::string path = (dir_ / "jianyan.bash").string();
  {
    std::ofstream out(path);
    out << script.out;
  }
  // What bash offers after the words typed so far (the last one partial).
  auto complete = [&](const std::string& words) {
    CliRun run = RunArgv(
        {"/bin/bash", "-c",
         absl::StrCat("source ", path, "; COMP_WORDS=(", words,
                      "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _jianyan; "
                      "echo \"${COMPREPLY[*]}\"")});
    EXPECT_EQ(run.code, 0) << run.err;
    return std::string(absl::StripTrailingAsciiWhitespace(run.out));
  };
  EXPECT_EQ(complete("jianyan ca"), "case");
  EXPECT_EQ(complete("jianyan case ac"), "actions act");
  EXPECT_EQ(complete("jianyan supervise w"), "watch");
  EXPECT_EQ(complete("jianyan case act P2026-00000001-5 --expe"),
            "--expect-version");
  EXPECT_EQ(complete("jianyan --ser"), "--server");
  EXPECT_EQ(complete("jianyan case list --ser"), "--server");

  // Every command the script knows has --help with an example (exit 0).
  int commands = 0;
  for (absl::string_view line : absl::StrSplit(script.out, '\n')) {
    const std::string key = "_jianyan_subs[\"jianyan ";
    const size_t at = line.find(key);
    if (at == absl::string_view::npos) continue;
    line.remove_prefix(at + key.size());
    std::vector<std::string> argv =
        absl::StrSplit(line.substr(0, line.find('"')), ' ', absl::SkipEmpty());
    argv.insert(argv.begin(), JIANYAN_CLI_PATH);
    argv.push_back("--help");
    CliRun help = RunArgv(argv);
    EXPECT_EQ(help.code, 0) << absl::StrJoin(argv, " ");
    EXPECT_THAT(help.out, HasSubstr("Example:")) << absl::StrJoin(argv, " ");
    ++commands;
  }
  EXPECT_GE(commands, 19);  // case 9, supervise 5, stats, completion bash
}

}  // namespace
}  // namespace jianyan::testing
