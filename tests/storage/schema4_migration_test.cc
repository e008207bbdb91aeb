// Migration from schema 3: timers are rebuilt with key version 2 (warning
// entries included), idx_list values are rewritten with their escalation
// level and warn time, and the notice log is derived from the events, in
// (time, case, seq) order; new notices continue after it.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/case_store.h"
#include "storage/index_keys.h"
#include "storage/key_coding.h"
#include "storage/record_keys.h"
#include "storage/timer_key.h"
#include "tests/storage/notice_test_util.h"
#include "tests/storage/store_test_util.h"
#include "workflow/time_util.h"

namespace jianyan::storage {
namespace {

using testing::CreateRaising;
using testing::CreateRequest;
using testing::Cursors;
using testing::ExpectVerifyClean;
using testing::OneTo;
using testing::Raising;
using testing::Spec;
using testing::TestEpoch;
using testing::UpdateRequest;

// The idx_list value as schema 3 wrote it: no version byte, no level, no
// warn time.
std::string SchemaThreeListValue(const ListEntry& e) {
  std::string v;
  PutOrderedString(&v, e.case_number);
  PutFixed64BE(&v, static_cast<uint64_t>(static_cast<int64_t>(e.kind)));
  PutFixed64BE(&v, OrderedTime(e.create_time));
  v.push_back(e.open ? 1 : 0);
  for (const std::string* s :
       {&e.state, &e.reporting_point_id, &e.campaign_id, &e.suggester_id}) {
    PutOrderedString(&v, *s);
  }
  for (const std::string& org : e.organisation_ids) PutOrderedString(&v, org);
  return v;
}

// The timer key as schema 3 wrote it (version 1, no kind byte).
std::string SchemaThreeTimerKey(const TimerEntry& t) {
  std::string k(1, kKeyCodecV1);
  PutFixed64BE(&k, OrderedTime(t.due_time));
  PutOrderedString(&k, t.case_number);
  PutOrderedString(&k, t.timer);
  return k;
}

class Schema4MigrationTest : public testing::StoreFixture {
 protected:
  // Rewrites the derived families as schema 3 had them.
  void MakeSchemaThree() {
    rocksdb::DB* db = store_->raw_db();
    rocksdb::WriteBatch batch;
    std::unique_ptr<rocksdb::Iterator> it(
        db->NewIterator(rocksdb::ReadOptions(), store_->handle(Cf::kNotices)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ASSERT_TRUE(batch.Delete(store_->handle(Cf::kNotices), it->key()).ok());
    }
    it.reset(
        db->NewIterator(rocksdb::ReadOptions(), store_->handle(Cf::kTimers)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      TimerEntry t;
      ASSERT_TRUE(DecodeTimerKey(
          absl::string_view(it->key().data(), it->key().size()), &t));
      ASSERT_TRUE(batch.Delete(store_->handle(Cf::kTimers), it->key()).ok());
      if (!t.warning) {
        ASSERT_TRUE(
            batch.Put(store_->handle(Cf::kTimers), SchemaThreeTimerKey(t), "")
                .ok());
      }
    }
    it.reset(
        db->NewIterator(rocksdb::ReadOptions(), store_->handle(Cf::kIdxList)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ListEntry e;
      ASSERT_TRUE(DecodeListEntry(
          absl::string_view(it->value().data(), it->value().size()), &e));
      ASSERT_TRUE(batch
                      .Put(store_->handle(Cf::kIdxList), it->key(),
                           SchemaThreeListValue(e))
                      .ok());
    }
    it.reset();
    ASSERT_TRUE(
        batch.Put(store_->handle(Cf::kMeta), MetaKey("schema_version"), "3")
            .ok());
    ASSERT_TRUE(db->Write(rocksdb::WriteOptions(), &batch).ok());
  }
};

TEST_F(Schema4MigrationTest, RebuildsTimersListValuesAndTheNoticeLog) {
  // Three cases; notices raised at different times, not in case order.
  std::vector<std::string> order;  // case numbers in notice time order
  for (int i = 0; i < 3; ++i) {
    testing::CaseSpec spec = Spec(absl::StrCat("P", i), "handling", "org1");
    spec.create_time = TestEpoch() + absl::Minutes(10 - i);
    spec.due_time = TestEpoch() + absl::Hours(10 + i);
    ApplyRequest r =
        Raising(CreateRequest(spec), jianyan::v1::NOTICE_KIND_MAJOR);
    *r.change.case_after.mutable_deadlines(0)->mutable_warn_time() =
        ToProto(TestEpoch() + absl::Hours(5 + i));
    r.change.case_after.set_escalation_level(
        jianyan::v1::ESCALATION_LEVEL_URGE);
    ASSERT_TRUE(store_->Apply(std::move(r)).ok());
  }
  order = {"P2", "P1", "P0"};  // the earliest created first
  auto p1 = store_->GetCase("P1");
  ASSERT_TRUE(p1.ok());
  testing::CaseSpec spec = Spec("P1", "handling", "org1");
  spec.create_time = FromProto(p1->case_().create_time());
  spec.due_time = TestEpoch() + absl::Hours(11);
  ApplyRequest later = UpdateRequest(p1->case_(), spec);
  *later.change.case_after.mutable_deadlines(0)->mutable_warn_time() =
      ToProto(TestEpoch() + absl::Hours(6));
  *later.change.case_after.mutable_update_time() =
      ToProto(TestEpoch() + absl::Hours(1));
  *later.change.events.back().mutable_time() =
      ToProto(TestEpoch() + absl::Hours(1));
  later.change.case_after.set_escalation_level(
      jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
  ASSERT_TRUE(
      store_
          ->Apply(Raising(std::move(later), jianyan::v1::NOTICE_KIND_ESCALATED))
          .ok());
  order.push_back("P1");
  ExpectVerifyClean(*store_);

  MakeSchemaThree();
  auto broken = store_->Verify();
  ASSERT_TRUE(broken.ok());
  EXPECT_FALSE(broken->ok());
  Reopen();
  EXPECT_EQ(store_->schema_version(), kSchemaVersion);
  ExpectVerifyClean(*store_);

  // The log, derived in (time, case, seq) order.
  auto notices = store_->ReadNotices(0, 100);
  ASSERT_TRUE(notices.ok()) << notices.status();
  ASSERT_EQ(Cursors(*notices), OneTo(4));
  for (size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ((*notices)[i].case_number(), order[i]) << i;
  }
  EXPECT_EQ((*notices)[3].kind(), jianyan::v1::NOTICE_KIND_ESCALATED);
  EXPECT_EQ((*notices)[3].event_seq(), 2u);
  EXPECT_EQ((*notices)[3].level(), jianyan::v1::ESCALATION_LEVEL_SUPERVISE);
  EXPECT_EQ(store_->LastNoticeCursor(), 4u);

  // Timers: due and warning entries, in time order.
  auto due = store_->NextDueTimers(absl::InfiniteFuture(), 100);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_EQ(due->size(), 6u);
  EXPECT_TRUE((*due)[0].warning);
  EXPECT_EQ((*due)[0].case_number, "P0");
  EXPECT_FALSE(due->back().warning);

  // idx_list values carry the level and warn time again.
  CaseQuery q;
  q.order = CaseOrder::kDueAsc;
  q.min_escalation_level = jianyan::v1::ESCALATION_LEVEL_SUPERVISE;
  q.warned_by = TestEpoch() + absl::Hours(6);
  auto page = store_->ListCases(q, PageRequest());
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->cases.size(), 1u);
  EXPECT_EQ(page->cases[0].case_number(), "P1");

  // New notices continue the log.
  ASSERT_TRUE(store_->Apply(CreateRaising("P9")).ok());
  notices = store_->ReadNotices(4, 10);
  ASSERT_TRUE(notices.ok());
  ASSERT_EQ(Cursors(*notices), std::vector<uint64_t>{5});
  ExpectVerifyClean(*store_);
}

}  // namespace
}  // namespace jianyan::storage
