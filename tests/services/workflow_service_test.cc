// WorkflowService over a real gRPC server and a real store: the petition
// path with a token per role, scopes, masking and idempotency.
#include <set>

#include "gtest/gtest.h"
#include "tests/services/core_server.h"
#include "workflow/case_number.h"
#include "workflow/time_util.h"

namespace jianyan::testing {
namespace {

using jianyan::v1::Case;

class WorkflowServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.Seed(); }

  Case Get(const std::string& who, const std::string& no) {
    jianyan::v1::GetCaseRequest req;
    req.set_case_number(no);
    Case c;
    grpc::Status s = server_.workflow().GetCase(server_.As(who).get(), req, &c);
    EXPECT_TRUE(s.ok()) << who << ": " << s.error_message();
    return c;
  }
  grpc::StatusCode GetCode(const std::string& who, const std::string& no) {
    jianyan::v1::GetCaseRequest req;
    req.set_case_number(no);
    Case c;
    return server_.workflow()
        .GetCase(server_.As(who).get(), req, &c)
        .error_code();
  }
  std::set<std::string> Actions(const std::string& who, const std::string& no) {
    jianyan::v1::ListActionsRequest req;
    req.set_case_number(no);
    jianyan::v1::ListActionsResponse resp;
    grpc::Status s =
        server_.workflow().ListActions(server_.As(who).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::set<std::string> out;
    for (const auto& a : resp.actions()) out.insert(a.action());
    return out;
  }
  std::vector<std::string> History(const std::string& who,
                                   const std::string& no) {
    jianyan::v1::GetHistoryRequest req;
    req.set_case_number(no);
    jianyan::v1::GetHistoryResponse resp;
    grpc::Status s =
        server_.workflow().GetHistory(server_.As(who).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> out;
    for (const auto& e : resp.events()) out.push_back(e.action());
    return out;
  }
  uint64_t Counter(const std::string& metric, const std::string& org) {
    auto counters = server_.store().ReadCounters(
        storage::Period::kMonth, absl::CivilDay(2026, 3, 2), org, "");
    EXPECT_TRUE(counters.ok());
    uint64_t sum = 0;
    for (const auto& c : *counters) {
      if (c.id.metric == metric) sum += c.value;
    }
    return sum;
  }
  void Advance(absl::Duration d) { server_.clock().Advance(d); }

  CoreServer server_;
};

struct Step {
  std::string who;
  std::string action;
  std::map<std::string, std::string> fields;
  std::string state_after;
};

TEST_F(WorkflowServiceTest, PetitionPathSatisfied) {
  Case c = server_.CreatePetition("create-0001");
  const std::string no = c.case_number();
  ASSERT_FALSE(no.empty());
  EXPECT_EQ(c.state(), "registered");
  EXPECT_EQ(c.routing_organisation_id(), kCityBureau);
  // Before routing the housing bureau does not even see the case.
  EXPECT_EQ(GetCode("handler", no), grpc::StatusCode::NOT_FOUND);
  const std::vector<Step> path = {
      {"registrar",
       "assign",
       {{"organisation_id", kHousing}, {"deadline_days", "60"}},
       "assigned"},
      {"handler", "accept", {}, "handling"},
      {"handler", "respond", {{"opinion", "support"}}, "responded"},
      // 送达: the written answer reaches the petitioner; the review window
      // and the rating window start (Art 35).
      {"handler", "deliver", {{"delivery", "written"}}, "answered"},
      // The rating closes nothing: the review window runs on.
      {"service", "rate", {{"rating", "satisfied"}}, "answered"},
  };
  std::vector<std::string> history = {"register"};
  for (const Step& step : path) {
    SCOPED_TRACE(step.action);
    // ListActions offers the step to its actor, and not to a terminal.
    EXPECT_EQ(Actions(step.who, no).count(step.action), 1u);
    EXPECT_EQ(Actions("terminal", no).count(step.action),
              step.who == "service" ? 1u : 0u);
    Advance(absl::Hours(24));
    jianyan::v1::ActResponse out;
    grpc::Status s = server_.Act(step.who, no, step.action, step.fields, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(out.case_().state(), step.state_after);
    ASSERT_GE(out.events_size(), 1);
    EXPECT_EQ(out.events(0).action(), step.action);
    EXPECT_FALSE(out.events(0).prev_hash().empty());
    EXPECT_EQ(out.events(0).actor().role(),
              step.who == "service"      ? jianyan::v1::ROLE_SERVICE
              : step.who == "supervisor" ? jianyan::v1::ROLE_SUPERVISOR
                                         : jianyan::v1::ROLE_HANDLER);
    history.push_back(step.action);
    EXPECT_EQ(History("supervisor", no), history);
  }
  Case answered = Get("supervisor", no);
  // Closed for the rates (办结), the review right still open.
  EXPECT_FALSE(answered.open());
  EXPECT_EQ(Actions("service", no).count("request_review"), 1u);
  EXPECT_EQ(Actions("service", no).count("rate"), 0u);
  // The counters of the rates, summed over organisations.
  EXPECT_EQ(Counter("received", ""), 1u);
  EXPECT_EQ(Counter("rateable", ""), 1u);
  EXPECT_EQ(Counter("rated", ""), 1u);
  EXPECT_EQ(Counter("satisfied", ""), 1u);
  auto report = server_.store().Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
}

TEST_F(WorkflowServiceTest, UnsatisfiedReviewRereviewTerminated) {
  Case c = server_.CreatePetition("create-0002");
  const std::string no = c.case_number();
  ASSERT_TRUE(server_
                  .Act("registrar", no, "assign",
                       {{"organisation_id", kHousing}, {"deadline_days", "60"}})
                  .ok());
  ASSERT_TRUE(server_.Act("handler", no, "accept", {}).ok());
  ASSERT_TRUE(
      server_.Act("handler", no, "respond", {{"opinion", "not_support"}}).ok());
  ASSERT_TRUE(
      server_.Act("handler", no, "deliver", {{"delivery", "written"}}).ok());
  ASSERT_TRUE(
      server_.Act("service", no, "rate", {{"rating", "unsatisfied"}}).ok());
  EXPECT_EQ(Get("supervisor", no).state(), "unsatisfied");
  // The petitioner may not choose the reviewing body.
  grpc::Status chose = server_.Act(
      "service", no, "request_review",
      {{"reason", "事实认定有误"}, {"organisation_id", kOtherDistrict}});
  EXPECT_EQ(chose.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(chose.error_message().find("fields.organisation_id"),
            std::string::npos);
  ASSERT_TRUE(
      server_.Act("service", no, "request_review", {{"reason", "事实认定有误"}})
          .ok());
  Case review = Get("supervisor", no);
  EXPECT_EQ(review.state(), "review");
  // One level above the housing bureau: the district.
  EXPECT_EQ(review.handling_organisation_id(), kDistrict);
  EXPECT_EQ(GetCode("handler", no), grpc::StatusCode::NOT_FOUND);
  server_.AddToken("district_handler",
                   server_.NewToken("district-handler",
                                    jianyan::v1::ROLE_HANDLER, kDistrict));
  jianyan::v1::ActResponse answered;
  ASSERT_TRUE(server_
                  .Act("district_handler", no, "answer_review",
                       {{"opinion", "uphold"}}, &answered)
                  .ok());
  EXPECT_EQ(answered.case_().state(), "review_answered");
  ASSERT_TRUE(server_
                  .Act("district_handler", no, "deliver_review",
                       {{"delivery", "written"}})
                  .ok());
  ASSERT_TRUE(
      server_
          .Act("service", no, "request_rereview", {{"reason", "复查意见不当"}})
          .ok());
  Case rereview = Get("supervisor", no);
  EXPECT_EQ(rereview.state(), "rereview");
  // One level above the reviewing district: the city.
  EXPECT_EQ(rereview.handling_organisation_id(), kCityBureau);
  EXPECT_EQ(Actions("registrar", no).count("answer_rereview"), 1u);
  ASSERT_TRUE(
      server_.Act("registrar", no, "answer_rereview", {{"opinion", "uphold"}})
          .ok());
  Case done = Get("supervisor", no);
  EXPECT_EQ(done.state(), "terminated");
  EXPECT_TRUE(Actions("registrar", no).empty());
  auto report = server_.store().Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
}

TEST_F(WorkflowServiceTest, ScopesAndMasking) {
  Case c = server_.CreatePetition("create-0003");
  const std::string no = c.case_number();
  // Service (the edge) sees the case, masked.
  EXPECT_EQ(c.submitter().representatives(0).name(), "张*");
  EXPECT_EQ(c.submitter().representatives(0).phone(), "138****1234");
  EXPECT_TRUE(c.submitter().representatives(0).id_number().empty());
  EXPECT_EQ(GetCode("terminal", no), grpc::StatusCode::OK);
  EXPECT_EQ(GetCode("other_terminal", no), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(GetCode("suggester", no), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(GetCode("registrar", no), grpc::StatusCode::OK);
  EXPECT_EQ(GetCode("other_handler", no), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(GetCode("supervisor", no), grpc::StatusCode::OK);
  EXPECT_EQ(GetCode("district_supervisor", no), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(GetCode("admin", no), grpc::StatusCode::PERMISSION_DENIED);
  // The supervisor sees the full submitter; the terminal does not.
  EXPECT_EQ(Get("supervisor", no).submitter().representatives(0).name(),
            "张三丰");
  EXPECT_EQ(Get("terminal", no).submitter().representatives(0).name(), "张*");
  ASSERT_TRUE(server_
                  .Act("registrar", no, "assign",
                       {{"organisation_id", kHousing}, {"deadline_days", "60"}})
                  .ok());
  // Routed: the handling organisation's handler sees it in full, the
  // registering body no longer acts; the district supervisor now sees it.
  EXPECT_EQ(Get("handler", no).submitter().representatives(0).phone(),
            "13812341234");
  EXPECT_EQ(GetCode("registrar", no), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(GetCode("district_supervisor", no), grpc::StatusCode::OK);

  // A confidential accusation: the handling body never sees who accused.
  Case acc = server_.CreatePetition("create-0004",
                                    jianyan::v1::PETITION_TYPE_ACCUSATION);
  ASSERT_TRUE(acc.confidential());
  EXPECT_EQ(
      Get("registrar", acc.case_number()).submitter().representatives(0).name(),
      "张三丰");
  ASSERT_TRUE(server_
                  .Act("registrar", acc.case_number(), "assign",
                       {{"organisation_id", kHousing}, {"deadline_days", "60"}})
                  .ok());
  // Not even masked for the handling body, nor for supervisors at or below
  // it; the city's supervisors above the registering body see it.
  EXPECT_EQ(
      Get("handler", acc.case_number()).submitter().representatives_size(), 0);
  EXPECT_EQ(Get("district_supervisor", acc.case_number())
                .submitter()
                .representatives_size(),
            0);
  server_.AddToken(
      "housing_supervisor",
      server_.NewToken("supervisor-3", jianyan::v1::ROLE_SUPERVISOR, kHousing));
  EXPECT_EQ(Get("housing_supervisor", acc.case_number())
                .submitter()
                .representatives_size(),
            0);
  EXPECT_EQ(Get("supervisor", acc.case_number())
                .submitter()
                .representatives(0)
                .name(),
            "张三丰");

  // Lists: masked summaries, confidential without a name, scoped.
  jianyan::v1::ListCasesRequest list;
  jianyan::v1::ListCasesResponse listed;
  ASSERT_TRUE(server_.workflow()
                  .ListCases(server_.As("supervisor").get(), list, &listed)
                  .ok());
  ASSERT_EQ(listed.cases_size(), 2);
  EXPECT_EQ(listed.cases(0).submitter_masked(), "张*");
  EXPECT_EQ(listed.cases(1).submitter_masked(), "");
  listed.Clear();
  ASSERT_TRUE(server_.workflow()
                  .ListCases(server_.As("other_handler").get(), list, &listed)
                  .ok());
  EXPECT_EQ(listed.cases_size(), 0);
  listed.Clear();
  list.set_reporting_point_id(kOtherPoint);
  EXPECT_EQ(server_.workflow()
                .ListCases(server_.As("terminal").get(), list, &listed)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(WorkflowServiceTest, RetriesReplayAndRequestIdsArePerPrincipal) {
  jianyan::v1::CreateCaseRequest req;
  Case first = server_.CreatePetition("same-request-id");
  Case again = server_.CreatePetition("same-request-id");
  EXPECT_EQ(first.case_number(), again.case_number());
  // Another terminal's edge call with the same id is a new case.
  jianyan::v1::CreateCaseRequest other;
  other.set_request_id("same-request-id");
  auto* c = other.mutable_case_();
  c->set_kind(jianyan::v1::CASE_KIND_SUGGESTION);
  c->set_channel(jianyan::v1::CHANNEL_TERMINAL);
  c->set_reporting_point_id(kOtherPoint);
  c->set_title("建议增设公交线路");
  c->set_content("建议开通泰山站至高新区的直达公交。");
  c->mutable_submitter()->set_anonymous(true);
  other.mutable_on_behalf_of()->set_principal_id("terminal-2");
  other.mutable_on_behalf_of()->set_role(jianyan::v1::ROLE_TERMINAL);
  other.mutable_on_behalf_of()->set_reporting_point_id(kOtherPoint);
  jianyan::v1::CreateCaseResponse resp;
  ASSERT_TRUE(server_.workflow()
                  .CreateCase(server_.As("service").get(), other, &resp)
                  .ok());
  EXPECT_NE(resp.case_().case_number(), first.case_number());
  EXPECT_EQ(resp.case_().kind(), jianyan::v1::CASE_KIND_SUGGESTION);
  // The same id with other content is refused.
  other.mutable_case_()->set_title("另一个标题");
  EXPECT_EQ(server_.workflow()
                .CreateCase(server_.As("service").get(), other, &resp)
                .error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  // An Act retried returns the first answer and writes nothing.
  const std::string no = first.case_number();
  jianyan::v1::ActRequest act;
  act.set_request_id("assign-once-1");
  act.set_case_number(no);
  act.set_expected_version(first.version());
  act.set_action("assign");
  (*act.mutable_fields())["organisation_id"] = kHousing;
  (*act.mutable_fields())["deadline_days"] = "60";
  jianyan::v1::ActResponse a1, a2;
  ASSERT_TRUE(
      server_.workflow().Act(server_.As("registrar").get(), act, &a1).ok());
  grpc::Status replay =
      server_.workflow().Act(server_.As("registrar").get(), act, &a2);
  ASSERT_TRUE(replay.ok()) << replay.error_message();
  EXPECT_EQ(a1.case_().version(), a2.case_().version());
  ASSERT_EQ(a2.events_size(), 1);
  EXPECT_EQ(a1.events(0).seq(), a2.events(0).seq());
  // A used request id cannot probe other case numbers: any other request
  // under it is ALREADY_EXISTS, whether that case exists or not.
  jianyan::v1::ActRequest probe = act;
  auto absent =
      FormatCaseNumber({jianyan::v1::CASE_KIND_PETITION, 2026, 0, 99});
  ASSERT_TRUE(absent.ok());
  for (const std::string& number : {*absent, first.case_number()}) {
    probe.set_case_number(number);
    probe.set_expected_version(7);
    jianyan::v1::ActResponse ignored;
    EXPECT_EQ(server_.workflow()
                  .Act(server_.As("registrar").get(), probe, &ignored)
                  .error_code(),
              grpc::StatusCode::ALREADY_EXISTS);
  }
  // The case has left the registering body's scope; a stale version from
  // its new handler is ABORTED.
  act.set_request_id("accept-stale-1");
  act.set_action("accept");
  act.set_expected_version(first.version());
  act.mutable_fields()->clear();
  EXPECT_EQ(server_.workflow()
                .Act(server_.As("handler").get(), act, &a2)
                .error_code(),
            grpc::StatusCode::ABORTED);
}

TEST_F(WorkflowServiceTest, ActAnswersInTheViewAskedForARetryMayAskAnother) {
  // A petition with all three parts a BASIC answer leaves out.
  jianyan::v1::CreateCaseRequest create =
      CoreServer::PetitionRequest("view-create");
  jianyan::v1::Attachment* scan = create.mutable_case_()->add_attachments();
  scan->set_sha256(std::string(64, 'a'));
  scan->set_size_bytes(48213);
  scan->set_media_type("application/pdf");
  scan->set_name("letter.pdf");
  jianyan::v1::CreateCaseResponse created;
  grpc::Status s = server_.workflow().CreateCase(server_.As("service").get(),
                                                 create, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const Case& first = created.case_();
  ASSERT_FALSE(first.content().empty());
  ASSERT_GT(first.submitter().representatives_size(), 0);
  ASSERT_EQ(first.attachments_size(), 1);
  jianyan::v1::ActResponse assigned;
  ASSERT_TRUE(server_
                  .Act("registrar", first.case_number(), "assign",
                       {{"organisation_id", kHousing}, {"deadline_days", "60"}},
                       &assigned)
                  .ok());
  const uint64_t version = assigned.case_().version();
  jianyan::v1::ActRequest act;
  act.set_request_id("view-accept");
  act.set_case_number(first.case_number());
  act.set_expected_version(version);
  act.set_action("accept");
  act.set_view(jianyan::v1::CASE_VIEW_BASIC);
  jianyan::v1::ActResponse basic;
  s = server_.workflow().Act(server_.As("handler").get(), act, &basic);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // What the command changed, without the intake part.
  EXPECT_EQ(basic.case_().case_number(), first.case_number());
  EXPECT_EQ(basic.case_().state(), "handling");
  EXPECT_EQ(basic.case_().version(), version + 1);
  EXPECT_EQ(basic.case_().handling_organisation_id(), kHousing);
  EXPECT_FALSE(basic.case_().deadlines().empty());
  EXPECT_EQ(basic.case_().title(), first.title());
  EXPECT_TRUE(basic.case_().content().empty());
  EXPECT_FALSE(basic.case_().has_submitter());
  EXPECT_TRUE(basic.case_().attachments().empty());
  ASSERT_EQ(basic.events_size(), 1);
  // The store keeps all of it.
  Case stored = Get("supervisor", first.case_number());
  EXPECT_EQ(stored.version(), version + 1);
  EXPECT_EQ(stored.content(), first.content());
  EXPECT_EQ(stored.submitter().representatives_size(),
            first.submitter().representatives_size());
  EXPECT_EQ(stored.attachments_size(), 1);

  // The view is not part of the command: a retry asking for the full case
  // is the same command, answered from its record.
  act.set_view(jianyan::v1::CASE_VIEW_FULL);
  jianyan::v1::ActResponse full;
  s = server_.workflow().Act(server_.As("handler").get(), act, &full);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(full.case_().version(), basic.case_().version());
  EXPECT_EQ(full.case_().content(), first.content());
  EXPECT_TRUE(full.case_().has_submitter());
  ASSERT_EQ(full.case_().attachments_size(), 1);
  EXPECT_EQ(full.case_().attachments(0).name(), "letter.pdf");
  ASSERT_EQ(full.events_size(), 1);
  EXPECT_EQ(full.events(0).seq(), basic.events(0).seq());
  EXPECT_EQ(Get("supervisor", first.case_number()).version(), version + 1);
}

TEST_F(WorkflowServiceTest, RevocationTakesEffectOnTheNextCall) {
  Case c = server_.CreatePetition("create-0005");
  EXPECT_EQ(GetCode("terminal", c.case_number()), grpc::StatusCode::OK);
  jianyan::v1::RevokePrincipalRequest req;
  req.set_principal_id("terminal-1");
  jianyan::v1::Principal revoked;
  ASSERT_TRUE(server_.admin()
                  .RevokePrincipal(server_.As("admin").get(), req, &revoked)
                  .ok());
  EXPECT_TRUE(revoked.revoked());
  EXPECT_TRUE(revoked.token_hash().empty());
  EXPECT_EQ(GetCode("terminal", c.case_number()),
            grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace jianyan::testing
