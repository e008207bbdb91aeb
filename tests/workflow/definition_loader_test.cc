#include "workflow/definition_loader.h"

#include <cstdio>
#include <fstream>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/workflow/mini_definition.h"
#include "workflow/textproto.h"

namespace jianyan {
namespace {

using ::testing::HasSubstr;

TEST(DefinitionLoaderTest, DefaultDefinitionsLoadThroughTheValidator) {
  auto defs = LoadDefaultDefinitions();
  ASSERT_TRUE(defs.ok()) << defs.status();
  ASSERT_EQ(defs->size(), 2u);
  EXPECT_EQ(defs->at("petition")->proto().kind(),
            jianyan::v1::CASE_KIND_PETITION);
  EXPECT_EQ(defs->at("suggestion")->proto().kind(),
            jianyan::v1::CASE_KIND_SUGGESTION);
  EXPECT_TRUE(defs->at("petition")->calendar().HasYear(2026));
}

TEST(DefinitionLoaderTest, EveryStateAndActionHasBothLabels) {
  auto defs = LoadDefaultDefinitions();
  ASSERT_TRUE(defs.ok());
  for (const auto& [name, def] : *defs) {
    for (const auto& s : def->proto().states()) {
      EXPECT_FALSE(s.label().zh().empty() || s.label().en().empty())
          << s.name();
    }
    for (const auto& a : def->proto().actions()) {
      EXPECT_FALSE(a.label().zh().empty() || a.label().en().empty())
          << a.name();
    }
  }
}

TEST(DefinitionLoaderTest, VersionIsTheContentDigest) {
  const std::string path = DefaultDefinitionsDir() + "/petition.textproto";
  auto a = LoadDefinitionFromFile(path);
  auto b = LoadDefinitionFromFile(path);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->version(), (*b)->version());
  EXPECT_EQ((*a)->version().size(), 16u);

  // A comment or layout change is not a content change; a rule change is.
  auto text = ReadFileToString(path);
  ASSERT_TRUE(text.ok());
  auto same = LoadDefinitionFromText("# note\n" + *text, "p.textproto", {});
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ((*same)->version(), (*a)->version());
  auto changed = LoadDefinitionFromText(
      absl::StrReplaceAll(*text, {{"amount: 60", "amount: 61"}}), "p.textproto",
      {});
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_NE((*changed)->version(), (*a)->version());
}

TEST(DefinitionLoaderTest, VersionInTheFileIsIgnored) {
  auto a = LoadDefinitionFromText(testing::kMiniDefinition, "m.textproto", {});
  auto b = LoadDefinitionFromText(
      std::string(testing::kMiniDefinition) + "version: \"forged\"\n",
      "m.textproto", {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->version(), (*b)->version());
}

TEST(DefinitionLoaderTest, MissingFileIsNotFound) {
  EXPECT_EQ(LoadDefinitionFromFile("/nonexistent/x.textproto").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(DefinitionLoaderTest, UnknownCalendarIsProvisional) {
  auto def =
      LoadDefinitionFromText(testing::kMiniDefinition, "m.textproto", {});
  ASSERT_TRUE(def.ok());
  bool provisional = false;
  (*def)->calendar().IsWorkingDay(absl::CivilDay(2026, 10, 1), &provisional);
  EXPECT_TRUE(provisional);
}

}  // namespace
}  // namespace jianyan
