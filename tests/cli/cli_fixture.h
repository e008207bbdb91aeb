// CliFixture: runs the jianyan binary (JIANYAN_CLI_PATH) against a jianyand
// started with --demo and --testing_clock in the test's own directory, with
// the demo tokens, and an empty XDG config directory of its own.
#ifndef JIANYAN_TESTS_CLI_CLI_FIXTURE_H_
#define JIANYAN_TESTS_CLI_CLI_FIXTURE_H_

#include <stdlib.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "jianyan/v1/testing.grpc.pb.h"
#include "tests/integration/jianyand_fixture.h"

namespace jianyan::testing {

// What one run of the client left behind.
struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

class CliFixture : public JianyandFixture {
 protected:
  void SetUp() override {
    JianyandFixture::SetUp();
    // The user's own config file must not leak into the runs.
    setenv("XDG_CONFIG_HOME", (dir_ / "config").c_str(), 1);
    unsetenv("JIANYAN_TOKEN");
  }

  // Starts jianyand --demo --testing_clock (on `listen`, default port 0).
  void StartDemo(const std::string& listen = "127.0.0.1:0") {
    server_ = StartServer({"--demo", "--testing_clock", "--listen=" + listen},
                          &address_);
    ASSERT_NE(server_, nullptr);
  }

  std::string TokensFile() const {
    return (dir_ / "data" / "demo-tokens.txt").string();
  }

  // The argv of `jianyan --server ADDRESS [--token-file ... --as WHO] args`.
  std::vector<std::string> Argv(const std::string& who,
                                const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {JIANYAN_CLI_PATH, "--server", address_};
    if (!who.empty()) {
      argv.insert(argv.end(), {"--token-file", TokensFile(), "--as", who});
    }
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  // Runs jianyan as `who` (a demo-tokens name; "" for no token) to its exit.
  static CliRun RunArgv(const std::vector<std::string>& argv) {
    CliRun run;
    auto child = Subprocess::Start(argv);
    EXPECT_TRUE(child.ok()) << child.status();
    if (!child.ok()) return run;
    auto code = (*child)->Wait(absl::Seconds(120));
    EXPECT_TRUE(code.ok()) << code.status();
    run.code = code.ok() ? *code : -1;
    run.out = (*child)->stdout_text();
    run.err = (*child)->stderr_text();
    return run;
  }
  CliRun Run(const std::string& who, const std::vector<std::string>& args) {
    return RunArgv(Argv(who, args));
  }
  // The same, expecting exit code 0.
  CliRun Ok(const std::string& who, const std::vector<std::string>& args) {
    CliRun run = Run(who, args);
    EXPECT_EQ(run.code, 0) << absl::StrJoin(args, " ") << "\n"
                           << run.out << run.err;
    return run;
  }

  // Each line of `text` parsed as a `Message` in protobuf JSON.
  template <typename Message>
  static std::vector<Message> JsonLines(const std::string& text) {
    std::vector<Message> out;
    for (absl::string_view line :
         absl::StrSplit(text, '\n', absl::SkipEmpty())) {
      Message m;
      auto status =
          google::protobuf::util::JsonStringToMessage(std::string(line), &m);
      EXPECT_TRUE(status.ok()) << status.message() << ": " << line;
      out.push_back(m);
    }
    return out;
  }

  // A petition submitted by the demo terminal (routed to 泰山区); its
  // receipt.
  jianyan::v1::Receipt Submit(const std::string& title) {
    CliRun run = Ok("terminal", {"-o",          "json",
                                 "case",        "submit",
                                 "--type",      "claim",
                                 "--region",    "370902",
                                 "--category",  "城乡建设",
                                 "--title",     title,
                                 "--content",   "冬季室温长期低于十六度。",
                                 "--name",      "张三",
                                 "--phone",     "13800000000",
                                 "--id-number", "11010519491231002X"});
    std::vector<jianyan::v1::Receipt> receipts =
        JsonLines<jianyan::v1::Receipt>(run.out);
    EXPECT_EQ(receipts.size(), 1u) << run.out;
    return receipts.empty() ? jianyan::v1::Receipt() : receipts[0];
  }

  // TestingService.AdvanceClock by `by`, as the demo admin; the server's
  // time after it.
  absl::Time Advance(absl::Duration by) {
    auto stub = jianyan::v1::TestingService::NewStub(
        grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
    jianyan::v1::AdvanceClockRequest request;
    request.mutable_by()->set_seconds(absl::ToInt64Seconds(by));
    jianyan::v1::AdvanceClockResponse response;
    auto ctx = As(DemoTokens()["admin"].second);
    ctx->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(120));
    grpc::Status s = stub->AdvanceClock(ctx.get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return absl::FromUnixSeconds(response.now().seconds());
  }

  std::unique_ptr<Subprocess> server_;
  std::string address_;
};

}  // namespace jianyan::testing

#endif  // JIANYAN_TESTS_CLI_CLI_FIXTURE_H_
