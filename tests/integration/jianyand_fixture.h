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
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
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
