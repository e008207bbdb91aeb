// LocalCore, the all-in-one edges' way to the core without a second gRPC
// call (services/edge/local_core.h), against a real CoreServer: only a
// principal the access table lets make the edges' calls gets one; the edge
// call's deadline reaches the store (a command whose deadline has passed
// is answered DEADLINE_EXCEEDED and never written); the core's statuses
// are mapped as over the channel. The edges' own tests (intake, feedback)
// run through both reaches (tests/services/core_reach.h).
#include "services/edge/local_core.h"

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "services/edge/core_link.h"
#include "tests/services/core_server.h"
#include "tests/storage/store_test_util.h"

namespace jianyan::testing {
namespace {

class LocalCoreTest : public ::testing::Test {
 protected:
  LocalCoreTest() { server_.Seed(); }

  // A link whose hot calls go through `local`, with `timeout` per call;
  // its channel leads to the CoreServer, or nowhere.
  std::unique_ptr<CoreLink> LinkThrough(LocalCore* local,
                                        absl::Duration timeout,
                                        bool channel = true) {
    CoreLink::Options options;
    options.channel =
        channel ? server_.channel()
                : grpc::CreateChannel("127.0.0.1:1",
                                      grpc::InsecureChannelCredentials());
    options.service_token = server_.token("service");
    options.clock = &server_.clock();
    options.call_timeout = timeout;
    options.local = local;
    return std::make_unique<CoreLink>(std::move(options));
  }

  // Runs `call` with a completion and waits for the status it reports.
  static absl::Status Await(const std::function<void(CoreDone)>& call) {
    absl::Notification answered;
    absl::Status got;
    call([&](absl::Status s) {
      got = std::move(s);
      answered.Notify();
    });
    answered.WaitForNotification();
    return got;
  }

  // CreateCase through `link`, waiting for its completion.
  absl::Status Create(CoreLink& link, const std::string& request_id,
                      jianyan::v1::CreateCaseResponse* out) {
    const jianyan::v1::CreateCaseRequest request =
        CoreServer::PetitionRequest(request_id);
    return Await([&](CoreDone done) {
      link.CreateCase(nullptr, &request, out, std::move(done));
    });
  }

  CoreServer server_;
};

TEST_F(LocalCoreTest, OnlyAServicePrincipalGetsOne) {
  auto unknown =
      LocalCore::Create(server_.core(), "jy_" + std::string(43, 'Z'));
  EXPECT_TRUE(absl::IsUnauthenticated(unknown.status())) << unknown.status();
  for (const char* who : {"terminal", "handler", "supervisor", "admin"}) {
    auto refused = LocalCore::Create(server_.core(), server_.token(who));
    EXPECT_TRUE(absl::IsPermissionDenied(refused.status()))
        << who << ": " << refused.status();
  }
  EXPECT_TRUE(LocalCore::Create(server_.core(), server_.token("service")).ok());
}

TEST_F(LocalCoreTest, APassedDeadlineReachesTheStoreAndNothingIsWritten) {
  auto local = LocalCore::Create(server_.core(), server_.token("service"));
  ASSERT_TRUE(local.ok()) << local.status();
  // No time left: the store refuses the command before writing it.
  std::unique_ptr<CoreLink> hurried =
      LinkThrough(local->get(), absl::ZeroDuration());
  jianyan::v1::CreateCaseResponse refused;
  absl::Status s = Create(*hurried, "local-late-1", &refused);
  EXPECT_TRUE(absl::IsDeadlineExceeded(s)) << s;
  EXPECT_NE(s.message().find("deadline"), std::string::npos) << s;
  EXPECT_FALSE(refused.has_case_());
  EXPECT_TRUE(absl::IsNotFound(
      server_.store().LookupRequest("intake-edge", "local-late-1").status()));
  // With time, the same request creates the case, and the answer is the
  // stored case.
  std::unique_ptr<CoreLink> link = LinkThrough(local->get(), absl::Seconds(10));
  jianyan::v1::CreateCaseResponse created;
  s = Create(*link, "local-late-1", &created);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(created.case_().version(), 1u);
  auto stored = server_.store().GetCase(created.case_().case_number());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->case_().state(), created.case_().state());
  storage::testing::ExpectVerifyClean(server_.store());
}

TEST_F(LocalCoreTest, TheHotCallsNeedNoChannel) {
  auto local = LocalCore::Create(server_.core(), server_.token("service"));
  ASSERT_TRUE(local.ok()) << local.status();
  std::unique_ptr<CoreLink> link =
      LinkThrough(local->get(), absl::Seconds(10), /*channel=*/false);
  jianyan::v1::CreateCaseResponse created;
  absl::Status s = Create(*link, "local-no-channel-1", &created);
  ASSERT_TRUE(s.ok()) << s;
  // The core itself answers the public calls: a wrong query code is its
  // NOT_FOUND, not the UNAVAILABLE of an unreachable core.
  jianyan::v1::GetPublicStatusRequest status;
  status.set_case_number(created.case_().case_number());
  status.set_query_code("12345678");
  jianyan::v1::PublicStatus shown;
  s = Await([&](CoreDone done) {
    link->GetPublicStatus(nullptr, &status, &shown, std::move(done));
  });
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
  jianyan::v1::SubmitRatingRequest rating;
  rating.set_request_id("local-rating-1");
  rating.set_case_number(created.case_().case_number());
  rating.set_query_code("12345678");
  rating.set_level(jianyan::v1::RATING_LEVEL_SATISFIED);
  jianyan::v1::SubmitRatingResponse rated;
  s = Await([&](CoreDone done) {
    link->SubmitPublicRating(nullptr, &rating, &rated, std::move(done));
  });
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
}

TEST_F(LocalCoreTest, CoreStatusesAreMappedAsOverTheChannel) {
  for (const absl::Status& down :
       {absl::UnavailableError("store stopping"),
        absl::UnauthenticatedError("unknown bearer token"),
        absl::UnknownError("dropped")}) {
    absl::Status mapped = CoreLink::FromCore(down);
    EXPECT_TRUE(absl::IsUnavailable(mapped)) << down;
    EXPECT_EQ(mapped.message(), "workflow core unavailable");
  }
  const absl::Status field = absl::InvalidArgumentError("content: too long");
  EXPECT_EQ(CoreLink::FromCore(field), field);
  EXPECT_TRUE(CoreLink::FromCore(absl::OkStatus()).ok());
  // The same through the gRPC overload.
  EXPECT_EQ(CoreLink::FromCore(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                            "content: too long")),
            field);
}

}  // namespace
}  // namespace jianyan::testing
