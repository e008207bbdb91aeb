// Open-case counters (storage/open_cases.h): kept by every command, read
// without scanning cases, re-derived by Verify, backfilled once for a store
// written before they existed; and the commit path's figures
// (storage/commit_stats.h).
#include "storage/open_cases.h"

#include <map>
#include <utility>

#include "gtest/gtest.h"
#include "storage/case_store.h"
#include "storage/commit_stats.h"
#include "storage/key_coding.h"
#include "storage/record_keys.h"
#include "tests/storage/store_test_util.h"

namespace jianyan::storage {
namespace {

using testing::CaseSpec;
using testing::PutSpec;
using testing::Spec;
using testing::TempDir;
using testing::TestOptions;

using Counts = std::map<std::pair<int, std::string>, uint64_t>;

class OpenCasesTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen() {
    store_.reset();
    auto s = CaseStore::Open(TestOptions(), dir_.Sub("db"));
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
  }
  // Non-zero counters by (kind, state).
  Counts Read() {
    auto counts =
        ReadOpenCaseCounts(store_->raw_db(), store_->handle(Cf::kCounters));
    EXPECT_TRUE(counts.ok()) << counts.status();
    Counts out;
    if (!counts.ok()) return out;
    for (const OpenCaseCount& c : *counts) {
      if (c.count != 0) out[{c.kind, c.state}] = c.count;
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<CaseStore> store_;
};

constexpr int kPetition = jianyan::v1::CASE_KIND_PETITION;
constexpr int kSuggestion = jianyan::v1::CASE_KIND_SUGGESTION;

TEST_F(OpenCasesTest, CommandsMoveTheCountersAndVerifyAgrees) {
  PutSpec(*store_, Spec("P1"));
  PutSpec(*store_, Spec("P2"));
  CaseSpec s3 = Spec("S3", "screening");
  s3.kind = jianyan::v1::CASE_KIND_SUGGESTION;
  PutSpec(*store_, s3);
  EXPECT_EQ(Read(), (Counts{{{kPetition, "registered"}, 2},
                            {{kSuggestion, "screening"}, 1}}));
  PutSpec(*store_, Spec("P1", "handling"));
  CaseSpec closed = Spec("P2", "closed");
  closed.open = false;
  PutSpec(*store_, closed);
  EXPECT_EQ(Read(), (Counts{{{kPetition, "handling"}, 1},
                            {{kSuggestion, "screening"}, 1}}));
  // An update that keeps the state changes nothing.
  PutSpec(*store_, Spec("P1", "handling"));
  EXPECT_EQ((Read()[{kPetition, "handling"}]), 1u);
  testing::ExpectVerifyClean(*store_);

  // A counter out of step with the cases is reported.
  ASSERT_TRUE(
      store_->raw_db()
          ->Merge(rocksdb::WriteOptions(), store_->handle(Cf::kCounters),
                  OpenCaseKey(jianyan::v1::CASE_KIND_PETITION, "handling"),
                  EncodeFixed64LE(1))
          .ok());
  auto report = store_->Verify();
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_NE(report->problems[0].find("is 2 but events say 1"),
            std::string::npos)
      << report->problems[0];
}

TEST_F(OpenCasesTest, AStoreWithoutTheCountersGetsThemAtOpen) {
  PutSpec(*store_, Spec("P1"));
  PutSpec(*store_, Spec("P2", "handling"));
  // As a store written before the counters existed: no counters, no mark.
  rocksdb::WriteBatch wipe;
  for (const auto& [kind, state] :
       {std::pair<int, std::string>{kPetition, "registered"},
        {kPetition, "handling"}}) {
    ASSERT_TRUE(
        wipe.Delete(
                store_->handle(Cf::kCounters),
                OpenCaseKey(static_cast<jianyan::v1::CaseKind>(kind), state))
            .ok());
  }
  ASSERT_TRUE(
      wipe.Delete(store_->handle(Cf::kMeta), MetaKey("open_case_counters"))
          .ok());
  ASSERT_TRUE(store_->raw_db()->Write(rocksdb::WriteOptions(), &wipe).ok());
  EXPECT_TRUE(Read().empty());
  Reopen();
  EXPECT_EQ(Read(), (Counts{{{kPetition, "registered"}, 1},
                            {{kPetition, "handling"}, 1}}));
  testing::ExpectVerifyClean(*store_);
  // Once marked, a reopen counts nothing again.
  Reopen();
  EXPECT_EQ((Read()[{kPetition, "handling"}]), 1u);
}

TEST_F(OpenCasesTest, CommitStatsCountCommandsByAction) {
  CommitStats& stats = GlobalCommitStats();
  const auto before = stats.Commands();
  const uint64_t groups = stats.group_size.Read().count();
  const uint64_t syncs = stats.wal_sync_seconds.Read().count();
  PutSpec(*store_, Spec("P7"));                // "register"
  PutSpec(*store_, Spec("P7", "handling"));    // "act"
  PutSpec(*store_, Spec("P7", "responding"));  // "act"
  // A replay (same request id, same content) is not a new command.
  ApplyRequest create = testing::CreateRequest(Spec("P8"));
  create.idempotency = IdempotencyInput{"p", "r-1", "h"};
  ASSERT_TRUE(store_->Apply(create).ok());
  ASSERT_TRUE(store_->Apply(create).ok());
  const auto after = stats.Commands();
  auto added = [&](const std::string& action) {
    auto was = before.find(action);
    auto now = after.find(action);
    return (now == after.end() ? 0 : now->second) -
           (was == before.end() ? 0 : was->second);
  };
  EXPECT_EQ(added("register"), 2u);
  EXPECT_EQ(added("act"), 2u);
  EXPECT_EQ(stats.inflight.load(), 0);
  EXPECT_GE(stats.group_size.Read().count(), groups + 4);
  EXPECT_GE(stats.wal_sync_seconds.Read().count(), syncs + 4);
}

}  // namespace
}  // namespace jianyan::storage
