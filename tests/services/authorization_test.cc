// The access table of docs/security.md, cell by cell, against a running
// server with real tokens: every RPC × every role, and every RPC with no
// token, a malformed one, a forged one and a revoked one.
#include <fstream>
#include <functional>
#include <sstream>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "services/core/access_policy.h"
#include "services/core/token.h"
#include "tests/services/core_server.h"

#ifndef JIANYAN_SOURCE_DIR
#error "JIANYAN_SOURCE_DIR must be defined"
#endif

namespace jianyan::testing {
namespace {

using Call = std::function<grpc::Status(CoreServer&, grpc::ClientContext*,
                                        const std::string& case_number)>;

// Each RPC with a request that passes validation as far as it can without
// knowing the caller.
std::map<std::string, Call> Calls() {
  std::map<std::string, Call> calls;
  calls["WorkflowService.CreateCase"] = [](CoreServer& s, auto* ctx,
                                           const std::string&) {
    jianyan::v1::CreateCaseRequest r;
    r.set_request_id("authz-create-1");
    jianyan::v1::CreateCaseResponse out;
    return s.workflow().CreateCase(ctx, r, &out);
  };
  calls["WorkflowService.GetCase"] = [](CoreServer& s, auto* ctx,
                                        const std::string& no) {
    jianyan::v1::GetCaseRequest r;
    r.set_case_number(no);
    jianyan::v1::Case out;
    return s.workflow().GetCase(ctx, r, &out);
  };
  calls["WorkflowService.ListCases"] = [](CoreServer& s, auto* ctx,
                                          const std::string&) {
    jianyan::v1::ListCasesRequest r;
    jianyan::v1::ListCasesResponse out;
    return s.workflow().ListCases(ctx, r, &out);
  };
  calls["WorkflowService.GetHistory"] = [](CoreServer& s, auto* ctx,
                                           const std::string& no) {
    jianyan::v1::GetHistoryRequest r;
    r.set_case_number(no);
    jianyan::v1::GetHistoryResponse out;
    return s.workflow().GetHistory(ctx, r, &out);
  };
  calls["WorkflowService.ListActions"] = [](CoreServer& s, auto* ctx,
                                            const std::string& no) {
    jianyan::v1::ListActionsRequest r;
    r.set_case_number(no);
    jianyan::v1::ListActionsResponse out;
    return s.workflow().ListActions(ctx, r, &out);
  };
  calls["WorkflowService.Act"] = [](CoreServer& s, auto* ctx,
                                    const std::string& no) {
    jianyan::v1::ActRequest r;
    r.set_request_id("authz-act-1");
    r.set_case_number(no);
    r.set_expected_version(1);
    r.set_action("no_such_action");
    jianyan::v1::ActResponse out;
    return s.workflow().Act(ctx, r, &out);
  };
#define JY_ADMIN_CALL(method, Request, Response)                \
  calls["AdminService." #method] = [](CoreServer& s, auto* ctx, \
                                      const std::string&) {     \
    jianyan::v1::Request r;                                     \
    jianyan::v1::Response out;                                  \
    return s.admin().method(ctx, r, &out);                      \
  }
  JY_ADMIN_CALL(PutOrganisation, PutOrganisationRequest, Organisation);
  JY_ADMIN_CALL(ListOrganisations, ListRequest, ListOrganisationsResponse);
  JY_ADMIN_CALL(PutReportingPoint, PutReportingPointRequest, ReportingPoint);
  JY_ADMIN_CALL(ListReportingPoints, ListRequest, ListReportingPointsResponse);
  JY_ADMIN_CALL(PutSuggester, PutSuggesterRequest, Suggester);
  JY_ADMIN_CALL(ListSuggesters, ListRequest, ListSuggestersResponse);
  JY_ADMIN_CALL(PutCampaign, PutCampaignRequest, Campaign);
  JY_ADMIN_CALL(ListCampaigns, ListRequest, ListCampaignsResponse);
  JY_ADMIN_CALL(PutCategory, PutCategoryRequest, Category);
  JY_ADMIN_CALL(ListCategories, ListRequest, ListCategoriesResponse);
  JY_ADMIN_CALL(PutRegion, PutRegionRequest, Region);
  JY_ADMIN_CALL(ListRegions, ListRequest, ListRegionsResponse);
  JY_ADMIN_CALL(CreatePrincipal, CreatePrincipalRequest,
                CreatePrincipalResponse);
  JY_ADMIN_CALL(RevokePrincipal, RevokePrincipalRequest, Principal);
  JY_ADMIN_CALL(ListPrincipals, ListRequest, ListPrincipalsResponse);
  JY_ADMIN_CALL(PutWorkflowDefinition, PutWorkflowDefinitionRequest,
                WorkflowDefinition);
  JY_ADMIN_CALL(ListWorkflowDefinitions, ListRequest,
                ListWorkflowDefinitionsResponse);
  JY_ADMIN_CALL(GetWorkflowDefinition, GetWorkflowDefinitionRequest,
                WorkflowDefinition);
  JY_ADMIN_CALL(PutCalendarYear, PutCalendarYearRequest, CalendarYear);
  JY_ADMIN_CALL(ListCalendarYears, ListRequest, ListCalendarYearsResponse);
  JY_ADMIN_CALL(Backup, BackupRequest, BackupResponse);
  JY_ADMIN_CALL(Verify, VerifyRequest, VerifyResponse);
#undef JY_ADMIN_CALL
#define JY_INTERNAL_CALL(method, Request, Response)             \
  calls["CoreInternal." #method] = [](CoreServer& s, auto* ctx, \
                                      const std::string&) {     \
    jianyan::v1::Request r;                                     \
    jianyan::v1::Response out;                                  \
    return jianyan::v1::CoreInternal::NewStub(s.channel())      \
        ->method(ctx, r, &out);                                 \
  }
  JY_INTERNAL_CALL(ResolvePrincipal, ResolvePrincipalRequest,
                   ResolvePrincipalResponse);
  JY_INTERNAL_CALL(GetPublicStatus, GetPublicStatusRequest, PublicStatus);
  JY_INTERNAL_CALL(SubmitPublicRating, SubmitRatingRequest,
                   SubmitRatingResponse);
#undef JY_INTERNAL_CALL
#define JY_SUPERVISION_CALL(method, Request, Response)                \
  calls["SupervisionService." #method] = [](CoreServer& s, auto* ctx, \
                                            const std::string&) {     \
    jianyan::v1::Request r;                                           \
    jianyan::v1::Response out;                                        \
    return s.supervision().method(ctx, r, &out);                      \
  }
  JY_SUPERVISION_CALL(ListOverdue, ListOverdueRequest, ListDeadlinesResponse);
  JY_SUPERVISION_CALL(ListDueSoon, ListDueSoonRequest, ListDeadlinesResponse);
  JY_SUPERVISION_CALL(Escalate, EscalateRequest, EscalateResponse);
  JY_SUPERVISION_CALL(Reassign, ReassignRequest, ReassignResponse);
  JY_SUPERVISION_CALL(GetStats, GetStatsRequest, GetStatsResponse);
#undef JY_SUPERVISION_CALL
  return calls;
}

struct DocRow {
  std::string method;
  std::vector<std::string> cells;  // terminal .. service
};

// The access table of docs/security.md.
std::vector<DocRow> ReadDocTable() {
  std::ifstream in(std::string(JIANYAN_SOURCE_DIR) + "/docs/security.md");
  std::vector<DocRow> rows;
  std::string line;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, "| RPC | terminal |")) {
      in_table = true;
      continue;
    }
    if (!in_table || absl::StartsWith(line, "|---")) continue;
    if (!absl::StartsWith(line, "|")) break;
    std::vector<std::string> parts = absl::StrSplit(line, '|');
    DocRow row;
    row.method = std::string(absl::StripAsciiWhitespace(parts[1]));
    for (size_t i = 2; i + 1 < parts.size(); ++i) {
      row.cells.emplace_back(absl::StripAsciiWhitespace(parts[i]));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string Cell(Access a) {
  return a == Access::kDenied  ? "denied"
         : a == Access::kScope ? "scope"
                               : "allowed";
}

// Token names (tests/services/core_server.h) per table column: one in
// scope of the test case, one of the same role outside it.
const char* kInScope[] = {"terminal",   "suggester", "registrar",
                          "supervisor", "admin",     "service"};
const char* kOutOfScope[] = {"other_terminal", "suggester",
                             "other_handler",  "district_supervisor",
                             "admin",          "service"};

class AuthorizationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Seed();
    case_number_ = server_.CreatePetition("authz-case-1").case_number();
    // The suggester's own suggestion, submitted for it by the edge.
    jianyan::v1::CreateCaseRequest r;
    r.set_request_id("authz-suggestion-1");
    auto* c = r.mutable_case_();
    c->set_kind(jianyan::v1::CASE_KIND_SUGGESTION);
    c->set_channel(jianyan::v1::CHANNEL_ONLINE);
    c->set_routing_organisation_id(kCityBureau);
    c->set_title("建议延长图书馆开放时间");
    c->set_content("建议周末开放至晚九点。");
    // No suggester id: the core takes it from the suggester's principal.
    c->mutable_submitter()->add_representatives()->set_name("王建言");
    r.mutable_on_behalf_of()->set_principal_id("suggester-1");
    r.mutable_on_behalf_of()->set_role(jianyan::v1::ROLE_SUGGESTER);
    jianyan::v1::CreateCaseResponse out;
    grpc::Status s =
        server_.workflow().CreateCase(server_.As("service").get(), r, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
    suggestion_number_ = out.case_().case_number();
  }
  CoreServer server_;
  std::string case_number_;
  std::string suggestion_number_;
};

TEST_F(AuthorizationTest, DocumentedTableIsTheEnforcedTable) {
  std::vector<DocRow> doc = ReadDocTable();
  ASSERT_EQ(doc.size(), AccessTable().size());
  for (size_t i = 0; i < doc.size(); ++i) {
    const RpcRule& rule = AccessTable()[i];
    EXPECT_EQ(doc[i].method, rule.method);
    ASSERT_EQ(doc[i].cells.size(), rule.access.size()) << rule.method;
    for (size_t r = 0; r < rule.access.size(); ++r) {
      EXPECT_EQ(doc[i].cells[r], Cell(rule.access[r]))
          << rule.method << " column " << r;
    }
  }
}

TEST_F(AuthorizationTest, EveryRpcTimesEveryRole) {
  auto calls = Calls();
  const std::set<std::string> case_rpcs = {
      "WorkflowService.GetCase", "WorkflowService.GetHistory",
      "WorkflowService.ListActions", "WorkflowService.Act"};
  for (const DocRow& row : ReadDocTable()) {
    auto call = calls.find(row.method);
    if (call == calls.end()) {
      // Hosted by another test: TestingService by the jianyand tests, the
      // WatchEscalations stream by notice_stream_test (it never ends for
      // an allowed caller, so it cannot be probed as a unary call here).
      EXPECT_TRUE(row.method.rfind("TestingService.", 0) == 0 ||
                  row.method == "SupervisionService.WatchEscalations")
          << row.method;
      continue;
    }
    for (size_t r = 0; r < row.cells.size(); ++r) {
      SCOPED_TRACE(row.method + " as " + kInScope[r]);
      const bool suggester = std::string(kInScope[r]) == "suggester";
      const std::string& in_scope =
          suggester ? suggestion_number_ : case_number_;
      grpc::Status s =
          call->second(server_, server_.As(kInScope[r]).get(), in_scope);
      if (row.cells[r] == "denied") {
        EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << s.error_message();
        continue;
      }
      EXPECT_NE(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
          << s.error_message();
      EXPECT_NE(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
      if (absl::StartsWith(row.method, "WorkflowService.") &&
          row.method != "WorkflowService.CreateCase") {
        // In scope the call goes through: reads answer, and Act reaches
        // the definition (which knows no such action).
        EXPECT_EQ(s.error_code(), row.method == "WorkflowService.Act"
                                      ? grpc::StatusCode::INVALID_ARGUMENT
                                      : grpc::StatusCode::OK)
            << s.error_message();
      }
      if (row.cells[r] == "scope" && case_rpcs.count(row.method) > 0) {
        // The same role outside the case's scope learns nothing of it.
        // (The suggester's out-of-scope case is the petition.)
        grpc::Status out = call->second(
            server_, server_.As(kOutOfScope[r]).get(), case_number_);
        EXPECT_EQ(out.error_code(), grpc::StatusCode::NOT_FOUND)
            << kOutOfScope[r] << ": " << out.error_message();
      }
    }
  }
}

TEST_F(AuthorizationTest, EveryRpcRefusesBadTokens) {
  // A revoked principal.
  const std::string revoked = server_.NewToken(
      "soon-revoked", jianyan::v1::ROLE_SUPERVISOR, kCityBureau);
  jianyan::v1::RevokePrincipalRequest req;
  req.set_principal_id("soon-revoked");
  jianyan::v1::Principal out;
  ASSERT_TRUE(server_.admin()
                  .RevokePrincipal(server_.As("admin").get(), req, &out)
                  .ok());
  const std::vector<std::string> bad = {
      "",                               // no metadata
      "raw:Bearer",                     // no token
      "raw:Basic dXNlcjpwYXNz",         // another scheme
      "raw:Bearer not-a-token",         // malformed
      "raw:Bearer " + GenerateToken(),  // well formed, unknown
      "raw:Bearer " + revoked,          // revoked
  };
  for (const auto& [method, call] : Calls()) {
    for (const std::string& who : bad) {
      grpc::Status s = call(server_, server_.As(who).get(), case_number_);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << method << " with '" << who << "': " << s.error_message();
      const std::string sent = who.size() > 11 ? who.substr(11) : "";
      if (!sent.empty()) {
        EXPECT_EQ(s.error_message().find(sent), std::string::npos);
      }
    }
  }
}

}  // namespace
}  // namespace jianyan::testing
