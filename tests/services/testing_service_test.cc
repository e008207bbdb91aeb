// TestingServiceImpl on an in-process server: the admin check it is given,
// the checks of `by`, the clock and the hook; and the admin check (the access
// table) of jianyand against a real store.
#include "services/testing/testing_service.h"

#include <memory>
#include <string>
#include <vector>

#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "services/common/unary_call.h"
#include "services/core/access_policy.h"
#include "services/core/authenticator.h"
#include "services/core/org_directory.h"
#include "services/core/token.h"
#include "tests/storage/store_test_util.h"
#include "workflow/time_util.h"

namespace jianyan {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1790000000);

class TestingServiceTest : public ::testing::Test {
 protected:
  // Serves a TestingServiceImpl with `authorize` in process.
  void Serve(TestingServiceImpl::AuthorizeFn authorize) {
    service_ = std::make_unique<TestingServiceImpl>(
        clock_, std::move(authorize),
        [this](absl::Time now) { hooked_.push_back(now); });
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = jianyan::v1::TestingService::NewStub(
        server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override {
    if (server_ != nullptr) {
      server_->Shutdown();
      server_->Wait();
    }
  }

  grpc::Status Advance(int64_t seconds, int32_t nanos,
                       const std::string& token = "",
                       absl::Time* now = nullptr) {
    grpc::ClientContext ctx;
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    jianyan::v1::AdvanceClockRequest req;
    req.mutable_by()->set_seconds(seconds);
    req.mutable_by()->set_nanos(nanos);
    jianyan::v1::AdvanceClockResponse resp;
    grpc::Status s = stub_->AdvanceClock(&ctx, req, &resp);
    if (now != nullptr) *now = FromProto(resp.now());
    return s;
  }

  ManualClock base_{kStart};
  OffsetClock clock_{base_};
  std::vector<absl::Time> hooked_;
  std::unique_ptr<TestingServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<jianyan::v1::TestingService::Stub> stub_;
};

TEST_F(TestingServiceTest, AdvancesTheClockThenCallsTheHook) {
  Serve([](grpc::CallbackServerContext*) { return absl::OkStatus(); });
  absl::Time now;
  ASSERT_TRUE(Advance(48 * 3600, 5, "", &now).ok());
  EXPECT_EQ(now, kStart + absl::Hours(48) + absl::Nanoseconds(5));
  EXPECT_EQ(clock_.Now(), now);
  ASSERT_EQ(hooked_.size(), 1u);
  EXPECT_EQ(hooked_[0], now);
}

TEST_F(TestingServiceTest, RefusesBadDurationsWithoutMovingTheClock) {
  Serve([](grpc::CallbackServerContext*) { return absl::OkStatus(); });
  EXPECT_EQ(Advance(-1, 0).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Advance(0, -1).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Advance(1, -1).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Advance(0, 1000000000).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  grpc::ClientContext ctx;
  jianyan::v1::AdvanceClockResponse resp;
  EXPECT_EQ(stub_->AdvanceClock(&ctx, {}, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // no `by`
  EXPECT_EQ(clock_.offset(), absl::ZeroDuration());
  EXPECT_TRUE(hooked_.empty());
}

TEST_F(TestingServiceTest, TheAdminCheckDecidesFirst) {
  Serve([](grpc::CallbackServerContext*) {
    return absl::PermissionDeniedError("admin role required");
  });
  EXPECT_EQ(Advance(-1, 0).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Advance(60, 0).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(clock_.offset(), absl::ZeroDuration());
}

TEST_F(TestingServiceTest, AdminCheckGoesThroughTheAccessTable) {
  storage::testing::TempDir dir;
  storage::CaseStoreOptions options;
  options.sync = false;
  auto store = storage::CaseStore::Open(options, dir.Sub("db"));
  ASSERT_TRUE(store.ok()) << store.status();
  const std::string admin = GenerateToken(), handler = GenerateToken(),
                    revoked = GenerateToken();
  auto put = [&](const char* id, jianyan::v1::Role role,
                 const std::string& token, bool is_revoked) {
    jianyan::v1::Principal p;
    p.set_id(id);
    p.set_role(role);
    p.set_revoked(is_revoked);
    p.set_token_hash(HashToken(token));
    ASSERT_TRUE((*store)->PutPrincipal(p).ok());
  };
  put("admin", jianyan::v1::ROLE_ADMIN, admin, false);
  put("h1", jianyan::v1::ROLE_HANDLER, handler, false);
  put("old", jianyan::v1::ROLE_ADMIN, revoked, true);
  auto orgs = OrgDirectory::Load(**store);
  ASSERT_TRUE(orgs.ok());
  Authenticator auth(**store, Clock::Real());
  AccessPolicy policy(**orgs);
  CallGate gate(auth, policy);
  Serve([&gate](grpc::CallbackServerContext* ctx) {
    return gate.Admit(ctx, "TestingService.AdvanceClock").status();
  });

  EXPECT_TRUE(Advance(60, 0, admin).ok());
  EXPECT_EQ(Advance(60, 0, handler).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Advance(60, 0, revoked).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Advance(60, 0, GenerateToken()).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Advance(60, 0, "not-a-token").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Advance(60, 0).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(clock_.offset(), absl::Seconds(60));
  TearDown();  // the server goes before the store
  server_.reset();
}

}  // namespace
}  // namespace jianyan
