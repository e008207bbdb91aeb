#include "storage/case_keys.h"

#include "gtest/gtest.h"

namespace jianyan::storage {
namespace {

TEST(CaseKeysTest, CaseKeyRoundTrips) {
  std::string no;
  ASSERT_TRUE(DecodeCaseKey(CaseKey("P2026-00001234-7"), &no));
  EXPECT_EQ(no, "P2026-00001234-7");
  EXPECT_FALSE(DecodeCaseKey("\x02garbage", &no));
  EXPECT_FALSE(DecodeCaseKey(CaseKey("x") + "y", &no));
}

TEST(CaseKeysTest, EventKeysOfACaseAreContiguousAndInSeqOrder) {
  std::string a = EventKey("P1", 2), b = EventKey("P1", 10);
  EXPECT_LT(a, b);
  EXPECT_EQ(a.rfind(EventPrefix("P1"), 0), 0u);
  // "P1" events never interleave with "P10" events.
  EXPECT_LT(EventKey("P1", 0xFFFFFFFF), EventKey("P10", 0));
  std::string no;
  uint64_t seq = 0;
  ASSERT_TRUE(DecodeEventKey(b, &no, &seq));
  EXPECT_EQ(no, "P1");
  EXPECT_EQ(seq, 10u);
  EXPECT_FALSE(DecodeEventKey(CaseKey("P1"), &no, &seq));
}

}  // namespace
}  // namespace jianyan::storage
