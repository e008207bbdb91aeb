// Read errors: full scans (Verify, ListDirectory, ListDefinitions, event
// reads) return the error, never a report of missing entries or an empty
// list. The data is flushed to table files, the store reopened with a tiny
// block cache, then every table-file read fails.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "rocksdb/env.h"
#include "storage/case_store.h"
#include "storage/column_families.h"
#include "tests/storage/fault_file_systems.h"
#include "tests/storage/store_test_util.h"

namespace jianyan::storage {
namespace {

using testing::CreateRequest;
using testing::ExpectVerifyClean;
using testing::Spec;
using testing::TempDir;
using testing::TestEpoch;
using testing::TestOptions;

class ReadErrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = rocksdb::NewCompositeEnv(fs_);
    {
      auto store = Open();
      for (int i = 0; i < 20; ++i) {
        CaseSpec spec =
            Spec("P" + std::to_string(i), "registered", "org", "pt", "camp");
        spec.due_time = TestEpoch() + absl::Hours(i);
        ASSERT_TRUE(store->Apply(CreateRequest(spec)).ok());
      }
      jianyan::v1::Organisation org;
      org.set_id("org");
      ASSERT_TRUE(store->PutOrganisation(org).ok());
      jianyan::v1::WorkflowDefinition def;
      def.set_name("petition");
      def.set_version("1");
      ASSERT_TRUE(store->PutDefinition(def).ok());
    }  // closing flushes every family to table files
    store_ = Open();
  }
  std::unique_ptr<CaseStore> Open() {
    CaseStoreOptions options = TestOptions(&clock_);
    options.env = env_.get();
    options.block_cache_bytes = 1;  // every read goes to the files
    auto store = CaseStore::Open(options, dir_.Sub("db"));
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }
  static void ExpectReadError(const absl::Status& s) {
    EXPECT_FALSE(s.ok());
    EXPECT_NE(s.code(), absl::StatusCode::kNotFound) << s;
    EXPECT_TRUE(absl::StrContains(s.message(), "injected read")) << s;
  }

  using CaseSpec = testing::CaseSpec;
  TempDir dir_;
  ManualClock clock_{TestEpoch()};
  std::shared_ptr<testing::ReadFaultFileSystem> fs_ =
      std::make_shared<testing::ReadFaultFileSystem>();
  std::unique_ptr<rocksdb::Env> env_;
  std::unique_ptr<CaseStore> store_;
};

TEST_F(ReadErrorTest, VerifyReturnsTheReadErrorNotAReport) {
  ASSERT_NE(store_, nullptr);
  fs_->Arm(true);
  auto report = store_->Verify();
  ASSERT_FALSE(report.ok()) << "problems: " << report->problems.size();
  ExpectReadError(report.status());
  EXPECT_GT(fs_->failed(), 0);
  fs_->Arm(false);
  ExpectVerifyClean(*store_);
}

// Only one family's table files fail: the scan of the cases succeeds, the
// error comes from the events, an index, the timers or the counters.
TEST_F(ReadErrorTest, VerifyReturnsTheReadErrorOfEachFamily) {
  ASSERT_NE(store_, nullptr);
  std::vector<rocksdb::LiveFileMetaData> files;
  store_->raw_db()->GetLiveFilesMetaData(&files);
  for (Cf cf : {Cf::kEvents, Cf::kIdxList, Cf::kTimers, Cf::kCounters}) {
    std::vector<std::string> only;
    for (const auto& f : files) {
      if (f.column_family_name == CfName(cf)) only.push_back(f.name);
    }
    ASSERT_FALSE(only.empty()) << CfName(cf);
    const int before = fs_->failed();
    fs_->Arm(true, only);
    auto report = store_->Verify();
    fs_->Arm(false);
    EXPECT_GT(fs_->failed(), before) << CfName(cf);
    ASSERT_FALSE(report.ok())
        << CfName(cf) << ": "
        << (report->problems.empty() ? std::string("no problems")
                                     : report->problems[0]);
    ExpectReadError(report.status());
  }
  ExpectVerifyClean(*store_);
}

TEST_F(ReadErrorTest, ScansReturnTheReadErrorNotAnEmptyList) {
  ASSERT_NE(store_, nullptr);
  fs_->Arm(true);
  std::string next;
  ExpectReadError(
      store_->ListDirectory(DirectoryKind::kOrganisation, {}, &next).status());
  ExpectReadError(store_->ListDefinitions("").status());
  ExpectReadError(store_->GetEvents("P1", {}).status());
  ExpectReadError(store_->GetEventRange("P1", 1, 1).status());
  ExpectReadError(
      store_->ReadCounters(Period::kDay, absl::CivilDay(2026, 9, 21), "", "")
          .status());
  fs_->Arm(false);
  auto defs = store_->ListDefinitions("");
  ASSERT_TRUE(defs.ok()) << defs.status();
  EXPECT_EQ(defs->size(), 1u);
  EXPECT_EQ(store_->GetEventRange("P1", 1, 1)->size(), 1u);
}

TEST_F(ReadErrorTest, OpeningChecksTheSchemaScanForErrors) {
  ASSERT_NE(store_, nullptr);
  store_.reset();
  // With the schema record unreadable, opening fails with the read error
  // rather than deciding the store is new or not a Jianyan store.
  fs_->Arm(true);
  CaseStoreOptions options = TestOptions(&clock_);
  options.env = env_.get();
  options.block_cache_bytes = 1;
  auto store = CaseStore::Open(options, dir_.Sub("db"));
  fs_->Arm(false);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().code(), absl::StatusCode::kFailedPrecondition)
      << store.status();
}

}  // namespace
}  // namespace jianyan::storage
