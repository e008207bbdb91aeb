#include "workflow/query_code.h"

#include <set>
#include <string>

#include "absl/random/random.h"
#include "gtest/gtest.h"

namespace jianyan {
namespace {

TEST(QueryCodeTest, CodesAreEightDigitsInTwoGroups) {
  absl::BitGen gen;
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    std::string code = GenerateQueryCode(gen);
    ASSERT_EQ(code.size(), 9u) << code;
    EXPECT_EQ(code[4], '-') << code;
    auto digits = NormalizeQueryCode(code);
    ASSERT_TRUE(digits.ok()) << code;
    seen.insert(*digits);
  }
  EXPECT_GT(seen.size(), 1990u);  // random, not a counter
}

TEST(QueryCodeTest, NormalizesWhatPeopleType) {
  EXPECT_EQ(*NormalizeQueryCode("1234-5678"), "12345678");
  EXPECT_EQ(*NormalizeQueryCode(" 1234 5678 "), "12345678");
  for (const char* bad : {"", "1234-567", "1234-56789", "1234-567a",
                          "12345678\n", "１２３４５６７８"}) {
    auto r = NormalizeQueryCode(bad);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(QueryCodeTest, HashIsSaltedAndMatchesOnlyItsCode) {
  absl::BitGen gen;
  const std::string code = "1234-5678";
  const std::string a = *HashQueryCode(code, gen);
  const std::string b = *HashQueryCode(code, gen);
  EXPECT_EQ(HashQueryCode("12-34", gen).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_NE(a, b);  // fresh salt each time
  EXPECT_EQ(a.find("12345678"), std::string::npos);
  EXPECT_TRUE(QueryCodeMatches("1234-5678", a));
  EXPECT_TRUE(QueryCodeMatches("12345678", b));
  EXPECT_FALSE(QueryCodeMatches("1234-5679", a));
  EXPECT_FALSE(QueryCodeMatches("2134-5678", a));
  EXPECT_FALSE(QueryCodeMatches("garbage", a));
  EXPECT_FALSE(QueryCodeMatches("1234-5678", a.substr(1)));
  EXPECT_FALSE(QueryCodeMatches("1234-5678", ""));
}

}  // namespace
}  // namespace jianyan
