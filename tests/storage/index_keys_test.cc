#include "storage/index_keys.h"

#include "gtest/gtest.h"
#include "storage/key_coding.h"

namespace jianyan::storage {
namespace {

bool HasPrefix(const std::string& s, const std::string& p) {
  return s.compare(0, p.size(), p) == 0;
}

absl::Time T(int64_t s) { return absl::FromUnixSeconds(s); }

TEST(IndexKeysTest, StateKeysSortByTimeWithinState) {
  std::string a = StateIndexKey("accepted", T(10), "P2");
  std::string b = StateIndexKey("accepted", T(20), "P1");
  EXPECT_LT(a, b);
  EXPECT_TRUE(HasPrefix(a, StateIndexPrefix("accepted")));
  EXPECT_FALSE(HasPrefix(a, StateIndexPrefix("accept")));
}

TEST(IndexKeysTest, OrgKeysNestStateUnderOrganisation) {
  std::string k = OrgIndexKey("org1", "open", T(1), "P1");
  EXPECT_TRUE(HasPrefix(k, OrgIndexPrefix("org1", "")));
  EXPECT_TRUE(HasPrefix(k, OrgIndexPrefix("org1", "open")));
  EXPECT_FALSE(HasPrefix(k, OrgIndexPrefix("org1", "closed")));
  EXPECT_FALSE(HasPrefix(k, OrgIndexPrefix("org", "")));
}

TEST(IndexKeysTest, PointTimeBoundsSelectARange) {
  std::string k = PointIndexKey("pt", T(100), "P1");
  EXPECT_LE(PointIndexTimeBound("pt", T(100)), k);
  EXPECT_LT(k, PointIndexTimeBound("pt", T(101)));
  EXPECT_TRUE(
      HasPrefix(PointIndexTimeBound("pt", T(5)), PointIndexPrefix("pt")));
}

TEST(IndexKeysTest, CampaignAndDeadlineKeys) {
  EXPECT_TRUE(
      HasPrefix(CampaignIndexKey("c1", T(1), "S1"), CampaignIndexPrefix("c1")));
  std::string soon = DeadlineIndexKey(T(50), "P9");
  std::string later = DeadlineIndexKey(T(60), "P1");
  EXPECT_LT(soon, later);
  EXPECT_LT(soon, DeadlineIndexTimeBound(T(51)));
  EXPECT_GE(soon, DeadlineIndexTimeBound(T(50)));
  EXPECT_TRUE(HasPrefix(soon, DeadlineIndexPrefix()));
}

TEST(IndexKeysTest, KeysCarryTheCodecVersion) {
  EXPECT_EQ(StateIndexKey("s", T(1), "P")[0], kKeyCodecV1);
  EXPECT_EQ(DeadlineIndexKey(T(1), "P")[0], kKeyCodecV1);
}

}  // namespace
}  // namespace jianyan::storage
