#include "services/core/token.h"

#include <set>

#include "gtest/gtest.h"

namespace jianyan {
namespace {

TEST(TokenTest, GeneratedTokensAreWellFormedAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string token = GenerateToken();
    EXPECT_EQ(token.size(), kTokenLength);
    EXPECT_EQ(token.substr(0, 3), "jy_");
    EXPECT_TRUE(IsWellFormedToken(token)) << token;
    EXPECT_TRUE(seen.insert(token).second);
  }
}

TEST(TokenTest, HashIsSha256) {
  EXPECT_EQ(HashToken("x").size(), 32u);
  EXPECT_NE(HashToken("a"), HashToken("b"));
}

TEST(TokenTest, ParseBearer) {
  const std::string token = GenerateToken();
  EXPECT_EQ(*ParseBearer("Bearer " + token), token);
  EXPECT_EQ(*ParseBearer("bearer " + token), token);
  for (const std::string& bad :
       {std::string(), std::string("Bearer"), std::string("Bearer "),
        "Basic " + token, "Bearer " + token.substr(1), "Bearer " + token + "x",
        "Bearer jy_" + std::string(43, '!'), "Token " + token}) {
    auto parsed = ParseBearer(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(std::string(parsed.status().message()).find(token),
              std::string::npos);
  }
}

}  // namespace
}  // namespace jianyan
