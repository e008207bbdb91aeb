#include "storage/page_token.h"

#include "gtest/gtest.h"

namespace jianyan::storage {
namespace {

TEST(PageTokenTest, RoundTrips) {
  std::string key("pre\0fix-rest", 12);
  auto out = DecodePageToken(EncodePageToken(key), "pre");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, key);
  EXPECT_EQ(*DecodePageToken("", "pre"), "");
}

TEST(PageTokenTest, RejectsMalformedAndForeignTokens) {
  EXPECT_EQ(DecodePageToken("!!!", "p").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodePageToken(EncodePageToken("other"), "pre").status().code(),
            absl::StatusCode::kInvalidArgument);
  // Version byte 'p' is expected: "eA" is base64 of "x".
  EXPECT_EQ(DecodePageToken("eA", "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jianyan::storage
