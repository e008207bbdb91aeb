// Definitions are data: a case pinned to an older petition definition (the
// one shipped before the statute work, kept verbatim in testdata/) still
// moves under that version's rules after the new default is loaded.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/workflow/workflow_test_util.h"

namespace jianyan {
namespace {

using ::jianyan::testing::CaseDriver;
using ::jianyan::testing::Cst;
using ::jianyan::v1::ROLE_HANDLER;
using ::jianyan::v1::ROLE_PETITIONER;

std::shared_ptr<const Definition> OldPetition() {
  auto def = LoadDefinitionFromFile(
      std::string(JIANYAN_SOURCE_DIR) +
          "/tests/workflow/testdata/petition-before-statute.textproto",
      testing::TestCalendars(), DefinitionOrigin::kStored);
  EXPECT_TRUE(def.ok()) << def.status();
  return def.ok() ? *def : nullptr;
}

// The old version gave its objection window a warn_before, which new
// definitions may no longer do (windows never warn): as a stored version it
// still loads, as a new one it is refused.
TEST(OldVersionTest, StoredVersionsSkipNewAuthoringRules) {
  const std::string path =
      std::string(JIANYAN_SOURCE_DIR) +
      "/tests/workflow/testdata/petition-before-statute.textproto";
  auto as_new = LoadDefinitionFromFile(path, testing::TestCalendars());
  ASSERT_FALSE(as_new.ok());
  EXPECT_THAT(as_new.status().message(),
              ::testing::HasSubstr("timer 'objection_window' is a window: it "
                                   "takes no warn_before"));
  auto old_def = OldPetition();
  ASSERT_NE(old_def, nullptr);
  CaseDriver d(old_def, Cst(2026, 3, 2, 10), CaseDriver::Intake());
  ASSERT_TRUE(d.Do("forward", ROLE_HANDLER, Cst(2026, 3, 2, 11),
                   {{"organisation_id", "org-2"}})
                  .ok());
  ASSERT_NE(d.Timer("objection_window"), nullptr);
  EXPECT_FALSE(d.Timer("objection_window")->has_warn_time());
}

TEST(OldVersionTest, OldPetitionCaseMovesUnderItsPinnedVersion) {
  auto old_def = OldPetition();
  ASSERT_NE(old_def, nullptr);
  const Definition& current = *testing::Defaults().at("petition");
  ASSERT_NE(old_def->version(), current.version());
  // Created under the old version: one 15-day clock from registration.
  CaseDriver d(old_def, Cst(2026, 3, 2, 10), CaseDriver::Intake());
  EXPECT_EQ(d.c().definition_version(), old_def->version());
  EXPECT_EQ(d.Due("acceptance"), Cst(2026, 3, 18));
  EXPECT_EQ(d.Timer("routing"), nullptr);
  // The new version refuses it: the store must pass the pinned one.
  Command accept;
  accept.action = "accept";
  accept.actor = testing::ActorOf(ROLE_HANDLER, "org-1");
  EXPECT_EQ(Transition(current, d.c(), accept, Cst(2026, 3, 3)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Moved on under its own rules: old 'assign' starts handling at once,
  // old 'rate' closes a satisfied case.
  ASSERT_TRUE(d.Do("assign", ROLE_HANDLER, Cst(2026, 3, 3),
                   {{"organisation_id", "org-1"}})
                  .ok());
  EXPECT_EQ(d.c().state(), "assigned");
  EXPECT_EQ(d.Due("handling"), Cst(2026, 5, 3));
  ASSERT_TRUE(
      d.Do("respond", ROLE_HANDLER, Cst(2026, 3, 20), {{"opinion", "support"}})
          .ok());
  ASSERT_TRUE(
      d.Do("rate", ROLE_PETITIONER, Cst(2026, 3, 21), {{"rating", "satisfied"}})
          .ok());
  EXPECT_EQ(d.c().state(), "closed");
  EXPECT_EQ(d.counters()["one_time_resolved"], 1u);
  EXPECT_EQ(d.last().change.events[0].definition_version(), old_def->version());
}

}  // namespace
}  // namespace jianyan
