// Walks suggestions through the default suggestion definition.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/workflow/workflow_test_util.h"

namespace jianyan {
namespace {

using ::jianyan::testing::ActorOf;
using ::jianyan::testing::CaseDriver;
using ::jianyan::testing::Cst;
using ::jianyan::v1::ROLE_HANDLER;
using ::jianyan::v1::ROLE_SUGGESTER;
using ::jianyan::v1::ROLE_SUPERVISOR;
using ::testing::HasSubstr;

// Received 2026-09-14 (Mon) 10:00: 10 working days, counting the make-up
// Sunday 09-20 and skipping 09-25..27, end at 24:00 of 09-28.
CaseDriver Received() { return CaseDriver("suggestion", Cst(2026, 9, 14, 10)); }

TEST(SuggestionTest, FullPathWithQualityFlagReportAndReward) {
  CaseDriver d = Received();
  EXPECT_EQ(d.c().state(), "received");
  EXPECT_EQ(d.Due("screening"), Cst(2026, 9, 29));
  ASSERT_TRUE(d.Do("screen", ROLE_HANDLER, Cst(2026, 9, 29) - absl::Seconds(1),
                   {{"verdict", "valid"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "screened");
  EXPECT_EQ(d.counters()["accepted_on_time"], 1u);
  // Screened valid at 09-28 23:59:59: 5 working days to assign it (09-29,
  // 09-30, then the National Day holiday, 10-08, 10-09, 10-10 make-up
  // Saturday) end at 24:00 of 10-10.
  EXPECT_EQ(d.Due("assignment"), Cst(2026, 10, 11));
  ASSERT_TRUE(d.Do("assign", ROLE_HANDLER, Cst(2026, 9, 29, 9),
                   {{"organisation_id", "dept-transport"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "studying");
  EXPECT_EQ(d.Timer("assignment"), nullptr);
  EXPECT_EQ(d.c().handling_organisation_id(), "dept-transport");
  d.set_org("dept-transport");
  // 20 working days after 09-29: 09-30, 10-08, 10-09, 10-10 (make-up
  // Saturday), 10-12 … 10-16, 10-19 … 10-23, 10-26 … 10-30, 11-02.
  EXPECT_EQ(d.Due("study"), Cst(2026, 11, 3));
  ASSERT_TRUE(d.Do("extend", ROLE_SUPERVISOR, Cst(2026, 10, 1),
                   {{"reason", "needs budget"}})
                  .ok());
  // +10 working days: 11-03 … 11-06, 11-09 … 11-13, 11-16.
  EXPECT_EQ(d.Due("study"), Cst(2026, 11, 17));
  EXPECT_EQ(
      d.Do("conclude", ROLE_HANDLER, Cst(2026, 10, 10),
           {{"outcome", "adopted"}}),
      absl::InvalidArgumentError("fields.reason: required by 'conclude'"));
  ASSERT_TRUE(d.Do("conclude", ROLE_HANDLER, Cst(2026, 10, 10),
                   {{"outcome", "partly_adopted"}, {"reason", "budget"}})
                  .ok());
  EXPECT_EQ(d.c().attributes().at("outcome"), "partly_adopted");
  EXPECT_EQ(d.counters()["completed_on_time"], 1u);
  ASSERT_TRUE(d.Do("flag_quality", ROLE_SUPERVISOR, Cst(2026, 10, 12)).ok());
  EXPECT_TRUE(d.c().quality_suggestion());
  ASSERT_TRUE(d.Do("give_feedback", ROLE_HANDLER, Cst(2026, 10, 12),
                   {{"feedback", "thank you"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "feedback_given");
  EXPECT_NE(d.Timer("rating_window"), nullptr);
  ASSERT_TRUE(
      d.Do("rate", ROLE_SUGGESTER, Cst(2026, 10, 13), {{"rating", "satisfied"}})
          .ok());
  EXPECT_EQ(d.c().state(), "closed");
  EXPECT_FALSE(d.c().open());
  ASSERT_TRUE(d.Do("report_up", ROLE_SUPERVISOR, Cst(2026, 10, 14),
                   {{"report_to", "province"}})
                  .ok());
  ASSERT_TRUE(d.Do("record_reward", ROLE_SUPERVISOR, Cst(2026, 10, 15),
                   {{"reward", "certificate"}})
                  .ok());
  EXPECT_EQ(d.c().attributes().at("reward"), "certificate");
  ASSERT_TRUE(d.Do("archive", ROLE_SUPERVISOR, Cst(2026, 10, 16)).ok());
  EXPECT_EQ(d.c().state(), "archived");
  EXPECT_EQ(d.counters()["closed"], 1u);
  EXPECT_EQ(d.counters()["one_time_resolved"], 1u);
}

TEST(SuggestionTest, ScreeningBranches) {
  CaseDriver petition = Received();
  ASSERT_TRUE(petition
                  .Do("screen", ROLE_HANDLER, Cst(2026, 9, 15),
                      {{"verdict", "is_petition"},
                       {"linked_case_number", "P2026-00000042-7"}})
                  .ok());
  EXPECT_EQ(petition.c().state(), "redirected");
  EXPECT_EQ(petition.c().state_label().en(), "Redirected to petitions");
  ASSERT_EQ(petition.c().linked_case_numbers_size(), 1);
  EXPECT_EQ(petition.c().linked_case_numbers(0), "P2026-00000042-7");
  EXPECT_FALSE(petition.c().open());
  CaseDriver legal = Received();
  ASSERT_TRUE(legal
                  .Do("screen", ROLE_HANDLER, Cst(2026, 9, 15),
                      {{"verdict", "legal_procedure"}})
                  .ok());
  EXPECT_EQ(legal.c().state(), "procedure");
}

// 并案办理、分别答复: a duplicate is merged into the original, which records
// it, and its suggester still gets feedback (and may rate it).
TEST(SuggestionTest, MergedDuplicateStillGetsItsOwnFeedback) {
  CaseDriver dup = Received();
  ASSERT_TRUE(dup.Do("screen", ROLE_HANDLER, Cst(2026, 9, 15),
                     {{"verdict", "duplicate"}, {"merged_into", "S2026-1"}})
                  .ok());
  EXPECT_EQ(dup.c().state(), "duplicate");
  EXPECT_EQ(dup.c().merged_into(), "S2026-1");
  EXPECT_FALSE(dup.c().open());
  ASSERT_TRUE(dup.Do("give_feedback", ROLE_HANDLER, Cst(2026, 10, 12),
                     {{"feedback", "merged with S2026-1, adopted"}})
                  .ok());
  EXPECT_EQ(dup.c().state(), "feedback_given");
  EXPECT_NE(dup.Timer("rating_window"), nullptr);
  CaseDriver original = Received();
  ASSERT_TRUE(
      original
          .Do("screen", ROLE_HANDLER, Cst(2026, 9, 15), {{"verdict", "valid"}})
          .ok());
  ASSERT_TRUE(original
                  .Do("record_merged", ROLE_HANDLER, Cst(2026, 9, 15),
                      {{"linked_case_number", "S2026-2"}})
                  .ok());
  EXPECT_EQ(original.c().linked_case_numbers(0), "S2026-2");
}

// Anonymous suggestions skip feedback and rating: closed at conclusion.
TEST(SuggestionTest, AnonymousSuggestionClosesAtConclusionUnrated) {
  jianyan::v1::Case intake;
  intake.mutable_submitter()->set_anonymous(true);
  CaseDriver d(testing::Defaults().at("suggestion"), Cst(2026, 9, 14, 10),
               intake);
  ASSERT_TRUE(
      d.Do("screen", ROLE_HANDLER, Cst(2026, 9, 15), {{"verdict", "valid"}})
          .ok());
  ASSERT_TRUE(d.Do("assign", ROLE_HANDLER, Cst(2026, 9, 15),
                   {{"organisation_id", "org-1"}})
                  .ok());
  ASSERT_TRUE(d.Do("conclude", ROLE_HANDLER, Cst(2026, 9, 30),
                   {{"outcome", "planned"}, {"reason", "in the 2027 plan"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "closed");
  EXPECT_EQ(d.counters()["rateable"], 0u);
  EXPECT_EQ(d.counters()["concluded"], 1u);
  EXPECT_EQ(d.counters()["adopted"], 0u);  // 列入计划 is not adoption
}

// From screening on: quality flag, report up, a leader's instruction with a
// deadline, conversion into policy; 采纳率 and the quality count.
// Instruction recorded Tuesday 2026-09-15 with 20 days: 09-16 .. 10-05,
// ends 10-06 00:00 (a body's limit: not rolled off National Day).
TEST(SuggestionTest, LeaderInstructionQualityAndConversion) {
  CaseDriver d = Received();
  ASSERT_TRUE(
      d.Do("screen", ROLE_HANDLER, Cst(2026, 9, 15), {{"verdict", "valid"}})
          .ok());
  ASSERT_TRUE(d.Do("flag_quality", ROLE_SUPERVISOR, Cst(2026, 9, 15)).ok());
  ASSERT_TRUE(d.Do("report_up", ROLE_SUPERVISOR, Cst(2026, 9, 15),
                   {{"report_to", "city"}})
                  .ok());
  ASSERT_TRUE(d.Do("record_instruction", ROLE_SUPERVISOR, Cst(2026, 9, 15, 9),
                   {{"instruction", "study it"}, {"deadline_days", "20"}})
                  .ok());
  EXPECT_EQ(d.Due("instruction"), Cst(2026, 10, 6));
  EXPECT_EQ(d.counters()["quality"], 1u);
  ASSERT_TRUE(d.Do("assign", ROLE_HANDLER, Cst(2026, 9, 16),
                   {{"organisation_id", "org-1"}})
                  .ok());
  EXPECT_NE(d.Timer("instruction"), nullptr);  // runs on in study
  ASSERT_TRUE(d.Do("conclude", ROLE_HANDLER, Cst(2026, 9, 30),
                   {{"outcome", "adopted"}, {"reason", "sound"}})
                  .ok());
  ASSERT_TRUE(d.Do("answer_instruction", ROLE_HANDLER, Cst(2026, 9, 30),
                   {{"reason", "adopted"}})
                  .ok());
  EXPECT_EQ(d.Timer("instruction"), nullptr);
  ASSERT_TRUE(d.Do("record_conversion", ROLE_HANDLER, Cst(2026, 10, 9),
                   {{"policy", "county notice 2026-12"}})
                  .ok());
  EXPECT_EQ(d.c().attributes().at("policy"), "county notice 2026-12");
  EXPECT_EQ(ComputeRates(d.counters()).adoption, 1.0);
}

TEST(SuggestionTest, ScreeningOverdueOnTheDayAfter) {
  CaseDriver d = Received();
  EXPECT_EQ(d.Fire("screening", Cst(2026, 9, 29) - absl::Seconds(1)).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(d.Fire("screening", Cst(2026, 9, 29)).ok());
  EXPECT_EQ(d.c().escalation_level(), jianyan::v1::ESCALATION_LEVEL_URGE);
  ASSERT_TRUE(
      d.Do("screen", ROLE_HANDLER, Cst(2026, 9, 30), {{"verdict", "valid"}})
          .ok());
  EXPECT_EQ(d.counters()["acceptance_decided"], 1u);
  EXPECT_EQ(d.counters()["accepted_on_time"], 0u);
}

TEST(SuggestionTest, CampaignSuggestionsCarryCampaignAndTheme) {
  const auto& def = *testing::Defaults().at("suggestion");
  jianyan::v1::Case intake;
  intake.set_kind(jianyan::v1::CASE_KIND_SUGGESTION);
  intake.set_theme_id("theme-1");
  auto bad = CreateCase(def, intake, "S2026-00000001-1",
                        ActorOf(ROLE_SUGGESTER), Cst(2026, 9, 14));
  EXPECT_THAT(bad.status().message(),
              HasSubstr("theme_id needs a campaign_id"));
  intake.set_campaign_id("campaign-2026-traffic");
  auto ok = CreateCase(def, intake, "S2026-00000001-1", ActorOf(ROLE_SUGGESTER),
                       Cst(2026, 9, 14));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->change.case_after.campaign_id(), "campaign-2026-traffic");
  EXPECT_EQ(ok->change.case_after.theme_id(), "theme-1");
  // Wrong kind and a role that may not create.
  intake.set_kind(jianyan::v1::CASE_KIND_PETITION);
  EXPECT_EQ(
      CreateCase(def, intake, "S1", ActorOf(ROLE_SUGGESTER), Cst(2026, 9, 14))
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
  intake.set_kind(jianyan::v1::CASE_KIND_SUGGESTION);
  EXPECT_EQ(CreateCase(def, intake, "S1", ActorOf(jianyan::v1::ROLE_PETITIONER),
                       Cst(2026, 9, 14))
                .status(),
            absl::PermissionDeniedError("role 'petitioner' may not 'receive'"));
}

}  // namespace
}  // namespace jianyan
