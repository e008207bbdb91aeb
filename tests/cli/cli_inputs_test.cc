// Where the client takes its input from: --from-file (JSON and textproto,
// flags overriding), the token from JIANYAN_TOKEN and from a config file
// (server, token-file, as), and what it says about unusable input.
#include <stdlib.h>

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jianyan/v1/intake.pb.h"
#include "jianyan/v1/workflow_service.pb.h"
#include "tests/cli/cli_fixture.h"

namespace jianyan::testing {
namespace {

using ::testing::HasSubstr;

class CliInputsTest : public CliFixture {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
};

TEST_F(CliInputsTest, RequestFilesTokenSourcesAndConfig) {
  StartDemo();
  const std::string textproto = Write("petition.textproto", R"(
kind: CASE_KIND_PETITION
petition_type: PETITION_TYPE_CLAIM
region_code: "370902"
title: "from the file"
content: "冬季室温长期低于十六度。"
category: "城乡建设"
submitter { representatives { name: "张三" phone: "13800000000"
                              id_number: "11010519491231002X" } }
)");
  // The token from the environment; the flag overrides the file's title.
  setenv("JIANYAN_TOKEN", DemoTokens()["terminal"].second.c_str(), 1);
  auto receipts = JsonLines<jianyan::v1::Receipt>(
      Ok("", {"-o", "json", "case", "submit", "--from-file", textproto,
              "--title", "小区供暖不热"})
          .out);
  unsetenv("JIANYAN_TOKEN");
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(receipts[0].title(), "小区供暖不热");

  const std::string json = Write(
      "petition.json",
      R"({"kind": "CASE_KIND_PETITION", "petition_type": "PETITION_TYPE_CLAIM",
          "region_code": "370902", "title": "路灯不亮", "content": "夜间无照明。",
          "category": "城乡建设", "submitter": {"representatives": [
          {"name": "李四", "phone": "13900000000",
           "id_number": "11010519491231002X"}]}})");
  receipts = JsonLines<jianyan::v1::Receipt>(
      Ok("terminal", {"-o", "json", "case", "submit", "--from-file", json})
          .out);
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(receipts[0].title(), "路灯不亮");

  // Unusable files: usage errors naming the file, nothing sent.
  CliRun bad = Run("terminal", {"case", "submit", "--from-file",
                                Write("bad.textproto", "title: 3 4 5\n")});
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("bad.textproto"));
  EXPECT_THAT(bad.err, HasSubstr("line 1"));
  EXPECT_EQ(
      Run("terminal", {"case", "submit", "--from-file", "/nonexistent"}).code,
      2);

  // The config file gives the server, the token file and the entry: the
  // handler lists both cases with no option at all.
  std::filesystem::create_directories(dir_ / "config" / "jianyan");
  Write("config/jianyan/config",
        absl::StrCat("# test config\nserver=", address_, "\ntoken-file=",
                     TokensFile(), "\nas=handler-taishan\noutput=json\n"));
  CliRun listed = RunArgv({JIANYAN_CLI_PATH, "case", "list"});
  ASSERT_EQ(listed.code, 0) << listed.err;
  EXPECT_EQ(JsonLines<jianyan::v1::CaseSummary>(listed.out).size(), 2u);
  // The command line still wins over the file.
  CliRun table = RunArgv({JIANYAN_CLI_PATH, "case", "list", "-o", "table"});
  EXPECT_THAT(table.out, HasSubstr("NUMBER"));
  // A key the client does not know is a usage error.
  Write("config/jianyan/config", "colour=always\n");
  EXPECT_EQ(RunArgv({JIANYAN_CLI_PATH, "case", "list"}).code, 2);
  StopServer(*server_);
}

}  // namespace
}  // namespace jianyan::testing
