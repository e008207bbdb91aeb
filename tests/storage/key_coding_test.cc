#include "storage/key_coding.h"

#include <random>

#include "gtest/gtest.h"

namespace jianyan::storage {
namespace {

TEST(KeyCodingTest, Fixed64RoundTripsAndOrders) {
  std::string a, b;
  PutFixed64BE(&a, 255);
  PutFixed64BE(&b, 256);
  EXPECT_LT(a, b);
  absl::string_view in(a);
  uint64_t v = 0;
  ASSERT_TRUE(GetFixed64BE(&in, &v));
  EXPECT_EQ(v, 255u);
  EXPECT_TRUE(in.empty());
  absl::string_view short_in("abc");
  EXPECT_FALSE(GetFixed64BE(&short_in, &v));
}

TEST(KeyCodingTest, OrderedStringsKeepOrderAndRoundTrip) {
  std::mt19937 rng(7);
  std::vector<std::string> values = {
      "", std::string(1, '\0'), "a", std::string("a\0b", 3), "ab", "\xff"};
  for (int i = 0; i < 200; ++i) {
    std::string s;
    int n = rng() % 5;
    for (int j = 0; j < n; ++j) s.push_back(static_cast<char>(rng() % 3));
    values.push_back(s);
  }
  for (const auto& x : values) {
    std::string enc;
    PutOrderedString(&enc, x);
    enc += "tail";
    absl::string_view in(enc);
    std::string out;
    ASSERT_TRUE(GetOrderedString(&in, &out));
    EXPECT_EQ(out, x);
    EXPECT_EQ(in, "tail");
    for (const auto& y : values) {
      std::string ex, ey;
      PutOrderedString(&ex, x);
      PutOrderedString(&ey, y);
      EXPECT_EQ(x < y, ex < ey) << "x=" << x << " y=" << y;
    }
  }
}

TEST(KeyCodingTest, MalformedOrderedStringsAreRejected) {
  std::string out;
  absl::string_view unterminated("abc");
  EXPECT_FALSE(GetOrderedString(&unterminated, &out));
  absl::string_view bad_escape("a\0\x05", 3);
  EXPECT_FALSE(GetOrderedString(&bad_escape, &out));
}

TEST(KeyCodingTest, OrderedTimeKeepsOrderAcrossTheEpoch) {
  absl::Time before = absl::FromUnixSeconds(-5);
  absl::Time after = absl::FromUnixSeconds(5);
  EXPECT_LT(OrderedTime(before), OrderedTime(after));
  EXPECT_EQ(TimeFromOrdered(OrderedTime(before)), before);
  EXPECT_EQ(TimeFromOrdered(OrderedTime(after)), after);
}

TEST(KeyCodingTest, Fixed64LittleEndianNeedsEightBytes) {
  uint64_t v = 0;
  ASSERT_TRUE(DecodeFixed64LE(EncodeFixed64LE(0x0102030405060708), &v));
  EXPECT_EQ(v, 0x0102030405060708u);
  EXPECT_FALSE(DecodeFixed64LE("1234567", &v));
}

TEST(KeyCodingTest, PrefixSuccessorBoundsThePrefix) {
  EXPECT_EQ(PrefixSuccessor("ab"), "ac");
  EXPECT_EQ(PrefixSuccessor(std::string("a\xff", 2)), "b");
  EXPECT_EQ(PrefixSuccessor("\xff\xff"), "");
}

}  // namespace
}  // namespace jianyan::storage
