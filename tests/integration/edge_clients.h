// Clients of a running jianyand's public services for the edge tests: the
// core (a small directory — city petition bureau ⊃ housing bureau, one
// reporting point, one principal per role — and workflow actions), the
// feedback edge (status and rating by case number and query code) and the
// intake edge (SubmitCase as a terminal or suggester). Every wait is a
// bounded poll on RPC results.
#ifndef JIANYAN_TESTS_INTEGRATION_EDGE_CLIENTS_H_
#define JIANYAN_TESTS_INTEGRATION_EDGE_CLIENTS_H_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "jianyan/v1/admin.grpc.pb.h"
#include "jianyan/v1/feedback.grpc.pb.h"
#include "jianyan/v1/intake.grpc.pb.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "tests/services/core_calls.h"
#include "workflow/query_code.h"

namespace jianyan::testing {

inline constexpr char kCode[] = "2468-1357";
inline constexpr char kCity[] = "taian-xfj";
inline constexpr char kHousing[] = "taishan-zjj";
inline constexpr char kPoint[] = "rp-taishan-1";
// The invited suggester and the open campaign of SuggestionRequest
// (tests/services/intake_requests.h).
inline constexpr char kSuggester[] = "sg-1";
inline constexpr char kCampaign[] = "cz-open";
inline constexpr char kTheme[] = "tourism";

// A context as the holder of `token` (none when empty), 10 s deadline.
inline std::unique_ptr<grpc::ClientContext> As(const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::seconds(10));
  return ctx;
}

// Calls `call` until it returns `want` or 60 s of wall time pass (each call
// is bounded by its own deadline); returns the last code seen.
inline grpc::StatusCode PollUntil(
    grpc::StatusCode want, const std::function<grpc::StatusCode()>& call) {
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  grpc::StatusCode last = call();
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

  // The directory and principals of the path; tokens by name: "service",
  // "terminal" (at kPoint, a point of kCity), "registrar" (a handler of
  // kCity), "handler" (of kHousing).
  void Seed(const std::string& admin) {
    for (auto [id, parent, zh] :
         {std::make_tuple(kCity, "", "泰安市信访局"),
          std::make_tuple(kHousing, kCity, "泰山区住房和城乡建设局")}) {
      SeedOrganisation(*admin_, As(admin), id, parent, zh,
                       jianyan::v1::ORGANISATION_LEVEL_CITY);
    }
    SeedReportingPoint(*admin_, As(admin), kPoint, kCity);
    tokens_["service"] = NewPrincipalToken(*admin_, As(admin), "edge-service",
                                           jianyan::v1::ROLE_SERVICE);
    tokens_["terminal"] =
        NewPrincipalToken(*admin_, As(admin), "terminal-1",
                          jianyan::v1::ROLE_TERMINAL, "", kPoint);
    tokens_["registrar"] = NewPrincipalToken(*admin_, As(admin), "registrar-1",
                                             jianyan::v1::ROLE_HANDLER, kCity);
    tokens_["handler"] = NewPrincipalToken(*admin_, As(admin), "handler-1",
                                           jianyan::v1::ROLE_HANDLER, kHousing);
  }

  // After Seed: the invited suggester kSuggester with a principal (token
  // "suggester") and kCampaign of kCity, open from a day ago for 30 days
  // of wall time, with theme kTheme.
  void SeedCampaign(const std::string& admin) {
    jianyan::v1::PutSuggesterRequest suggester;
    suggester.set_request_id(absl::StrCat("suggester-", kSuggester));
    suggester.mutable_suggester()->set_id(kSuggester);
    suggester.mutable_suggester()->set_name("王建言");
    suggester.mutable_suggester()->set_active(true);
    jianyan::v1::Suggester suggester_out;
    grpc::Status s =
        admin_->PutSuggester(As(admin).get(), suggester, &suggester_out);
    ASSERT_TRUE(s.ok()) << s.error_message();
    tokens_["suggester"] =
        NewPrincipalToken(*admin_, As(admin), "suggester-1",
                          jianyan::v1::ROLE_SUGGESTER, "", "", kSuggester);
    jianyan::v1::PutCampaignRequest campaign;
    campaign.set_request_id(absl::StrCat("campaign-", kCampaign));
    auto* c = campaign.mutable_campaign();
    c->set_id(kCampaign);
    c->mutable_title()->set_zh("泰山旅游专题征集");
    c->set_organisation_id(kCity);
    const absl::Time now = absl::Now();
    c->mutable_open_time()->set_seconds(
        absl::ToUnixSeconds(now - absl::Hours(24)));
    c->mutable_close_time()->set_seconds(
        absl::ToUnixSeconds(now + absl::Hours(24 * 30)));
    auto* theme = c->add_themes();
    theme->set_id(kTheme);
    theme->mutable_title()->set_zh("文旅");
    jianyan::v1::Campaign campaign_out;
    s = admin_->PutCampaign(As(admin).get(), campaign, &campaign_out);
    ASSERT_TRUE(s.ok()) << s.error_message();
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
    Answer(no);
    return no;
  }

  // Takes the registered petition `no` to "answered": the registrar
  // assigns it to kHousing, whose handler accepts, responds and delivers.
  void Answer(const std::string& no) {
    Act("registrar", no, "assign",
        {{"organisation_id", kHousing}, {"deadline_days", "60"}});
    Act("handler", no, "accept", {});
    Act("handler", no, "respond", {{"opinion", "support"}});
    EXPECT_EQ(Act("handler", no, "deliver", {{"delivery", "written"}}),
              "answered");
  }

  // `action` on the current version of `no` as `who`; the case's state
  // after it ("" when the action failed, which the test records).
  std::string Act(const std::string& who, const std::string& no,
                  const std::string& action,
                  const std::map<std::string, std::string>& fields) {
    jianyan::v1::ActResponse resp;
    grpc::Status s = ActOnCurrentVersion(
        *workflow_, [&] { return As(token(who)); },
        absl::StrCat("act-", ++seq_, "-", action), no, action, fields, &resp);
    EXPECT_TRUE(s.ok()) << action << ": " << s.error_message();
    return s.ok() ? resp.case_().state() : "";
  }

  // The case `no` as `who` sees it (empty when the read failed, which the
  // test records).
  jianyan::v1::Case Get(const std::string& who, const std::string& no) {
    jianyan::v1::GetCaseRequest get;
    get.set_case_number(no);
    jianyan::v1::Case out;
    grpc::Status s = workflow_->GetCase(As(token(who)).get(), get, &out);
    EXPECT_TRUE(s.ok()) << who << " reads " << no << ": " << s.error_message();
    return out;
  }

 private:
  std::unique_ptr<jianyan::v1::AdminService::Stub> admin_;
  std::unique_ptr<jianyan::v1::WorkflowService::Stub> workflow_;
  std::map<std::string, std::string> tokens_;
  int seq_ = 0;
};

// A client of one edge's FeedbackService (no bearer token: the case number
// and query code are the credentials).
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

// SubmitCase at one edge's IntakeService as `token`'s terminal or
// suggester.
inline grpc::Status Submit(const std::string& address, const std::string& token,
                           const jianyan::v1::SubmitCaseRequest& req,
                           jianyan::v1::SubmitCaseResponse* out) {
  auto stub = jianyan::v1::IntakeService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  return stub->SubmitCase(As(token).get(), req, out);
}

}  // namespace jianyan::testing

#endif  // JIANYAN_TESTS_INTEGRATION_EDGE_CLIENTS_H_
