// Supervision in the default definitions (信访工作条例 Art 39(3), 40):
// escalation levels that only rise, reply due times set by the supervisor,
// the handling body's written reply and a missed reply, reassignment (改派),
// and the supervision notice each event raises.
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/workflow/workflow_test_util.h"

namespace jianyan {
namespace {

using ::jianyan::testing::CaseDriver;
using ::jianyan::testing::Cst;
using ::jianyan::v1::ESCALATION_LEVEL_LISTED;
using ::jianyan::v1::ESCALATION_LEVEL_SUPERVISE;
using ::jianyan::v1::ESCALATION_LEVEL_URGE;
using ::jianyan::v1::ROLE_HANDLER;
using ::jianyan::v1::ROLE_SUPERVISOR;
using ::testing::HasSubstr;

constexpr absl::Duration kSecond = absl::Seconds(1);

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

// Registered 2026-03-02 09:00 by org-1 and accepted there at 10:00.
CaseDriver Handling() {
  CaseDriver d("petition", Cst(2026, 3, 2, 9));
  EXPECT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 2, 10),
                   {{"organisation_id", "org-1"}})
                  .ok());
  return d;
}

// Art 39(3): 催办 -> 督办 -> 挂牌督办; a level is never given twice nor
// lowered, and each escalation raises ESCALATED.
TEST(SupervisionTest, Art39_LevelsOnlyRise) {
  CaseDriver d = Handling();
  const absl::Time now = Cst(2026, 3, 10);
  ASSERT_TRUE(d.Do("urge", ROLE_SUPERVISOR, now, {{"reason", "hurry"}}).ok());
  EXPECT_EQ(d.c().escalation_level(), ESCALATION_LEVEL_URGE);
  EXPECT_EQ(d.event().supervision_notice(), jianyan::v1::NOTICE_KIND_ESCALATED);
  EXPECT_EQ(d.event().escalation_level(), ESCALATION_LEVEL_URGE);
  EXPECT_EQ(d.Timer("supervision_reply"), nullptr);  // no reply asked
  absl::Status twice = d.Do("urge", ROLE_SUPERVISOR, now);
  EXPECT_EQ(twice.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(twice.message(),
              HasSubstr("level: 催办 (urge) is not above the case's current "
                        "level 催办 (urge)"));
  const std::map<std::string, std::string> form = {
      {"reason", "report progress"},
      {"reply_due_time", Rfc3339(Cst(2026, 3, 20))}};
  ASSERT_TRUE(d.Do("list_supervision", ROLE_SUPERVISOR, now, form).ok());
  EXPECT_EQ(d.c().escalation_level(), ESCALATION_LEVEL_LISTED);
  EXPECT_EQ(d.event().supervision_notice(), jianyan::v1::NOTICE_KIND_ESCALATED);
  absl::Status lower = d.Do("supervise", ROLE_SUPERVISOR, now, form);
  EXPECT_EQ(lower.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(lower.message(), HasSubstr("level: 督办 (supervise) is not above"
                                         " the case's current level 挂牌督办"));
  EXPECT_EQ(d.c().escalation_level(), ESCALATION_LEVEL_LISTED);
}

// A system overdue action raises the level too: 督办 is then no longer a
// rise, 挂牌督办 still is.
TEST(SupervisionTest, Art39_AnOverdueLevelCounts) {
  CaseDriver d = Handling();
  const absl::Time now = d.Due("handling") + absl::Hours(1);
  ASSERT_TRUE(d.Fire("handling", d.Due("handling")).ok());
  EXPECT_EQ(d.c().escalation_level(), ESCALATION_LEVEL_SUPERVISE);
  const std::map<std::string, std::string> form = {
      {"reason", "late"}, {"reply_due_time", Rfc3339(now + absl::Hours(72))}};
  EXPECT_EQ(d.Do("supervise", ROLE_SUPERVISOR, now, form).code(),
            absl::StatusCode::kFailedPrecondition);
  absl::Status listed = d.Do("list_supervision", ROLE_SUPERVISOR, now, form);
  EXPECT_TRUE(listed.ok()) << listed;
}

// 督办 and above need a note and a reply due time after now (at most 366
// days ahead); a bad one is refused and nothing changes.
TEST(SupervisionTest, Art40_ReplyDueTimeRequiredAndValidated) {
  CaseDriver d = Handling();
  const absl::Time now = Cst(2026, 3, 10, 12);
  const jianyan::v1::Case before = d.c();
  struct Bad {
    std::map<std::string, std::string> form;
    const char* message;
  };
  const Bad bad[] = {
      {{{"reason", "x"}}, "fields.reply_due_time: required by 'supervise'"},
      {{{"reply_due_time", Rfc3339(now + absl::Hours(1))}},
       "fields.reason: required by 'supervise'"},
      {{{"reason", "x"}, {"reply_due_time", "2026-03-20"}},
       "fields.reply_due_time: not an RFC 3339 time"},
      {{{"reason", "x"}, {"reply_due_time", "tomorrow"}},
       "fields.reply_due_time: not an RFC 3339 time"},
      {{{"reason", "x"}, {"reply_due_time", Rfc3339(now - kSecond)}},
       "fields.reply_due_time: must be after now"},
      {{{"reason", "x"}, {"reply_due_time", Rfc3339(now)}},
       "fields.reply_due_time: must be after now"},
      {{{"reason", "x"},
        {"reply_due_time", Rfc3339(now + absl::Hours(24 * 366) + kSecond)}},
       "fields.reply_due_time: at most 366 days ahead"},
  };
  for (const auto& b : bad) {
    absl::Status s = d.Do("supervise", ROLE_SUPERVISOR, now, b.form);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << b.message;
    EXPECT_THAT(s.message(), HasSubstr(b.message));
  }
  EXPECT_EQ(d.c().version(), before.version());
  // 催办 with a malformed reply due time is refused as well.
  EXPECT_EQ(
      d.Do("urge", ROLE_SUPERVISOR, now, {{"reply_due_time", "soon"}}).code(),
      absl::StatusCode::kInvalidArgument);
  const absl::Time due = now + absl::Hours(24 * 366);
  ASSERT_TRUE(d.Do("supervise", ROLE_SUPERVISOR, now,
                   {{"reason", "x"}, {"reply_due_time", Rfc3339(due)}})
                  .ok());
  ASSERT_NE(d.Timer("supervision_reply"), nullptr);
  EXPECT_EQ(d.Due("supervision_reply"), due);
  EXPECT_EQ(FromProto(d.Timer("supervision_reply")->start_time()), now);
}

// Art 40: the supervised body answers in writing before the due time; the
// reply cancels the timer and raises REPLIED. Only the handling body
// replies, and only while a reply is owed.
TEST(SupervisionTest, Art40_TheReplyCancelsTheTimer) {
  CaseDriver d = Handling();
  const absl::Time now = Cst(2026, 3, 10);
  EXPECT_EQ(
      d.Do("reply_supervision", ROLE_HANDLER, now, {{"reply", "done"}}).code(),
      absl::StatusCode::kFailedPrecondition);  // nothing to answer
  ASSERT_TRUE(d.Do("urge", ROLE_SUPERVISOR, now,
                   {{"reply_due_time", Rfc3339(Cst(2026, 3, 13))}})
                  .ok());
  EXPECT_EQ(d.Due("supervision_reply"), Cst(2026, 3, 13));
  EXPECT_EQ(d.Do("reply_supervision", ROLE_HANDLER, now).code(),
            absl::StatusCode::kInvalidArgument);  // the reply is required
  d.set_org("org-2");
  EXPECT_EQ(
      d.Do("reply_supervision", ROLE_HANDLER, now, {{"reply", "x"}}).code(),
      absl::StatusCode::kPermissionDenied);
  d.set_org("org-1");
  ASSERT_TRUE(d.Do("reply_supervision", ROLE_HANDLER,
                   Cst(2026, 3, 13) - kSecond, {{"reply", "done on 03-12"}})
                  .ok());
  EXPECT_EQ(d.event().supervision_notice(), jianyan::v1::NOTICE_KIND_REPLIED);
  EXPECT_EQ(d.event().from_state(), "handling");
  EXPECT_EQ(d.event().to_state(), "handling");
  EXPECT_EQ(d.Timer("supervision_reply"), nullptr);
  EXPECT_EQ(d.c().expired_deadlines_size(), 0);
  EXPECT_NE(d.Timer("handling"), nullptr);  // the handling limit runs on
}

// A missed reply due time raises REPLY_MISSED without moving the case; the
// reply is then too late.
TEST(SupervisionTest, Art40_AMissedReplyRaisesReplyMissed) {
  CaseDriver d = Handling();
  const absl::Time due = Cst(2026, 3, 13, 17, 30);
  ASSERT_TRUE(d.Do("supervise", ROLE_SUPERVISOR, Cst(2026, 3, 10),
                   {{"reason", "report"}, {"reply_due_time", Rfc3339(due)}})
                  .ok());
  EXPECT_EQ(d.Fire("supervision_reply", due - kSecond).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(d.Fire("supervision_reply", due).ok());
  EXPECT_EQ(d.event().action(), "supervision_reply_missed");
  EXPECT_EQ(d.event().supervision_notice(),
            jianyan::v1::NOTICE_KIND_REPLY_MISSED);
  EXPECT_EQ(d.event().fields().at("timer"), "supervision_reply");
  EXPECT_EQ(d.c().state(), "handling");
  EXPECT_EQ(d.c().escalation_level(), ESCALATION_LEVEL_SUPERVISE);
  EXPECT_EQ(
      d.Do("reply_supervision", ROLE_HANDLER, due, {{"reply", "late"}}).code(),
      absl::StatusCode::kFailedPrecondition);
}

// Art 25: marking a case major raises MAJOR.
TEST(SupervisionTest, Art25_MarkMajorRaisesMajor) {
  CaseDriver d = Handling();
  ASSERT_TRUE(d.Do("mark_major", ROLE_HANDLER, Cst(2026, 3, 3),
                   {{"reason", "many people"}})
                  .ok());
  EXPECT_EQ(d.event().supervision_notice(), jianyan::v1::NOTICE_KIND_MAJOR);
  // Ordinary actions raise none.
  ASSERT_TRUE(d.Do("hold_hearing", ROLE_HANDLER, Cst(2026, 3, 4)).ok());
  EXPECT_EQ(d.event().supervision_notice(),
            jianyan::v1::NOTICE_KIND_UNSPECIFIED);
}

// The service maps each level to the definition's supervisor action.
TEST(SupervisionTest, EscalationActionPerLevel) {
  for (const char* name : {"petition", "suggestion"}) {
    const Definition& def = *testing::Defaults().at(name);
    ASSERT_NE(EscalationAction(def, ESCALATION_LEVEL_URGE), nullptr) << name;
    EXPECT_EQ(EscalationAction(def, ESCALATION_LEVEL_URGE)->name(), "urge");
    EXPECT_EQ(EscalationAction(def, ESCALATION_LEVEL_SUPERVISE)->name(),
              "supervise");
    EXPECT_EQ(EscalationAction(def, ESCALATION_LEVEL_LISTED)->name(),
              "list_supervision");
    EXPECT_EQ(EscalationAction(def, jianyan::v1::ESCALATION_LEVEL_NONE),
              nullptr);
  }
}

// 改派 of an unrouted petition routes it as 转送 would: to 'forwarded', the
// acceptance limit and the objection window start for the receiving body
// and the routing limit ends (Art 21-23).
TEST(SupervisionTest, ReassignRoutesAnUnroutedCase) {
  CaseDriver d("petition", Cst(2026, 3, 2, 9));
  const absl::Time now = Cst(2026, 3, 3, 10);
  EXPECT_EQ(d.Do("reassign", ROLE_HANDLER, now,
                 {{"organisation_id", "org-2"}, {"reason", "x"}})
                .code(),
            absl::StatusCode::kPermissionDenied);  // supervisors only
  EXPECT_THAT(
      d.Do("reassign", ROLE_SUPERVISOR, now, {{"organisation_id", "org-2"}})
          .message(),
      HasSubstr("fields.reason: required by 'reassign'"));
  ASSERT_TRUE(d.Do("reassign", ROLE_SUPERVISOR, now,
                   {{"organisation_id", "org-2"}, {"reason", "its remit"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "forwarded");
  EXPECT_EQ(d.c().handling_organisation_id(), "org-2");
  EXPECT_EQ(d.event().supervision_notice(),
            jianyan::v1::NOTICE_KIND_REASSIGNED);
  EXPECT_EQ(d.event().reason(), "its remit");
  EXPECT_EQ(d.Timer("routing"), nullptr);
  ASSERT_NE(d.Timer("acceptance"), nullptr);
  EXPECT_EQ(FromProto(d.Timer("acceptance")->start_time()), now);
  ASSERT_NE(d.Timer("objection_window"), nullptr);
  // The receiving body now acts on it; the registering body no longer does.
  EXPECT_EQ(d.Do("accept", ROLE_HANDLER, now).code(),
            absl::StatusCode::kPermissionDenied);
  d.set_org("org-2");
  EXPECT_TRUE(d.Do("accept", ROLE_HANDLER, now).ok());
}

// Taken back after an objection (registered again), it is unrouted again.
TEST(SupervisionTest, ReassignRoutesACaseTakenBack) {
  CaseDriver d("petition", Cst(2026, 3, 2, 9));
  ASSERT_TRUE(d.Do("forward", ROLE_HANDLER, Cst(2026, 3, 2, 10),
                   {{"organisation_id", "org-2"}})
                  .ok());
  d.set_org("org-2");
  ASSERT_TRUE(
      d.Do("object", ROLE_HANDLER, Cst(2026, 3, 3), {{"reason", "not ours"}})
          .ok());
  d.set_org("org-1");
  ASSERT_TRUE(d.Do("approve_objection", ROLE_HANDLER, Cst(2026, 3, 4)).ok());
  ASSERT_EQ(d.c().state(), "registered");
  ASSERT_TRUE(d.Do("reassign", ROLE_SUPERVISOR, Cst(2026, 3, 5),
                   {{"organisation_id", "org-3"}, {"reason", "its remit"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "forwarded");
  EXPECT_EQ(d.c().handling_organisation_id(), "org-3");
  EXPECT_EQ(FromProto(d.Timer("acceptance")->start_time()), Cst(2026, 3, 5));
}

// 改派 of a routed case keeps its state and its running limits; only the
// handling body changes.
TEST(SupervisionTest, ReassignKeepsTheStateOfARoutedCase) {
  CaseDriver d = Handling();
  const absl::Time due = d.Due("handling");
  ASSERT_TRUE(d.Do("reassign", ROLE_SUPERVISOR, Cst(2026, 3, 10),
                   {{"organisation_id", "org-3"}, {"reason", "conflict"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "handling");
  EXPECT_EQ(d.event().from_state(), "handling");
  EXPECT_EQ(d.event().to_state(), "handling");
  EXPECT_EQ(d.c().handling_organisation_id(), "org-3");
  EXPECT_EQ(d.Due("handling"), due);
  EXPECT_EQ(d.Timer("acceptance"), nullptr);
  EXPECT_EQ(d.Timer("objection_window"), nullptr);
  EXPECT_EQ(d.Do("hold_hearing", ROLE_HANDLER, Cst(2026, 3, 11)).code(),
            absl::StatusCode::kPermissionDenied);  // org-1: no longer
  d.set_org("org-3");
  EXPECT_TRUE(d.Do("hold_hearing", ROLE_HANDLER, Cst(2026, 3, 11)).ok());
  // Suggestions: the receiving body takes it where it stands.
  CaseDriver s("suggestion", Cst(2026, 3, 2, 9));
  ASSERT_TRUE(s.Do("reassign", ROLE_SUPERVISOR, Cst(2026, 3, 3),
                   {{"organisation_id", "dept-9"}, {"reason", "its remit"}})
                  .ok());
  EXPECT_EQ(s.c().state(), "received");
  EXPECT_EQ(s.c().handling_organisation_id(), "dept-9");
  EXPECT_EQ(s.event().supervision_notice(),
            jianyan::v1::NOTICE_KIND_REASSIGNED);
}

// Art 30: never onto the accused body or one under it.
TEST(SupervisionTest, Art30_ReassignRefusesTheAccused) {
  auto intake = CaseDriver::Intake(jianyan::v1::PETITION_TYPE_ACCUSATION);
  intake.set_accused_organisation_id("county-land");
  CaseDriver d(testing::Defaults().at("petition"), Cst(2026, 3, 2, 9), intake);
  const std::map<std::string, std::string> onto_accused = {
      {"organisation_id", "county-land"}, {"reason", "x"}};
  EXPECT_THAT(d.Do("reassign", ROLE_SUPERVISOR, Cst(2026, 3, 3), onto_accused)
                  .message(),
              HasSubstr("accused organisation 'county-land'"));
  d.set_ancestors({"county-land", "county"});
  EXPECT_EQ(d.Do("reassign", ROLE_SUPERVISOR, Cst(2026, 3, 3),
                 {{"organisation_id", "county-land-office"}, {"reason", "x"}})
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(d.c().state(), "registered");
  d.set_ancestors({"county"});
  ASSERT_TRUE(d.Do("reassign", ROLE_SUPERVISOR, Cst(2026, 3, 3),
                   {{"organisation_id", "county-discipline"}, {"reason", "x"}})
                  .ok());
  EXPECT_EQ(d.c().handling_organisation_id(), "county-discipline");
}

}  // namespace
}  // namespace jianyan
