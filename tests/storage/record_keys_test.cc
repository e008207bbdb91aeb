#include "storage/record_keys.h"

#include "gtest/gtest.h"

namespace jianyan::storage {
namespace {

TEST(RecordKeysTest, DirectoryKeysRoundTripAndGroupByKind) {
  std::string k = DirectoryKey(DirectoryKind::kCampaign, "c-1");
  DirectoryKind kind;
  std::string id;
  ASSERT_TRUE(DecodeDirectoryKey(k, &kind, &id));
  EXPECT_EQ(kind, DirectoryKind::kCampaign);
  EXPECT_EQ(id, "c-1");
  EXPECT_EQ(k.rfind(DirectoryPrefix(DirectoryKind::kCampaign), 0), 0u);
  EXPECT_FALSE(DecodeDirectoryKey("\x01\x09x", &kind, &id));
}

TEST(RecordKeysTest, DefinitionVersionsOfANameAreContiguous) {
  std::string k = DefinitionKey("petition", "abc");
  EXPECT_EQ(k.rfind(DefinitionPrefix("petition"), 0), 0u);
  EXPECT_NE(k.rfind(DefinitionPrefix("pet"), 0), 0u);
  EXPECT_EQ(k.rfind(DefinitionPrefix(""), 0), 0u);
}

TEST(RecordKeysTest, DistinctNamesGiveDistinctKeys) {
  EXPECT_NE(IdempotencyKey("p", "a"),
            IdempotencyKey("p", std::string("a\0", 2)));
  // (principal, request) pairs never collide by concatenation.
  EXPECT_NE(IdempotencyKey("ab", "c"), IdempotencyKey("a", "bc"));
  EXPECT_NE(MetaKey("schema_version"), MetaKey("case_seq/1/2026/0"));
}

}  // namespace
}  // namespace jianyan::storage
