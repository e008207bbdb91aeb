// The README's tour, run as written: its main block through bash against a
// jianyand --demo (the server address from the client's config file, as a
// reader's would be the default), while its watch block runs alongside and
// must see the tour's escalation.
#include <signal.h>

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jianyan/v1/supervision.pb.h"
#include "tests/cli/cli_fixture.h"

namespace jianyan::testing {
namespace {

using ::testing::HasSubstr;

class CliTourTest : public CliFixture {
 protected:
  // The ```sh block that follows `marker` in README.md.
  static std::string TourBlock(const std::string& marker) {
    const std::string readme = JianyandFixture::ReadFile(
        std::filesystem::path(JIANYAN_SOURCE_DIR) / "README.md");
    const size_t at = readme.find(marker);
    EXPECT_NE(at, std::string::npos) << marker;
    if (at == std::string::npos) return "";
    const size_t start = readme.find("```sh\n", at) + 6;
    return readme.substr(start, readme.find("```", start) - start);
  }
  // bash running `script` in dir_ with the client first on PATH.
  std::vector<std::string> Bash(const std::string& script) const {
    return {"/bin/bash", "-c",
            absl::StrCat("set -eo pipefail\ncd ", dir_.string(), "\n", script,
                         "\n"),
            "tour"};
  }
  std::string PathPrefix() const {
    return absl::StrCat(
        "export PATH=",
        std::filesystem::path(JIANYAN_CLI_PATH).parent_path().string(),
        ":$PATH\n");
  }
  // Waits (bounded) until the child's stderr holds `text`.
  static bool WaitForStderr(Subprocess& child, const std::string& text) {
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (!absl::StrContains(child.stderr_text(), text)) {
      if (absl::Now() > deadline || !child.Running()) return false;
      // Pumps both pipes for a moment; no stdout line starts with \x01.
      child.WaitForLine("\x01", absl::Milliseconds(100)).IgnoreError();
    }
    return true;
  }
};

TEST_F(CliTourTest, ReadmeTourRunsAsWritten) {
  StartDemo();
  std::filesystem::create_directories(dir_ / "config" / "jianyan");
  {
    std::ofstream config(dir_ / "config" / "jianyan" / "config");
    config << "# written by the test: where a reader's default points\n"
           << "server=" << address_ << "\n";
  }
  // The watch block, its command run by exec so that SIGINT reaches it.
  std::string watch_block = TourBlock("<!-- tour: watch -->");
  watch_block = absl::StrReplaceAll(
      watch_block, {{"jianyan --token-file", "exec jianyan --token-file"}});
  auto watch = Subprocess::Start(Bash(PathPrefix() + watch_block));
  ASSERT_TRUE(watch.ok()) << watch.status();
  ASSERT_TRUE(WaitForStderr(**watch, "watch: connected"))
      << (*watch)->stderr_text();

  CliRun tour = RunArgv(Bash(PathPrefix() + TourBlock("<!-- tour: main -->")));
  ASSERT_EQ(tour.code, 0) << tour.out << tour.err;
  EXPECT_THAT(tour.out, HasSubstr("query code"));
  EXPECT_THAT(tour.out, HasSubstr("handling"));
  EXPECT_THAT(tour.out, HasSubstr("answered"));
  EXPECT_THAT(tour.out, HasSubstr("satisfied"));
  EXPECT_THAT(tour.out, HasSubstr("满意率 SATISFACTION"));
  EXPECT_THAT(tour.out, HasSubstr("100.0% 1/1"));

  // The supervisor's watch saw the tour's escalation.
  auto line = (*watch)->WaitForLine("{", absl::Seconds(60));
  ASSERT_TRUE(line.ok()) << line.status();
  auto notices = JsonLines<jianyan::v1::EscalationNotice>("{" + *line);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].kind(), jianyan::v1::NOTICE_KIND_ESCALATED);
  EXPECT_THAT(ReadFile(dir_ / "receipt.txt"),
              HasSubstr(notices[0].case_().case_number()));
  (*watch)->Signal(SIGINT);
  auto code = (*watch)->Wait(absl::Seconds(30));
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 0) << (*watch)->stderr_text();
  StopServer(*server_);
}

}  // namespace
}  // namespace jianyan::testing
