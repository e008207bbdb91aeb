// The reads of the command and answer paths. ApplyRequest::read: a command
// prepared from ReadCaseForUpdate is staged against that read only while it
// is current; after any write under the case's stripe, or for a case the
// same call staged before, the store uses the newer state. GetEventRange
// across its read chunks. Real RocksDB in a temporary directory.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "storage/case_keys.h"
#include "storage/case_store.h"
#include "tests/storage/store_test_util.h"

namespace jianyan::storage {
namespace {

using testing::CaseSpec;
using testing::CreateRequest;
using testing::Spec;
using testing::StateQuery;
using testing::TempDir;
using testing::TestEpoch;
using testing::TestOptions;
using testing::UpdateRequest;

class CaseReadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = CaseStore::Open(TestOptions(&clock_), dir_.Sub("db"));
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
    ASSERT_TRUE(store_->Apply(CreateRequest(Spec(kNo))).ok());
  }
  CaseRead Read() {
    absl::StatusOr<CaseRead> read = store_->ReadCaseForUpdate(kNo);
    EXPECT_TRUE(read.ok()) << read.status();
    return read.ok() ? *std::move(read) : CaseRead();
  }
  // The update of the case as `read` shows it to `state`, carrying the read.
  static ApplyRequest UpdateFrom(CaseRead read, const std::string& state) {
    CaseSpec spec = Spec(kNo);
    spec.state = state;
    ApplyRequest r = UpdateRequest(read.stored.case_(), spec);
    r.read = std::move(read);
    return r;
  }

  static constexpr char kNo[] = "P2026-00000007-3";
  TempDir dir_;
  ManualClock clock_{TestEpoch()};
  std::unique_ptr<CaseStore> store_;
};

TEST_F(CaseReadTest, AReadOutdatedByAWriteIsReadAgain) {
  CaseRead read = Read();
  ASSERT_TRUE(store_->Apply(UpdateFrom(Read(), "accepted")).ok());
  // Staged against the copy it carries, this would pass as version 1 and
  // overwrite version 2; read again, it is stale.
  absl::StatusOr<ApplyResult> stale =
      store_->Apply(UpdateFrom(std::move(read), "declined"));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted)
      << stale.status();
  EXPECT_EQ(store_->GetCase(kNo)->case_().state(), "accepted");
  EXPECT_EQ(store_->GetCase(kNo)->case_().version(), 2u);
  EXPECT_EQ(store_->ListCases(StateQuery("declined"), {})->cases.size(), 0u);
  testing::ExpectVerifyClean(*store_);
}

TEST_F(CaseReadTest, ACurrentReadIsStagedWithoutReadingAgain) {
  CaseRead read = Read();
  const std::string head = read.stored.last_event_hash();
  // A change behind the store's back (no command, so no generation bump):
  // only a second read would see this chain head.
  jianyan::v1::StoredCase altered = read.stored;
  altered.set_last_event_hash(std::string(32, 'x'));
  ASSERT_TRUE(store_->raw_db()
                  ->Put({}, store_->handle(Cf::kCases), CaseKey(kNo),
                        altered.SerializeAsString())
                  .ok());
  absl::StatusOr<ApplyResult> r =
      store_->Apply(UpdateFrom(std::move(read), "accepted"));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->events.size(), 1u);
  EXPECT_EQ(r->events[0].prev_hash(), head);
  testing::ExpectVerifyClean(*store_);  // the snapshot is whole again
}

TEST_F(CaseReadTest, TheSameCallsEarlierCommandWinsOverARead) {
  std::vector<ApplyRequest> call;
  call.push_back(UpdateFrom(Read(), "accepted"));
  call.push_back(UpdateFrom(Read(), "declined"));
  std::vector<absl::StatusOr<ApplyResult>> results =
      store_->ApplyAll(std::move(call));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0].ok()) << results[0].status();
  EXPECT_EQ(results[1].status().code(), absl::StatusCode::kAborted)
      << results[1].status();
  EXPECT_EQ(store_->GetCase(kNo)->case_().state(), "accepted");
  testing::ExpectVerifyClean(*store_);
}

TEST_F(CaseReadTest, AReadOfAnotherCaseIsIgnored) {
  const std::string other = "P2026-00000008-1";
  ASSERT_TRUE(store_->Apply(CreateRequest(Spec(other))).ok());
  ASSERT_TRUE(store_->Apply(UpdateFrom(Read(), "accepted")).ok());
  // The update of `other` (version 1) carries the read of kNo (version 2),
  // with the generation of other's stripe (so it looks current there):
  // staged against that read it would be refused as stale.
  absl::StatusOr<CaseRead> other_read = store_->ReadCaseForUpdate(other);
  ASSERT_TRUE(other_read.ok()) << other_read.status();
  CaseSpec spec = Spec(other);
  spec.state = "accepted";
  ApplyRequest r = UpdateRequest(other_read->stored.case_(), spec);
  r.read = Read();
  r.read->generation = other_read->generation;
  ASSERT_TRUE(store_->Apply(std::move(r)).ok());
  EXPECT_EQ(store_->GetCase(other)->case_().version(), 2u);
  EXPECT_EQ(store_->GetCase(kNo)->case_().version(), 2u);
  testing::ExpectVerifyClean(*store_);
}

TEST_F(CaseReadTest, EventRangesSpanReadChunks) {
  // 150 events: three MultiGet chunks of at most 64.
  for (int i = 0; i < 149; ++i) {
    ASSERT_TRUE(store_->Apply(UpdateFrom(Read(), i % 2 ? "a" : "b")).ok());
  }
  absl::StatusOr<std::vector<jianyan::v1::Event>> all =
      store_->GetEventRange(kNo, 1, 150);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 150u);
  for (uint64_t i = 0; i < all->size(); ++i) {
    EXPECT_EQ((*all)[i].seq(), i + 1);
    EXPECT_EQ((*all)[i].case_number(), kNo);
  }
  absl::StatusOr<std::vector<jianyan::v1::Event>> tail =
      store_->GetEventRange(kNo, 60, 130);
  ASSERT_TRUE(tail.ok()) << tail.status();
  ASSERT_EQ(tail->size(), 71u);
  EXPECT_EQ(tail->front().seq(), 60u);
  EXPECT_EQ(tail->back().seq(), 130u);
  EXPECT_EQ((*tail)[5].prev_hash(), (*all)[64].prev_hash());  // seq 65
  // One past the end, in the third chunk, and a range far past it.
  absl::StatusOr<std::vector<jianyan::v1::Event>> past =
      store_->GetEventRange(kNo, 1, 151);
  EXPECT_EQ(past.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(past.status().message(), "event 151"))
      << past.status();
  EXPECT_EQ(store_->GetEventRange(kNo, 140, ~uint64_t{0}).status().code(),
            absl::StatusCode::kNotFound);
  // A hole in the second chunk, and an event stored under another seq.
  rocksdb::DB* db = store_->raw_db();
  rocksdb::ColumnFamilyHandle* events = store_->handle(Cf::kEvents);
  std::string seventh;
  ASSERT_TRUE(db->Get({}, events, EventKey(kNo, 7), &seventh).ok());
  ASSERT_TRUE(db->Delete({}, events, EventKey(kNo, 100)).ok());
  ASSERT_TRUE(db->Put({}, events, EventKey(kNo, 8), seventh).ok());
  absl::StatusOr<std::vector<jianyan::v1::Event>> holed =
      store_->GetEventRange(kNo, 20, 150);
  EXPECT_EQ(holed.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(holed.status().message(), "event 100"))
      << holed.status();
  absl::StatusOr<std::vector<jianyan::v1::Event>> moved =
      store_->GetEventRange(kNo, 1, 10);
  EXPECT_EQ(moved.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(
      absl::StrContains(moved.status().message(), "event 8 holds seq 7"))
      << moved.status();
}

TEST_F(CaseReadTest, AMissingCaseIsNotFound) {
  EXPECT_EQ(store_->ReadCaseForUpdate("P2026-00000009-X").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetCaseOutline("P2026-00000009-X").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CaseReadTest, AnOutlineAndStepsLeaveOutWhatTheyDoNotShow) {
  absl::StatusOr<jianyan::v1::StoredCase> whole = store_->GetCase(kNo);
  absl::StatusOr<jianyan::v1::StoredCase> outline = store_->GetCaseOutline(kNo);
  ASSERT_TRUE(whole.ok() && outline.ok()) << outline.status();
  ASSERT_FALSE(whole->case_().title().empty());
  EXPECT_TRUE(outline->case_().title().empty());
  EXPECT_FALSE(outline->case_().has_submitter());
  jianyan::v1::StoredCase want = *whole;
  want.mutable_case_()->clear_title();
  want.mutable_case_()->clear_submitter();
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(*outline, want))
      << outline->DebugString();

  ASSERT_TRUE(store_->Apply(UpdateFrom(Read(), "accepted")).ok());
  absl::StatusOr<std::vector<jianyan::v1::Event>> steps =
      store_->GetEventRange(kNo, 1, 2, EventDetail::kStep);
  ASSERT_TRUE(steps.ok()) << steps.status();
  ASSERT_EQ(steps->size(), 2u);
  const jianyan::v1::Event& second = (*steps)[1];
  EXPECT_EQ(second.seq(), 2u);
  EXPECT_EQ(second.to_state(), "accepted");
  EXPECT_TRUE(second.has_time());
  // The chain, the actor and the command's fields are not read.
  EXPECT_TRUE(second.prev_hash().empty());
  EXPECT_FALSE(second.has_actor());
  EXPECT_TRUE(second.fields().empty());
  absl::StatusOr<std::vector<jianyan::v1::Event>> events =
      store_->GetEventRange(kNo, 2, 2);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_FALSE(events->front().prev_hash().empty());
  EXPECT_EQ(events->front().fields().size(), 2u);
  // An unreadable event is DATA_LOSS in either detail.
  ASSERT_TRUE(store_->raw_db()
                  ->Put({}, store_->handle(Cf::kEvents), EventKey(kNo, 2),
                        std::string("\x0a\x09"
                                    "cut",
                                    5))
                  .ok());
  for (EventDetail d : {EventDetail::kWhole, EventDetail::kStep}) {
    EXPECT_EQ(store_->GetEventRange(kNo, 1, 2, d).status().code(),
              absl::StatusCode::kDataLoss);
  }
}

}  // namespace
}  // namespace jianyan::storage
