#include "storage/page_token.h"

#include "gtest/gtest.h"
#include "storage/index_keys.h"

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

TEST(PageTokenTest, QueryTokensAreBoundToTheirQuery) {
  const std::string pos = ListPosition(absl::FromUnixSeconds(5), "P1");
  auto out =
      DecodeQueryPageToken(EncodeQueryPageToken("digest-1", pos), "digest-1");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, pos);
  EXPECT_EQ(*DecodeQueryPageToken("", "digest-1"), "");
  auto code = [](const absl::StatusOr<std::string>& r) {
    return r.status().code();
  };
  EXPECT_EQ(code(DecodeQueryPageToken(EncodeQueryPageToken("digest-2", pos),
                                      "digest-1")),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(DecodeQueryPageToken(EncodeQueryPageToken("digest-1", "x"),
                                      "digest-1")),
            absl::StatusCode::kInvalidArgument);
  // A list token is not a query token, and the other way round.
  EXPECT_EQ(
      code(DecodeQueryPageToken(EncodePageToken("digest-1" + pos), "digest-1")),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(DecodePageToken(EncodeQueryPageToken("d", pos), "")),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jianyan::storage
