// The edges in both deployment modes, with real jianyand processes on
// 127.0.0.1 port 0: all-in-one (the feedback edge reaches the core in
// process) and split (one core process, two edge processes with a service
// token file). Every wait is a bounded poll on RPC results.
#include <signal.h>

#include <functional>
#include <map>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "jianyan/v1/admin.grpc.pb.h"
#include "jianyan/v1/feedback.grpc.pb.h"
#include "jianyan/v1/intake.grpc.pb.h"
#include "jianyan/v1/internal.grpc.pb.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "tests/integration/jianyand_fixture.h"
#include "tests/services/intake_requests.h"
#include "workflow/query_code.h"

namespace jianyan::testing {
namespace {

using grpc::StatusCode;

constexpr char kCode[] = "2468-1357";
constexpr char kCity[] = "taian-xfj";
constexpr char kHousing[] = "taishan-zjj";
constexpr char kPoint[] = "rp-taishan-1";

std::unique_ptr<grpc::ClientContext> As(const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::seconds(10));
  return ctx;
}

// Calls `call` until it returns `want` or 60 s of wall time pass (each call
// is bounded by its own deadline); returns the last code seen.
StatusCode PollUntil(StatusCode want, const std::function<StatusCode()>& call) {
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  StatusCode last = call();
  while (last != want && absl::Now() < give_up) last = call();
  return last;
}

// A client of one jianyand's core services (workflow, admin).
class CoreClient {
 public:
  explicit CoreClient(const std::string& address) {
    auto channel =
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    admin_ = jianyan::v1::AdminService::NewStub(channel);
    workflow_ = jianyan::v1::WorkflowService::NewStub(channel);
  }

  // The directory and principals of the path; tokens by name.
  void Seed(const std::string& admin) {
    auto org = [&](const char* id, const char* parent, const char* zh) {
      jianyan::v1::PutOrganisationRequest req;
      req.set_request_id(absl::StrCat("org-", id));
      auto* o = req.mutable_organisation();
      o->set_id(id);
      o->set_parent_id(parent);
      o->mutable_name()->set_zh(zh);
      o->set_level(jianyan::v1::ORGANISATION_LEVEL_CITY);
      o->set_region_code("370902");
      o->set_active(true);
      jianyan::v1::Organisation out;
      grpc::Status s = admin_->PutOrganisation(As(admin).get(), req, &out);
      ASSERT_TRUE(s.ok()) << s.error_message();
    };
    org(kCity, "", "泰安市信访局");
    org(kHousing, kCity, "泰山区住房和城乡建设局");
    jianyan::v1::PutReportingPointRequest point;
    point.set_request_id("point-rp-taishan-1");
    point.mutable_reporting_point()->set_id(kPoint);
    point.mutable_reporting_point()->mutable_name()->set_zh("直报点");
    point.mutable_reporting_point()->set_organisation_id(kCity);
    point.mutable_reporting_point()->set_active(true);
    jianyan::v1::ReportingPoint point_out;
    grpc::Status put =
        admin_->PutReportingPoint(As(admin).get(), point, &point_out);
    ASSERT_TRUE(put.ok()) << put.error_message();
    tokens_["service"] =
        Principal(admin, "edge-service", jianyan::v1::ROLE_SERVICE, "", "");
    tokens_["terminal"] =
        Principal(admin, "terminal-1", jianyan::v1::ROLE_TERMINAL, "", kPoint);
    tokens_["registrar"] =
        Principal(admin, "registrar-1", jianyan::v1::ROLE_HANDLER, kCity, "");
    tokens_["handler"] =
        Principal(admin, "handler-1", jianyan::v1::ROLE_HANDLER, kHousing, "");
  }
  const std::string& token(const std::string& who) { return tokens_[who]; }

  // A petition with query code kCode, created by the service for the
  // terminal and taken to "answered" (rateable) by the handlers.
  std::string AnsweredPetition(const std::string& request_id) {
    absl::BitGen gen;
    jianyan::v1::CreateCaseRequest req;
    req.set_request_id(request_id);
    auto* c = req.mutable_case_();
    c->set_kind(jianyan::v1::CASE_KIND_PETITION);
    c->set_petition_type(jianyan::v1::PETITION_TYPE_CLAIM);
    c->set_channel(jianyan::v1::CHANNEL_TERMINAL);
    c->set_reporting_point_id(kPoint);
    c->set_region_code("370902");
    c->set_title("小区供暖不达标");
    c->set_content("冬季室温长期低于16度。");
    c->set_category("城乡建设");
    auto* person = c->mutable_submitter()->add_representatives();
    person->set_name("张三丰");
    person->set_phone("13812341234");
    req.mutable_on_behalf_of()->set_principal_id("terminal-1");
    req.mutable_on_behalf_of()->set_role(jianyan::v1::ROLE_TERMINAL);
    req.mutable_on_behalf_of()->set_reporting_point_id(kPoint);
    req.set_query_code_hash(*HashQueryCode(kCode, gen));
    jianyan::v1::CreateCaseResponse resp;
    grpc::Status s =
        workflow_->CreateCase(As(token("service")).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    const std::string no = resp.case_().case_number();
    Act("registrar", no, "assign",
        {{"organisation_id", kHousing}, {"deadline_days", "60"}});
    Act("handler", no, "accept", {});
    Act("handler", no, "respond", {{"opinion", "support"}});
    Act("handler", no, "deliver", {{"delivery", "written"}});
    return no;
  }

  void Act(const std::string& who, const std::string& no,
           const std::string& action,
           std::map<std::string, std::string> fields) {
    jianyan::v1::GetCaseRequest get;
    get.set_case_number(no);
    jianyan::v1::Case current;
    ASSERT_TRUE(workflow_->GetCase(As(token(who)).get(), get, &current).ok());
    jianyan::v1::ActRequest req;
    req.set_request_id(absl::StrCat("act-", ++seq_, "-", action));
    req.set_case_number(no);
    req.set_expected_version(current.version());
    req.set_action(action);
    for (auto& [k, v] : fields) (*req.mutable_fields())[k] = v;
    jianyan::v1::ActResponse resp;
    grpc::Status s = workflow_->Act(As(token(who)).get(), req, &resp);
    ASSERT_TRUE(s.ok()) << action << ": " << s.error_message();
  }

 private:
  std::string Principal(const std::string& admin, const std::string& id,
                        jianyan::v1::Role role, const std::string& org,
                        const std::string& point) {
    jianyan::v1::CreatePrincipalRequest req;
    req.set_request_id(absl::StrCat("principal-", id));
    req.mutable_principal()->set_id(id);
    req.mutable_principal()->set_role(role);
    req.mutable_principal()->set_organisation_id(org);
    req.mutable_principal()->set_reporting_point_id(point);
    jianyan::v1::CreatePrincipalResponse resp;
    grpc::Status s = admin_->CreatePrincipal(As(admin).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << id << ": " << s.error_message();
    return resp.token();
  }

  std::unique_ptr<jianyan::v1::AdminService::Stub> admin_;
  std::unique_ptr<jianyan::v1::WorkflowService::Stub> workflow_;
  std::map<std::string, std::string> tokens_;
  int seq_ = 0;
};

// A client of one edge's FeedbackService.
class FeedbackClient {
 public:
  explicit FeedbackClient(const std::string& address)
      : address_(address),
        stub_(jianyan::v1::FeedbackService::NewStub(grpc::CreateChannel(
            address, grpc::InsecureChannelCredentials()))) {}

  grpc::Status Status(const std::string& no,
                      jianyan::v1::PublicStatus* out = nullptr,
                      const std::string& code = kCode) {
    jianyan::v1::GetPublicStatusRequest req;
    req.set_case_number(no);
    req.set_query_code(code);
    jianyan::v1::PublicStatus resp;
    grpc::Status s = stub_->GetPublicStatus(As("").get(), req, &resp);
    if (out != nullptr) *out = resp;
    return s;
  }
  grpc::Status Rate(const std::string& request_id, const std::string& no,
                    jianyan::v1::RatingLevel level,
                    jianyan::v1::SubmitRatingResponse* out,
                    const std::string& code = kCode) {
    jianyan::v1::SubmitRatingRequest req;
    req.set_request_id(request_id);
    req.set_case_number(no);
    req.set_query_code(code);
    req.set_level(level);
    return stub_->SubmitRating(As("").get(), req, out);
  }
  const std::string& address() const { return address_; }

 private:
  std::string address_;
  std::unique_ptr<jianyan::v1::FeedbackService::Stub> stub_;
};

// SubmitCase at one edge's IntakeService as `token`'s terminal.
grpc::Status Submit(const std::string& address, const std::string& token,
                    const jianyan::v1::SubmitCaseRequest& req,
                    jianyan::v1::SubmitCaseResponse* out) {
  auto stub = jianyan::v1::IntakeService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  return stub->SubmitCase(As(token).get(), req, out);
}

class EdgeDeploymentTest : public JianyandFixture {
 protected:
  std::string AdminToken() {
    return std::string(
        absl::StripAsciiWhitespace(ReadFile(dir_ / "data" / "admin.token")));
  }
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
  core.Act("registrar", submitted, "assign",
           {{"organisation_id", kHousing}, {"deadline_days", "60"}});
  core.Act("handler", submitted, "accept", {});
  core.Act("handler", submitted, "respond", {{"opinion", "support"}});
  core.Act("handler", submitted, "deliver", {{"delivery", "written"}});
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
