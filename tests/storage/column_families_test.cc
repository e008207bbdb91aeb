// The families' options as RocksDB applies them: a real DB in a temporary
// directory, opened with MakeDbOptions and MakeCfDescriptors.
#include "storage/column_families.h"

#include <unistd.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rocksdb/convenience.h"
#include "rocksdb/db.h"
#include "rocksdb/table_properties.h"

namespace jianyan::storage {
namespace {

class ColumnFamiliesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "cf_options_", ::getpid());
    ASSERT_TRUE(rocksdb::DestroyDB(dir_, rocksdb::Options()).ok());
    StoreTuning tuning;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs =
        MakeCfDescriptors(tuning);
    cfs.emplace_back(rocksdb::kDefaultColumnFamilyName,
                     rocksdb::ColumnFamilyOptions());
    rocksdb::DB* db = nullptr;
    rocksdb::Status s =
        rocksdb::DB::Open(MakeDbOptions(tuning), dir_, cfs, &handles_, &db);
    ASSERT_TRUE(s.ok()) << s.ToString();
    db_.reset(db);
  }
  void TearDown() override {
    if (db_ == nullptr) return;  // SetUp failed
    for (auto* h : handles_) {
      ASSERT_TRUE(db_->DestroyColumnFamilyHandle(h).ok());
    }
    ASSERT_TRUE(db_->Close().ok());
    db_.reset();
    ASSERT_TRUE(rocksdb::DestroyDB(dir_, rocksdb::Options()).ok());
  }

  // The compression of each table file of the cases family.
  std::vector<std::string> CaseTableCompressions() {
    rocksdb::TablePropertiesCollection tables;
    EXPECT_TRUE(db_->GetPropertiesOfAllTables(
                       handles_[static_cast<size_t>(Cf::kCases)], &tables)
                    .ok());
    std::vector<std::string> out;
    for (const auto& [file, props] : tables) {
      out.push_back(props->compression_name);
    }
    return out;
  }

  std::string dir_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
};

TEST_F(ColumnFamiliesTest, FlushesWriteLevelZeroUncompressedCompactionsDoNot) {
  rocksdb::ColumnFamilyHandle* cases =
      handles_[static_cast<size_t>(Cf::kCases)];
  // Compressible values, so that a compressing level would compress them.
  const std::string value(4096, 'x');
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(
        db_->Put(rocksdb::WriteOptions(), cases, absl::StrCat("k", i), value)
            .ok());
  }
  ASSERT_TRUE(db_->Flush(rocksdb::FlushOptions(), cases).ok());
  EXPECT_EQ(CaseTableCompressions(), std::vector<std::string>{"NoCompression"});

  rocksdb::CompactRangeOptions all;
  all.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  ASSERT_TRUE(db_->CompactRange(all, cases, nullptr, nullptr).ok());
  const std::vector<std::string> compacted = CaseTableCompressions();
  ASSERT_EQ(compacted.size(), 1u);
  auto supported = rocksdb::GetSupportedCompressions();
  auto has = [&](rocksdb::CompressionType t) {
    return std::find(supported.begin(), supported.end(), t) != supported.end();
  };
  if (has(rocksdb::kZSTD)) {
    EXPECT_EQ(compacted[0], "ZSTD");
  } else if (has(rocksdb::kLZ4Compression)) {
    EXPECT_EQ(compacted[0], "LZ4");
  }
}

}  // namespace
}  // namespace jianyan::storage
