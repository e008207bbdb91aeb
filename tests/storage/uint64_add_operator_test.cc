#include "storage/uint64_add_operator.h"

#include "gtest/gtest.h"
#include "storage/key_coding.h"

namespace jianyan::storage {
namespace {

TEST(Uint64AddOperatorTest, AddsAndHasAStableName) {
  Uint64AddOperator op;
  EXPECT_STREQ(op.Name(), "jianyan.Uint64Add");
  std::string a = EncodeFixed64LE(40), b = EncodeFixed64LE(2), out;
  rocksdb::Slice existing(a);
  ASSERT_TRUE(op.Merge("k", &existing, b, &out, nullptr));
  uint64_t v = 0;
  ASSERT_TRUE(DecodeFixed64LE(out, &v));
  EXPECT_EQ(v, 42u);
  ASSERT_TRUE(op.Merge("k", nullptr, b, &out, nullptr));
  ASSERT_TRUE(DecodeFixed64LE(out, &v));
  EXPECT_EQ(v, 2u);
}

TEST(Uint64AddOperatorTest, MalformedOperandFailsTheMerge) {
  Uint64AddOperator op;
  std::string out;
  EXPECT_FALSE(op.Merge("k", nullptr, "abc", &out, nullptr));
}

}  // namespace
}  // namespace jianyan::storage
