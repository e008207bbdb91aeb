// The default petition workflow against the 2022 信访工作条例, one test per
// rule, named after its article, each time limit at its exact boundary.
// Dates are worked by hand in the comments (China time; a period of N days
// starts the day after the event and ends at 24:00 of its N-th day, i.e.
// at 00:00 of day N+1, 民法典 Art 201/203).
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

// Accepted directly by the registering body (org-1) at `at`.
void Accept(CaseDriver& d, absl::Time at) {
  ASSERT_TRUE(d.Do("accept", ROLE_HANDLER, at).ok());
}

// Registered 2026-08-03, accepted 08-04, answered 09-04 and delivered on
// Saturday 2026-09-05 10:00 (Art 35: the windows run from delivery).
//   rating window 15 days: 09-06 .. 09-20; 09-20 is a Sunday worked (调休),
//     so it is a working day and nothing rolls: ends 09-21 00:00.
//   review window 30 days: 09-06 .. 10-05; 10-05 is inside National Day
//     (10-01..10-07): Art 203 moves the end to 24:00 of the first working
//     day after it, Thursday 10-08: ends 10-09 00:00.
CaseDriver Delivered() {
  CaseDriver d("petition", Cst(2026, 8, 3, 9));
  EXPECT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 8, 4)).ok());
  EXPECT_TRUE(d.Do("respond", ROLE_HANDLER, Cst(2026, 9, 4, 16),
                   {{"opinion", "explain"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "responded");
  EXPECT_EQ(d.Timer("review_request_window"), nullptr);  // not yet delivered
  EXPECT_TRUE(d.Do("deliver", ROLE_HANDLER, Cst(2026, 9, 5, 10),
                   {{"delivery", "written"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "answered");
  return d;
}

// Registered Tuesday 2026-02-10 09:00, forwarded to org-2 on Friday 02-20
// 15:00, inside Spring Festival (02-15..23).
CaseDriver ForwardedInSpringFestival() {
  CaseDriver d("petition", Cst(2026, 2, 10, 9));
  EXPECT_TRUE(d.Do("forward", ROLE_HANDLER, Cst(2026, 2, 20, 15),
                   {{"organisation_id", "org-2"}})
                  .ok());
  return d;
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
  EXPECT_TRUE(change.events[0].prev_hash().empty());
  ASSERT_EQ(change.counters.size(), 1u);
  EXPECT_EQ(change.counters[0].metric, "received");
  EXPECT_EQ(change.counters[0].organisation_id, "org-1");
  ASSERT_EQ(d.c().deadlines_size(), 1);
  EXPECT_EQ(d.c().deadlines(0).timer(), "routing");
  EXPECT_EQ(d.Due("routing"), Cst(2026, 3, 18));
  EXPECT_EQ(FromProto(d.c().deadlines(0).warn_time()), Cst(2026, 3, 15));
  EXPECT_EQ(FromProto(d.c().due_time()), Cst(2026, 3, 18));
  EXPECT_FALSE(d.c().confidential());
  EXPECT_FALSE(d.last().effects.major_flagged);
}

// Art 22(1): the bureau forwards or assigns within 15 days of registration.
// Registered Tuesday 2026-02-10 09:00; days 02-11 .. 02-25 (Spring Festival
// 02-15..23 inside; a body's limit in calendar days does not roll): ends
// 02-26 00:00.
TEST(PetitionTest, Art22_BureauRoutesWithinFifteenDaysOfRegistration) {
  CaseDriver d("petition", Cst(2026, 2, 10, 9));
  EXPECT_EQ(d.Due("routing"), Cst(2026, 2, 26));
  CaseDriver late = d;
  ASSERT_TRUE(d.Do("forward", ROLE_HANDLER, Cst(2026, 2, 26) - kSecond,
                   {{"organisation_id", "org-2"}})
                  .ok());
  EXPECT_EQ(d.counters()["routing_decided"], 1u);
  EXPECT_EQ(d.counters()["routed_on_time"], 1u);
  EXPECT_EQ(d.notice().kind(), "forwarding_notice");
  EXPECT_EQ(late.Fire("routing", Cst(2026, 2, 26) - kSecond).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(late.Fire("routing", Cst(2026, 2, 26)).ok());
  EXPECT_EQ(late.c().state(), "registered");
  EXPECT_EQ(late.c().escalation_level(), jianyan::v1::ESCALATION_LEVEL_URGE);
  EXPECT_EQ(late.counters()["routing_decided"], 1u);
  EXPECT_EQ(late.counters()["routed_on_time"], 0u);
  // Routed late: decided once, at the expiry.
  ASSERT_TRUE(late.Do("forward", ROLE_HANDLER, Cst(2026, 2, 27),
                      {{"organisation_id", "org-2"}})
                  .ok());
  EXPECT_EQ(late.counters()["routing_decided"], 1u);
}

// Art 23(3): the receiving body's own 15 days run from receipt, with their
// own timer, overdue action and counter. Forwarded Friday 2026-02-20 15:00
// (Spring Festival): days 02-21 .. 03-07 (February has 28 days): ends
// 03-08 00:00.
TEST(PetitionTest, Art23_ReceivingBodyNotifiesAcceptanceWithinFifteenDays) {
  CaseDriver d = ForwardedInSpringFestival();
  EXPECT_EQ(d.Timer("routing"), nullptr);
  EXPECT_EQ(d.Due("acceptance"), Cst(2026, 3, 8));
  d.set_org("org-2");
  CaseDriver late = d;
  ASSERT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 8) - kSecond,
                   {{"notice_delivery", "written"}})
                  .ok());
  EXPECT_EQ(d.notice().kind(), "acceptance_notice");
  EXPECT_EQ(d.notice().delivery(), "written");
  EXPECT_EQ(FromProto(d.notice().time()), Cst(2026, 3, 8) - kSecond);
  EXPECT_EQ(d.counters()["acceptance_decided"], 1u);
  EXPECT_EQ(d.counters()["accepted_on_time"], 1u);
  ASSERT_TRUE(late.Fire("acceptance", Cst(2026, 3, 8)).ok());
  EXPECT_EQ(late.last().change.events[0].action(), "acceptance_overdue");
  EXPECT_EQ(late.c().state(), "forwarded");
  EXPECT_EQ(late.counters()["acceptance_decided"], 1u);
  EXPECT_EQ(late.counters()["accepted_on_time"], 0u);
  EXPECT_EQ(FromProto(late.c().due_time()), Cst(2026, 3, 8));  // overdue
}

// Art 23(2): told on the spot, or no notice owed when the name or address
// is unclear; either way recorded on the event.
TEST(PetitionTest, Art23_2_NoNoticeOwedWhenNameOrAddressUnclear) {
  CaseDriver d = Registered();
  ASSERT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 2, 11),
                   {{"notice_delivery", "not_owed"}})
                  .ok());
  EXPECT_EQ(d.notice().kind(), "acceptance_notice");
  EXPECT_EQ(d.notice().delivery(), "not_owed");
  CaseDriver visit = Registered();
  ASSERT_TRUE(visit
                  .Do("decline", ROLE_HANDLER, Cst(2026, 3, 2, 11),
                      {{"reason_code", "skipped_level"},
                       {"notice_delivery", "on_spot"}})
                  .ok());
  EXPECT_EQ(visit.notice().kind(), "refusal_notice");
  EXPECT_EQ(visit.notice().delivery(), "on_spot");
}

// Art 23(3): an objection within 5 working days of receipt; the matter goes
// back only when the forwarding body verifies and agrees. Forwarded Friday
// 2026-02-20: 02-21..23 are Spring Festival, then 02-24 (1), 25 (2),
// 26 (3), 27 (4) and the make-up Saturday 02-28 (5): ends 03-01 00:00.
TEST(PetitionTest, Art23_3_ObjectionWaitsForTheForwardingBodyToAgree) {
  CaseDriver d = ForwardedInSpringFestival();
  EXPECT_EQ(d.Due("objection_window"), Cst(2026, 3, 1));
  d.set_org("org-2");
  CaseDriver late = d;
  ASSERT_TRUE(d.Do("object", ROLE_HANDLER, Cst(2026, 3, 1) - kSecond,
                   {{"reason", "not ours"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "objection_pending");
  EXPECT_EQ(d.c().handling_organisation_id(), "org-2");  // not back yet
  EXPECT_NE(d.Timer("acceptance"), nullptr);             // its 15 days run on
  // Only the forwarding body verifies its own routing.
  EXPECT_EQ(d.Do("approve_objection", ROLE_HANDLER, Cst(2026, 3, 2)).code(),
            absl::StatusCode::kPermissionDenied);
  d.set_org("org-1");
  CaseDriver rejected = d;
  ASSERT_TRUE(d.Do("approve_objection", ROLE_HANDLER, Cst(2026, 3, 2)).ok());
  EXPECT_EQ(d.c().state(), "registered");
  EXPECT_EQ(d.c().handling_organisation_id(), "");
  // The routing limit counts from registration (ended 02-26): overdue now.
  ASSERT_EQ(d.c().expired_deadlines_size(), 1);
  EXPECT_EQ(d.c().expired_deadlines(0).timer(), "routing");
  // Disagreed: the matter stays with the receiving body, which must act.
  ASSERT_TRUE(rejected
                  .Do("reject_objection", ROLE_HANDLER, Cst(2026, 3, 2),
                      {{"reason", "it is yours"}})
                  .ok());
  EXPECT_EQ(rejected.c().state(), "forwarded");
  EXPECT_EQ(rejected.Timer("objection_window"), nullptr);  // used up
  EXPECT_EQ(
      late.Do("object", ROLE_HANDLER, Cst(2026, 3, 1), {{"reason", "not ours"}})
          .code(),
      absl::StatusCode::kFailedPrecondition);
}

// Art 22(1), 23(3): an assigned matter rejected objection goes back to
// 'assigned' (not 'forwarded').
TEST(PetitionTest, Art23_3_RejectedObjectionKeepsTheAssignment) {
  CaseDriver d = Registered();
  ASSERT_TRUE(d.Do("assign", ROLE_HANDLER, Cst(2026, 3, 2, 11),
                   {{"organisation_id", "org-2"}, {"deadline_days", "30"}})
                  .ok());
  d.set_org("org-2");
  ASSERT_TRUE(
      d.Do("object", ROLE_HANDLER, Cst(2026, 3, 3), {{"reason", "misrouted"}})
          .ok());
  d.set_org("org-1");
  ASSERT_TRUE(d.Do("reject_objection", ROLE_HANDLER, Cst(2026, 3, 4),
                   {{"reason", "yours"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "assigned");
}

// Art 22(1), 34: assigned Monday 2026-04-20 10:00 with a 45-day deadline:
// days 04-21 .. 06-04, completion report due 06-05 00:00. The 60 handling
// days start at acceptance, Tuesday 04-28 09:00: 04-29..04-30 (2), May (31),
// 06-01..06-27 (27): ends 06-28 00:00 (Labour Day inside, not rolled).
TEST(PetitionTest, Art34_HandlingRunsFromAcceptance) {
  CaseDriver d = Registered();
  EXPECT_EQ(d.Do("assign", ROLE_HANDLER, Cst(2026, 4, 20, 10),
                 {{"organisation_id", "org-2"}, {"deadline_days", "91"}}),
            absl::InvalidArgumentError(
                "fields.deadline_days: 'assign' takes a whole number from 1 "
                "to 90"));
  EXPECT_EQ(d.Do("assign", ROLE_HANDLER, Cst(2026, 4, 20, 10),
                 {{"organisation_id", "org-2"}})
                .code(),
            absl::StatusCode::kInvalidArgument);  // a deadline must be set
  ASSERT_TRUE(d.Do("assign", ROLE_HANDLER, Cst(2026, 4, 20, 10),
                   {{"organisation_id", "org-2"}, {"deadline_days", "45"}})
                  .ok());
  EXPECT_EQ(d.Due("completion_report"), Cst(2026, 6, 5));
  EXPECT_EQ(d.Timer("handling"), nullptr);  // not accepted yet
  d.set_org("org-2");
  ASSERT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 4, 28, 9)).ok());
  EXPECT_EQ(d.Due("handling"), Cst(2026, 6, 28));
  CaseDriver late = d;
  Respond(d, Cst(2026, 5, 20));
  EXPECT_EQ(d.counters()["completion_decided"], 1u);
  EXPECT_EQ(d.counters()["completed_on_time"], 1u);
  // Art 22(1): the completion report (办结报告) ends the assigned deadline.
  ASSERT_TRUE(d.Do("report_completion", ROLE_HANDLER, Cst(2026, 5, 21),
                   {{"reason", "resolved"}})
                  .ok());
  EXPECT_EQ(d.Timer("completion_report"), nullptr);
  // Unreported by the set deadline: overdue and escalated; the report
  // after the limit is still taken and ends the overdue state.
  ASSERT_TRUE(late.Fire("completion_report", Cst(2026, 6, 5)).ok());
  EXPECT_EQ(late.c().escalation_level(),
            jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
  EXPECT_EQ(late.c().expired_deadlines_size(), 1);
}

// Art 34: 60 days from acceptance 2026-03-02 10:00 end at 24:00 of 05-01
// (Labour Day; a body's limit is not rolled). An extension of any amount up
// to 30 days, approved by the head of the handling body, with the reasons
// told: 20 days from 05-01 end at 24:00 of 05-21.
TEST(PetitionTest, Art34_ExtensionByTheHeadUpToThirtyDaysWithNotice) {
  CaseDriver d = Registered();
  Accept(d, Cst(2026, 3, 2, 10));
  EXPECT_EQ(d.Due("handling"), Cst(2026, 5, 2));
  // 3 working days before the end: 04-28..04-30 (05-01 is a holiday).
  EXPECT_EQ(FromProto(d.Timer("handling")->warn_time()), Cst(2026, 4, 28));
  const std::map<std::string, std::string> form = {{"days", "20"},
                                                   {"reason", "site survey"}};
  EXPECT_EQ(d.Do("extend", ROLE_SUPERVISOR, Cst(2026, 4, 20), form).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(d.Do("extend", ROLE_HANDLER, Cst(2026, 4, 20), form).message(),
              HasSubstr("needs capability 'approve_extension'"));
  d.set_capabilities({"approve_extension"});
  EXPECT_EQ(d.Do("extend", ROLE_HANDLER, Cst(2026, 4, 20),
                 {{"days", "31"}, {"reason", "x"}})
                .code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(d.Do("extend", ROLE_HANDLER, Cst(2026, 4, 20), form).ok());
  EXPECT_EQ(d.Due("handling"), Cst(2026, 5, 22));
  EXPECT_EQ(d.Timer("handling")->extensions(), 1u);
  EXPECT_EQ(d.notice().kind(), "extension_notice");
  EXPECT_EQ(d.last().change.events[0].reason(), "site survey");
  EXPECT_THAT(d.Do("extend", ROLE_HANDLER, Cst(2026, 4, 21), form).message(),
              HasSubstr("may be extended at most 1 time(s)"));
  CaseDriver late = d;
  Respond(d, Cst(2026, 5, 22) - kSecond);
  EXPECT_EQ(d.counters()["completed_on_time"], 1u);
  EXPECT_EQ(d.notice().kind(), "opinion_letter");
  ASSERT_TRUE(late.Fire("handling", Cst(2026, 5, 22)).ok());
  EXPECT_EQ(late.c().escalation_level(),
            jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
}

// Art 35: the review window runs from delivery of the written answer,
// whatever the rating; the rating closes nothing and the case counts as
// 办结 for the rates from delivery. Dates: see Delivered().
TEST(PetitionTest, Art35_ReviewRunsFromDeliveryWhateverTheRating) {
  CaseDriver d = Delivered();
  EXPECT_EQ(d.notice().kind(), "opinion_delivered");
  EXPECT_EQ(d.Due("rating_window"), Cst(2026, 9, 21));
  EXPECT_EQ(d.Due("review_request_window"), Cst(2026, 10, 9));
  EXPECT_FALSE(d.c().open());  // 办结 for the rates
  EXPECT_EQ(d.counters()["closed"], 1u);
  EXPECT_EQ(d.counters()["rateable"], 1u);
  ASSERT_TRUE(
      d.Do("rate", ROLE_PETITIONER, Cst(2026, 9, 8), {{"rating", "satisfied"}})
          .ok());
  EXPECT_EQ(d.c().state(), "answered");  // the review right stays
  EXPECT_EQ(d.Timer("rating_window"), nullptr);
  EXPECT_EQ(d.Do("rate", ROLE_PETITIONER, Cst(2026, 9, 9),
                 {{"rating", "unsatisfied"}})
                .code(),
            absl::StatusCode::kFailedPrecondition);  // rated once
  EXPECT_EQ(d.counters()["rated"], 1u);
  EXPECT_EQ(d.counters()["satisfied"], 1u);
  CaseDriver unused = d;
  CaseDriver late = d;
  ASSERT_TRUE(d.Do("request_review", ROLE_PETITIONER,
                   Cst(2026, 10, 9) - kSecond, {{"reason", "changed my mind"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "review");
  EXPECT_TRUE(d.c().open());
  EXPECT_EQ(late.Do("request_review", ROLE_PETITIONER, Cst(2026, 10, 9),
                    {{"reason", "too late"}})
                .code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(unused.Fire("review_request_window", Cst(2026, 10, 9)).ok());
  EXPECT_EQ(unused.c().state(), "closed");
  EXPECT_EQ(unused.counters()["closed"], 1u);  // counted once, at delivery
  // Satisfied, answered once, no review: resolved the first time, known
  // when the window has ended.
  EXPECT_EQ(unused.counters()["completed_first_time"], 1u);
  EXPECT_EQ(unused.counters()["one_time_resolved"], 1u);
  EXPECT_EQ(ComputeRates(unused.counters()).one_time_resolution, 1.0);
}

// 一次性化解率: a duplicate merged into the case, or a later repeat
// petition, is recorded on the original, which is then not resolved the
// first time even if rated satisfied.
TEST(PetitionTest, RepeatOnTheOriginalUndoesOneTimeResolution) {
  CaseDriver d = Delivered();
  ASSERT_TRUE(
      d.Do("rate", ROLE_PETITIONER, Cst(2026, 9, 8), {{"rating", "satisfied"}})
          .ok());
  ASSERT_TRUE(d.Do("record_repeat", ROLE_SUPERVISOR, Cst(2026, 9, 20),
                   {{"linked_case_number", "P2026-00000099-1"}})
                  .ok());
  EXPECT_EQ(d.c().linked_case_numbers(0), "P2026-00000099-1");
  ASSERT_TRUE(d.Fire("review_request_window", Cst(2026, 10, 9)).ok());
  EXPECT_EQ(d.counters()["completed_first_time"], 1u);
  EXPECT_EQ(d.counters()["one_time_resolved"], 0u);
}

// Art 35, practice: whether a missed window bars the same matter is the
// definition's choice (StateDef.bars_resubmission of 'closed'); after
// re-review it is always barred (Art 36(3), 'terminated').
TEST(PetitionTest, Art35_MissedWindowBarsAsTheDefinitionSays) {
  CaseDriver d = Delivered();
  ASSERT_TRUE(d.Fire("rating_window", Cst(2026, 9, 21)).ok());
  EXPECT_EQ(d.c().state(), "answered");  // unrated; the review right stays
  ASSERT_TRUE(d.Fire("review_request_window", Cst(2026, 10, 9)).ok());
  EXPECT_TRUE(BarsResubmission(d.def(), d.c()));
  jianyan::v1::WorkflowDefinition lenient = d.def().proto();
  for (auto& s : *lenient.mutable_states()) {
    if (s.name() == "closed") s.set_bars_resubmission(false);
  }
  auto other = Definition::Create(lenient, nullptr);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_FALSE(BarsResubmission(**other, d.c()));
}

// Art 203 (民法典) on the petitioner's windows, not on the bodies' limits.
// Delivered Saturday 2026-01-31: the rating window's 15th day is 02-15,
// the first day of Spring Festival (02-15..23): it ends at 24:00 of
// Tuesday 02-24. The review window's 30th day is Monday 03-02, a working
// day: 03-03 00:00. (The handling limit of 05-01, a holiday, stays put:
// Art34_ExtensionByTheHeadUpToThirtyDaysWithNotice.)
TEST(PetitionTest, Art203_PetitionerWindowsRollOffHolidays) {
  CaseDriver d("petition", Cst(2026, 1, 5, 9));
  Accept(d, Cst(2026, 1, 6));
  Respond(d, Cst(2026, 1, 30));
  ASSERT_TRUE(d.Do("deliver", ROLE_HANDLER, Cst(2026, 1, 31, 9)).ok());
  EXPECT_EQ(d.Due("rating_window"), Cst(2026, 2, 25));
  EXPECT_EQ(d.Due("review_request_window"), Cst(2026, 3, 3));
  EXPECT_EQ(d.notice().delivery(), "written");  // the default
}

// Art 36: the re-review window runs from delivery of the review answer
// (rolled off a weekend); re-review hearing days are not counted, by whole
// days, the end staying at 24:00 (Art 36(2)); then 终结 (Art 36(3)).
TEST(PetitionTest, Art36_HearingDaysAreNotCountedAndTheEndStaysAtMidnight) {
  CaseDriver d = Delivered();
  ASSERT_TRUE(d.Do("rate", ROLE_PETITIONER, Cst(2026, 9, 8),
                   {{"rating", "unsatisfied"}})
                  .ok());
  ASSERT_TRUE(d.Do("request_review", ROLE_PETITIONER, Cst(2026, 9, 9),
                   {{"reason", "disagree"}, {"organisation_id", "city"}})
                  .ok());
  d.set_org("city");  // the level above answers
  ASSERT_TRUE(d.Do("answer_review", ROLE_HANDLER, Cst(2026, 9, 30),
                   {{"opinion", "uphold"}})
                  .ok());
  EXPECT_EQ(d.notice().kind(), "review_answer");
  EXPECT_EQ(d.Timer("rereview_request_window"), nullptr);  // from delivery
  ASSERT_TRUE(d.Do("deliver_review", ROLE_HANDLER, Cst(2026, 10, 9, 10)).ok());
  // 30 days from Friday 10-09: 11-08 (Sunday) rolls to Monday 11-09.
  EXPECT_EQ(d.Due("rereview_request_window"), Cst(2026, 11, 10));
  // Requested Monday 10-12: 10-13 .. 11-11, ends 11-12 00:00.
  ASSERT_TRUE(d.Do("request_rereview", ROLE_PETITIONER, Cst(2026, 10, 12),
                   {{"reason", "still disagree"}, {"organisation_id", "prov"}})
                  .ok());
  EXPECT_EQ(d.Due("rereview"), Cst(2026, 11, 12));
  d.set_org("prov");
  ASSERT_TRUE(d.Do("start_hearing", ROLE_HANDLER, Cst(2026, 10, 22, 10)).ok());
  EXPECT_TRUE(d.Timer("rereview")->paused());
  EXPECT_FALSE(d.c().has_due_time());
  ASSERT_TRUE(d.Do("end_hearing", ROLE_HANDLER, Cst(2026, 11, 1, 16, 30)).ok());
  // Paused 10-22 .. resumed 11-01: the ten days 10-22 .. 10-31 do not
  // count; 11-11 24:00 + 10 days = 11-21 24:00, still at midnight.
  EXPECT_EQ(d.Due("rereview"), Cst(2026, 11, 22));
  ASSERT_TRUE(d.Do("answer_rereview", ROLE_HANDLER, Cst(2026, 11, 20),
                   {{"opinion", "uphold"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "terminated");
  EXPECT_EQ(d.notice().kind(), "rereview_answer");
  EXPECT_TRUE(BarsResubmission(d.def(), d.c()));
  EXPECT_EQ(d.c().deadlines_size(), 0);
  EXPECT_THAT(
      d.Do("urge", ROLE_SUPERVISOR, Cst(2026, 11, 21)).message(),
      HasSubstr("is not allowed in state 'terminated' (allowed: none)"));
  // Reviewed: not a one-time resolution.
  EXPECT_EQ(d.counters()["one_time_resolved"], 0u);
}

// Art 31(6): a hearing in first handling is recorded and its time counts.
TEST(PetitionTest, Art31_HearingInFirstHandlingCountsItsTime) {
  CaseDriver d = Registered();
  Accept(d, Cst(2026, 3, 2, 10));
  ASSERT_TRUE(d.Do("hold_hearing", ROLE_HANDLER, Cst(2026, 3, 20),
                   {{"reason", "land boundary"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "handling");
  EXPECT_EQ(d.Due("handling"), Cst(2026, 5, 2));
}

// Art 22(2), 28(2), 31(1)-(4): 诉访分离 routes into the legal procedure with
// its target recorded; it is not a decline, and it is outside rating.
TEST(PetitionTest, Art31_RoutedIntoALegalProcedureWithItsTarget) {
  CaseDriver d = Registered();
  EXPECT_EQ(d.Do("decline", ROLE_HANDLER, Cst(2026, 3, 3),
                 {{"reason_code", "litigation"}})
                .code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(
      d.Do("route_to_procedure", ROLE_HANDLER, Cst(2026, 3, 3),
           {{"procedure", "litigation"}, {"target_body", "county-court"}})
          .ok());
  EXPECT_EQ(d.c().state(), "procedure");
  EXPECT_EQ(d.c().attributes().at("target_body"), "county-court");
  EXPECT_EQ(d.notice().kind(), "procedure_notice");
  EXPECT_FALSE(d.c().open());
  EXPECT_EQ(d.counters()["rateable"], 0u);
}

// Art 19(3), 20(1): decline reasons "being handled elsewhere" and "skipped
// level".
TEST(PetitionTest, Art19_DeclinedAsHandledElsewhere) {
  CaseDriver d = Registered();
  ASSERT_TRUE(d.Do("decline", ROLE_HANDLER, Cst(2026, 3, 3),
                   {{"reason_code", "handled_elsewhere"}})
                  .ok());
  EXPECT_EQ(d.last().change.events[0].reason_code(), "handled_elsewhere");
  EXPECT_EQ(d.c().state(), "declined");
}

// Art 30: an accusation is never routed to the accused organisation or a
// body under it, and it is never rated publicly.
TEST(PetitionTest, Art30_AccusationNeverGoesToTheAccused) {
  auto intake = CaseDriver::Intake(jianyan::v1::PETITION_TYPE_ACCUSATION);
  intake.set_accused_organisation_id("county-land");
  CaseDriver d(testing::Defaults().at("petition"), Cst(2026, 3, 2, 9), intake);
  EXPECT_TRUE(d.c().confidential());
  EXPECT_EQ(d.c().accused_organisation_id(), "county-land");
  EXPECT_THAT(d.Do("forward", ROLE_HANDLER, Cst(2026, 3, 2, 10),
                   {{"organisation_id", "county-land"}})
                  .message(),
              HasSubstr("accused organisation 'county-land'"));
  d.set_ancestors({"county-land", "county"});
  EXPECT_EQ(
      d.Do("assign", ROLE_HANDLER, Cst(2026, 3, 2, 10),
           {{"organisation_id", "county-land-office"}, {"deadline_days", "30"}})
          .code(),
      absl::StatusCode::kFailedPrecondition);
  d.set_ancestors({"county"});
  ASSERT_TRUE(d.Do("forward", ROLE_HANDLER, Cst(2026, 3, 2, 10),
                   {{"organisation_id", "county-discipline"}})
                  .ok());
  d.set_org("county-discipline");
  ASSERT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 3)).ok());
  Respond(d, Cst(2026, 3, 20));
  ASSERT_TRUE(d.Do("deliver", ROLE_HANDLER, Cst(2026, 3, 21)).ok());
  ASSERT_TRUE(
      d.Do("rate", ROLE_PETITIONER, Cst(2026, 3, 22), {{"rating", "satisfied"}})
          .ok());
  EXPECT_EQ(d.counters()["rateable"], 0u);
  EXPECT_EQ(d.counters()["rated"], 0u);
}

// Art 29 (建议意见): studied, adopted or partly adopted or not, replied in
// writing, contributions rewarded; no 处理意见书 and no review chain, which
// are for 申诉求决 (Art 31 item 6, 34-36).
TEST(PetitionTest, Art29_OpinionIsStudiedRepliedAndRewarded) {
  CaseDriver d("petition", Cst(2026, 3, 2, 10),
               jianyan::v1::PETITION_TYPE_OPINION);
  Accept(d, Cst(2026, 3, 3));
  EXPECT_THAT(
      d.Do("respond", ROLE_HANDLER, Cst(2026, 3, 20), {{"opinion", "support"}})
          .message(),
      HasSubstr("not for petitions of type PETITION_TYPE_OPINION"));
  ASSERT_TRUE(d.Do("reply_opinion", ROLE_HANDLER, Cst(2026, 3, 20),
                   {{"adoption", "partly_adopted"}, {"reason", "in part"}})
                  .ok());
  EXPECT_EQ(d.notice().kind(), "opinion_reply");
  EXPECT_EQ(d.counters()["completed_on_time"], 1u);
  ASSERT_TRUE(d.Do("deliver", ROLE_HANDLER, Cst(2026, 3, 21)).ok());
  ASSERT_TRUE(d.Do("record_reward", ROLE_SUPERVISOR, Cst(2026, 3, 22),
                   {{"reward", "certificate"}})
                  .ok());
  EXPECT_EQ(d.Do("request_review", ROLE_PETITIONER, Cst(2026, 3, 23),
                 {{"reason", "more"}})
                .code(),
            absl::StatusCode::kFailedPrecondition);
  CaseDriver claim = Registered();
  Accept(claim, Cst(2026, 3, 3));
  EXPECT_EQ(claim
                .Do("reply_opinion", ROLE_HANDLER, Cst(2026, 3, 20),
                    {{"adoption", "adopted"}, {"reason", "x"}})
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

// Art 25: a major or urgent matter tells the supervisors at once.
TEST(PetitionTest, Art25_MajorMatterIsFlaggedAtOnce) {
  auto intake = CaseDriver::Intake();
  intake.set_major(true);
  CaseDriver at_intake(testing::Defaults().at("petition"), Cst(2026, 3, 2),
                       intake);
  EXPECT_TRUE(at_intake.last().effects.major_flagged);
  CaseDriver d = Registered();
  ASSERT_TRUE(d.Do("mark_major", ROLE_HANDLER, Cst(2026, 3, 3),
                   {{"reason", "group of 40"}})
                  .ok());
  EXPECT_TRUE(d.c().major());
  EXPECT_TRUE(d.last().effects.major_flagged);
  ASSERT_TRUE(d.Do("mark_major", ROLE_SUPERVISOR, Cst(2026, 3, 4),
                   {{"reason", "again"}})
                  .ok());
  EXPECT_FALSE(d.last().effects.major_flagged);  // told once
}

// Art 28(3): after a recusal another principal must act.
TEST(PetitionTest, Art28_RecusedPrincipalMayNoLongerAct) {
  CaseDriver d = Registered();
  d.set_principal("clerk-7");
  ASSERT_TRUE(
      d.Do("recuse", ROLE_HANDLER, Cst(2026, 3, 3), {{"reason", "my cousin"}})
          .ok());
  EXPECT_THAT(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 3)).message(),
              HasSubstr("'clerk-7' has recused itself"));
  d.set_principal("clerk-8");
  EXPECT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 3)).ok());
}

// 重办 (practice): its own short limit (15 days, not a fresh 60), rounds
// capped, and unreasonable dissatisfaction screened out (甄别) with a
// reason. Delivered 09-05, rated unsatisfied 09-08; redo Wednesday 09-09
// 10:00: 09-10 .. 09-24, ends 09-25 00:00.
TEST(PetitionTest, Redo_ShortLimitRoundsAndScreening) {
  CaseDriver d = Delivered();
  ASSERT_TRUE(d.Do("rate", ROLE_PETITIONER, Cst(2026, 9, 8),
                   {{"rating", "unsatisfied"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "unsatisfied");
  EXPECT_EQ(d.Due("review_request_window"), Cst(2026, 10, 9));  // runs on
  EXPECT_EQ(d.Do("screen_rating", ROLE_SUPERVISOR, Cst(2026, 9, 9)).code(),
            absl::StatusCode::kInvalidArgument);  // a reason is required
  ASSERT_TRUE(d.Do("screen_rating", ROLE_SUPERVISOR, Cst(2026, 9, 9),
                   {{"reason", "asks for more than the law allows"}})
                  .ok());
  EXPECT_TRUE(d.c().rating_excluded());
  EXPECT_EQ(d.counters()["rating_excluded"], 1u);
  EXPECT_EQ(d.Do("screen_rating", ROLE_SUPERVISOR, Cst(2026, 9, 9),
                 {{"reason", "again"}})
                .code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(
      d.Do("redo", ROLE_SUPERVISOR, Cst(2026, 9, 9, 10), {{"reason", "redo"}})
          .ok());
  EXPECT_EQ(d.c().state(), "redoing");
  EXPECT_EQ(d.Due("redo"), Cst(2026, 9, 25));
  EXPECT_EQ(d.Timer("handling"), nullptr);
  Respond(d, Cst(2026, 9, 20));
  ASSERT_TRUE(d.Do("deliver", ROLE_HANDLER, Cst(2026, 9, 21)).ok());
  ASSERT_TRUE(d.Do("rate", ROLE_PETITIONER, Cst(2026, 9, 22),
                   {{"rating", "unsatisfied"}})
                  .ok());
  EXPECT_THAT(
      d.Do("redo", ROLE_SUPERVISOR, Cst(2026, 9, 23), {{"reason", "again"}})
          .message(),
      HasSubstr("action 'redo' may be applied at most 1 time(s)"));
  // Per case: one rating counted, and it was screened out.
  EXPECT_EQ(d.counters()["rated"], 1u);
  EXPECT_EQ(d.counters()["rated_round"], 2u);
  EXPECT_EQ(d.counters()["completion_decided"], 1u);  // once per case
  EXPECT_EQ(ComputeRates(d.counters()).satisfaction, 0.0);
}

// Ratings go to the body that first answered (谁初次办理谁接受评价).
TEST(PetitionTest, RatingIsCreditedToTheFirstAnsweringBody) {
  CaseDriver d = Delivered();
  EXPECT_EQ(d.c().first_handling_organisation_id(), "org-1");
  ASSERT_TRUE(d.Do("request_review", ROLE_PETITIONER, Cst(2026, 9, 9),
                   {{"reason", "disagree"}, {"organisation_id", "city"}})
                  .ok());
  EXPECT_EQ(d.c().handling_organisation_id(), "city");
  EXPECT_EQ(d.c().first_handling_organisation_id(), "org-1");
}

TEST(PetitionTest, AccusationsAreConfidential) {
  CaseDriver d("petition", Cst(2026, 3, 2, 10),
               jianyan::v1::PETITION_TYPE_ACCUSATION);
  EXPECT_TRUE(d.c().confidential());
}

TEST(PetitionTest, PreciseErrors) {
  CaseDriver d = Registered();
  EXPECT_EQ(d.Do("assign", ROLE_TERMINAL, Cst(2026, 3, 3),
                 {{"organisation_id", "org-2"}}),
            absl::PermissionDeniedError("role 'terminal' may not 'assign'"));
  EXPECT_EQ(
      d.Do("decline", ROLE_HANDLER, Cst(2026, 3, 3)),
      absl::InvalidArgumentError("fields.reason_code: required by 'decline'"));
  EXPECT_THAT(
      d.Do("decline", ROLE_HANDLER, Cst(2026, 3, 3), {{"reason_code", "whim"}})
          .message(),
      HasSubstr("takes one of: not_petition_matter"));
  EXPECT_THAT(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 3), {{"colour", "x"}})
                  .message(),
              HasSubstr("fields.colour: not taken by 'accept'"));
  EXPECT_EQ(d.Do("fly", ROLE_HANDLER, Cst(2026, 3, 3)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(d.Do("routing_overdue", ROLE_HANDLER, Cst(2026, 3, 30)).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(d.c().version(), 1u);  // nothing applied
  ASSERT_TRUE(d.Do("decline", ROLE_HANDLER, Cst(2026, 3, 3),
                   {{"reason_code", "not_petition_matter"}})
                  .ok());
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
      HasSubstr("action 'respond' is not allowed in state 'registered' "
                "(allowed: accept, forward, assign, decline, "
                "route_to_procedure, merge, record_repeat, mark_major, recuse, "
                "urge, supervise, list_supervision, reply_supervision, "
                "reassign)"));
}

TEST(PetitionTest, DuplicateIsMergedIntoTheOpenCase) {
  CaseDriver d = Registered();
  ASSERT_TRUE(d.Do("merge", ROLE_HANDLER, Cst(2026, 3, 3),
                   {{"merged_into", "P2026-00000007-3"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "merged");
  EXPECT_EQ(d.c().merged_into(), "P2026-00000007-3");
  EXPECT_EQ(d.c().deadlines_size(), 0);
  EXPECT_EQ(d.counters()["one_time_resolved"], 0u);
  EXPECT_EQ(d.counters()["completion_decided"], 0u);
}

// Forwarded 2026-12-28: the objection window runs into 2027, which has no
// calendar file: weekends only, and the deadline says it is provisional.
TEST(PetitionTest, DeadlineIntoAYearWithoutCalendarIsProvisional) {
  CaseDriver d("petition", Cst(2026, 12, 28, 9));
  EXPECT_FALSE(d.Timer("routing")->provisional());  // calendar days
  ASSERT_TRUE(d.Do("forward", ROLE_HANDLER, Cst(2026, 12, 28, 10),
                   {{"organisation_id", "org-2"}})
                  .ok());
  // 12-29, 12-30, 12-31, 2027-01-01 (no file: a Friday), 01-04.
  EXPECT_EQ(d.Due("objection_window"), Cst(2027, 1, 5));
  EXPECT_TRUE(d.Timer("objection_window")->provisional());
}

// Art 39(3): a lower level after a higher one is refused (escalation_must_rise;
// more in supervision_test).
TEST(PetitionTest, EscalationOnlyRises) {
  CaseDriver d = Registered();
  ASSERT_TRUE(d.Do("supervise", ROLE_SUPERVISOR, Cst(2026, 3, 3),
                   {{"reason", "slow"},
                    {"reply_due_time", "2026-03-10T00:00:00+08:00"}})
                  .ok());
  EXPECT_EQ(d.Do("urge", ROLE_SUPERVISOR, Cst(2026, 3, 4)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(d.c().escalation_level(), jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
  EXPECT_EQ(d.last().change.events[0].escalation_level(),
            jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
}

TEST(PetitionTest, EventsAndVersionsAreConsecutive) {
  CaseDriver d = Registered();
  Accept(d, Cst(2026, 3, 3));
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
