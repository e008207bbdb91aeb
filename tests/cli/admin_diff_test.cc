// The pure parts of the admin and demo commands: what a definition diff
// lists, and the demo load's plan (the mix of states it aims at).
#include <map>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/cli/definition_diff.h"
#include "services/cli/demo_plan.h"

namespace jianyan::cli {
namespace {

namespace v1 = jianyan::v1;

v1::WorkflowDefinition Base() {
  v1::WorkflowDefinition d;
  d.set_name("petition");
  d.set_initial_state("registered");
  d.set_version("aaaa");
  auto* s = d.add_states();
  s->set_name("registered");
  s->mutable_label()->set_zh("已登记");
  s = d.add_states();
  s->set_name("closed");
  s->mutable_label()->set_zh("已办结");
  s->set_terminal(true);
  auto* a = d.add_actions();
  a->set_name("close");
  a->add_from_states("registered");
  a->set_to_state("closed");
  auto* t = d.add_timers();
  t->set_name("routing");
  t->mutable_duration()->set_amount(15);
  return d;
}

TEST(DefinitionDiffTest, SameContentOtherVersionHasNoChange) {
  v1::WorkflowDefinition b = Base();
  b.set_version("bbbb");
  EXPECT_TRUE(DiffDefinitions(Base(), b).empty());
}

TEST(DefinitionDiffTest, ListsAddedRemovedAndChangedItemsWithTheirFields) {
  v1::WorkflowDefinition b = Base();
  b.set_initial_state("closed");
  b.mutable_states(0)->set_rateable(true);
  b.mutable_states(0)->mutable_label()->set_en("Registered");
  b.mutable_actions(0)->set_name("finish");
  b.mutable_timers(0)->mutable_duration()->set_amount(10);
  auto* added = b.add_timers();
  added->set_name("warning");
  added->mutable_label()->set_zh("预警");
  const std::vector<DefinitionChange> changes = DiffDefinitions(Base(), b);
  ASSERT_EQ(changes.size(), 6u);
  EXPECT_EQ(changes[0].kind, "definition");
  EXPECT_THAT(changes[0].fields, ::testing::ElementsAre("initial_state"));
  EXPECT_EQ(changes[1].name, "registered");
  EXPECT_EQ(changes[1].change, "changed");
  EXPECT_THAT(changes[1].fields, ::testing::ElementsAre("label", "rateable"));
  EXPECT_EQ(changes[1].label.en(), "Registered");  // the new label
  EXPECT_EQ(changes[2].name, "finish");
  EXPECT_EQ(changes[2].change, "added");
  EXPECT_EQ(changes[3].name, "close");
  EXPECT_EQ(changes[3].change, "removed");
  EXPECT_EQ(changes[4].name, "routing");
  EXPECT_THAT(changes[4].fields, ::testing::ElementsAre("duration"));
  EXPECT_EQ(changes[5].name, "warning");
  EXPECT_EQ(changes[5].kind, "timer");
  EXPECT_EQ(changes[5].change, "added");

  const auto s = ChangeToStruct(changes[1]);
  EXPECT_EQ(s.fields().at("kind").string_value(), "state");
  EXPECT_EQ(
      s.fields().at("label").struct_value().fields().at("zh").string_value(),
      "已登记");
  EXPECT_EQ(s.fields().at("fields").list_value().values_size(), 2);
}

TEST(DemoPlanTest, HundredCasesCoverEveryOutcome) {
  std::map<v1::CaseKind, int> kinds;
  std::set<v1::RatingLevel> ratings;
  std::set<v1::EscalationLevel> escalations;
  std::set<std::string> actions, outcomes;
  int overdue = 0;
  for (int i = 0; i < 100; ++i) {
    const DemoCasePlan p = PlanDemoCase(i, "taian-shgb");
    EXPECT_EQ(p.index, i);
    ++kinds[p.kind];
    ratings.insert(p.rating);
    escalations.insert(p.escalation);
    overdue += p.overdue ? 1 : 0;
    if (p.overdue) {
      EXPECT_TRUE(p.steps.empty());
    }
    for (const auto& s : p.steps) {
      actions.insert(s.action);
      auto it = s.fields.find("outcome");
      if (it != s.fields.end()) outcomes.insert(it->second);
    }
  }
  EXPECT_EQ(kinds[v1::CASE_KIND_SUGGESTION], 20);
  EXPECT_EQ(ratings.size(), 4u);      // each level, and not rated
  EXPECT_EQ(escalations.size(), 4u);  // none, urge, supervise, listed
  EXPECT_GT(overdue, 5);
  EXPECT_THAT(actions, ::testing::IsSupersetOf({"accept", "decline", "respond",
                                                "deliver", "screen", "assign",
                                                "conclude", "give_feedback"}));
  EXPECT_TRUE(outcomes.count("adopted"));
  EXPECT_TRUE(outcomes.count("partly_adopted"));
}

TEST(DemoPlanTest, RequestIdsAreStableAndValid) {
  EXPECT_EQ(DemoRequestId(42, "accept"), "dl-0042-accept");
  for (int i = 0; i < 300; ++i) {
    for (const auto& step : PlanDemoCase(i, "taian-shgb").steps) {
      EXPECT_THAT(DemoRequestId(i, step.action),
                  ::testing::MatchesRegex("[A-Za-z0-9_-]{8,64}"));
    }
  }
}

}  // namespace
}  // namespace jianyan::cli
