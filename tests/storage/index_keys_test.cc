#include "storage/index_keys.h"

#include "gtest/gtest.h"
#include "storage/key_coding.h"

namespace jianyan::storage {
namespace {

bool HasPrefix(const std::string& s, const std::string& p) {
  return s.compare(0, p.size(), p) == 0;
}

absl::Time T(int64_t s) { return absl::FromUnixSeconds(s); }

TEST(IndexKeysTest, PositionsSortByTimeThenCaseWithinAPrefix) {
  const std::string state = ListIndexPrefix(ListIndex::kState, {"accepted"});
  std::string a = state + ListPosition(T(10), "P2");
  std::string b = state + ListPosition(T(20), "P1");
  std::string c = state + ListPosition(T(20), "P3");
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_FALSE(HasPrefix(a, ListIndexPrefix(ListIndex::kState, {"accept"})));
  // A time bound selects a range: at or after T(20), before T(21).
  EXPECT_LT(a, state + ListTimeBound(T(20)));
  EXPECT_LE(state + ListTimeBound(T(20)), b);
  EXPECT_LT(c, state + ListTimeBound(T(21)));
}

TEST(IndexKeysTest, OrgStateKeysNestStateUnderOrganisation) {
  std::string k = ListIndexPrefix(ListIndex::kOrgState, {"org1", "open"}) +
                  ListPosition(T(1), "P1");
  EXPECT_TRUE(HasPrefix(k, ListIndexPrefix(ListIndex::kOrgState, {"org1"})));
  EXPECT_FALSE(
      HasPrefix(k, ListIndexPrefix(ListIndex::kOrgState, {"org1", "closed"})));
  EXPECT_FALSE(HasPrefix(k, ListIndexPrefix(ListIndex::kOrgState, {"org"})));
}

TEST(IndexKeysTest, KeysCarryTheCodecVersion) {
  EXPECT_EQ(ListIndexPrefix(ListIndex::kAll, {})[0], kKeyCodecV1);
  EXPECT_EQ(MatterIndexPrefix("hash", "category")[0], kKeyCodecV1);
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
