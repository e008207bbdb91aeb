// The supervision notice log: notices are written with their command under
// a global gap-free cursor in commit order, the listener is told each one
// once in cursor order, the cursor survives a reopen, ReadNotices pages,
// and Verify finds deleted, stray and missing notices and gaps.
#include <atomic>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "gtest/gtest.h"
#include "storage/case_store.h"
#include "storage/notice_key.h"
#include "tests/storage/notice_test_util.h"
#include "tests/storage/store_test_util.h"
#include "workflow/time_util.h"

namespace jianyan::storage {
namespace {

using testing::CreateRaising;
using testing::CreateRequest;
using testing::Cursors;
using testing::ExpectVerifyClean;
using testing::NoticeRecorder;
using testing::OneTo;
using testing::Raising;
using testing::Spec;
using testing::TestEpoch;
using testing::UpdateRequest;

class NoticeLogTest : public testing::StoreFixture {
 protected:
  std::vector<jianyan::v1::StoredNotice> ReadAll() {
    auto all = store_->ReadNotices(0, 1000000);
    EXPECT_TRUE(all.ok()) << all.status();
    return all.ok() ? *all : std::vector<jianyan::v1::StoredNotice>();
  }
  std::vector<std::string> Problems() {
    auto report = store_->Verify();
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? report->problems : std::vector<std::string>();
  }
};

TEST_F(NoticeLogTest, EmptyLog) {
  EXPECT_EQ(store_->LastNoticeCursor(), 0u);
  EXPECT_TRUE(ReadAll().empty());
  ASSERT_TRUE(store_->Apply(CreateRequest(Spec("P1"))).ok());  // no notice
  EXPECT_EQ(store_->LastNoticeCursor(), 0u);
  auto report = store_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->notices, 0u);
}

TEST_F(NoticeLogTest, NoticeCarriesTheEventAndTheCaseAfterIt) {
  ASSERT_TRUE(store_->Apply(CreateRequest(Spec("P1", "registered", ""))).ok());
  auto old = store_->GetCase("P1");
  ASSERT_TRUE(old.ok());
  testing::CaseSpec spec = Spec("P1", "handling", "");
  spec.routing_org = "bureau";  // unrouted: the routing organisation counts
  spec.kind = jianyan::v1::CASE_KIND_SUGGESTION;
  ApplyRequest r = UpdateRequest(old->case_(), spec, "supervise");
  r.change.case_after.set_escalation_level(
      jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
  jianyan::v1::Event& e = r.change.events.back();
  e.set_supervision_notice(jianyan::v1::NOTICE_KIND_ESCALATED);
  e.set_reason("please reply");
  *e.mutable_time() = ToProto(TestEpoch() + absl::Minutes(5));
  (*e.mutable_fields())["timer"] = "reply";
  (*e.mutable_fields())["reply_due_time"] = "2026-12-01T08:00:00+08:00";
  ASSERT_TRUE(store_->Apply(std::move(r)).ok());
  std::vector<jianyan::v1::StoredNotice> all = ReadAll();
  ASSERT_EQ(all.size(), 1u);
  const jianyan::v1::StoredNotice& n = all[0];
  EXPECT_EQ(n.cursor(), 1u);
  EXPECT_EQ(n.kind(), jianyan::v1::NOTICE_KIND_ESCALATED);
  EXPECT_EQ(n.case_number(), "P1");
  EXPECT_EQ(n.event_seq(), 2u);
  EXPECT_EQ(FromProto(n.time()), TestEpoch() + absl::Minutes(5));
  EXPECT_EQ(n.case_kind(), jianyan::v1::CASE_KIND_SUGGESTION);
  EXPECT_EQ(n.level(), jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
  EXPECT_EQ(n.timer(), "reply");
  EXPECT_EQ(n.organisation_id(), "bureau");
  EXPECT_EQ(n.note(), "please reply");
  EXPECT_EQ(FromProto(n.reply_due_time()),
            absl::FromUnixSeconds(1796083200));  // 2026-12-01T00:00:00Z
  // Routed: the handling organisation; no reply due time when absent.
  auto now = store_->GetCase("P1");
  ASSERT_TRUE(now.ok());
  testing::CaseSpec routed = Spec("P1", "handling", "org7");
  routed.kind = jianyan::v1::CASE_KIND_SUGGESTION;
  ASSERT_TRUE(store_
                  ->Apply(Raising(UpdateRequest(now->case_(), routed),
                                  jianyan::v1::NOTICE_KIND_REASSIGNED))
                  .ok());
  all = ReadAll();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].organisation_id(), "org7");
  EXPECT_EQ(all[1].kind(), jianyan::v1::NOTICE_KIND_REASSIGNED);
  EXPECT_FALSE(all[1].has_reply_due_time());
  EXPECT_EQ(store_->LastNoticeCursor(), 2u);
  ExpectVerifyClean(*store_);
}

// Threads apply with Apply, ApplyAll and ApplyAsync at once; every third
// command raises no notice.
TEST_F(NoticeLogTest, ConcurrentCommandsGetContiguousCursorsInCommitOrder) {
  NoticeRecorder recorder;
  recorder.Attach(*store_);
  constexpr int kThreads = 6;
  constexpr int kPerThread = 60;
  std::set<std::string> raising;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      if (i % 3 != 2) raising.insert(absl::StrCat("P", t, "-", i));
    }
  }
  // Two of every three commands go through ApplyAll or ApplyAsync.
  absl::BlockingCounter async_done(kThreads * kPerThread / 3 * 2);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; i += 3) {
        auto make = [&](int k) {
          std::string no = absl::StrCat("P", t, "-", k);
          return k % 3 == 2 ? CreateRequest(Spec(no)) : CreateRaising(no);
        };
        // i: Apply; i + 1 and i + 2: ApplyAll or ApplyAsync.
        if (!store_->Apply(make(i)).ok()) failures.fetch_add(1);
        if (t % 2 == 0) {
          std::vector<ApplyRequest> two;
          two.push_back(make(i + 1));
          two.push_back(make(i + 2));
          for (const auto& r : store_->ApplyAll(std::move(two))) {
            if (!r.ok()) failures.fetch_add(1);
          }
          for (int k = 0; k < 2; ++k) async_done.DecrementCount();
        } else {
          for (int k = 1; k <= 2; ++k) {
            store_->ApplyAsync(make(i + k), [&](absl::StatusOr<ApplyResult> r) {
              if (!r.ok()) failures.fetch_add(1);
              async_done.DecrementCount();
            });
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  async_done.Wait();
  EXPECT_EQ(failures.load(), 0);

  const uint64_t n = raising.size();
  EXPECT_EQ(store_->LastNoticeCursor(), n);
  std::vector<jianyan::v1::StoredNotice> all = ReadAll();
  EXPECT_EQ(Cursors(all), OneTo(n));
  std::set<std::string> seen;
  for (const auto& notice : all) {
    EXPECT_EQ(notice.event_seq(), 1u);
    EXPECT_TRUE(seen.insert(notice.case_number()).second)
        << notice.case_number() << " twice";
  }
  EXPECT_EQ(seen, raising);
  // The listener was told each notice once, in cursor order, with the
  // stored content.
  std::vector<jianyan::v1::StoredNotice> told = recorder.told();
  ASSERT_EQ(Cursors(told), OneTo(n));
  for (size_t i = 0; i < told.size(); ++i) {
    EXPECT_EQ(told[i].SerializeAsString(), all[i].SerializeAsString());
  }
  EXPECT_LE(recorder.calls(), static_cast<int>(n));
  auto report = store_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->notices, n);
}

TEST_F(NoticeLogTest, ListenerRunsBeforeApplyReturnsAndCanBeRemoved) {
  NoticeRecorder recorder;
  recorder.Attach(*store_);
  ASSERT_TRUE(store_->Apply(CreateRaising("P1")).ok());
  EXPECT_EQ(Cursors(recorder.told()), OneTo(1));  // already, on return
  ASSERT_TRUE(store_->Apply(CreateRequest(Spec("P2"))).ok());
  EXPECT_EQ(recorder.calls(), 1);  // a group without notices is not told
  store_->SetNoticeListener(nullptr);
  ASSERT_TRUE(store_->Apply(CreateRaising("P3")).ok());
  EXPECT_EQ(Cursors(recorder.told()), OneTo(1));
  EXPECT_EQ(store_->LastNoticeCursor(), 2u);
}

TEST_F(NoticeLogTest, AFailedCommandOfACallConsumesNoCursor) {
  ASSERT_TRUE(store_->Apply(CreateRaising("P1")).ok());
  std::vector<ApplyRequest> three;
  three.push_back(CreateRaising("P2"));
  three.push_back(CreateRaising("P1"));  // exists: ALREADY_EXISTS
  three.push_back(CreateRaising("P3"));
  auto results = store_->ApplyAll(std::move(three));
  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(results[1].status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(results[2].ok());
  std::vector<jianyan::v1::StoredNotice> all = ReadAll();
  ASSERT_EQ(Cursors(all), OneTo(3));
  EXPECT_EQ(all[1].case_number(), "P2");
  EXPECT_EQ(all[2].case_number(), "P3");
  ExpectVerifyClean(*store_);
}

TEST_F(NoticeLogTest, ReopenContinuesAfterTheLastCursor) {
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(store_->Apply(CreateRaising(absl::StrCat("P", i))).ok());
  }
  Reopen();
  EXPECT_EQ(store_->LastNoticeCursor(), 3u);
  ASSERT_TRUE(store_->Apply(CreateRaising("P4")).ok());
  std::vector<jianyan::v1::StoredNotice> all = ReadAll();
  ASSERT_EQ(Cursors(all), OneTo(4));
  EXPECT_EQ(all[3].case_number(), "P4");
  ExpectVerifyClean(*store_);
}

TEST_F(NoticeLogTest, ReadNoticesPagesByCursor) {
  for (int i = 1; i <= 10; ++i) {
    ASSERT_TRUE(store_->Apply(CreateRaising(absl::StrCat("P", i))).ok());
  }
  auto page = [&](uint64_t after, size_t limit) {
    auto r = store_->ReadNotices(after, limit);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? Cursors(*r) : std::vector<uint64_t>{};
  };
  EXPECT_EQ(page(0, 4), (std::vector<uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(page(4, 4), (std::vector<uint64_t>{5, 6, 7, 8}));
  EXPECT_EQ(page(8, 4), (std::vector<uint64_t>{9, 10}));
  EXPECT_TRUE(page(10, 4).empty());
  EXPECT_TRUE(page(99, 4).empty());
  EXPECT_TRUE(page(0, 0).empty());
}

TEST_F(NoticeLogTest, VerifyFindsDeletedStrayAndMisplacedNotices) {
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(store_->Apply(CreateRaising(absl::StrCat("P", i))).ok());
  }
  ExpectVerifyClean(*store_);
  rocksdb::DB* db = store_->raw_db();
  rocksdb::ColumnFamilyHandle* cf = store_->handle(Cf::kNotices);
  std::string second;
  ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), cf, NoticeKey(2), &second).ok());

  // Deleted: a gap and a notice missing for its event.
  ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), cf, NoticeKey(2)).ok());
  std::vector<std::string> problems = Problems();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_TRUE(absl::StrContains(problems[0], "notices: gap: cursors 2..2"))
      << problems[0];
  EXPECT_TRUE(absl::StrContains(problems[1],
                                "notices: missing notice of case P2 event 1"))
      << problems[1];
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), cf, NoticeKey(2), second).ok());
  ExpectVerifyClean(*store_);

  // Stray: no event raises it; a second notice of one event is stray too.
  for (const char* no : {"P9", "P1"}) {
    jianyan::v1::StoredNotice stray;
    stray.set_cursor(4);
    stray.set_kind(jianyan::v1::NOTICE_KIND_ESCALATED);
    stray.set_case_number(no);
    stray.set_event_seq(1);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), cf, NoticeKey(4),
                        stray.SerializeAsString())
                    .ok());
    problems = Problems();
    ASSERT_EQ(problems.size(), 1u) << no;
    EXPECT_TRUE(absl::StrContains(problems[0], "notices: stray notice 4"))
        << problems[0];
  }
  ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), cf, NoticeKey(4)).ok());
  ExpectVerifyClean(*store_);

  // Moved to a later cursor: a gap only. Also: the wrong kind.
  std::string third;
  ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), cf, NoticeKey(3), &third).ok());
  jianyan::v1::StoredNotice moved;
  ASSERT_TRUE(moved.ParseFromString(third));
  moved.set_cursor(5);
  moved.set_kind(jianyan::v1::NOTICE_KIND_MAJOR);
  ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), cf, NoticeKey(3)).ok());
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), cf, NoticeKey(5),
                      moved.SerializeAsString())
                  .ok());
  problems = Problems();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_TRUE(absl::StrContains(problems[0], "notices: gap: cursors 3..4"))
      << problems[0];
  EXPECT_TRUE(absl::StrContains(problems[1], "has kind NOTICE_KIND_MAJOR"))
      << problems[1];

  // The newest committed notice deleted: the log ends too early.
  ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), cf, NoticeKey(5)).ok());
  problems = Problems();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_TRUE(absl::StrContains(problems[0], "the log ends at cursor 2"))
      << problems[0];
  EXPECT_TRUE(absl::StrContains(problems[1], "missing notice of case P3"))
      << problems[1];
}

}  // namespace
}  // namespace jianyan::storage
