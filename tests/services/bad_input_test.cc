// Bad input to WorkflowService and AdminService: each request gets its
// precise code and a message naming the field, and nothing is written (the
// store verifies clean and the case's version is unchanged).
#include <functional>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/services/core_server.h"

namespace jianyan::testing {
namespace {

using jianyan::v1::ActRequest;
using jianyan::v1::CreateCaseRequest;

struct BadInput {
  std::string name;
  std::string who;
  grpc::StatusCode code;
  std::string fragment;  // expected in the message
  std::function<grpc::Status(CoreServer&, grpc::ClientContext*,
                             const jianyan::v1::Case&)>
      call;
};

CreateCaseRequest GoodCreate() {
  CreateCaseRequest r;
  r.set_request_id("bad-input-create");
  auto* c = r.mutable_case_();
  c->set_kind(jianyan::v1::CASE_KIND_PETITION);
  c->set_petition_type(jianyan::v1::PETITION_TYPE_CLAIM);
  c->set_channel(jianyan::v1::CHANNEL_TERMINAL);
  c->set_reporting_point_id(kPoint);
  c->set_title("标题");
  c->set_content("内容");
  c->mutable_submitter()->add_representatives()->set_name("李四");
  r.mutable_on_behalf_of()->set_principal_id("terminal-1");
  r.mutable_on_behalf_of()->set_role(jianyan::v1::ROLE_TERMINAL);
  r.mutable_on_behalf_of()->set_reporting_point_id(kPoint);
  return r;
}

BadInput Create(std::string name, grpc::StatusCode code, std::string fragment,
                std::function<void(CreateCaseRequest&)> spoil) {
  return {std::move(name), "service", code, std::move(fragment),
          [spoil](CoreServer& s, grpc::ClientContext* ctx,
                  const jianyan::v1::Case&) {
            CreateCaseRequest r = GoodCreate();
            spoil(r);
            jianyan::v1::CreateCaseResponse out;
            return s.workflow().CreateCase(ctx, r, &out);
          }};
}

BadInput Act(std::string name, grpc::StatusCode code, std::string fragment,
             std::function<void(ActRequest&)> spoil,
             std::string who = "registrar") {
  // Each row its own request id: one wrongful success cannot turn the
  // later rows into replays.
  const std::string id =
      absl::StrCat("bad-act-", std::hash<std::string>{}(name) % 1000000007);
  return {std::move(name), std::move(who), code, std::move(fragment),
          [spoil, id](CoreServer& s, grpc::ClientContext* ctx,
                      const jianyan::v1::Case& c) {
            ActRequest r;
            r.set_request_id(id);
            r.set_case_number(c.case_number());
            r.set_expected_version(c.version());
            r.set_action("assign");
            (*r.mutable_fields())["organisation_id"] = kHousing;
            (*r.mutable_fields())["deadline_days"] = "60";
            spoil(r);
            jianyan::v1::ActResponse out;
            return s.workflow().Act(ctx, r, &out);
          }};
}

template <typename Request, typename Response>
BadInput Admin(std::string name, grpc::StatusCode code, std::string fragment,
               grpc::Status (jianyan::v1::AdminService::Stub::*method)(
                   grpc::ClientContext*, const Request&, Response*),
               std::function<void(Request&)> fill) {
  return {std::move(name), "admin", code, std::move(fragment),
          [method, fill](CoreServer& s, grpc::ClientContext* ctx,
                         const jianyan::v1::Case&) {
            Request r;
            fill(r);
            Response out;
            return (s.admin().*method)(ctx, r, &out);
          }};
}

const auto kInvalid = grpc::StatusCode::INVALID_ARGUMENT;
using S = jianyan::v1::AdminService::Stub;

std::vector<BadInput> Table() {
  std::vector<BadInput> t = {
      // CreateCase
      Create("request id short", kInvalid, "request_id",
             [](auto& r) { r.set_request_id("short"); }),
      Create("request id charset", kInvalid, "request_id",
             [](auto& r) { r.set_request_id("has spaces in it"); }),
      Create("no case", kInvalid, "case: required",
             [](auto& r) { r.clear_case_(); }),
      Create("kind unspecified", kInvalid, "case.kind",
             [](auto& r) { r.mutable_case_()->clear_kind(); }),
      Create("kind unknown", kInvalid, "case.kind",
             [](auto& r) {
               r.mutable_case_()->set_kind(
                   static_cast<jianyan::v1::CaseKind>(9));
             }),
      Create("petition type missing", kInvalid, "case.petition_type",
             [](auto& r) { r.mutable_case_()->clear_petition_type(); }),
      Create("petition type unknown", kInvalid, "case.petition_type",
             [](auto& r) {
               r.mutable_case_()->set_petition_type(
                   static_cast<jianyan::v1::PetitionType>(77));
             }),
      Create("channel unknown", kInvalid, "case.channel",
             [](auto& r) {
               r.mutable_case_()->set_channel(
                   static_cast<jianyan::v1::Channel>(42));
             }),
      Create("title empty", kInvalid, "case.title",
             [](auto& r) { r.mutable_case_()->clear_title(); }),
      Create("title too long", kInvalid, "case.title",
             [](auto& r) {
               std::string t;
               for (int i = 0; i < 201; ++i) t += "字";
               r.mutable_case_()->set_title(t);
             }),
      Create("content empty", kInvalid, "case.content",
             [](auto& r) { r.mutable_case_()->clear_content(); }),
      Create(
          "region code too long", kInvalid, "case.region_code",
          [](auto& r) { r.mutable_case_()->set_region_code("3709020000000"); }),
      Create("content too long", kInvalid, "case.content",
             [](auto& r) {
               r.mutable_case_()->set_content(std::string(20001, 'a'));
             }),
      Create("six representatives", kInvalid, "case.submitter.representatives",
             [](auto& r) {
               for (int i = 0; i < 5; ++i) {
                 r.mutable_case_()
                     ->mutable_submitter()
                     ->add_representatives()
                     ->set_name("王五");
               }
             }),
      Create("petition without people", kInvalid,
             "case.submitter.representatives",
             [](auto& r) {
               r.mutable_case_()->mutable_submitter()->clear_representatives();
             }),
      Create("anonymous petition", kInvalid, "case.submitter.anonymous",
             [](auto& r) {
               r.mutable_case_()->mutable_submitter()->set_anonymous(true);
             }),
      Create("representative without name", kInvalid,
             "case.submitter.representatives[0].name",
             [](auto& r) {
               r.mutable_case_()
                   ->mutable_submitter()
                   ->mutable_representatives(0)
                   ->clear_name();
             }),
      Create("unknown reporting point", kInvalid, "unknown reporting point",
             [](auto& r) {
               r.clear_on_behalf_of();  // the edge registering itself
               r.mutable_case_()->set_reporting_point_id("rp-nowhere");
             }),
      Create("another terminal's point", kInvalid, "on_behalf_of",
             [](auto& r) {
               r.mutable_case_()->set_reporting_point_id(kOtherPoint);
             }),
      Create("bad reporting point id", kInvalid, "case.reporting_point_id",
             [](auto& r) {
               r.mutable_case_()->set_reporting_point_id("RP WITH SPACES");
             }),
      Create(
          "unknown campaign", kInvalid, "case.campaign_id",
          [](auto& r) { r.mutable_case_()->set_campaign_id("no-campaign"); }),
      Create("theme without campaign", kInvalid, "case.theme_id",
             [](auto& r) { r.mutable_case_()->set_theme_id("t1"); }),
      Create("too many attachments", kInvalid, "case.attachments",
             [](auto& r) {
               for (int i = 0; i < 21; ++i) {
                 r.mutable_case_()->add_attachments()->set_sha256(
                     std::string(64, 'a'));
               }
             }),
      Create("attachment hash", kInvalid, "case.attachments[0].sha256",
             [](auto& r) {
               r.mutable_case_()->add_attachments()->set_sha256("xyz");
             }),
      Create("on behalf of a handler", kInvalid, "on_behalf_of.role",
             [](auto& r) {
               r.mutable_on_behalf_of()->set_role(jianyan::v1::ROLE_HANDLER);
             }),
      Create("unknown definition", kInvalid, "definition_name",
             [](auto& r) { r.set_definition_name("nonesuch"); }),
      Create("on behalf of an unknown principal", kInvalid,
             "on_behalf_of.principal_id",
             [](auto& r) {
               r.mutable_on_behalf_of()->set_principal_id("nobody");
             }),
      Create("on behalf of another terminal", kInvalid, "on_behalf_of",
             [](auto& r) {
               r.mutable_on_behalf_of()->set_principal_id("terminal-2");
               r.mutable_on_behalf_of()->set_reporting_point_id(kPoint);
             }),
      Create("definition of another kind", kInvalid, "definition_name",
             [](auto& r) { r.set_definition_name("suggestion"); }),
      Create("query code hash oversize", kInvalid, "query_code_hash",
             [](auto& r) { r.set_query_code_hash(std::string(65, 'x')); }),
      // Act
      Act("act request id", kInvalid, "request_id",
          [](auto& r) { r.clear_request_id(); }),
      Act("case number empty", kInvalid, "case_number",
          [](auto& r) { r.clear_case_number(); }),
      Act("case number check character", kInvalid, "case_number",
          [](auto& r) {
            std::string no = r.case_number();
            no.back() = no.back() == '0' ? '1' : '0';
            r.set_case_number(no);
          }),
      Act("expected version missing", kInvalid, "expected_version",
          [](auto& r) { r.clear_expected_version(); }),
      Act("expected version stale", grpc::StatusCode::ABORTED,
          "expected_version", [](auto& r) { r.set_expected_version(99); }),
      Act("action empty", kInvalid, "action",
          [](auto& r) { r.clear_action(); }),
      Act("action unknown", kInvalid, "unknown action",
          [](auto& r) { r.set_action("teleport"); }),
      Act("action malformed", kInvalid, "action",
          [](auto& r) { r.set_action("Assign!"); }),
      Act("view unknown", kInvalid, "view: unknown value 7",
          [](auto& r) { r.set_view(static_cast<jianyan::v1::CaseView>(7)); }),
      Act("field not declared", kInvalid, "opinion",
          [](auto& r) { (*r.mutable_fields())["opinion"] = "support"; }),
      Act("required field missing", kInvalid, "organisation_id",
          [](auto& r) { r.mutable_fields()->clear(); }),
      Act("value not allowed", kInvalid, "reason_code",
          [](auto& r) {
            r.set_action("decline");
            r.mutable_fields()->clear();
            r.set_reason_code("maybe");
          }),
      Act("reason too long", kInvalid, "reason",
          [](auto& r) { r.set_reason(std::string(2001, 'x')); }),
      Act("shorthand conflicts", kInvalid, "reason",
          [](auto& r) {
            r.set_reason("a");
            (*r.mutable_fields())["reason"] = "b";
          }),
      Act("role may not", grpc::StatusCode::PERMISSION_DENIED, "may not",
          [](auto& r) { r.set_action("rate"); }),
      Act("state does not allow", grpc::StatusCode::FAILED_PRECONDITION,
          "not allowed in state",
          [](auto& r) {
            r.set_action("respond");
            r.mutable_fields()->clear();
            (*r.mutable_fields())["opinion"] = "support";
          }),
  };
  // Reads.
  t.push_back({"list page size", "supervisor", kInvalid, "page_size",
               [](CoreServer& s, grpc::ClientContext* ctx, const auto&) {
                 jianyan::v1::ListCasesRequest r;
                 r.set_page_size(501);
                 jianyan::v1::ListCasesResponse out;
                 return s.workflow().ListCases(ctx, r, &out);
               }});
  t.push_back({"list negative page size", "supervisor", kInvalid, "page_size",
               [](CoreServer& s, grpc::ClientContext* ctx, const auto&) {
                 jianyan::v1::ListCasesRequest r;
                 r.set_page_size(-1);
                 jianyan::v1::ListCasesResponse out;
                 return s.workflow().ListCases(ctx, r, &out);
               }});
  t.push_back({"list forged page token", "supervisor", kInvalid, "page_token",
               [](CoreServer& s, grpc::ClientContext* ctx, const auto&) {
                 jianyan::v1::ListCasesRequest r;
                 r.set_page_token("forged!token");
                 jianyan::v1::ListCasesResponse out;
                 return s.workflow().ListCases(ctx, r, &out);
               }});
  t.push_back({"list unknown order", "supervisor", kInvalid, "order",
               [](CoreServer& s, grpc::ClientContext* ctx, const auto&) {
                 jianyan::v1::ListCasesRequest r;
                 r.set_order(static_cast<jianyan::v1::CaseOrder>(7));
                 jianyan::v1::ListCasesResponse out;
                 return s.workflow().ListCases(ctx, r, &out);
               }});
  t.push_back({"list reversed time range", "supervisor", kInvalid,
               "created_before",
               [](CoreServer& s, grpc::ClientContext* ctx, const auto&) {
                 jianyan::v1::ListCasesRequest r;
                 r.mutable_created_after()->set_seconds(2000000000);
                 r.mutable_created_before()->set_seconds(1000000000);
                 jianyan::v1::ListCasesResponse out;
                 return s.workflow().ListCases(ctx, r, &out);
               }});
  t.push_back({"history page size", "supervisor", kInvalid, "page_size",
               [](CoreServer& s, grpc::ClientContext* ctx, const auto& c) {
                 jianyan::v1::GetHistoryRequest r;
                 r.set_case_number(c.case_number());
                 r.set_page_size(1001);
                 jianyan::v1::GetHistoryResponse out;
                 return s.workflow().GetHistory(ctx, r, &out);
               }});
  t.push_back({"get case not a number", "supervisor", kInvalid, "case_number",
               [](CoreServer& s, grpc::ClientContext* ctx, const auto&) {
                 jianyan::v1::GetCaseRequest r;
                 r.set_case_number("not-a-case");
                 jianyan::v1::Case out;
                 return s.workflow().GetCase(ctx, r, &out);
               }});
  // AdminService.
  t.push_back(
      Admin<jianyan::v1::PutOrganisationRequest, jianyan::v1::Organisation>(
          "organisation id", kInvalid, "organisation.id", &S::PutOrganisation,
          [](auto& r) { r.mutable_organisation()->set_id("Bad Id"); }));
  t.push_back(
      Admin<jianyan::v1::PutOrganisationRequest, jianyan::v1::Organisation>(
          "organisation parent", kInvalid, "organisation.parent_id",
          &S::PutOrganisation, [](auto& r) {
            r.mutable_organisation()->set_id("new-org");
            r.mutable_organisation()->mutable_name()->set_zh("新单位");
            r.mutable_organisation()->set_parent_id("missing-parent");
          }));
  t.push_back(
      Admin<jianyan::v1::PutOrganisationRequest, jianyan::v1::Organisation>(
          "organisation cycle", kInvalid, "organisation.parent_id",
          &S::PutOrganisation, [](auto& r) {
            r.mutable_organisation()->set_id(kCityBureau);
            r.mutable_organisation()->mutable_name()->set_zh("泰安市信访局");
            r.mutable_organisation()->set_parent_id(kHousing);
          }));
  t.push_back(
      Admin<jianyan::v1::PutReportingPointRequest, jianyan::v1::ReportingPoint>(
          "point organisation", kInvalid, "reporting_point.organisation_id",
          &S::PutReportingPoint, [](auto& r) {
            r.mutable_reporting_point()->set_id("rp-x");
            r.mutable_reporting_point()->mutable_name()->set_zh("点");
            r.mutable_reporting_point()->set_organisation_id("nowhere");
          }));
  t.push_back(Admin<jianyan::v1::PutCampaignRequest, jianyan::v1::Campaign>(
      "campaign dates", kInvalid, "campaign.close_time", &S::PutCampaign,
      [](auto& r) {
        r.mutable_campaign()->set_id("c-1");
        r.mutable_campaign()->mutable_title()->set_zh("专题");
      }));
  t.push_back(Admin<jianyan::v1::CreatePrincipalRequest,
                    jianyan::v1::CreatePrincipalResponse>(
      "principal role", kInvalid, "principal.role", &S::CreatePrincipal,
      [](auto& r) { r.mutable_principal()->set_id("p-1"); }));
  t.push_back(Admin<jianyan::v1::CreatePrincipalRequest,
                    jianyan::v1::CreatePrincipalResponse>(
      "handler without organisation", kInvalid, "principal.organisation_id",
      &S::CreatePrincipal, [](auto& r) {
        r.mutable_principal()->set_id("p-2");
        r.mutable_principal()->set_role(jianyan::v1::ROLE_HANDLER);
      }));
  t.push_back(Admin<jianyan::v1::CreatePrincipalRequest,
                    jianyan::v1::CreatePrincipalResponse>(
      "principal exists", grpc::StatusCode::ALREADY_EXISTS, "principal.id",
      &S::CreatePrincipal, [](auto& r) {
        r.mutable_principal()->set_id("admin");
        r.mutable_principal()->set_role(jianyan::v1::ROLE_ADMIN);
      }));
  t.push_back(
      Admin<jianyan::v1::RevokePrincipalRequest, jianyan::v1::Principal>(
          "revoke unknown", grpc::StatusCode::NOT_FOUND, "nobody",
          &S::RevokePrincipal, [](auto& r) { r.set_principal_id("nobody"); }));
  t.push_back(Admin<jianyan::v1::PutWorkflowDefinitionRequest,
                    jianyan::v1::WorkflowDefinition>(
      "definition syntax", kInvalid, "textproto:3", &S::PutWorkflowDefinition,
      [](auto& r) {
        r.set_textproto("name: \"x\"\nkind: CASE_KIND_PETITION\n{{{");
      }));
  t.push_back(Admin<jianyan::v1::PutWorkflowDefinitionRequest,
                    jianyan::v1::WorkflowDefinition>(
      "definition source missing", kInvalid, "source",
      &S::PutWorkflowDefinition, [](auto&) {}));
  t.push_back(Admin<jianyan::v1::GetWorkflowDefinitionRequest,
                    jianyan::v1::WorkflowDefinition>(
      "definition unknown version", grpc::StatusCode::NOT_FOUND, "petition@",
      &S::GetWorkflowDefinition, [](auto& r) {
        r.set_name("petition");
        r.set_version("0000000000000000");
      }));
  t.push_back(Admin<jianyan::v1::BackupRequest, jianyan::v1::BackupResponse>(
      "backup outside root", grpc::StatusCode::FAILED_PRECONDITION,
      "backup root", &S::Backup,
      [](auto& r) { r.set_directory("/tmp/elsewhere"); }));
  t.push_back(Admin<jianyan::v1::BackupRequest, jianyan::v1::BackupResponse>(
      "backup escaping root", grpc::StatusCode::FAILED_PRECONDITION,
      "backup root", &S::Backup,
      [](auto& r) { r.set_directory("../../etc"); }));
  t.push_back(
      Admin<jianyan::v1::ListRequest, jianyan::v1::ListPrincipalsResponse>(
          "principals page size", kInvalid, "page_size", &S::ListPrincipals,
          [](auto& r) { r.set_page_size(1001); }));
  t.push_back(Admin<jianyan::v1::VerifyRequest, jianyan::v1::VerifyResponse>(
      "verify max problems", kInvalid, "max_problems", &S::Verify,
      [](auto& r) { r.set_max_problems(10001); }));
  return t;
}

// The directory as AdminService lists it (ids of every kind), to show that
// bad input wrote nothing there either.
std::vector<std::string> Directory(CoreServer& s) {
  std::vector<std::string> ids;
  jianyan::v1::ListRequest all;
  all.set_page_size(1000);
  jianyan::v1::ListOrganisationsResponse orgs;
  EXPECT_TRUE(
      s.admin().ListOrganisations(s.As("admin").get(), all, &orgs).ok());
  for (const auto& o : orgs.organisations()) ids.push_back("org " + o.id());
  jianyan::v1::ListReportingPointsResponse points;
  EXPECT_TRUE(
      s.admin().ListReportingPoints(s.As("admin").get(), all, &points).ok());
  for (const auto& p : points.reporting_points()) ids.push_back("rp " + p.id());
  jianyan::v1::ListCampaignsResponse campaigns;
  EXPECT_TRUE(
      s.admin().ListCampaigns(s.As("admin").get(), all, &campaigns).ok());
  for (const auto& c : campaigns.campaigns()) ids.push_back("c " + c.id());
  jianyan::v1::ListPrincipalsResponse principals;
  EXPECT_TRUE(
      s.admin().ListPrincipals(s.As("admin").get(), all, &principals).ok());
  for (const auto& p : principals.principals()) {
    ids.push_back(absl::StrCat("p ", p.id(), p.revoked() ? " revoked" : ""));
  }
  jianyan::v1::ListWorkflowDefinitionsResponse defs;
  EXPECT_TRUE(
      s.admin().ListWorkflowDefinitions(s.As("admin").get(), all, &defs).ok());
  for (const auto& d : defs.definitions()) {
    ids.push_back("d " + d.name() + "@" + d.version());
  }
  return ids;
}

TEST(BadInputTest, EachGetsItsCodeAndFieldAndChangesNothing) {
  CoreServer server;
  server.Seed();
  const jianyan::v1::Case c = server.CreatePetition("bad-input-base");
  const std::vector<std::string> directory = Directory(server);
  const std::vector<BadInput> table = Table();
  ASSERT_GE(table.size(), 40u);
  for (const BadInput& bad : table) {
    SCOPED_TRACE(bad.name);
    grpc::Status s = bad.call(server, server.As(bad.who).get(), c);
    EXPECT_EQ(s.error_code(), bad.code) << s.error_message();
    EXPECT_NE(s.error_message().find(bad.fragment), std::string::npos)
        << "message: " << s.error_message();
  }
  // Nothing was written: the case is as created, one case exists, and the
  // store re-derives clean.
  jianyan::v1::GetCaseRequest get;
  get.set_case_number(c.case_number());
  jianyan::v1::Case now;
  ASSERT_TRUE(
      server.workflow().GetCase(server.As("supervisor").get(), get, &now).ok());
  EXPECT_EQ(now.version(), c.version());
  EXPECT_EQ(now.state(), c.state());
  jianyan::v1::ListCasesRequest list;
  jianyan::v1::ListCasesResponse listed;
  ASSERT_TRUE(server.workflow()
                  .ListCases(server.As("service").get(), list, &listed)
                  .ok());
  EXPECT_EQ(listed.cases_size(), 1);
  EXPECT_EQ(Directory(server), directory);
  auto report = server.store().Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
}

}  // namespace
}  // namespace jianyan::testing
