// `case act` without --expect-version reads the version, acts, and on
// ABORTED (someone acted in between) retries once when the action is still
// offered. The race is made real by a gRPC proxy in front of jianyand that,
// before forwarding the client's first Act, has a supervisor escalate the
// case (a new version; the handler's action stays open).
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"
#include "tests/services/raw_call.h"

namespace jianyan::testing {
namespace {

// Forwards every unary call (with its authorization header) to `target`;
// runs `before_first_act` once, before forwarding the first
// WorkflowService.Act.
class ActRaceProxy final : public grpc::CallbackGenericService {
 public:
  ActRaceProxy(std::shared_ptr<grpc::Channel> target,
               std::function<void()> before_first_act)
      : stub_(std::move(target)),
        before_first_act_(std::move(before_first_act)) {}

  int acts() const { return acts_.load(); }

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* ctx) override {
    return new Forward(this, ctx);
  }

 private:
  class Forward final : public grpc::ServerGenericBidiReactor {
   public:
    Forward(ActRaceProxy* proxy, grpc::GenericCallbackServerContext* ctx)
        : proxy_(proxy), ctx_(ctx) {
      StartRead(&request_);
    }
    void OnReadDone(bool ok) override {
      if (!ok) {
        Finish(grpc::Status(grpc::StatusCode::INTERNAL, "proxy: no request"));
        return;
      }
      // Off the callback thread: the side effect and the forward block.
      std::thread([this] { Relay(); }).detach();
    }
    void OnWriteDone(bool /*ok*/) override {}
    void OnDone() override { delete this; }

   private:
    void Relay() {
      if (ctx_->method() == "/jianyan.v1.WorkflowService/Act" &&
          proxy_->acts_.fetch_add(1) == 0) {
        proxy_->before_first_act_();
      }
      grpc::ClientContext out;
      for (const auto& [key, value] : ctx_->client_metadata()) {
        if (key == "authorization") {
          out.AddMetadata(std::string(key.data(), key.size()),
                          std::string(value.data(), value.size()));
        }
      }
      out.set_deadline(ctx_->deadline());
      grpc::Status status = BlockingUnaryCall(
          proxy_->stub_, &out, ctx_->method(), request_, &response_);
      if (status.ok()) {
        StartWriteAndFinish(&response_, grpc::WriteOptions(), status);
      } else {
        Finish(status);
      }
    }

    ActRaceProxy* const proxy_;
    grpc::GenericCallbackServerContext* const ctx_;
    grpc::ByteBuffer request_;
    grpc::ByteBuffer response_;
  };

  grpc::GenericStub stub_;
  std::function<void()> before_first_act_;
  std::atomic<int> acts_{0};
};

class CliActRetryTest : public CliFixture {};

TEST_F(CliActRetryTest, AbortedActIsRetriedOnceWhileTheActionIsOpen) {
  StartDemo();
  const std::string number = Submit("小区供暖不热").case_number();
  const std::string direct = address_;
  ActRaceProxy proxy(
      grpc::CreateChannel(direct, grpc::InsecureChannelCredentials()), [&] {
        // Between the client's read and its Act: a new version.
        CliRun urged =
            Ok("supervisor", {"supervise", "escalate", number, "--level",
                              "urge", "--note", "请尽快处理"});
        EXPECT_THAT(urged.out, ::testing::HasSubstr(number));
      });
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterCallbackGenericService(&proxy);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  address_ = "127.0.0.1:" + std::to_string(port);  // the client's way in

  CliRun acted = Ok("handler-taishan", {"case", "act", number, "accept",
                                        "--field", "notice_delivery=written"});
  EXPECT_EQ(proxy.acts(), 2);  // the first got ABORTED, the retry went in
  EXPECT_THAT(acted.out, ::testing::HasSubstr("accept"));
  // With --expect-version there is no retry: the stale version is refused.
  address_ = direct;
  CliRun stale =
      Run("handler-taishan", {"case", "act", number, "respond", "--field",
                              "opinion=support", "--expect-version", "1"});
  EXPECT_EQ(stale.code, 1) << stale.err;
  EXPECT_THAT(stale.err, ::testing::HasSubstr("ABORTED"));
  server->Shutdown();
  StopServer(*server_);
}

}  // namespace
}  // namespace jianyan::testing
