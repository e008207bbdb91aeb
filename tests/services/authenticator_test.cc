// Authenticator over a real store: a known token is answered from the
// cache (no store read: a change written behind its back is not seen), and
// a revocation through it takes effect on the next call.
#include "services/core/authenticator.h"

#include "gtest/gtest.h"
#include "services/core/token.h"
#include "tests/storage/store_test_util.h"

namespace jianyan {
namespace {

TEST(AuthenticatorTest, CachedAfterFirstLookupAndRevokedAtOnce) {
  storage::testing::TempDir dir;
  storage::CaseStoreOptions options;
  options.sync = false;
  auto store = storage::CaseStore::Open(options, dir.Sub("db"));
  ASSERT_TRUE(store.ok()) << store.status();
  Authenticator auth(**store, Clock::Real());
  jianyan::v1::Principal p;
  p.set_id("handler-1");
  p.set_role(jianyan::v1::ROLE_HANDLER);
  p.set_organisation_id("org-1");
  auto created = auth.CreatePrincipal(p);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->first.token_hash().empty());
  const std::string bearer = "Bearer " + created->second;
  ASSERT_TRUE(auth.Authenticate(bearer).ok());

  // Revoked in the store directly, behind the authenticator's back: the
  // cached principal still answers, which shows the hot path reads no store.
  auto stored = (*store)->GetPrincipal("handler-1");
  ASSERT_TRUE(stored.ok());
  stored->set_revoked(true);
  ASSERT_TRUE((*store)->PutPrincipal(*stored).ok());
  EXPECT_TRUE(auth.Authenticate(bearer).ok());

  // Through the authenticator the cache entry goes: the next call fails.
  ASSERT_TRUE(auth.RevokePrincipal("handler-1").ok());
  auto after = auth.Authenticate(bearer);
  EXPECT_EQ(after.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(std::string(after.status().message()).find(created->second),
            std::string::npos);
  EXPECT_EQ(auth.Authenticate("Bearer " + GenerateToken()).status().code(),
            absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace jianyan
