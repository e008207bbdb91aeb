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

TEST(IndexKeysTest, ListKeysArePrefixAndPosition) {
  std::string org1 = ListIndexPrefix(ListIndex::kOrg, {"org1"});
  EXPECT_TRUE(HasPrefix(org1, ListIndexPrefix(ListIndex::kOrg, {})));
  EXPECT_FALSE(HasPrefix(ListIndexPrefix(ListIndex::kOrg, {"org10"}), org1));
  EXPECT_NE(ListIndexPrefix(ListIndex::kOrg, {}),
            ListIndexPrefix(ListIndex::kOrgDue, {}));
  EXPECT_EQ(org1[0], kKeyCodecV1);
  // Positions sort by time, then case; a time bound precedes its time.
  EXPECT_LT(ListPosition(T(10), "P9"), ListPosition(T(20), "P1"));
  EXPECT_LT(ListPosition(T(10), "P1"), ListPosition(T(10), "P2"));
  EXPECT_LT(ListTimeBound(T(10)), ListPosition(T(10), ""));
  EXPECT_LT(ListPosition(T(9), "P~"), ListTimeBound(T(10)));
  EXPECT_TRUE(IsListPosition(ListPosition(T(1), "P1")));
  EXPECT_FALSE(IsListPosition(ListTimeBound(T(1))));
  EXPECT_FALSE(IsListPosition(ListPosition(T(1), "P1") + "x"));
}

TEST(IndexKeysTest, ListEntriesRoundTrip) {
  ListEntry e;
  e.case_number = "P2026-00000001-X";
  e.kind = 2;
  e.create_time = T(-5);
  e.open = true;
  e.state = "accepted";
  e.reporting_point_id = "pt";
  e.campaign_id = "";
  e.suggester_id = std::string("s\0g", 4);
  e.organisation_ids = {"org1", "org2"};
  e.escalation_level = 3;
  e.warn_time = T(-2);
  ListEntry d;
  ASSERT_TRUE(DecodeListEntry(EncodeListEntry(e), &d));
  EXPECT_EQ(d.escalation_level, 3);
  EXPECT_EQ(d.warn_time, e.warn_time);
  EXPECT_EQ(d.case_number, e.case_number);
  EXPECT_EQ(d.kind, 2);
  EXPECT_EQ(d.create_time, e.create_time);
  EXPECT_TRUE(d.open);
  EXPECT_EQ(d.state, e.state);
  EXPECT_EQ(d.reporting_point_id, e.reporting_point_id);
  EXPECT_EQ(d.campaign_id, "");
  EXPECT_EQ(d.suggester_id, e.suggester_id);
  EXPECT_EQ(d.organisation_ids, e.organisation_ids);
  std::string bytes = EncodeListEntry(e);
  for (size_t n = 0; n < bytes.size(); ++n) {
    ListEntry cut;
    // Cutting inside a field is malformed (a cut between organisations
    // just drops the later ones, so only check up to the organisations).
    if (n < bytes.size() - 12) {
      EXPECT_FALSE(DecodeListEntry(bytes.substr(0, n), &cut)) << n;
    }
  }
  // No warn time; a value of schema 3 (no version byte) is refused.
  e.warn_time.reset();
  ASSERT_TRUE(DecodeListEntry(EncodeListEntry(e), &d));
  EXPECT_FALSE(d.warn_time.has_value());
  EXPECT_EQ(bytes[0], kListEntryV2);
  EXPECT_FALSE(DecodeListEntry(bytes.substr(1), &d));
}

}  // namespace
}  // namespace jianyan::storage
