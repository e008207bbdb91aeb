// ServerDrain: a shutdown waits for the calls in flight, not for clients
// that keep their connections open.
#include "services/common/server_drain.h"

#include <grpc/grpc.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "jianyan/v1/testing.grpc.pb.h"
#include "tests/services/lingering_connection.h"

namespace jianyan {
namespace {

using jianyan::testing::kSoonerThanGrpc;
using jianyan::testing::LingeringConnection;
using jianyan::v1::AdvanceClockRequest;
using jianyan::v1::AdvanceClockResponse;
using jianyan::v1::TestingService;

// AdvanceClock answers at once, or, while held, only when released.
class HeldService : public TestingService::CallbackService {
 public:
  grpc::ServerUnaryReactor* AdvanceClock(grpc::CallbackServerContext* context,
                                         const AdvanceClockRequest*,
                                         AdvanceClockResponse*) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    absl::MutexLock lock(&mu_);
    if (!hold_) {
      reactor->Finish(grpc::Status::OK);
      return reactor;
    }
    held_ = reactor;
    entered_.Notify();
    return reactor;
  }
  void Hold() {
    absl::MutexLock lock(&mu_);
    hold_ = true;
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    if (held_ != nullptr) held_->Finish(grpc::Status::OK);
    held_ = nullptr;
  }
  absl::Notification& entered() { return entered_; }

 private:
  absl::Mutex mu_;
  bool hold_ ABSL_GUARDED_BY(mu_) = false;
  grpc::ServerUnaryReactor* held_ ABSL_GUARDED_BY(mu_) = nullptr;
  absl::Notification entered_;
};

class ServerDrainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(&service_);
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors;
    interceptors.push_back(drain_.InterceptorFactory());
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port_, 0);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_),
                                   grpc::InsecureChannelCredentials());
    stub_ = TestingService::NewStub(channel_);
  }

  // Shuts the server down on a thread with a deadline an hour away.
  void StartShutdown() {
    shutdown_ = std::thread([this] {
      drain_.Shutdown(server_.get(), absl::Now() + absl::Hours(1));
      stopped_.Notify();
    });
  }
  // Whether the shutdown returned within a minute, far short of its
  // deadline; if not, cancels what is left so that the test can end.
  bool ShutdownReturned() {
    const bool returned =
        stopped_.WaitForNotificationWithTimeout(absl::Seconds(60));
    if (!returned) grpc_server_cancel_all_calls(server_->c_server());
    shutdown_.join();
    return returned;
  }

  grpc::Status Call() {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    AdvanceClockResponse response;
    return stub_->AdvanceClock(&context, AdvanceClockRequest(), &response);
  }

  HeldService service_;
  ServerDrain drain_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<TestingService::Stub> stub_;
  std::thread shutdown_;
  absl::Notification stopped_;
};

TEST_F(ServerDrainTest, IdleConnectionsDoNotHoldTheShutdown) {
  ASSERT_TRUE(Call().ok());  // the channel is connected, and idle now
  LingeringConnection lingering(port_);
  ASSERT_TRUE(lingering.established());
  StartShutdown();
  // Without the drain, gRPC closes the lingering connection when its
  // graceful GOAWAY gives up waiting for the PING's answer, 20 s on, and
  // only then returns; the drain closes it once no call is left.
  EXPECT_TRUE(lingering.WaitForClose(kSoonerThanGrpc));
  EXPECT_TRUE(ShutdownReturned());
}

TEST_F(ServerDrainTest, ACallInFlightRunsToItsEnd) {
  service_.Hold();
  grpc::Status status;
  std::thread caller([&] { status = Call(); });
  // Whatever fails below, the held call is answered and its caller joined.
  absl::Cleanup answered = [&] {
    service_.Release();
    if (caller.joinable()) caller.join();
  };
  ASSERT_TRUE(
      service_.entered().WaitForNotificationWithTimeout(absl::Seconds(60)));
  EXPECT_EQ(drain_.calls(), 1);
  LingeringConnection lingering(port_);
  ASSERT_TRUE(lingering.established());
  StartShutdown();
  // The shutdown waits for the call; the connections stay open meanwhile.
  const absl::Time cap = absl::Now() + absl::Seconds(60);
  while (!drain_.awaiting_calls() && absl::Now() < cap) {
    std::this_thread::yield();
  }
  EXPECT_TRUE(drain_.awaiting_calls());
  EXPECT_FALSE(stopped_.HasBeenNotified());
  EXPECT_FALSE(lingering.WaitForClose(absl::ZeroDuration()));
  std::move(answered).Invoke();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(ShutdownReturned());
  EXPECT_EQ(drain_.calls(), 0);
}

TEST_F(ServerDrainTest, AHealthWatchDoesNotHoldTheShutdown) {
  // gRPC's default health service never ends a Watch stream by itself.
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  auto watch = health->Watch(&context, grpc::health::v1::HealthCheckRequest());
  grpc::health::v1::HealthCheckResponse seen;
  ASSERT_TRUE(watch->Read(&seen));
  EXPECT_EQ(seen.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  EXPECT_EQ(drain_.calls(), 0);  // not counted
  StartShutdown();
  EXPECT_TRUE(ShutdownReturned());
  while (watch->Read(&seen)) {
  }
  const grpc::Status ended = watch->Finish();
  EXPECT_NE(ended.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << ended.error_message();
}

}  // namespace
}  // namespace jianyan
