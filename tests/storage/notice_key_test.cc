#include "storage/notice_key.h"

#include "gtest/gtest.h"

namespace jianyan::storage {
namespace {

TEST(NoticeKeyTest, RoundTripsAndSortsByCursor) {
  EXPECT_LT(NoticeKey(1), NoticeKey(2));
  EXPECT_LT(NoticeKey(255), NoticeKey(256));
  EXPECT_EQ(NoticeKey(7).substr(0, NoticePrefix().size()), NoticePrefix());
  uint64_t cursor = 0;
  ASSERT_TRUE(DecodeNoticeKey(NoticeKey(1ull << 40), &cursor));
  EXPECT_EQ(cursor, 1ull << 40);
  EXPECT_FALSE(DecodeNoticeKey(NoticeKey(3) + "x", &cursor));
  EXPECT_FALSE(DecodeNoticeKey(NoticeKey(3).substr(0, 5), &cursor));
  EXPECT_FALSE(DecodeNoticeKey("", &cursor));
}

}  // namespace
}  // namespace jianyan::storage
