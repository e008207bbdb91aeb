// Derived query codes: the same (secret, principal, request id) gives the
// same code and stored hash; anything else gives another; the secret file
// is created 0600 and refused when others may read it.
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "services/intake/derived_query_code.h"
#include "tests/storage/store_test_util.h"
#include "workflow/query_code.h"

namespace jianyan {
namespace {

const std::string kSecret(32, 's');

TEST(DerivedQueryCodeTest, IsStableForARetryAndMatchesItsStoredHash) {
  DerivedQueryCode a = DeriveQueryCode(kSecret, "terminal-1", "req-0001");
  DerivedQueryCode b = DeriveQueryCode(kSecret, "terminal-1", "req-0001");
  EXPECT_EQ(a.code, b.code);
  EXPECT_EQ(a.stored_hash, b.stored_hash);
  EXPECT_TRUE(NormalizeQueryCode(a.code).ok());
  EXPECT_EQ(a.code.size(), 9u);
  EXPECT_TRUE(QueryCodeMatches(a.code, a.stored_hash));
  EXPECT_EQ(a.stored_hash.find(*NormalizeQueryCode(a.code)), std::string::npos);
}

TEST(DerivedQueryCodeTest, DiffersByPrincipalRequestAndSecret) {
  DerivedQueryCode a = DeriveQueryCode(kSecret, "terminal-1", "req-0001");
  EXPECT_NE(a.code, DeriveQueryCode(kSecret, "terminal-2", "req-0001").code);
  EXPECT_NE(a.code, DeriveQueryCode(kSecret, "terminal-1", "req-0002").code);
  EXPECT_NE(
      a.code,
      DeriveQueryCode(std::string(32, 't'), "terminal-1", "req-0001").code);
  // The salt (the stored hash's first bytes) differs with the request too.
  EXPECT_NE(a.stored_hash.substr(0, kQueryCodeSaltBytes),
            DeriveQueryCode(kSecret, "terminal-1", "req-0002")
                .stored_hash.substr(0, kQueryCodeSaltBytes));
  // No ambiguity where the principal ends and the request id begins.
  EXPECT_NE(DeriveQueryCode(kSecret, "ab", "cdefghij").code,
            DeriveQueryCode(kSecret, "abc", "defghij").code);
}

TEST(DerivedQueryCodeTest, TheSecretFileIsCreated0600AndReadBack) {
  storage::testing::TempDir dir;
  const std::string path = dir.path() + "/query-code.key";
  absl::StatusOr<std::string> created = LoadOrCreateSecretFile(path);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->size(), kQueryCodeSecretBytes);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  absl::StatusOr<std::string> again = LoadOrCreateSecretFile(path);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *created);
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  EXPECT_EQ(LoadOrCreateSecretFile(path).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_EQ(chmod(path.c_str(), 0600), 0);
  std::ofstream(path, std::ios::app) << "x";
  EXPECT_EQ(LoadOrCreateSecretFile(path).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace jianyan
