// Walks petitions through every rule of the default petition definition,
// each time limit at its exact boundary.
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/workflow/workflow_test_util.h"

namespace jianyan {
namespace {

using ::jianyan::testing::CaseDriver;
using ::jianyan::testing::Cst;
using ::jianyan::v1::ROLE_HANDLER;
using ::jianyan::v1::ROLE_PETITIONER;
using ::jianyan::v1::ROLE_SUPERVISOR;
using ::jianyan::v1::ROLE_TERMINAL;
using ::testing::HasSubstr;

constexpr absl::Duration kSecond = absl::Seconds(1);

// Registered 2026-03-02 (Mon) 10:00: day 15 is 03-17, day 16 is 03-18.
CaseDriver Registered() { return CaseDriver("petition", Cst(2026, 3, 2, 10)); }

void Respond(CaseDriver& d, absl::Time at) {
  ASSERT_TRUE(d.Do("respond", ROLE_HANDLER, at, {{"opinion", "support"}}).ok());
}

TEST(PetitionTest, CreationProducesTheContractedChange) {
  CaseDriver d = Registered();
  const auto& change = d.last().change;
  EXPECT_EQ(d.c().state(), "registered");
  EXPECT_EQ(d.c().state_label().zh(), "已登记");
  EXPECT_EQ(d.c().version(), 1u);
  EXPECT_EQ(d.c().last_event_seq(), 1u);
  EXPECT_TRUE(d.c().open());
  EXPECT_EQ(d.c().definition_version(), d.def().version());
  ASSERT_EQ(change.events.size(), 1u);
  EXPECT_EQ(change.events[0].action(), "register");
  EXPECT_EQ(change.events[0].seq(), 1u);
  EXPECT_TRUE(change.events[0].prev_hash().empty());
  ASSERT_EQ(change.counters.size(), 1u);
  EXPECT_EQ(change.counters[0].metric, "received");
  EXPECT_EQ(change.counters[0].reporting_point_id, "point-1");
  // Before routing, counts belong to the registering body.
  EXPECT_EQ(change.counters[0].organisation_id, "org-1");
  ASSERT_EQ(d.c().deadlines_size(), 1);
  EXPECT_EQ(d.c().deadlines(0).timer(), "acceptance");
  EXPECT_EQ(d.Due("acceptance"), Cst(2026, 3, 18));
  EXPECT_EQ(FromProto(d.c().deadlines(0).warn_time()), Cst(2026, 3, 15));
  EXPECT_EQ(FromProto(d.c().due_time()), Cst(2026, 3, 18));
  EXPECT_FALSE(d.c().confidential());
}

TEST(PetitionTest, AccusationsAreConfidential) {
  CaseDriver d("petition", Cst(2026, 3, 2, 10),
               jianyan::v1::PETITION_TYPE_ACCUSATION);
  EXPECT_TRUE(d.c().confidential());
}

TEST(PetitionTest, AcceptOnDay15IsTimely) {
  CaseDriver d = Registered();
  absl::Time last = Cst(2026, 3, 18) - kSecond;  // 03-17 23:59:59
  EXPECT_THAT(d.Fire("acceptance", last).message(), HasSubstr("is not due"));
  ASSERT_TRUE(d.Do("accept", ROLE_HANDLER, last).ok());
  EXPECT_EQ(d.c().state(), "handling");
  EXPECT_EQ(d.counters()["acceptance_decided"], 1u);
  EXPECT_EQ(d.counters()["accepted_on_time"], 1u);
  EXPECT_EQ(d.Timer("acceptance"), nullptr);
  EXPECT_EQ(d.last().effects.timers.cancelled,
            std::vector<std::string>{"acceptance"});
}

TEST(PetitionTest, OnDay16TheAcceptanceTimerHasFiredOnce) {
  CaseDriver d = Registered();
  jianyan::v1::Case before = d.c();
  ASSERT_TRUE(d.Fire("acceptance", Cst(2026, 3, 18)).ok());
  EXPECT_EQ(d.c().state(), "registered");
  EXPECT_EQ(d.c().escalation_level(), jianyan::v1::ESCALATION_LEVEL_URGE);
  EXPECT_EQ(d.Timer("acceptance"), nullptr);
  ASSERT_EQ(d.c().expired_deadlines_size(), 1);
  EXPECT_EQ(d.c().expired_deadlines(0).timer(), "acceptance");
  // Overdue: the case stays sorted by the missed due time.
  EXPECT_EQ(FromProto(d.c().due_time()), Cst(2026, 3, 18));
  // Never twice: the timer is gone, and a replayed command is refused.
  EXPECT_EQ(d.Fire("acceptance", Cst(2026, 3, 19)).code(),
            absl::StatusCode::kNotFound);
  auto replay = FireTimerCommand(d.def(), before, "acceptance");
  ASSERT_TRUE(replay.ok());
  EXPECT_THAT(
      Transition(d.def(), d.c(), *replay, Cst(2026, 3, 19)).status().message(),
      HasSubstr("timer 'acceptance' is not running"));
  ASSERT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 18)).ok());
  EXPECT_EQ(d.c().expired_deadlines_size(), 0);  // no longer overdue
  EXPECT_EQ(FromProto(d.c().due_time()), Cst(2026, 5, 18));
  EXPECT_EQ(d.counters()["acceptance_decided"], 1u);
  EXPECT_EQ(d.counters()["accepted_on_time"], 0u);
}

TEST(PetitionTest, PreciseErrors) {
  CaseDriver d = Registered();
  EXPECT_EQ(d.Do("assign", ROLE_TERMINAL, Cst(2026, 3, 3),
                 {{"organisation_id", "org-2"}}),
            absl::PermissionDeniedError("role 'terminal' may not 'assign'"));
  EXPECT_EQ(d.Do("decline", ROLE_HANDLER, Cst(2026, 3, 3)),
            absl::InvalidArgumentError(
                "field 'reason_code' is required by 'decline'"));
  EXPECT_THAT(
      d.Do("decline", ROLE_HANDLER, Cst(2026, 3, 3), {{"reason_code", "whim"}})
          .message(),
      HasSubstr("must be one of: litigation, arbitration"));
  EXPECT_THAT(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 3), {{"colour", "x"}})
                  .message(),
              HasSubstr("field 'colour' is not taken by 'accept'"));
  EXPECT_EQ(d.Do("fly", ROLE_HANDLER, Cst(2026, 3, 3)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(d.Do("acceptance_overdue", ROLE_HANDLER, Cst(2026, 3, 30)).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(d.c().version(), 1u);  // nothing applied
  // 诉访分离: declined with the reason code, terminal.
  ASSERT_TRUE(d.Do("decline", ROLE_HANDLER, Cst(2026, 3, 3),
                   {{"reason_code", "litigation"}})
                  .ok());
  EXPECT_EQ(d.last().change.events[0].reason_code(), "litigation");
  EXPECT_FALSE(d.c().open());
  EXPECT_EQ(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 4)),
            absl::FailedPreconditionError(
                "action 'accept' is not allowed in state 'declined' (allowed: "
                "none)"));
}

// The role is checked before the state: a terminal, which may never
// 'assign', asking on a declined case learns only that it may not.
TEST(PetitionTest, RoleIsCheckedBeforeState) {
  CaseDriver d = Registered();
  ASSERT_TRUE(
      d.Do("decline", ROLE_HANDLER, Cst(2026, 3, 3), {{"reason_code", "other"}})
          .ok());
  EXPECT_EQ(d.Do("assign", ROLE_TERMINAL, Cst(2026, 3, 4),
                 {{"organisation_id", "org-2"}}),
            absl::PermissionDeniedError("role 'terminal' may not 'assign'"));
  // A handler of another body learns nothing of the case's state either.
  d.set_org("org-9");
  EXPECT_EQ(d.Do("assign", ROLE_HANDLER, Cst(2026, 3, 4),
                 {{"organisation_id", "org-2"}})
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(PetitionTest, NotAllowedListsTheAllowedActions) {
  CaseDriver d = Registered();
  EXPECT_THAT(
      d.Do("respond", ROLE_HANDLER, Cst(2026, 3, 3), {{"opinion", "support"}})
          .message(),
      HasSubstr("action 'respond' is not allowed in state "
                "'registered' (allowed: accept, forward, assign, "
                "decline, merge, urge, supervise, list_supervision)"));
}

TEST(PetitionTest, DuplicateIsMergedIntoTheOpenCase) {
  CaseDriver d = Registered();
  ASSERT_TRUE(d.Do("merge", ROLE_HANDLER, Cst(2026, 3, 3),
                   {{"merged_into", "P2026-00000007-3"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "merged");
  EXPECT_EQ(d.c().merged_into(), "P2026-00000007-3");
  EXPECT_EQ(d.c().deadlines_size(), 0);
  EXPECT_EQ(d.counters()["closed"], 1u);
  EXPECT_EQ(d.counters()["one_time_resolved"], 0u);
}

// Forwarded 2026-09-30 (Wed): 5 working days skip 10-01..07 and count the
// make-up Saturday 10-10: 10-08, 09, 10, 12, 13 -> until 24:00 of 10-13.
TEST(PetitionTest, ObjectionWithinFiveWorkingDaysAcrossNationalDay) {
  CaseDriver d("petition", Cst(2026, 9, 30, 9));
  ASSERT_TRUE(d.Do("forward", ROLE_HANDLER, Cst(2026, 9, 30, 15),
                   {{"organisation_id", "org-2"}})
                  .ok());
  EXPECT_EQ(d.c().handling_organisation_id(), "org-2");
  EXPECT_EQ(d.Due("objection_window"), Cst(2026, 10, 14));
  // Only the receiving body's handlers act on it now.
  EXPECT_EQ(
      d.Do("accept", ROLE_HANDLER, Cst(2026, 10, 8)),
      absl::PermissionDeniedError("handler of organisation 'org-1' may "
                                  "not act on a case handled by 'org-2'"));
  d.set_org("org-2");
  EXPECT_FALSE(d.Timer("objection_window")->provisional());
  CaseDriver late = d;
  ASSERT_TRUE(d.Do("object", ROLE_HANDLER, Cst(2026, 10, 14) - kSecond,
                   {{"reason", "not ours"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "registered");
  EXPECT_EQ(d.c().handling_organisation_id(), "");  // back for routing
  EXPECT_EQ(d.Timer("objection_window"), nullptr);
  EXPECT_NE(d.Timer("acceptance"), nullptr);  // keeps running from creation
  // At 24:00 of the fifth working day the window is over.
  EXPECT_THAT(late.Do("object", ROLE_HANDLER, Cst(2026, 10, 14),
                      {{"reason", "not ours"}})
                  .message(),
              HasSubstr("needs timer 'objection_window' running"));
  ASSERT_TRUE(late.Fire("objection_window", Cst(2026, 10, 14)).ok());
  EXPECT_EQ(late.c().state(), "forwarded");
  EXPECT_EQ(late.Timer("objection_window"), nullptr);
  // A closed window is not an overdue case: the due time is acceptance's.
  EXPECT_EQ(late.c().expired_deadlines_size(), 0);
  EXPECT_EQ(FromProto(late.c().due_time()), late.Due("acceptance"));
}

// Forwarded 2026-12-28: the window runs into 2027, which has no calendar
// file: weekends only, and the deadline says it is provisional.
TEST(PetitionTest, DeadlineIntoAYearWithoutCalendarIsProvisional) {
  CaseDriver d("petition", Cst(2026, 12, 28, 9));
  EXPECT_FALSE(d.Timer("acceptance")->provisional());  // calendar days
  ASSERT_TRUE(d.Do("forward", ROLE_HANDLER, Cst(2026, 12, 28, 10),
                   {{"organisation_id", "org-2"}})
                  .ok());
  // 12-29, 12-30, 12-31, 2027-01-01 (no file: a Friday), 01-04.
  EXPECT_EQ(d.Due("objection_window"), Cst(2027, 1, 5));
  EXPECT_TRUE(d.Timer("objection_window")->provisional());
}

// Assigned 2026-05-06 (Wed): 05-07, 08, 09 (make-up Saturday), 11, 12.
TEST(PetitionTest, ObjectionWindowCountsTheMakeUpSaturday) {
  CaseDriver d("petition", Cst(2026, 5, 6, 9));
  ASSERT_TRUE(d.Do("assign", ROLE_HANDLER, Cst(2026, 5, 6, 10),
                   {{"organisation_id", "org-3"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "assigned");
  EXPECT_EQ(d.Due("objection_window"), Cst(2026, 5, 13));
  EXPECT_EQ(d.Due("handling"), Cst(2026, 7, 6));  // 60 days: end of 07-05
  d.set_org("org-3");
  CaseDriver late = d;
  ASSERT_TRUE(d.Do("object", ROLE_HANDLER, Cst(2026, 5, 12, 23, 59, 59),
                   {{"reason", "misrouted"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "registered");
  EXPECT_EQ(d.Timer("handling"), nullptr);
  // Back for routing: the acceptance clock runs again from registration
  // (05-06 09:00 + 15 days = end of 05-21), so the case is never clockless.
  ASSERT_NE(d.Timer("acceptance"), nullptr);
  EXPECT_EQ(d.Due("acceptance"), Cst(2026, 5, 22));
  EXPECT_EQ(FromProto(d.c().due_time()), Cst(2026, 5, 22));
  EXPECT_EQ(late.Do("object", ROLE_HANDLER, Cst(2026, 5, 13),
                    {{"reason", "misrouted"}})
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

// Accepted 2026-03-02 10:00: 60 days end at 24:00 of 05-01.
TEST(PetitionTest, HandlingSixtyDaysWithoutExtension) {
  CaseDriver d = Registered();
  ASSERT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 2, 10)).ok());
  EXPECT_EQ(d.Due("handling"), Cst(2026, 5, 2));
  // Warned with 3 working days left; 05-01 is a holiday, so the last working
  // days are 04-28, 04-29, 04-30: warned from 00:00 of 04-28.
  EXPECT_EQ(FromProto(d.Timer("handling")->warn_time()), Cst(2026, 4, 28));
  CaseDriver late = d;
  CaseDriver at_due = d;
  Respond(d, Cst(2026, 5, 2) - kSecond);
  EXPECT_EQ(d.counters()["completion_decided"], 1u);
  EXPECT_EQ(d.counters()["completed_on_time"], 1u);
  // 24:00 of the last day is already late, for the rates as for the timer.
  Respond(at_due, Cst(2026, 5, 2));
  EXPECT_EQ(at_due.counters()["completion_decided"], 1u);
  EXPECT_EQ(at_due.counters()["completed_on_time"], 0u);

  EXPECT_EQ(late.Fire("handling", Cst(2026, 5, 2) - kSecond).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(late.Fire("handling", Cst(2026, 5, 2)).ok());
  EXPECT_EQ(late.c().escalation_level(),
            jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
  // Too late to extend a limit that has already run out.
  EXPECT_THAT(
      late.Do("extend", ROLE_SUPERVISOR, Cst(2026, 5, 2), {{"reason", "late"}})
          .message(),
      HasSubstr("extends timer 'handling' which is not running"));
  Respond(late, Cst(2026, 5, 3));
  EXPECT_EQ(late.counters()["completion_decided"], 1u);
  EXPECT_EQ(late.counters()["completed_on_time"], 0u);
}

TEST(PetitionTest, HandlingSixtyPlusThirtyWithExtension) {
  CaseDriver d = Registered();
  ASSERT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 2, 10)).ok());
  EXPECT_EQ(
      d.Do("extend", ROLE_HANDLER, Cst(2026, 4, 20), {{"reason", "x"}}).code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      d.Do("extend", ROLE_SUPERVISOR, Cst(2026, 4, 20)),
      absl::InvalidArgumentError("field 'reason' is required by 'extend'"));
  ASSERT_TRUE(d.Do("extend", ROLE_SUPERVISOR, Cst(2026, 4, 20),
                   {{"reason", "needs site survey"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "handling");
  EXPECT_EQ(d.Due("handling"), Cst(2026, 6, 1));  // end of 05-31
  EXPECT_EQ(d.Timer("handling")->extensions(), 1u);
  EXPECT_EQ(d.last().effects.timers.extended,
            std::vector<std::string>{"handling"});
  EXPECT_THAT(
      d.Do("extend", ROLE_SUPERVISOR, Cst(2026, 4, 21), {{"reason", "again"}})
          .message(),
      HasSubstr("may be extended at most 1 time(s)"));
  EXPECT_EQ(d.Fire("handling", Cst(2026, 5, 2)).code(),
            absl::StatusCode::kFailedPrecondition);
  CaseDriver late = d;
  Respond(d, Cst(2026, 6, 1) - kSecond);
  EXPECT_EQ(d.counters()["completed_on_time"], 1u);
  ASSERT_TRUE(late.Fire("handling", Cst(2026, 6, 1)).ok());
}

// Walks to the unsatisfied state: responded 2026-03-10 10:00, so the review
// request window ends at 24:00 of 04-09.
CaseDriver Unsatisfied() {
  CaseDriver d = Registered();
  EXPECT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 3)).ok());
  EXPECT_TRUE(d.Do("respond", ROLE_HANDLER, Cst(2026, 3, 10, 10),
                   {{"opinion", "explain"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "responded");
  EXPECT_TRUE(d.last().effects.rating_requested);
  EXPECT_EQ(d.Due("rating_window"), Cst(2026, 3, 26));
  EXPECT_EQ(d.Due("review_request_window"), Cst(2026, 4, 10));
  EXPECT_TRUE(d.Do("rate", ROLE_PETITIONER, Cst(2026, 3, 12),
                   {{"rating", "unsatisfied"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "unsatisfied");
  EXPECT_EQ(d.Timer("rating_window"), nullptr);
  return d;
}

// Before routing only the registering body's handlers act on a case: an
// accusation (检举控告) never reaches another body before it is routed.
TEST(PetitionTest, OnlyTheRoutingBodyRoutesAnUnroutedCase) {
  CaseDriver d("petition", Cst(2026, 3, 2, 9),
               jianyan::v1::PETITION_TYPE_ACCUSATION);  // registered by org-1
  d.set_org("accused-body");
  EXPECT_THAT(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 2, 10)).message(),
              HasSubstr("may not route a case registered by 'org-1'"));
  d.set_org("org-1");
  ASSERT_TRUE(d.Do("forward", ROLE_HANDLER, Cst(2026, 3, 2, 10),
                   {{"organisation_id", "org-2"}})
                  .ok());
  EXPECT_THAT(
      d.Do("decline", ROLE_HANDLER, Cst(2026, 3, 3), {{"reason_code", "other"}})
          .message(),
      HasSubstr("may not act on a case handled by 'org-2'"));
  d.set_org("org-2");
  ASSERT_TRUE(
      d.Do("object", ROLE_HANDLER, Cst(2026, 3, 3), {{"reason", "not ours"}})
          .ok());
  // Back with the registering body for routing.
  EXPECT_EQ(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 4)).code(),
            absl::StatusCode::kPermissionDenied);
  d.set_org("org-1");
  EXPECT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 4)).ok());
}

// One extension over the case's life, and only while the limit runs.
TEST(PetitionTest, OneExtensionPerCaseGrantedBeforeTheLimitEnds) {
  CaseDriver d = Registered();
  ASSERT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 2, 10)).ok());
  CaseDriver at_due = d;  // due 24:00 of 05-01, not yet fired
  EXPECT_THAT(
      at_due
          .Do("extend", ROLE_SUPERVISOR, Cst(2026, 5, 2), {{"reason", "late"}})
          .message(),
      HasSubstr("has expired"));
  ASSERT_TRUE(
      d.Do("extend", ROLE_SUPERVISOR, Cst(2026, 4, 1), {{"reason", "complex"}})
          .ok());
  Respond(d, Cst(2026, 4, 10));
  ASSERT_TRUE(d.Do("rate", ROLE_PETITIONER, Cst(2026, 4, 11),
                   {{"rating", "unsatisfied"}})
                  .ok());
  ASSERT_TRUE(
      d.Do("redo", ROLE_SUPERVISOR, Cst(2026, 4, 12), {{"reason", "redo"}})
          .ok());
  ASSERT_NE(d.Timer("handling"), nullptr);  // a fresh 60 days
  EXPECT_THAT(
      d.Do("extend", ROLE_SUPERVISOR, Cst(2026, 4, 13), {{"reason", "again"}})
          .message(),
      HasSubstr("at most 1 time(s)"));
}

TEST(PetitionTest, SatisfiedClosesAsOneTimeResolution) {
  CaseDriver d = Registered();
  ASSERT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 3)).ok());
  Respond(d, Cst(2026, 3, 10));
  ASSERT_TRUE(d.Do("rate", ROLE_PETITIONER, Cst(2026, 3, 11),
                   {{"rating", "basically_satisfied"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "closed");
  EXPECT_FALSE(d.c().open());
  EXPECT_EQ(d.c().deadlines_size(), 0);
  EXPECT_EQ(d.c().rating().level(),
            jianyan::v1::RATING_LEVEL_BASICALLY_SATISFIED);
  auto rates = ComputeRates(d.counters());
  // By level for the stats rows; 基本满意 counts as satisfied for the rate.
  EXPECT_EQ(d.counters()["rated_basically_satisfied"], 1u);
  EXPECT_EQ(d.counters()["rated_satisfied"], 0u);
  EXPECT_EQ(d.counters()["rated_unsatisfied"], 0u);
  EXPECT_EQ(rates.participation, 1.0);
  EXPECT_EQ(rates.satisfaction, 1.0);
  EXPECT_EQ(rates.one_time_resolution, 1.0);
  EXPECT_EQ(rates.timely_acceptance, 1.0);
  EXPECT_EQ(rates.on_time_completion, 1.0);
}

// An unrated response stands, but the petitioner keeps the right to request
// a review (复查) for 30 days from the response; then the case closes.
TEST(PetitionTest, UnratedCaseKeepsTheReviewRightThenCloses) {
  CaseDriver d = Registered();
  ASSERT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 3)).ok());
  Respond(d, Cst(2026, 3, 10, 10));
  EXPECT_EQ(d.Fire("rating_window", Cst(2026, 3, 26) - kSecond).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(d.Fire("rating_window", Cst(2026, 3, 26)).ok());
  EXPECT_EQ(d.c().state(), "unrated");
  EXPECT_TRUE(d.c().open());
  EXPECT_EQ(
      d.Do("rate", ROLE_PETITIONER, Cst(2026, 3, 27), {{"rating", "satisfied"}})
          .code(),
      absl::StatusCode::kFailedPrecondition);
  CaseDriver reviewed = d;
  ASSERT_TRUE(reviewed
                  .Do("request_review", ROLE_PETITIONER,
                      Cst(2026, 4, 10) - kSecond, {{"reason", "disagree"}})
                  .ok());
  EXPECT_EQ(reviewed.c().state(), "review");
  EXPECT_EQ(d.Fire("review_request_window", Cst(2026, 4, 10) - kSecond).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(d.Fire("review_request_window", Cst(2026, 4, 10)).ok());
  EXPECT_EQ(d.c().state(), "closed");
  EXPECT_EQ(d.counters()["rateable"], 1u);
  EXPECT_EQ(d.counters()["rated"], 0u);
  EXPECT_EQ(ComputeRates(d.counters()).participation, 0.0);
  EXPECT_EQ(d.counters()["one_time_resolved"], 0u);
}

TEST(PetitionTest, RedoAtMostOnce) {
  CaseDriver d = Unsatisfied();
  EXPECT_EQ(
      d.Do("redo", ROLE_HANDLER, Cst(2026, 3, 13), {{"reason", "r"}}).code(),
      absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(
      d.Do("redo", ROLE_SUPERVISOR, Cst(2026, 3, 13, 9), {{"reason", "redo"}})
          .ok());
  EXPECT_EQ(d.c().state(), "handling");
  EXPECT_EQ(d.Due("handling"), Cst(2026, 5, 13));  // a fresh 60 days
  EXPECT_EQ(d.Timer("review_request_window"), nullptr);
  Respond(d, Cst(2026, 3, 20));
  ASSERT_TRUE(d.Do("rate", ROLE_PETITIONER, Cst(2026, 3, 21),
                   {{"rating", "unsatisfied"}})
                  .ok());
  EXPECT_EQ(d.c().previous_ratings_size(), 1);
  EXPECT_THAT(
      d.Do("redo", ROLE_SUPERVISOR, Cst(2026, 3, 22), {{"reason", "again"}})
          .message(),
      HasSubstr("action 'redo' may be applied at most 1 time(s)"));
  // Satisfied after a redo is not a one-time resolution.
  EXPECT_EQ(d.counters()["one_time_resolved"], 0u);
}

TEST(PetitionTest, ReviewRequestWithinThirtyDaysOfTheResponse) {
  CaseDriver d = Unsatisfied();
  CaseDriver late = d;
  ASSERT_TRUE(d.Do("request_review", ROLE_PETITIONER,
                   Cst(2026, 4, 10) - kSecond, {{"reason", "disagree"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "review");
  EXPECT_EQ(d.Due("review"), Cst(2026, 5, 10));  // answered in 30 days
  EXPECT_THAT(late.Do("request_review", ROLE_PETITIONER, Cst(2026, 4, 10),
                      {{"reason", "disagree"}})
                  .message(),
              HasSubstr("needs timer 'review_request_window' running"));
  ASSERT_TRUE(late.Fire("review_request_window", Cst(2026, 4, 10)).ok());
  EXPECT_EQ(late.c().state(), "closed");
}

// Review, re-review with a hearing (paused clock), termination.
TEST(PetitionTest, ReReviewClockPausesDuringHearingThenTerminates) {
  CaseDriver d = Unsatisfied();
  ASSERT_TRUE(d.Do("request_review", ROLE_PETITIONER, Cst(2026, 3, 20),
                   {{"reason", "disagree"}, {"organisation_id", "city"}})
                  .ok());
  EXPECT_EQ(d.c().handling_organisation_id(), "city");
  d.set_org("city");  // the level above answers
  ASSERT_TRUE(d.Do("answer_review", ROLE_HANDLER, Cst(2026, 4, 1),
                   {{"opinion", "uphold"}})
                  .ok());
  EXPECT_EQ(d.Due("rereview_request_window"), Cst(2026, 5, 2));
  ASSERT_TRUE(d.Do("request_rereview", ROLE_PETITIONER,
                   Cst(2026, 6, 1, 10) - absl::Hours(24 * 31),
                   {{"reason", "still disagree"}})
                  .ok());
  // Requested 2026-05-01 10:00: 30 days end at 24:00 of 05-31.
  EXPECT_EQ(d.c().state(), "rereview");
  EXPECT_EQ(d.Due("rereview"), Cst(2026, 6, 1));
  // Hearing from 05-11 10:00 to 05-21 10:00: ten days do not count.
  ASSERT_TRUE(d.Do("start_hearing", ROLE_HANDLER, Cst(2026, 5, 11, 10)).ok());
  const auto* paused = d.Timer("rereview");
  ASSERT_NE(paused, nullptr);
  EXPECT_TRUE(paused->paused());
  EXPECT_FALSE(paused->has_due_time());
  EXPECT_EQ(paused->remaining_seconds(), 20 * 86400 + 14 * 3600);
  EXPECT_FALSE(d.c().has_due_time());
  EXPECT_EQ(d.Fire("rereview", Cst(2026, 6, 5)).code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(d.Do("end_hearing", ROLE_HANDLER, Cst(2026, 5, 21, 10)).ok());
  EXPECT_EQ(d.Due("rereview"), Cst(2026, 6, 11));
  EXPECT_EQ(FromProto(d.c().due_time()), Cst(2026, 6, 11));
  EXPECT_EQ(d.Fire("rereview", Cst(2026, 6, 11) - kSecond).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(d.Do("answer_rereview", ROLE_HANDLER, Cst(2026, 6, 10),
                   {{"opinion", "uphold"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "terminated");
  EXPECT_TRUE(BarsResubmission(d.def(), d.c()));
  EXPECT_FALSE(d.c().open());
  EXPECT_EQ(d.c().deadlines_size(), 0);
  // A terminal case never moves again.
  EXPECT_THAT(
      d.Do("urge", ROLE_SUPERVISOR, Cst(2026, 6, 12)).message(),
      HasSubstr("is not allowed in state 'terminated' (allowed: none)"));
}

TEST(PetitionTest, EscalationOnlyRises) {
  CaseDriver d = Registered();
  ASSERT_TRUE(
      d.Do("supervise", ROLE_SUPERVISOR, Cst(2026, 3, 3), {{"reason", "slow"}})
          .ok());
  ASSERT_TRUE(d.Do("urge", ROLE_SUPERVISOR, Cst(2026, 3, 4)).ok());
  EXPECT_EQ(d.c().escalation_level(), jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
  EXPECT_EQ(d.last().change.events[0].escalation_level(),
            jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
}

TEST(PetitionTest, EventsAndVersionsAreConsecutive) {
  CaseDriver d = Registered();
  ASSERT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 3)).ok());
  Respond(d, Cst(2026, 3, 10));
  const auto& e = d.last().change.events;
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].seq(), 3u);
  EXPECT_EQ(d.c().version(), 3u);
  EXPECT_EQ(d.c().last_event_seq(), 3u);
  EXPECT_EQ(e[0].from_state(), "handling");
  EXPECT_EQ(e[0].to_state(), "responded");
  EXPECT_EQ(e[0].request_id(), "req-2");
  EXPECT_EQ(e[0].fields().at("opinion"), "support");
  EXPECT_EQ(d.c().attributes().at("opinion"), "support");
}

TEST(PetitionTest, DeterministicAndPinned) {
  CaseDriver d = Registered();
  Command c;
  c.action = "accept";
  c.actor = testing::ActorOf(ROLE_HANDLER, "org-1");
  c.request_id = "r";
  auto a = Transition(d.def(), d.c(), c, Cst(2026, 3, 3));
  auto b = Transition(d.def(), d.c(), c, Cst(2026, 3, 3));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      a->change.case_after, b->change.case_after));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      a->change.events[0], b->change.events[0]));
  EXPECT_EQ(a->change.counters.size(), b->change.counters.size());
  jianyan::v1::Case other = d.c();
  other.set_definition_version("0000000000000000");
  EXPECT_THAT(Transition(d.def(), other, c, Cst(2026, 3, 3)).status().message(),
              HasSubstr("pinned to definition 'petition' version"));
}

}  // namespace
}  // namespace jianyan
