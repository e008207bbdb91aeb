// OrgDirectory over a real store: subtrees, and the list scope that drops
// the organisation filter only when a subtree is the whole directory.
#include "services/core/org_directory.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/storage/store_test_util.h"

namespace jianyan {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class OrgDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::CaseStore::Open(storage::testing::TestOptions(),
                                          dir_.Sub("db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    auto orgs = OrgDirectory::Load(*store_);
    ASSERT_TRUE(orgs.ok()) << orgs.status();
    orgs_ = *std::move(orgs);
    Put("city", "");
    Put("district", "city");
    Put("housing", "district");
    Put("health", "city");
  }

  void Put(const std::string& id, const std::string& parent) {
    jianyan::v1::Organisation o;
    o.set_id(id);
    o.set_parent_id(parent);
    o.mutable_name()->set_zh("机关");
    o.set_active(true);
    ASSERT_TRUE(orgs_->Put(o).ok()) << id;
  }

  storage::testing::TempDir dir_;
  std::unique_ptr<storage::CaseStore> store_;
  std::unique_ptr<OrgDirectory> orgs_;
};

TEST_F(OrgDirectoryTest, SubtreeListsTheRootFirstThenTheRestSorted) {
  EXPECT_THAT(orgs_->Subtree("city"),
              ElementsAre("city", "district", "health", "housing"));
  EXPECT_THAT(orgs_->Subtree("district"), ElementsAre("district", "housing"));
}

TEST_F(OrgDirectoryTest, ListScopeIsEmptyOnlyForTheWholeDirectory) {
  EXPECT_THAT(orgs_->ListScope("city"), IsEmpty());
  EXPECT_THAT(orgs_->ListScope("district"), ElementsAre("district", "housing"));
  EXPECT_THAT(orgs_->ListScope("unknown"), ElementsAre("unknown"));
  // A second root: the city's subtree is no longer everything.
  Put("province-office", "");
  EXPECT_THAT(orgs_->ListScope("city"),
              ElementsAre("city", "district", "health", "housing"));
}

}  // namespace
}  // namespace jianyan
