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

TEST(QueryCodeTest, HashWithAGivenSaltIsThatSaltsAndChecksItsSize) {
  const std::string salt(kQueryCodeSaltBytes, 'x');
  absl::StatusOr<std::string> a = HashQueryCodeWithSalt("1234-5678", salt);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->substr(0, kQueryCodeSaltBytes), salt);
  EXPECT_EQ(*a, *HashQueryCodeWithSalt("12345678", salt));
  EXPECT_NE(*a, *HashQueryCodeWithSalt("1234-5678",
                                       std::string(kQueryCodeSaltBytes, 'y')));
  EXPECT_TRUE(QueryCodeMatches("1234 5678", *a));
  EXPECT_FALSE(QueryCodeMatches("1234-5679", *a));
  for (size_t size :
       {size_t{0}, kQueryCodeSaltBytes - 1, kQueryCodeSaltBytes + 1}) {
    absl::StatusOr<std::string> bad =
        HashQueryCodeWithSalt("1234-5678", std::string(size, 'x'));
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(bad.status().message().find("salt"), std::string::npos);
  }
  EXPECT_EQ(HashQueryCodeWithSalt("12-34", salt).status().code(),
            absl::StatusCode::kInvalidArgument);
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
