#include "workflow/definition_loader.h"

#include <cstdio>
#include <fstream>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/workflow/mini_definition.h"
#include "tests/workflow/workflow_test_util.h"
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

// Found by fuzz_definition: an escape can put any byte into a string. Such
// a definition would be stored and then fail to parse at the next start.
TEST(DefinitionLoaderTest, StringsThatAreNotUtf8AreRefused) {
  auto text = ReadFileToString(DefaultDefinitionsDir() + "/petition.textproto");
  ASSERT_TRUE(text.ok());
  const size_t at = text->find("zh: \"");
  ASSERT_NE(at, std::string::npos);
  std::string bad = *text;
  bad.insert(at + 5, "\\xff");  // the textproto escape \xff
  auto loaded =
      LoadDefinitionFromText(bad, "p.textproto", testing::TestCalendars());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(loaded.status().message()),
              ::testing::HasSubstr("is not valid UTF-8"));
  // An escape spelling valid UTF-8 (U+4E2D) is fine.
  std::string good = *text;
  good.insert(at + 5, "\\344\\270\\255");
  EXPECT_TRUE(
      LoadDefinitionFromText(good, "p.textproto", testing::TestCalendars())
          .ok());
}

TEST(DefinitionLoaderTest, VersionIsTheContentDigest) {
  const std::string path = DefaultDefinitionsDir() + "/petition.textproto";
  auto a = LoadDefinitionFromFile(path, testing::TestCalendars());
  auto b = LoadDefinitionFromFile(path, testing::TestCalendars());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->version(), (*b)->version());
  EXPECT_EQ((*a)->version().size(), 16u);

  // A comment or layout change is not a content change; a rule change is.
  auto text = ReadFileToString(path);
  ASSERT_TRUE(text.ok());
  auto same = LoadDefinitionFromText("# note\n" + *text, "p.textproto",
                                     testing::TestCalendars());
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ((*same)->version(), (*a)->version());
  auto changed = LoadDefinitionFromText(
      absl::StrReplaceAll(*text, {{"amount: 60", "amount: 61"}}), "p.textproto",
      testing::TestCalendars());
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_NE((*changed)->version(), (*a)->version());
}

TEST(DefinitionLoaderTest, VersionInTheFileIsIgnored) {
  auto a = LoadDefinitionFromText(testing::kMiniDefinition, "m.textproto",
                                  testing::TestCalendars());
  auto b = LoadDefinitionFromText(
      std::string(testing::kMiniDefinition) + "version: \"forged\"\n",
      "m.textproto", testing::TestCalendars());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->version(), (*b)->version());
}

TEST(DefinitionLoaderTest, MissingFileIsNotFound) {
  EXPECT_EQ(
      LoadDefinitionFromFile("/nonexistent/x.textproto", {}).status().code(),
      absl::StatusCode::kNotFound);
}

TEST(DefinitionLoaderTest, UnknownCalendarIsRefused) {
  // A misspelt calendar would otherwise count weekends only.
  auto def = LoadDefinitionFromText(
      absl::StrReplaceAll(testing::kMiniDefinition,
                          {{"calendar: \"cn\"", "calendar: \"cn2\""}}),
      "m.textproto", testing::TestCalendars());
  EXPECT_EQ(def.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(def.status().message(),
            "m.textproto: definition 'mini' names calendar 'cn2', which has "
            "no file");
}

}  // namespace
}  // namespace jianyan
