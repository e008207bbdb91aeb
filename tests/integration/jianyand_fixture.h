// JianyandFixture: a GoogleTest fixture for tests that run the real jianyand
// binary (JIANYAND_PATH) on 127.0.0.1 port 0, each test in its own fresh
// temporary directory dir_.
#ifndef JIANYAN_TESTS_INTEGRATION_JIANYAND_FIXTURE_H_
#define JIANYAN_TESTS_INTEGRATION_JIANYAND_FIXTURE_H_

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "jianyan/v1/feedback.grpc.pb.h"
#include "jianyan/v1/intake.grpc.pb.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "tests/integration/subprocess.h"

namespace jianyan::testing {

inline constexpr absl::Duration kStartTimeout = absl::Seconds(60);

class JianyandFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrCat("jianyand_", getpid(), "_",
                        ::testing::UnitTest::GetInstance()->random_seed(), "_",
                        counter_++);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Starts jianyand with extra flags (adding --data_dir=dir_/data and
  // --listen=127.0.0.1:0 unless given) and waits for "listening on".
  std::unique_ptr<Subprocess> StartServer(std::vector<std::string> flags,
                                          std::string* address) {
    std::vector<std::string> argv = {JIANYAND_PATH};
    if (std::none_of(flags.begin(), flags.end(), [](const std::string& f) {
          return absl::StartsWith(f, "--data_dir");
        })) {
      argv.push_back("--data_dir=" + (dir_ / "data").string());
    }
    if (std::none_of(flags.begin(), flags.end(), [](const std::string& f) {
          return absl::StartsWith(f, "--listen");
        })) {
      argv.push_back("--listen=127.0.0.1:0");
    }
    argv.insert(argv.end(), flags.begin(), flags.end());
    auto child = Subprocess::Start(argv);
    EXPECT_TRUE(child.ok()) << child.status();
    if (!child.ok()) return nullptr;
    auto line = (*child)->WaitForLine("listening on ", kStartTimeout);
    EXPECT_TRUE(line.ok()) << line.status();
    if (line.ok()) *address = *line;
    return std::move(*child);
  }

  // The first admin token a server started by StartServer wrote to
  // dir_/data/admin.token, without its newline.
  std::string AdminToken() const {
    return std::string(
        absl::StripAsciiWhitespace(ReadFile(dir_ / "data" / "admin.token")));
  }

  // SIGTERM, then expects exit code 0.
  static void StopServer(Subprocess& server) {
    server.Signal(SIGTERM);
    auto exit_code = server.Wait(absl::Seconds(30));
    ASSERT_TRUE(exit_code.ok()) << exit_code.status();
    EXPECT_EQ(*exit_code, 0) << server.stderr_text();
  }

  // Runs jianyand with `argv` (after the binary) to its exit; the exit code,
  // with the child's stderr in *err.
  static int RunToExit(const std::vector<std::string>& args, std::string* err) {
    std::vector<std::string> argv = {JIANYAND_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    auto child = Subprocess::Start(argv);
    EXPECT_TRUE(child.ok()) << child.status();
    if (!child.ok()) return -1;
    auto code = (*child)->Wait(absl::Seconds(60));
    EXPECT_TRUE(code.ok()) << code.status();
    *err = (*child)->stderr_text();
    return code.ok() ? *code : -1;
  }

  // The status of `service` ("" for the server) by grpc.health.v1.Health,
  // with the call's code in *code.
  static grpc::health::v1::HealthCheckResponse::ServingStatus Health(
      const std::string& address, const std::string& service,
      grpc::StatusCode* code,
      std::shared_ptr<grpc::ChannelCredentials> credentials =
          grpc::InsecureChannelCredentials()) {
    auto channel = grpc::CreateChannel(address, credentials);
    auto stub = grpc::health::v1::Health::NewStub(channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(service);
    grpc::health::v1::HealthCheckResponse resp;
    grpc::Status s = stub->Check(&ctx, req, &resp);
    *code = s.error_code();
    return resp.status();
  }

  // The whole content of `path` ("" when it cannot be read).
  static std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // name -> {principal, token} of DATA_DIR/demo-tokens.txt (--demo).
  std::map<std::string, std::pair<std::string, std::string>> DemoTokens() {
    std::map<std::string, std::pair<std::string, std::string>> out;
    std::istringstream text(ReadFile(dir_ / "data" / "demo-tokens.txt"));
    for (std::string line; std::getline(text, line);) {
      if (line.empty() || line[0] == '#') continue;
      std::vector<std::string> parts = absl::StrSplit(line, '\t');
      if (parts.size() == 3) out[parts[0]] = {parts[1], parts[2]};
    }
    return out;
  }

  // A client context sending `token` as the bearer token.
  static std::unique_ptr<grpc::ClientContext> As(const std::string& token) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", "Bearer " + token);
    return ctx;
  }

  // Stubs of the services a petition passes through, over one plaintext
  // channel to `address`.
  struct PetitionStubs {
    explicit PetitionStubs(const std::string& address)
        : channel(
              grpc::CreateChannel(address, grpc::InsecureChannelCredentials())),
          intake(jianyan::v1::IntakeService::NewStub(channel)),
          workflow(jianyan::v1::WorkflowService::NewStub(channel)),
          feedback(jianyan::v1::FeedbackService::NewStub(channel)) {}
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<jianyan::v1::IntakeService::Stub> intake;
    std::unique_ptr<jianyan::v1::WorkflowService::Stub> workflow;
    std::unique_ptr<jianyan::v1::FeedbackService::Stub> feedback;
  };

  // Reads case `number` as `token`, then acts `action` on the version it
  // saw (2 calls); the Act's status, its answer in *out.
  static grpc::Status ReadAndAct(jianyan::v1::WorkflowService::Stub& workflow,
                                 const std::string& token,
                                 const std::string& number,
                                 const std::string& action,
                                 const std::string& request_id,
                                 jianyan::v1::ActResponse* out,
                                 const std::string& reason = "") {
    jianyan::v1::GetCaseRequest get;
    get.set_case_number(number);
    jianyan::v1::Case seen;
    grpc::Status s = workflow.GetCase(As(token).get(), get, &seen);
    if (!s.ok()) return s;
    jianyan::v1::ActRequest act;
    act.set_request_id(request_id);
    act.set_case_number(number);
    act.set_expected_version(seen.version());
    act.set_action(action);
    act.set_reason(reason);
    return workflow.Act(As(token).get(), act, out);
  }

  static uint16_t Port(const std::string& address) {
    uint32_t port = 0;
    EXPECT_TRUE(
        absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &port));
    return static_cast<uint16_t>(port);
  }

  std::filesystem::path dir_;
  static inline int counter_ = 0;
};

}  // namespace jianyan::testing

#endif  // JIANYAN_TESTS_INTEGRATION_JIANYAND_FIXTURE_H_
