// The core over gRPC against a real jianyand: what an administrator and a
// handler did (directory, principals, cases) and the first admin token
// survive SIGTERM and SIGKILL of the process.
#include <signal.h>

#include "absl/strings/ascii.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "jianyan/v1/admin.grpc.pb.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "tests/integration/jianyand_fixture.h"

namespace jianyan::testing {
namespace {

class CoreRestartTest : public JianyandFixture {
 protected:
  // A context as the holder of `token`.
  static std::unique_ptr<grpc::ClientContext> As(const std::string& token) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", "Bearer " + token);
    return ctx;
  }
  void Connect(const std::string& address) {
    auto channel =
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    admin_ = jianyan::v1::AdminService::NewStub(channel);
    workflow_ = jianyan::v1::WorkflowService::NewStub(channel);
  }
  std::string CreatePrincipal(const std::string& admin, const std::string& id,
                              jianyan::v1::Role role, const std::string& org) {
    jianyan::v1::CreatePrincipalRequest req;
    req.mutable_principal()->set_id(id);
    req.mutable_principal()->set_role(role);
    req.mutable_principal()->set_organisation_id(org);
    jianyan::v1::CreatePrincipalResponse resp;
    grpc::Status s = admin_->CreatePrincipal(As(admin).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.token();
  }
  // The case as `token` sees it; its state, or the error code's name.
  std::string StateOf(const std::string& token, const std::string& no) {
    jianyan::v1::GetCaseRequest req;
    req.set_case_number(no);
    jianyan::v1::Case c;
    grpc::Status s = workflow_->GetCase(As(token).get(), req, &c);
    return s.ok() ? c.state() : "error " + std::to_string(s.error_code());
  }

  std::unique_ptr<jianyan::v1::AdminService::Stub> admin_;
  std::unique_ptr<jianyan::v1::WorkflowService::Stub> workflow_;
};

TEST_F(CoreRestartTest, StateAndPrincipalsSurviveSigtermAndSigkill) {
  std::string address;
  auto server = StartServer({}, &address);
  ASSERT_NE(server, nullptr);
  Connect(address);
  // The file ends with a newline, for `$(cat data/admin.token)`.
  const std::string admin(
      absl::StripAsciiWhitespace(ReadFile(dir_ / "data" / "admin.token")));
  ASSERT_EQ(admin.substr(0, 3), "jy_");

  jianyan::v1::PutOrganisationRequest org;
  org.mutable_organisation()->set_id("taian-xfj");
  org.mutable_organisation()->mutable_name()->set_zh("泰安市信访局");
  jianyan::v1::Organisation stored_org;
  ASSERT_TRUE(admin_->PutOrganisation(As(admin).get(), org, &stored_org).ok());
  const std::string service =
      CreatePrincipal(admin, "intake-edge", jianyan::v1::ROLE_SERVICE, "");
  const std::string registrar = CreatePrincipal(
      admin, "registrar-1", jianyan::v1::ROLE_HANDLER, "taian-xfj");
  jianyan::v1::CreateCaseRequest create;
  create.set_request_id("restart-create-1");
  auto* c = create.mutable_case_();
  c->set_kind(jianyan::v1::CASE_KIND_PETITION);
  c->set_petition_type(jianyan::v1::PETITION_TYPE_CLAIM);
  c->set_channel(jianyan::v1::CHANNEL_LETTER);
  c->set_routing_organisation_id("taian-xfj");
  c->set_title("道路积水");
  c->set_content("雨后道路长期积水，影响出行。");
  c->mutable_submitter()->add_representatives()->set_name("赵六");
  jianyan::v1::CreateCaseResponse created;
  grpc::Status s = workflow_->CreateCase(As(service).get(), create, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const std::string no = created.case_().case_number();
  EXPECT_EQ(StateOf(registrar, no), "registered");

  // SIGKILL: the acknowledged create and principals are on disk.
  server->Signal(SIGKILL);
  ASSERT_TRUE(server->Wait(absl::Seconds(30)).ok());
  server = StartServer({}, &address);
  ASSERT_NE(server, nullptr);
  Connect(address);
  EXPECT_EQ(absl::StripAsciiWhitespace(ReadFile(dir_ / "data" / "admin.token")),
            admin);
  EXPECT_EQ(StateOf(registrar, no), "registered");
  EXPECT_EQ(StateOf(service, no), "registered");
  // A retried create is answered from its record after the restart.
  jianyan::v1::CreateCaseResponse again;
  ASSERT_TRUE(workflow_->CreateCase(As(service).get(), create, &again).ok());
  EXPECT_EQ(again.case_().case_number(), no);

  // SIGTERM drains and closes; the admin token still administers.
  StopServer(*server);
  server = StartServer({}, &address);
  ASSERT_NE(server, nullptr);
  Connect(address);
  EXPECT_EQ(StateOf(registrar, no), "registered");
  jianyan::v1::ListRequest list;
  jianyan::v1::ListPrincipalsResponse principals;
  ASSERT_TRUE(admin_->ListPrincipals(As(admin).get(), list, &principals).ok());
  EXPECT_EQ(principals.principals_size(), 3);  // admin, edge, registrar
  StopServer(*server);
}

}  // namespace
}  // namespace jianyan::testing
