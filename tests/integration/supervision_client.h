// SupervisionClient: what the supervision process tests do to a running
// jianyand over gRPC — a small directory (city bureau ⊃ housing bureau), one
// principal per role, forwarded petitions, 催办, the testing clock, notice
// streams and histories.
#ifndef JIANYAN_TESTS_INTEGRATION_SUPERVISION_CLIENT_H_
#define JIANYAN_TESTS_INTEGRATION_SUPERVISION_CLIENT_H_

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "jianyan/v1/admin.grpc.pb.h"
#include "jianyan/v1/supervision.grpc.pb.h"
#include "jianyan/v1/testing.grpc.pb.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "tests/services/core_calls.h"

namespace jianyan::testing {

inline constexpr char kCity[] = "taian-xfj";
inline constexpr char kBureau[] = "taishan-zjj";

class SupervisionClient {
 public:
  void Connect(const std::string& address) {
    auto channel =
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    admin_ = jianyan::v1::AdminService::NewStub(channel);
    workflow_ = jianyan::v1::WorkflowService::NewStub(channel);
    supervision_ = jianyan::v1::SupervisionService::NewStub(channel);
    testing_ = jianyan::v1::TestingService::NewStub(channel);
  }

  static std::unique_ptr<grpc::ClientContext> As(const std::string& token) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", "Bearer " + token);
    ctx->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(120));
    return ctx;
  }

  // Organisations and principals; `admin` is the first admin token.
  void Setup(const std::string& admin) {
    admin_token_ = admin;
    for (auto [id, parent] :
         {std::pair<const char*, const char*>{kCity, ""}, {kBureau, kCity}}) {
      jianyan::v1::PutOrganisationRequest req;
      req.set_request_id(absl::StrCat("org-", id));
      req.mutable_organisation()->set_id(id);
      req.mutable_organisation()->set_parent_id(parent);
      req.mutable_organisation()->mutable_name()->set_zh("机关");
      jianyan::v1::Organisation out;
      grpc::Status s = admin_->PutOrganisation(As(admin).get(), req, &out);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
    service_ = Principal("edge", jianyan::v1::ROLE_SERVICE, "");
    registrar_ = Principal("registrar", jianyan::v1::ROLE_HANDLER, kCity);
    handler_ = Principal("handler", jianyan::v1::ROLE_HANDLER, kBureau);
    supervisor_ = Principal("supervisor", jianyan::v1::ROLE_SUPERVISOR, kCity);
  }

  // A letter petition registered by the city bureau and forwarded to the
  // housing bureau: its 15-day acceptance limit runs.
  std::string Forwarded(const std::string& id) {
    jianyan::v1::CreateCaseRequest create;
    create.set_request_id(absl::StrCat("create-", id));
    auto* c = create.mutable_case_();
    c->set_kind(jianyan::v1::CASE_KIND_PETITION);
    c->set_petition_type(jianyan::v1::PETITION_TYPE_CLAIM);
    c->set_channel(jianyan::v1::CHANNEL_LETTER);
    c->set_routing_organisation_id(kCity);
    c->set_title("供暖不达标");
    c->set_content("室温长期偏低。");
    c->mutable_submitter()->add_representatives()->set_name("赵六");
    jianyan::v1::CreateCaseResponse created;
    grpc::Status s =
        workflow_->CreateCase(As(service_).get(), create, &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    const std::string no = created.case_().case_number();
    EXPECT_TRUE(Act(registrar_, no, "forward", {{"organisation_id", kBureau}},
                    absl::StrCat("forward-", id))
                    .ok());
    return no;
  }

  grpc::Status Act(const std::string& token, const std::string& no,
                   const std::string& action,
                   std::map<std::string, std::string> fields,
                   const std::string& request_id) {
    return ActOnCurrentVersion(
        *workflow_, [&] { return As(token); }, request_id, no, action, fields,
        nullptr);
  }
  grpc::Status Urge(const std::string& no) {
    return Act(supervisor_, no, "urge", {}, absl::StrCat("urge-", no));
  }

  // AdvanceClock by `by`; `now`, when given, receives the server's time
  // after it.
  grpc::Status Advance(absl::Duration by, absl::Time* now = nullptr) {
    jianyan::v1::AdvanceClockRequest req;
    req.mutable_by()->set_seconds(absl::ToInt64Seconds(by));
    jianyan::v1::AdvanceClockResponse resp;
    grpc::Status s = testing_->AdvanceClock(As(admin_token_).get(), req, &resp);
    if (s.ok() && now != nullptr) {
      *now = absl::FromUnixSeconds(resp.now().seconds()) +
             absl::Nanoseconds(resp.now().nanos());
    }
    return s;
  }

  // Event actions of the case, oldest first.
  std::vector<std::string> History(const std::string& no) {
    jianyan::v1::GetHistoryRequest req;
    req.set_case_number(no);
    jianyan::v1::GetHistoryResponse resp;
    grpc::Status s = workflow_->GetHistory(As(supervisor_).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> out;
    for (const auto& e : resp.events()) out.push_back(e.action());
    return out;
  }

  jianyan::v1::VerifyResponse Verify() {
    jianyan::v1::VerifyRequest req;
    jianyan::v1::VerifyResponse resp;
    grpc::Status s = admin_->Verify(As(admin_token_).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  jianyan::v1::SupervisionService::Stub& supervision() { return *supervision_; }
  const std::string& supervisor() const { return supervisor_; }

  // Tokens survive restarts: a reconnecting test keeps them.
 private:
  std::string Principal(const std::string& id, jianyan::v1::Role role,
                        const std::string& org) {
    return NewPrincipalToken(*admin_, As(admin_token_), id, role, org);
  }

  std::string admin_token_, service_, registrar_, handler_, supervisor_;
  std::unique_ptr<jianyan::v1::AdminService::Stub> admin_;
  std::unique_ptr<jianyan::v1::WorkflowService::Stub> workflow_;
  std::unique_ptr<jianyan::v1::SupervisionService::Stub> supervision_;
  std::unique_ptr<jianyan::v1::TestingService::Stub> testing_;
};

}  // namespace jianyan::testing

#endif  // JIANYAN_TESTS_INTEGRATION_SUPERVISION_CLIENT_H_
