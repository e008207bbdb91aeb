// Schema 5: idx_matter, the petitions of one (representative identity
// number, category), salted so that numbers cannot be read back; written in
// the case's batch, checked by Verify, built for older stores on opening.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rocksdb/perf_context.h"
#include "rocksdb/perf_level.h"
#include "storage/case_store.h"
#include "storage/index_entries.h"
#include "storage/record_keys.h"
#include "tests/storage/notice_test_util.h"
#include "tests/storage/store_test_util.h"

namespace jianyan::storage {
namespace {

using testing::CaseSpec;
using testing::CreateRequest;
using testing::ExpectVerifyClean;
using testing::Spec;
using testing::UpdateRequest;

constexpr char kId[] = "11010519491231002X";

// A petition of `category` represented by the people with `ids`.
ApplyRequest Petition(const std::string& no, const std::string& category,
                      const std::vector<std::string>& ids) {
  ApplyRequest r = CreateRequest(Spec(no));
  r.change.case_after.set_category(category);
  for (const std::string& id : ids) {
    r.change.case_after.mutable_submitter()
        ->add_representatives()
        ->set_id_number(id);
  }
  return r;
}

std::vector<std::string> Keys(CaseStore& store) {
  std::vector<std::string> out;
  std::unique_ptr<rocksdb::Iterator> it(store.raw_db()->NewIterator(
      rocksdb::ReadOptions(), store.handle(Cf::kIdxMatter)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    out.push_back(it->key().ToString());
  }
  EXPECT_TRUE(it->status().ok());
  return out;
}

class MatterIndexTest : public testing::StoreFixture {
 protected:
  std::vector<std::string> Cases(const std::string& id,
                                 const std::string& category) {
    auto found = store_->MatterCases(id, category);
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::vector<std::string>();
  }
};

TEST_F(MatterIndexTest, IndexesPetitionsByIdentityNumberAndCategory) {
  ASSERT_TRUE(
      store_->Apply(Petition("P1", "城乡建设", {kId, "110101199001011234"}))
          .ok());
  ASSERT_TRUE(store_->Apply(Petition("P2", "城乡建设", {kId})).ok());
  ASSERT_TRUE(store_->Apply(Petition("P3", "劳动社保", {kId})).ok());
  ASSERT_TRUE(store_->Apply(Petition("P4", "", {kId})).ok());  // no category
  ApplyRequest suggestion = Petition("S5", "城乡建设", {kId});
  suggestion.change.case_after.set_kind(jianyan::v1::CASE_KIND_SUGGESTION);
  ASSERT_TRUE(store_->Apply(std::move(suggestion)).ok());

  EXPECT_EQ(Cases(kId, "城乡建设"), (std::vector<std::string>{"P1", "P2"}));
  // Compared upper-cased.
  EXPECT_EQ(Cases("11010519491231002x", "城乡建设"),
            (std::vector<std::string>{"P1", "P2"}));
  EXPECT_EQ(Cases("110101199001011234", "城乡建设"),
            (std::vector<std::string>{"P1"}));
  EXPECT_EQ(Cases(kId, "劳动社保"), (std::vector<std::string>{"P3"}));
  EXPECT_TRUE(Cases(kId, "").empty());
  EXPECT_TRUE(Cases("", "城乡建设").empty());
  EXPECT_EQ(Keys(*store_).size(), 4u);
  // The number is not in the keys, nor its hash without the salt.
  for (const std::string& key : Keys(*store_)) {
    EXPECT_EQ(key.find("11010519491231002"), std::string::npos);
    EXPECT_EQ(key.find(MatterIdHash("", kId)), std::string::npos);
  }
  ExpectVerifyClean(*store_);
}

TEST_F(MatterIndexTest, FollowsTheCaseAndSurvivesReopening) {
  ASSERT_TRUE(store_->Apply(Petition("P1", "城乡建设", {kId})).ok());
  auto old = store_->GetCase("P1");
  ASSERT_TRUE(old.ok());
  // Closing keeps the entry (the check reads the case for open / barred).
  CaseSpec closed = Spec("P1", "terminated");
  closed.open = false;
  ASSERT_TRUE(store_->Apply(UpdateRequest(old->case_(), closed)).ok());
  EXPECT_EQ(Cases(kId, "城乡建设"), std::vector<std::string>{"P1"});
  ExpectVerifyClean(*store_);
  // A new category moves it, in the same batch as the case.
  old = store_->GetCase("P1");
  ASSERT_TRUE(old.ok());
  ApplyRequest moved = UpdateRequest(old->case_(), closed);
  moved.change.case_after.set_category("劳动社保");
  ASSERT_TRUE(store_->Apply(std::move(moved)).ok());
  EXPECT_TRUE(Cases(kId, "城乡建设").empty());
  EXPECT_EQ(Cases(kId, "劳动社保"), std::vector<std::string>{"P1"});
  ExpectVerifyClean(*store_);
  // The salt is kept: the same entries are found after reopening.
  Reopen();
  EXPECT_EQ(Cases(kId, "劳动社保"), std::vector<std::string>{"P1"});
  ExpectVerifyClean(*store_);
}

// The family has a prefix extractor (identity hash, category) with bloom
// filters in the memtable and the tables: a lookup of a prefix nobody has
// is answered by a filter, and no entry is hidden from lookups or from
// Verify's whole-family scans, wherever it lives.
TEST_F(MatterIndexTest, PrefixFiltersAnswerMissesAndHideNothing) {
  const std::vector<std::string> categories = {"城乡", "城乡建设", "劳动社保"};
  auto id_of = [](int i) {
    return absl::StrCat("1101051949123100", i % 10, i);
  };
  int n = 0;
  auto add = [&](int people) {
    for (int i = 0; i < people; ++i, ++n) {
      ASSERT_TRUE(
          store_
              ->Apply(Petition(absl::StrCat("P", n),
                               categories[i % categories.size()], {id_of(i)}))
              .ok());
    }
  };
  auto expect_found = [&](int people, size_t each) {
    for (int i = 0; i < people; ++i) {
      EXPECT_EQ(Cases(id_of(i), categories[i % categories.size()]).size(), each)
          << i;
      // A category that is a prefix of another finds only its own.
      const std::string& other = categories[(i + 1) % categories.size()];
      EXPECT_TRUE(Cases(id_of(i), other).empty()) << i;
    }
  };
  add(30);
  // These 30 in a table file, the next 30 (the same people) in the memtable.
  ASSERT_TRUE(
      store_->raw_db()
          ->Flush(rocksdb::FlushOptions(), store_->handle(Cf::kIdxMatter))
          .ok());
  add(30);
  expect_found(30, 2);
  ExpectVerifyClean(*store_);
  EXPECT_EQ(Keys(*store_).size(), 60u);

  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableCount);
  rocksdb::get_perf_context()->Reset();
  // 20 people nobody has seen; the salt is random, so a filter's rare
  // false positive falls on different ones each run.
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(
        Cases(absl::StrCat("21010519900101", 1000 + i), "城乡建设").empty());
  }
  const uint64_t memtable_misses =
      rocksdb::get_perf_context()->bloom_memtable_miss_count;
  const uint64_t table_misses =
      rocksdb::get_perf_context()->bloom_sst_miss_count;
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  EXPECT_GE(memtable_misses, 10u);
  EXPECT_GE(table_misses, 10u);

  // Compacted (one table at the last level), then reopened.
  ASSERT_TRUE(store_->CompactAll().ok());
  expect_found(30, 2);
  ExpectVerifyClean(*store_);
  Reopen();
  expect_found(30, 2);
  EXPECT_EQ(Keys(*store_).size(), 60u);
}

TEST_F(MatterIndexTest, VerifyReportsMissingAndStrayEntries) {
  ASSERT_TRUE(store_->Apply(Petition("P1", "城乡建设", {kId})).ok());
  std::vector<std::string> keys = Keys(*store_);
  ASSERT_EQ(keys.size(), 1u);
  rocksdb::DB* db = store_->raw_db();
  ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(),
                         store_->handle(Cf::kIdxMatter), keys[0])
                  .ok());
  auto report = store_->Verify();
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_NE(report->problems[0].find("idx_matter: missing entry"),
            std::string::npos)
      << report->problems[0];
  EXPECT_NE(report->problems[0].find("of case P1"), std::string::npos);

  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), store_->handle(Cf::kIdxMatter),
                      keys[0], "P1")
                  .ok());
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), store_->handle(Cf::kIdxMatter),
                      keys[0] + "x", "P1")
                  .ok());
  report = store_->Verify();
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_NE(report->problems[0].find("idx_matter: stray entry"),
            std::string::npos)
      << report->problems[0];
}

TEST_F(MatterIndexTest, ASchemaFourStoreIsMigrated) {
  ASSERT_TRUE(store_->Apply(Petition("P1", "城乡建设", {kId})).ok());
  ASSERT_TRUE(store_->Apply(Petition("P2", "劳动社保", {kId})).ok());
  // As schema 4 left it: no idx_matter entries, no salt.
  rocksdb::DB* db = store_->raw_db();
  rocksdb::WriteBatch batch;
  for (const std::string& key : Keys(*store_)) {
    ASSERT_TRUE(batch.Delete(store_->handle(Cf::kIdxMatter), key).ok());
  }
  ASSERT_TRUE(
      batch.Delete(store_->handle(Cf::kMeta), MetaKey("matter_salt")).ok());
  ASSERT_TRUE(
      batch.Put(store_->handle(Cf::kMeta), MetaKey("schema_version"), "4")
          .ok());
  ASSERT_TRUE(db->Write(rocksdb::WriteOptions(), &batch).ok());
  Reopen();
  EXPECT_EQ(store_->schema_version(), kSchemaVersion);
  EXPECT_EQ(Cases(kId, "城乡建设"), std::vector<std::string>{"P1"});
  EXPECT_EQ(Cases(kId, "劳动社保"), std::vector<std::string>{"P2"});
  ExpectVerifyClean(*store_);
}

TEST_F(MatterIndexTest, ASchemaFiveStoreWithoutItsSaltIsRefused) {
  ASSERT_TRUE(store_->raw_db()
                  ->Delete(rocksdb::WriteOptions(), store_->handle(Cf::kMeta),
                           MetaKey("matter_salt"))
                  .ok());
  store_.reset();
  auto reopened =
      CaseStore::Open(testing::TestOptions(&clock_), dir_.Sub("db"));
  EXPECT_EQ(reopened.status().code(), absl::StatusCode::kDataLoss)
      << reopened.status();
}

}  // namespace
}  // namespace jianyan::storage
