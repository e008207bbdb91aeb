// The edges in both deployment modes, with real jianyand processes on
// 127.0.0.1 port 0: all-in-one (the feedback edge reaches the core in
// process) and split (one core process, two edge processes with a service
// token file). Every wait is a bounded poll on RPC results.
#include <signal.h>

#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "jianyan/v1/internal.grpc.pb.h"
#include "tests/integration/edge_clients.h"
#include "tests/integration/jianyand_fixture.h"
#include "tests/services/intake_requests.h"

namespace jianyan::testing {
namespace {

using grpc::StatusCode;

class EdgeDeploymentTest : public JianyandFixture {
 protected:
  // An edge process against the core at `core`.
  std::unique_ptr<Subprocess> StartEdge(const std::string& core,
                                        const std::string& name,
                                        std::string* address) {
    return StartServer(
        {"--services=intake,feedback", "--core_address=" + core,
         "--service_token_file=" + (dir_ / "service.token").string(),
         "--query_code_secret_file=" + (dir_ / "query-code.key").string(),
         "--data_dir=" + (dir_ / name).string()},
        address);
  }
  static StatusCode HealthCode(const std::string& address) {
    StatusCode code = StatusCode::OK;
    auto status = Health(address, "jianyan.v1.FeedbackService", &code);
    if (code != StatusCode::OK) return code;
    return status == grpc::health::v1::HealthCheckResponse::SERVING
               ? StatusCode::OK
               : StatusCode::UNAVAILABLE;
  }
};

TEST_F(EdgeDeploymentTest, AllInOneFeedbackEndToEnd) {
  std::string address;
  auto server = StartServer({}, &address);
  ASSERT_NE(server, nullptr);
  CoreClient core(address);
  core.Seed(AdminToken());
  FeedbackClient feedback(address);
  // Satisfied: rated once, the case stays answered.
  const std::string satisfied = core.AnsweredPetition("create-aio-1");
  jianyan::v1::PublicStatus status;
  ASSERT_TRUE(feedback.Status(satisfied, &status).ok());
  EXPECT_EQ(status.state(), "answered");
  EXPECT_TRUE(status.rateable());
  jianyan::v1::SubmitRatingResponse rated;
  grpc::Status s = feedback.Rate("rate-aio-1", satisfied,
                                 jianyan::v1::RATING_LEVEL_SATISFIED, &rated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_FALSE(rated.status().rateable());
  // Unsatisfied: the definition routes it; the review follows.
  const std::string unsatisfied = core.AnsweredPetition("create-aio-2");
  s = feedback.Rate("rate-aio-2", unsatisfied,
                    jianyan::v1::RATING_LEVEL_UNSATISFIED, &rated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(rated.status().state(), "unsatisfied");
  core.Act("service", unsatisfied, "request_review", {{"reason", "不服"}});
  ASSERT_TRUE(feedback.Status(unsatisfied, &status).ok());
  EXPECT_EQ(status.state(), "review");
  // The internal service is not on the public listener of an all-in-one.
  auto internal = jianyan::v1::CoreInternal::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  jianyan::v1::ResolvePrincipalRequest req;
  jianyan::v1::ResolvePrincipalResponse resp;
  EXPECT_EQ(
      internal->ResolvePrincipal(As(core.token("service")).get(), req, &resp)
          .error_code(),
      StatusCode::UNIMPLEMENTED);
  StopServer(*server);
}

TEST_F(EdgeDeploymentTest, SplitModeSurvivesAnEdgeAndTheCoreRestarting) {
  std::string core_address;
  auto core_process =
      StartServer({"--services=workflow,supervision,admin"}, &core_address);
  ASSERT_NE(core_process, nullptr);
  CoreClient core(core_address);
  core.Seed(AdminToken());
  {
    std::ofstream token(dir_ / "service.token");
    token << core.token("service") << "\n";
  }
  std::filesystem::permissions(
      dir_ / "service.token",
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  {
    // The intake replicas share one query-code key.
    std::ofstream key(dir_ / "query-code.key", std::ios::binary);
    key << std::string(32, '\x5a');
  }
  std::filesystem::permissions(
      dir_ / "query-code.key",
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::string a_address, b_address;
  auto edge_a = StartEdge(core_address, "edge-a", &a_address);
  auto edge_b = StartEdge(core_address, "edge-b", &b_address);
  ASSERT_NE(edge_a, nullptr);
  ASSERT_NE(edge_b, nullptr);
  FeedbackClient a(a_address), b(b_address);

  // A petition submitted at a terminal through edge A; the terminal's
  // retry reaches edge B and gets the identical receipt (same number, same
  // query code: the replicas share the key).
  jianyan::v1::SubmitCaseResponse first, retried;
  const jianyan::v1::SubmitCaseRequest petition =
      PetitionRequest("split-submit-1");
  EXPECT_EQ(PollUntil(StatusCode::OK,
                      [&] {
                        return Submit(a_address, core.token("terminal"),
                                      petition, &first)
                            .error_code();
                      }),
            StatusCode::OK);
  ASSERT_TRUE(
      Submit(b_address, core.token("terminal"), petition, &retried).ok());
  EXPECT_EQ(retried.receipt().case_number(), first.receipt().case_number());
  EXPECT_EQ(retried.receipt().query_code(), first.receipt().query_code());
  EXPECT_EQ(retried.receipt().SerializeAsString(),
            first.receipt().SerializeAsString());
  // Handled over WorkflowService, then status and rating by number and
  // code through edge B.
  const std::string submitted = first.receipt().case_number();
  const std::string code = first.receipt().query_code();
  core.Answer(submitted);
  jianyan::v1::SubmitRatingResponse rated_submitted;
  grpc::Status rated_status =
      b.Rate("rate-split-submitted", submitted,
             jianyan::v1::RATING_LEVEL_SATISFIED, &rated_submitted, code);
  ASSERT_TRUE(rated_status.ok()) << rated_status.error_message();
  EXPECT_FALSE(rated_submitted.status().rateable());
  // A second petition through edge B gets its own number.
  jianyan::v1::SubmitCaseResponse second;
  ASSERT_TRUE(Submit(b_address, core.token("terminal"),
                     PetitionRequest("split-submit-2"), &second)
                  .ok());
  EXPECT_NE(second.receipt().case_number(), submitted);

  // Status through both replicas, a rating through one.
  const std::string no = core.AnsweredPetition("create-split-1");
  EXPECT_EQ(
      PollUntil(StatusCode::OK, [&] { return a.Status(no).error_code(); }),
      StatusCode::OK);
  EXPECT_EQ(
      PollUntil(StatusCode::OK, [&] { return b.Status(no).error_code(); }),
      StatusCode::OK);
  jianyan::v1::SubmitRatingResponse rated;
  grpc::Status s =
      b.Rate("rate-split-1", no, jianyan::v1::RATING_LEVEL_SATISFIED, &rated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(PollUntil(StatusCode::OK, [&] { return HealthCode(a_address); }),
            StatusCode::OK);

  // One edge dies mid-run: the other keeps serving.
  edge_a->Signal(SIGKILL);
  ASSERT_TRUE(edge_a->Wait(absl::Seconds(30)).ok());
  jianyan::v1::PublicStatus status;
  ASSERT_TRUE(b.Status(no, &status).ok());
  EXPECT_EQ(status.rating().level(), jianyan::v1::RATING_LEVEL_SATISFIED);

  // The core stops: the edge answers UNAVAILABLE and is NOT_SERVING.
  StopServer(*core_process);
  EXPECT_EQ(PollUntil(StatusCode::UNAVAILABLE,
                      [&] { return b.Status(no).error_code(); }),
            StatusCode::UNAVAILABLE);
  EXPECT_EQ(
      PollUntil(StatusCode::UNAVAILABLE, [&] { return HealthCode(b_address); }),
      StatusCode::UNAVAILABLE);

  // The core returns on the same address: the edge recovers by itself.
  core_process = StartServer(
      {"--services=workflow,supervision,admin", "--listen=" + core_address},
      &core_address);
  ASSERT_NE(core_process, nullptr);
  EXPECT_EQ(
      PollUntil(StatusCode::OK, [&] { return b.Status(no).error_code(); }),
      StatusCode::OK);
  EXPECT_EQ(PollUntil(StatusCode::OK, [&] { return HealthCode(b_address); }),
            StatusCode::OK);
  StopServer(*edge_b);
  StopServer(*core_process);
}

TEST_F(EdgeDeploymentTest, SplitEdgeRefusesAMissingOrEmptyTokenFile) {
  std::string err;
  EXPECT_NE(RunToExit({"--services=feedback", "--core_address=127.0.0.1:1",
                       "--listen=127.0.0.1:0",
                       "--service_token_file=" + (dir_ / "none").string()},
                      &err),
            0);
  EXPECT_NE(err.find("service_token_file"), std::string::npos) << err;
  { std::ofstream empty(dir_ / "empty.token"); }
  EXPECT_NE(
      RunToExit({"--services=feedback", "--core_address=127.0.0.1:1",
                 "--listen=127.0.0.1:0",
                 "--service_token_file=" + (dir_ / "empty.token").string()},
                &err),
      0);
  EXPECT_NE(err.find("service_token_file"), std::string::npos) << err;
  EXPECT_NE(RunToExit({"--services=feedback", "--listen=127.0.0.1:0"}, &err),
            0);
  EXPECT_NE(err.find("core_address"), std::string::npos) << err;
}

}  // namespace
}  // namespace jianyan::testing
