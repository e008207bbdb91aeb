// DirectoryCache (storage/directory_cache.h) on its own, and through a real
// CaseStore: a put is seen by every read that starts after it returns,
// however reads and puts interleave.
#include "storage/directory_cache.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "storage/case_store.h"
#include "tests/storage/store_test_util.h"

namespace jianyan::storage {
namespace {

TEST(DirectoryCacheTest, FillsFindsAndForgetsOnInvalidate) {
  DirectoryCache cache;
  EXPECT_FALSE(cache.Find("k").has_value());
  cache.Fill("k", "v1", cache.Generation());
  ASSERT_TRUE(cache.Find("k").has_value());
  EXPECT_EQ(*cache.Find("k"), "v1");
  cache.Invalidate("k");
  EXPECT_FALSE(cache.Find("k").has_value());
}

TEST(DirectoryCacheTest, BytesReadBeforeAWriteAreNotCached) {
  DirectoryCache cache;
  const uint64_t before = cache.Generation();
  // A put of any record lands while the read is in progress.
  cache.Invalidate("other");
  cache.Fill("k", "read before the put", before);
  EXPECT_FALSE(cache.Find("k").has_value());
  cache.Fill("k", "read after the put", cache.Generation());
  EXPECT_EQ(cache.Find("k").value_or(""), "read after the put");
}

TEST(DirectoryCacheTest, StartsOverAtItsBound) {
  DirectoryCache cache(/*max_entries=*/2);
  cache.Fill("a", "1", cache.Generation());
  cache.Fill("b", "2", cache.Generation());
  cache.Fill("c", "3", cache.Generation());
  EXPECT_EQ(cache.Find("c").value_or(""), "3");
  EXPECT_FALSE(cache.Find("a").has_value());
}

class DirectoryCacheStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = CaseStore::Open(testing::TestOptions(&clock_), dir_.Sub("db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  static jianyan::v1::Organisation Org(const std::string& name) {
    jianyan::v1::Organisation org;
    org.set_id("taishan-zjj");
    org.mutable_name()->set_zh(name);
    return org;
  }

  testing::TempDir dir_;
  ManualClock clock_{testing::TestEpoch()};
  std::unique_ptr<CaseStore> store_;
};

TEST_F(DirectoryCacheStoreTest, APutIsSeenByTheNextRead) {
  ASSERT_TRUE(store_->PutOrganisation(Org("住建局")).ok());
  ASSERT_EQ(store_->GetOrganisation("taishan-zjj")->name().zh(), "住建局");
  ASSERT_EQ(store_->GetOrganisation("taishan-zjj")->name().zh(), "住建局");
  ASSERT_TRUE(store_->PutOrganisation(Org("住房和城乡建设局")).ok());
  EXPECT_EQ(store_->GetOrganisation("taishan-zjj")->name().zh(),
            "住房和城乡建设局");
  // A revocation is seen at once, and so is the moved token hash.
  jianyan::v1::Principal p;
  p.set_id("terminal-1");
  p.set_token_hash("hash-1");
  ASSERT_TRUE(store_->PutPrincipal(p).ok());
  ASSERT_FALSE(store_->GetPrincipal("terminal-1")->revoked());
  p.set_revoked(true);
  p.set_token_hash("hash-2");
  ASSERT_TRUE(store_->PutPrincipal(p).ok());
  EXPECT_TRUE(store_->GetPrincipal("terminal-1")->revoked());
  EXPECT_TRUE(store_->FindPrincipalByTokenHash("hash-2")->revoked());
  EXPECT_EQ(store_->FindPrincipalByTokenHash("hash-1").status().code(),
            absl::StatusCode::kNotFound);
  // Absent records stay absent, and are found once put.
  EXPECT_EQ(store_->GetOrganisation("nowhere").status().code(),
            absl::StatusCode::kNotFound);
  jianyan::v1::Organisation later = Org("新机构");
  later.set_id("nowhere");
  ASSERT_TRUE(store_->PutOrganisation(later).ok());
  EXPECT_TRUE(store_->GetOrganisation("nowhere").ok());
}

TEST_F(DirectoryCacheStoreTest, ReadersRacingPutsEndOnTheLastPut) {
  constexpr int kPuts = 200;
  std::atomic<bool> done{false};
  std::atomic<int> errors{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        auto got = store_->GetOrganisation("taishan-zjj");
        if (!got.ok() && !absl::IsNotFound(got.status())) ++errors;
      }
    });
  }
  for (int i = 1; i <= kPuts; ++i) {
    ASSERT_TRUE(store_->PutOrganisation(Org(std::to_string(i))).ok());
    // Every read that starts after a put has returned sees it.
    ASSERT_EQ(store_->GetOrganisation("taishan-zjj")->name().zh(),
              std::to_string(i));
  }
  done.store(true);
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(store_->GetOrganisation("taishan-zjj")->name().zh(),
            std::to_string(kPuts));
}

}  // namespace
}  // namespace jianyan::storage
