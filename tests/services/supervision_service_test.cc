// SupervisionService over a real gRPC server and a real store, time moved
// by TestingService.AdvanceClock (which fires the timers that came due):
// warnings and expiries on the notice stream, the overdue and due-soon
// lists, escalation with a reply deadline, reassignment, and bad input.
#include <string>

#include "gtest/gtest.h"
#include "tests/services/core_server.h"
#include "tests/services/supervision_test_util.h"
#include "workflow/time_util.h"

namespace jianyan::testing {
namespace {

using jianyan::v1::Case;
using jianyan::v1::EscalationNotice;

class SupervisionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.Seed(); }

  Case Get(const std::string& no) {
    jianyan::v1::GetCaseRequest req;
    req.set_case_number(no);
    Case c;
    grpc::Status s =
        server_.workflow().GetCase(server_.As("supervisor").get(), req, &c);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return c;
  }
  // A petition the city bureau forwarded to the housing bureau: its
  // acceptance limit runs.
  std::string Forwarded(const std::string& id) {
    Case c = server_.CreatePetition(id);
    grpc::Status s = server_.Act("registrar", c.case_number(), "forward",
                                 {{"organisation_id", kHousing}});
    EXPECT_TRUE(s.ok()) << s.error_message();
    return c.case_number();
  }
  std::vector<std::string> Overdue(const std::string& who,
                                   const std::string& org = "") {
    jianyan::v1::ListOverdueRequest req;
    req.set_organisation_id(org);
    jianyan::v1::ListDeadlinesResponse resp;
    grpc::Status s =
        server_.supervision().ListOverdue(server_.As(who).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> out;
    for (const auto& e : resp.entries()) out.push_back(e.case_().case_number());
    return out;
  }
  std::vector<std::string> DueSoon(const std::string& who) {
    jianyan::v1::ListDueSoonRequest req;
    jianyan::v1::ListDeadlinesResponse resp;
    grpc::Status s =
        server_.supervision().ListDueSoon(server_.As(who).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> out;
    for (const auto& e : resp.entries()) out.push_back(e.case_().case_number());
    return out;
  }
  grpc::Status Escalate(const std::string& no,
                        jianyan::v1::EscalationLevel level,
                        const std::string& note, absl::Duration reply_in,
                        Case* out = nullptr) {
    jianyan::v1::EscalateRequest req;
    req.set_request_id(absl::StrCat("escalate-", ++seq_));
    req.set_case_number(no);
    req.set_expected_version(Get(no).version());
    req.set_level(level);
    req.set_note(note);
    if (reply_in != absl::ZeroDuration()) {
      *req.mutable_reply_due_time() = ToProto(server_.Now() + reply_in);
    }
    jianyan::v1::EscalateResponse resp;
    grpc::Status s = server_.supervision().Escalate(
        server_.As("supervisor").get(), req, &resp);
    if (out != nullptr) *out = resp.case_();
    return s;
  }
  NoticeStream Watch(uint64_t after = 0) {
    return NoticeStream(server_.supervision(), server_.As("supervisor"),
                        WatchAfter(after));
  }

  CoreServer server_;
  int seq_ = 0;
};

TEST_F(SupervisionServiceTest, UntouchedPetitionWarnsThenGoesOverdue) {
  const std::string no = Forwarded("untouched-1");
  NoticeStream stream = Watch();
  const Case before = Get(no);
  ASSERT_EQ(before.state(), "forwarded");

  // 受理告知期限: 15 days, warned 3 days before its end.
  server_.Advance(absl::Hours(24 * 12 + 16));
  EscalationNotice warn = stream.Next();
  EXPECT_EQ(warn.kind(), jianyan::v1::NOTICE_KIND_DUE_SOON);
  EXPECT_EQ(warn.case_().case_number(), no);
  EXPECT_EQ(warn.timer(), "acceptance");
  EXPECT_EQ(warn.cursor(), 1u);
  EXPECT_TRUE(warn.case_().submitter_masked().empty());
  EXPECT_EQ(Get(no).state(), "forwarded");  // a warning moves nothing
  EXPECT_EQ(Get(no).escalation_level(), jianyan::v1::ESCALATION_LEVEL_NONE);
  EXPECT_EQ(DueSoon("supervisor"), std::vector<std::string>{no});
  EXPECT_TRUE(Overdue("supervisor").empty());

  // A second advance inside the warning period warns no more.
  server_.Advance(absl::Hours(1));
  server_.Advance(absl::Hours(24 * 3));
  EscalationNotice overdue = stream.Next();
  EXPECT_EQ(overdue.kind(), jianyan::v1::NOTICE_KIND_OVERDUE);
  EXPECT_EQ(overdue.cursor(), 2u);
  EXPECT_EQ(overdue.timer(), "acceptance");
  EXPECT_EQ(overdue.level(), jianyan::v1::ESCALATION_LEVEL_URGE);
  const Case late = Get(no);
  EXPECT_EQ(late.escalation_level(), jianyan::v1::ESCALATION_LEVEL_URGE);
  EXPECT_EQ(Overdue("supervisor"), std::vector<std::string>{no});
  EXPECT_TRUE(DueSoon("supervisor").empty());
  // The district supervisor sees it too (the housing bureau is below it);
  // the list names the deadline that passed.
  jianyan::v1::ListOverdueRequest req;
  jianyan::v1::ListDeadlinesResponse resp;
  ASSERT_TRUE(
      server_.supervision()
          .ListOverdue(server_.As("district_supervisor").get(), req, &resp)
          .ok());
  ASSERT_EQ(resp.entries_size(), 1);
  EXPECT_EQ(resp.entries(0).deadline().timer(), "acceptance");

  // Still listed until the duty is met: accepting takes it off.
  server_.Advance(absl::Hours(24 * 5));
  EXPECT_EQ(Overdue("supervisor"), std::vector<std::string>{no});
  ASSERT_TRUE(server_.Act("handler", no, "accept", {}).ok());
  EXPECT_TRUE(Overdue("supervisor").empty());

  // Every notice is in the store's log and Verify agrees.
  auto verify = server_.store().Verify();
  ASSERT_TRUE(verify.ok()) << verify.status();
  EXPECT_TRUE(verify->ok()) << verify->problems.front();
}

TEST_F(SupervisionServiceTest, ExtensionMovesTheHandlingLimitByThirtyDays) {
  const std::string no = Forwarded("extended-1");
  ASSERT_TRUE(server_.Act("handler", no, "accept", {}).ok());
  const std::string head = server_.NewToken("head-1", jianyan::v1::ROLE_HANDLER,
                                            kHousing);  // no capability
  (void)head;
  auto handling = [&] {
    const Case now = Get(no);
    for (const auto& d : now.deadlines()) {
      if (d.timer() == "handling") return d;
    }
    ADD_FAILURE() << "no handling deadline";
    return jianyan::v1::Deadline();
  };
  const absl::Time due = FromProto(handling().due_time());
  // The head of the housing bureau approves a 30-day extension (Art 34).
  jianyan::v1::CreatePrincipalRequest p;
  p.set_request_id("principal-head-2");
  p.mutable_principal()->set_id("head-2");
  p.mutable_principal()->set_role(jianyan::v1::ROLE_HANDLER);
  p.mutable_principal()->set_organisation_id(kHousing);
  p.mutable_principal()->add_capabilities("approve_extension");
  jianyan::v1::CreatePrincipalResponse created;
  ASSERT_TRUE(server_.admin()
                  .CreatePrincipal(server_.As("admin").get(), p, &created)
                  .ok());
  server_.AddToken("head", created.token());
  ASSERT_TRUE(server_
                  .Act("head", no, "extend",
                       {{"days", "30"}, {"reason", "需要现场勘验"}})
                  .ok());
  EXPECT_EQ(FromProto(handling().due_time()) - due, absl::Hours(24 * 30));

  NoticeStream stream = Watch();
  // Past the first end: not overdue, and the superseded deadline's timers
  // (its warning and its expiry) fire nothing.
  server_.Advance(due - server_.Now() + absl::Hours(1));
  EXPECT_TRUE(Overdue("supervisor").empty());
  EXPECT_EQ(Get(no).state(), "handling");
  // Past the extended end: the new deadline's warning, then its expiry,
  // are the first notices the stream sees; 督办 level (handling_overdue).
  server_.Advance(absl::Hours(24 * 30));
  EscalationNotice warned = stream.Next();
  EXPECT_EQ(warned.kind(), jianyan::v1::NOTICE_KIND_DUE_SOON);
  EXPECT_EQ(warned.timer(), "handling");
  EscalationNotice late = stream.Next();
  EXPECT_EQ(late.kind(), jianyan::v1::NOTICE_KIND_OVERDUE);
  EXPECT_EQ(late.timer(), "handling");
  EXPECT_EQ(Get(no).escalation_level(),
            jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
  EXPECT_EQ(Overdue("supervisor"), std::vector<std::string>{no});
}

TEST_F(SupervisionServiceTest, EscalationWithReplyAndMissedReply) {
  const std::string no = Forwarded("escalated-1");
  ASSERT_TRUE(server_.Act("handler", no, "accept", {}).ok());
  NoticeStream stream = Watch();

  Case c;
  ASSERT_TRUE(Escalate(no, jianyan::v1::ESCALATION_LEVEL_SUPERVISE,
                       "请于五日内书面报告办理进展", absl::Hours(24 * 5), &c)
                  .ok());
  EXPECT_EQ(c.escalation_level(), jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
  EscalationNotice escalated = stream.Next();
  EXPECT_EQ(escalated.kind(), jianyan::v1::NOTICE_KIND_ESCALATED);
  EXPECT_EQ(escalated.level(), jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
  EXPECT_EQ(escalated.note(), "请于五日内书面报告办理进展");
  EXPECT_TRUE(escalated.has_reply_due_time());

  // The housing bureau answers in writing (Art 40).
  ASSERT_TRUE(server_
                  .Act("handler", no, "reply_supervision",
                       {{"reply", "已约谈供热公司，三日内整改"}})
                  .ok());
  EXPECT_EQ(stream.Next().kind(), jianyan::v1::NOTICE_KIND_REPLIED);

  // Levels only rise.
  grpc::Status same = Escalate(no, jianyan::v1::ESCALATION_LEVEL_SUPERVISE,
                               "再次督办", absl::Hours(48));
  EXPECT_EQ(same.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(same.error_message().find("level"), std::string::npos)
      << same.error_message();
  EXPECT_EQ(
      Escalate(no, jianyan::v1::ESCALATION_LEVEL_URGE, "", {}).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);

  // 挂牌督办 with a reply due in 2 days that nobody meets.
  ASSERT_TRUE(Escalate(no, jianyan::v1::ESCALATION_LEVEL_LISTED, "挂牌督办",
                       absl::Hours(48))
                  .ok());
  EXPECT_EQ(stream.Next().kind(), jianyan::v1::NOTICE_KIND_ESCALATED);
  server_.Advance(absl::Hours(49));
  EscalationNotice missed = stream.Next();
  EXPECT_EQ(missed.kind(), jianyan::v1::NOTICE_KIND_REPLY_MISSED);
  EXPECT_EQ(missed.level(), jianyan::v1::ESCALATION_LEVEL_LISTED);
}

TEST_F(SupervisionServiceTest, EscalateRefusesBadInputAndWritesNothing) {
  const std::string no = Forwarded("bad-escalate-1");
  const uint64_t version = Get(no).version();
  struct Row {
    const char* name;
    jianyan::v1::EscalationLevel level;
    const char* note;
    absl::Duration reply_in;
    grpc::StatusCode code;
    const char* field;
  } rows[] = {
      {"no level", jianyan::v1::ESCALATION_LEVEL_NONE, "x", absl::Hours(24),
       grpc::StatusCode::INVALID_ARGUMENT, "level"},
      {"unknown level", static_cast<jianyan::v1::EscalationLevel>(9), "x",
       absl::Hours(24), grpc::StatusCode::INVALID_ARGUMENT, "level"},
      {"reply in the past", jianyan::v1::ESCALATION_LEVEL_SUPERVISE, "x",
       -absl::Hours(1), grpc::StatusCode::INVALID_ARGUMENT, "reply_due_time"},
      {"督办 without note", jianyan::v1::ESCALATION_LEVEL_SUPERVISE, "",
       absl::Hours(24), grpc::StatusCode::INVALID_ARGUMENT, "note"},
      {"督办 without reply due", jianyan::v1::ESCALATION_LEVEL_SUPERVISE, "x",
       absl::ZeroDuration(), grpc::StatusCode::INVALID_ARGUMENT,
       "reply_due_time"},
  };
  for (const Row& row : rows) {
    grpc::Status s = Escalate(no, row.level, row.note, row.reply_in);
    EXPECT_EQ(s.error_code(), row.code)
        << row.name << ": " << s.error_message();
    EXPECT_EQ(s.error_message().rfind(row.field, 0), 0u)
        << row.name << ": " << s.error_message();
  }
  EXPECT_EQ(Get(no).version(), version);

  // A closed case: FAILED_PRECONDITION.
  const Case other = server_.CreatePetition("bad-escalate-2");
  ASSERT_TRUE(server_
                  .Act("registrar", other.case_number(), "decline",
                       {{"reason_code", "not_petition_matter"},
                        {"reason", "非信访事项"}})
                  .ok());
  EXPECT_EQ(
      Escalate(other.case_number(), jianyan::v1::ESCALATION_LEVEL_URGE, "x", {})
          .error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(SupervisionServiceTest, ReassignMovesTheCaseBetweenHandlers) {
  const std::string no = Forwarded("reassign-1");
  jianyan::v1::ReassignRequest req;
  req.set_request_id("reassign-req-1");
  req.set_case_number(no);
  req.set_expected_version(Get(no).version());
  req.set_organisation_id(kOtherDistrict);
  jianyan::v1::ReassignResponse resp;
  // Reason required; unknown organisation refused; nothing written.
  grpc::Status s = server_.supervision().Reassign(
      server_.As("supervisor").get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("reason", 0), 0u) << s.error_message();
  req.set_reason("属岱岳区管辖");
  req.set_organisation_id("no-such-org");
  s = server_.supervision().Reassign(server_.As("supervisor").get(), req,
                                     &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("organisation_id", 0), 0u)
      << s.error_message();
  // The district supervisor may not move it out of its district.
  req.set_organisation_id(kOtherDistrict);
  s = server_.supervision().Reassign(server_.As("district_supervisor").get(),
                                     req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A handler may not call it at all.
  s = server_.supervision().Reassign(server_.As("handler").get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  NoticeStream stream = Watch();
  s = server_.supervision().Reassign(server_.As("supervisor").get(), req,
                                     &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.case_().handling_organisation_id(), kOtherDistrict);
  EXPECT_EQ(stream.Next().kind(), jianyan::v1::NOTICE_KIND_REASSIGNED);
  // The receiving body's handlers see it at once; the former's no longer.
  jianyan::v1::GetCaseRequest get;
  get.set_case_number(no);
  Case seen;
  EXPECT_TRUE(server_.workflow()
                  .GetCase(server_.As("other_handler").get(), get, &seen)
                  .ok());
  EXPECT_EQ(server_.workflow()
                .GetCase(server_.As("handler").get(), get, &seen)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  jianyan::v1::ListCasesRequest list;
  jianyan::v1::ListCasesResponse listed;
  ASSERT_TRUE(server_.workflow()
                  .ListCases(server_.As("other_handler").get(), list, &listed)
                  .ok());
  ASSERT_EQ(listed.cases_size(), 1);
  EXPECT_EQ(listed.cases(0).case_number(), no);
  // The event log records who moved it and why.
  jianyan::v1::GetHistoryRequest history;
  history.set_case_number(no);
  jianyan::v1::GetHistoryResponse events;
  ASSERT_TRUE(server_.workflow()
                  .GetHistory(server_.As("supervisor").get(), history, &events)
                  .ok());
  EXPECT_EQ(events.events().rbegin()->action(), "reassign");
  EXPECT_EQ(events.events().rbegin()->reason(), "属岱岳区管辖");

  // An unrouted case: reassigning routes it.
  const Case fresh = server_.CreatePetition("reassign-2");
  req.set_request_id("reassign-req-2");
  req.set_case_number(fresh.case_number());
  req.set_expected_version(fresh.version());
  ASSERT_TRUE(server_.supervision()
                  .Reassign(server_.As("supervisor").get(), req, &resp)
                  .ok());
  EXPECT_EQ(resp.case_().handling_organisation_id(), kOtherDistrict);
  EXPECT_NE(resp.case_().state(), "registered");
}

TEST_F(SupervisionServiceTest, ListsAndStreamsRefuseBadInput) {
  jianyan::v1::ListOverdueRequest req;
  jianyan::v1::ListDeadlinesResponse resp;
  req.set_organisation_id("no-such-org");
  grpc::Status s = server_.supervision().ListOverdue(
      server_.As("supervisor").get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("organisation_id", 0), 0u);
  req.set_organisation_id(kOtherDistrict);
  s = server_.supervision().ListOverdue(server_.As("district_supervisor").get(),
                                        req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  req.set_organisation_id("");
  req.set_kind(static_cast<jianyan::v1::CaseKind>(7));
  s = server_.supervision().ListOverdue(server_.As("supervisor").get(), req,
                                        &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("kind", 0), 0u);
  req.set_kind(jianyan::v1::CASE_KIND_UNSPECIFIED);
  req.set_page_token("garbage");
  s = server_.supervision().ListOverdue(server_.As("supervisor").get(), req,
                                        &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("page_token", 0), 0u);
  s = server_.supervision().ListOverdue(
      server_.As("handler").get(), jianyan::v1::ListOverdueRequest(), &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // A cursor from the future, an unknown kind, a stranger's token.
  NoticeStream future(server_.supervision(), server_.As("supervisor"),
                      WatchAfter(42));
  s = future.Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("after_cursor", 0), 0u)
      << s.error_message();
  jianyan::v1::WatchEscalationsRequest bad_kind;
  bad_kind.add_kinds(static_cast<jianyan::v1::NoticeKind>(99));
  NoticeStream kinds(server_.supervision(), server_.As("supervisor"), bad_kind);
  s = kinds.Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("kinds[0]", 0), 0u) << s.error_message();
  NoticeStream stranger(server_.supervision(), server_.As("handler"),
                        WatchAfter(0));
  EXPECT_EQ(stranger.Finish().error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SupervisionServiceTest, GetStatsOverGrpc) {
  Forwarded("stats-one");
  Forwarded("stats-two");
  auto date = [](jianyan::v1::Date* d, int y, int m, int day) {
    d->set_year(y);
    d->set_month(m);
    d->set_day(day);
  };
  jianyan::v1::GetStatsRequest req;
  req.set_period(jianyan::v1::STATS_PERIOD_MONTH);
  date(req.mutable_from(), 2026, 3, 1);
  date(req.mutable_to(), 2026, 3, 31);
  req.set_group_by(jianyan::v1::STATS_GROUP_KIND);
  jianyan::v1::GetStatsResponse resp;
  grpc::Status s = server_.supervision().GetStats(
      server_.As("supervisor").get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(resp.rows_size(), 1);
  EXPECT_EQ(resp.rows(0).period(), "2026-03");
  EXPECT_EQ(resp.rows(0).kind(), jianyan::v1::CASE_KIND_PETITION);
  EXPECT_EQ(resp.rows(0).received(), 2u);

  // A reversed range, a day range over 366 days, another role.
  date(req.mutable_to(), 2026, 2, 1);
  s = server_.supervision().GetStats(server_.As("supervisor").get(), req,
                                     &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("to", 0), 0u) << s.error_message();
  req.set_period(jianyan::v1::STATS_PERIOD_DAY);
  date(req.mutable_from(), 2025, 1, 1);
  date(req.mutable_to(), 2026, 3, 1);
  s = server_.supervision().GetStats(server_.As("supervisor").get(), req,
                                     &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("to", 0), 0u) << s.error_message();
  EXPECT_EQ(server_.supervision()
                .GetStats(server_.As("handler").get(), req, &resp)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace jianyan::testing
