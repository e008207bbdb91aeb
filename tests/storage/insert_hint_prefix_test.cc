#include "storage/insert_hint_prefix.h"

#include <string>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/counter_key.h"
#include "storage/index_keys.h"
#include "storage/key_coding.h"

namespace jianyan::storage {
namespace {

std::string Prefix(int strings, const std::string& key) {
  InsertHintPrefix p(strings);
  rocksdb::Slice k(key);
  if (!p.InDomain(k)) return "<not in domain>";
  return p.Transform(k).ToString();
}

TEST(InsertHintPrefixTest, PrefixEndsBeforeTheGrowingPart) {
  const std::string position =
      ListPosition(absl::FromUnixSeconds(1790000000), "P1");
  const std::string org_state =
      ListIndexPrefix(ListIndex::kOrgState, {"org-1", "accepted"});
  EXPECT_EQ(Prefix(1, org_state + position), V1Key("O"));
  EXPECT_EQ(Prefix(3, org_state + position), org_state);
  EXPECT_EQ(Prefix(0, V1Key() + position), V1Key());
  std::string whole = V1Key("counter");
  EXPECT_EQ(Prefix(-1, whole), whole);
  // An escaped zero inside a string is not its end.
  std::string zero = V1Key(std::string("a\0b", 3));
  EXPECT_EQ(Prefix(1, zero + "tail"), zero);
}

TEST(InsertHintPrefixTest, MalformedKeysAreOutsideTheDomain) {
  EXPECT_EQ(Prefix(0, ""), "<not in domain>");
  EXPECT_EQ(Prefix(-1, ""), "<not in domain>");
  EXPECT_EQ(Prefix(1, V1Key()), "<not in domain>");
  EXPECT_EQ(Prefix(1, "\x01unterminated"), "<not in domain>");
  EXPECT_EQ(Prefix(1, std::string("\x01\0", 2)), "<not in domain>");
  EXPECT_EQ(Prefix(2, V1Key("only one")), "<not in domain>");
  EXPECT_EQ(Prefix(1, std::string("\x01\0\x05", 3)), "<not in domain>");
}

}  // namespace
}  // namespace jianyan::storage
