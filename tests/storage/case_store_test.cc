// CaseStore on real RocksDB in temporary directories: apply, optimistic
// concurrency, idempotency and its expiry, hash chains, Verify, schema,
// case numbers, counters, directory data, backup and restore.
#include "storage/case_store.h"

#include <algorithm>
#include <atomic>
#include <iterator>
#include <random>
#include <thread>

#include "absl/strings/match.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "storage/case_keys.h"
#include "storage/column_families.h"
#include "storage/index_keys.h"
#include "storage/key_coding.h"
#include "storage/record_keys.h"
#include "storage/timer_key.h"
#include "tests/storage/store_test_util.h"
#include "workflow/case_number.h"

namespace jianyan::storage {
namespace {

using testing::CaseSpec;
using testing::CreateRequest;
using testing::DueBeforeQuery;
using testing::OrgQuery;
using testing::Spec;
using testing::StateQuery;
using testing::TempDir;
using testing::TestEpoch;
using testing::TestOptions;
using testing::UpdateRequest;

class CaseStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen() {
    store_.reset();
    auto s = CaseStore::Open(TestOptions(&clock_), dir_.Sub("db"));
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
  }
  void ExpectClean() { testing::ExpectVerifyClean(*store_); }
  // Sum of the versions of cases "P0".."P<n-1>".
  uint64_t SumOfVersions(int n) {
    uint64_t sum = 0;
    for (int c = 0; c < n; ++c) {
      sum += store_->GetCase("P" + std::to_string(c))->case_().version();
    }
    return sum;
  }
  // A racing update either wins or is refused as stale (ABORTED).
  static void CountOutcome(const absl::StatusOr<ApplyResult>& r,
                           std::atomic<int>& wins) {
    if (r.ok()) {
      wins.fetch_add(1);
    } else {
      EXPECT_EQ(r.status().code(), absl::StatusCode::kAborted) << r.status();
    }
  }
  jianyan::v1::Case Create(const CaseSpec& spec) {
    auto r = store_->Apply(CreateRequest(spec));
    EXPECT_TRUE(r.ok()) << r.status();
    return store_->GetCase(spec.case_number)->case_();
  }

  TempDir dir_;
  ManualClock clock_{TestEpoch()};
  std::unique_ptr<CaseStore> store_;
};

TEST_F(CaseStoreTest, CreateThenUpdateKeepsSnapshotEventsAndIndexes) {
  CaseSpec spec = Spec("P2026-00000001-X", "registered", "org1", "pt1", "camp");
  spec.due_time = TestEpoch() + absl::Hours(24);
  jianyan::v1::Case c = Create(spec);
  EXPECT_EQ(c.version(), 1u);
  auto stored = store_->GetCase(spec.case_number);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->query_code_hash(), "qc-" + spec.case_number);
  EXPECT_EQ(stored->last_event_hash().size(), 32u);

  auto list_deletes = [&] {
    uint64_t n = 0;
    EXPECT_TRUE(store_->raw_db()->GetIntProperty(
        store_->handle(Cf::kIdxList), "rocksdb.num-deletes-active-mem-table",
        &n));
    return n;
  };
  const uint64_t deletes_before = list_deletes();
  CaseSpec next = spec;
  next.state = "accepted";
  auto r = store_->Apply(UpdateRequest(c, next));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->version, 2u);
  // Of its eight idx_list entries (a, s, p, c, o, O, d, D) only the two
  // keyed by state moved; the other six were put again with the new value,
  // without a delete before them (ExpectClean below checks their values).
  EXPECT_EQ(list_deletes() - deletes_before, 2u);
  EXPECT_EQ(store_->ListCases(StateQuery("registered"), {})->cases.size(), 0u);
  ASSERT_EQ(store_->ListCases(StateQuery("accepted"), {})->cases.size(), 1u);
  EXPECT_EQ(store_->ListCases(OrgQuery("org1", "accepted"), {})->cases.size(),
            1u);
  EXPECT_EQ(store_->ListCases(OrgQuery("org1", "registered"), {})->cases.size(),
            0u);
  auto events = store_->GetEvents(spec.case_number, {});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->events.size(), 2u);
  EXPECT_TRUE(events->events[0].prev_hash().empty());
  EXPECT_EQ(events->events[1].prev_hash().size(), 32u);
  ExpectClean();
}

// One call, three commands on two cases: the later command on P1 sees the
// earlier one (version, event chain), and each result carries the case as
// that command wrote it.
TEST_F(CaseStoreTest, ApplyAllSeesItsEarlierCommandsAndReturnsEachCase) {
  ApplyRequest create = CreateRequest(Spec("P1", "registered", "org1"));
  jianyan::v1::Case v1 = create.change.case_after;
  std::vector<ApplyRequest> call;
  call.push_back(std::move(create));
  call.push_back(CreateRequest(Spec("P2", "registered", "org1")));
  call.push_back(UpdateRequest(v1, Spec("P1", "accepted", "org1")));
  std::vector<absl::StatusOr<ApplyResult>> results =
      store_->ApplyAll(std::move(call));
  ASSERT_EQ(results.size(), 3u);
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_TRUE(r->case_after.has_value());
  }
  EXPECT_EQ(results[0]->case_after->version(), 1u);
  EXPECT_EQ(results[0]->case_after->state(), "registered");
  EXPECT_EQ(results[1]->case_after->case_number(), "P2");
  EXPECT_EQ(results[2]->case_after->version(), 2u);
  EXPECT_EQ(results[2]->case_after->state(), "accepted");
  EXPECT_EQ(store_->GetCase("P1")->case_().version(), 2u);
  auto events = store_->GetEvents("P1", {});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->events.size(), 2u);
  EXPECT_EQ(events->events[1].prev_hash().size(), 32u);
  ExpectClean();  // the chain and the indexes as if applied one by one
}

TEST_F(CaseStoreTest, StaleVersionIsAbortedAndWritesNothing) {
  CaseSpec spec = Spec("P2026-00000002-8");
  jianyan::v1::Case c = Create(spec);
  CaseSpec a = spec, b = spec;
  a.state = "accepted";
  b.state = "declined";
  ASSERT_TRUE(store_->Apply(UpdateRequest(c, a)).ok());
  auto stale = store_->Apply(UpdateRequest(c, b));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(store_->GetCase(spec.case_number)->case_().state(), "accepted");
  EXPECT_EQ(store_->ListCases(StateQuery("declined"), {})->cases.size(), 0u);
  EXPECT_EQ(store_->GetEvents(spec.case_number, {})->events.size(), 2u);
  // Creating it again is refused too.
  EXPECT_EQ(store_->Apply(CreateRequest(spec)).status().code(),
            absl::StatusCode::kAlreadyExists);
  ExpectClean();
}

TEST_F(CaseStoreTest, ConcurrentUpdatesOfOneVersionExactlyOneWins) {
  CaseSpec spec = Spec("P2026-00000003-6");
  jianyan::v1::Case c = Create(spec);
  constexpr int kThreads = 8;
  std::vector<absl::StatusCode> codes(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      CaseSpec s = spec;
      s.state = "s" + std::to_string(i);
      codes[i] = store_->Apply(UpdateRequest(c, s)).status().code();
    });
  }
  for (auto& t : threads) t.join();
  int ok = 0;
  for (auto code : codes) {
    if (code == absl::StatusCode::kOk) {
      ++ok;
    } else {
      EXPECT_EQ(code, absl::StatusCode::kAborted);
    }
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(store_->GetCase(spec.case_number)->case_().version(), 2u);
  ExpectClean();
}

// Many writers racing on a few cases through many versions: a command holds
// its case's stripe lock until its group is written, so every version check
// sees the write before it, whichever group that was in.
TEST_F(CaseStoreTest, RacingWritersNeverLoseOrDoubleAVersion) {
  constexpr int kCases = 4, kThreads = 8, kTries = 60;
  for (int c = 0; c < kCases; ++c) Create(Spec("P" + std::to_string(c)));
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kTries; ++i) {
        std::string no = "P" + std::to_string((t + i) % kCases);
        auto old = store_->GetCase(no);
        ASSERT_TRUE(old.ok());
        CaseSpec s = Spec(no, "s" + std::to_string(i % 3));
        ApplyRequest r = UpdateRequest(old->case_(), s);
        r.idempotency = IdempotencyInput{
            "terminal-1", "t" + std::to_string(t) + "-" + std::to_string(i),
            "h"};
        auto res = store_->Apply(std::move(r));
        CountOutcome(res, wins);
      }
    });
  }
  for (auto& th : threads) th.join();
  // Each case started at version 1; every win added exactly one.
  EXPECT_EQ(SumOfVersions(kCases), static_cast<uint64_t>(kCases + wins));
  ExpectClean();
}

// Retries of one request racing each other (a terminal resending on a
// timeout; intake allocates a new case number for each try): it is applied
// once, every other call gets the replay naming the case that was created.
TEST_F(CaseStoreTest, RacingRetriesOfOneRequestApplyItOnce) {
  constexpr int kThreads = 8;
  std::vector<absl::StatusOr<ApplyResult>> results(
      kThreads, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      ApplyRequest r = CreateRequest(Spec("P-try-" + std::to_string(i)));
      r.idempotency = IdempotencyInput{"terminal-7", "req-1", "h"};
      results[i] = store_->Apply(std::move(r));
    });
  }
  for (auto& t : threads) t.join();
  std::string created;
  for (int i = 0; i < kThreads; ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].status();
    if (!results[i]->replayed) {
      EXPECT_TRUE(created.empty()) << "applied twice";
      created = results[i]->case_number;
    }
  }
  ASSERT_FALSE(created.empty());
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_EQ(results[i]->case_number, created);
    std::string no = "P-try-" + std::to_string(i);
    EXPECT_EQ(store_->GetCase(no).ok(), no == created) << no;
  }
  ExpectClean();
}

// ApplyAll calls locking many cases in different orders, racing single
// Applies on the same cases: stripes are taken in one global order, so
// this finishes (a deadlock would hang until the ctest timeout).
TEST_F(CaseStoreTest, OverlappingApplyAllAndApplyCallsDoNotDeadlock) {
  constexpr int kCases = 16, kThreads = 6, kRounds = 40;
  for (int c = 0; c < kCases; ++c) Create(Spec("P" + std::to_string(c)));
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(t);
      for (int round = 0; round < kRounds; ++round) {
        std::vector<int> order(kCases);
        for (int c = 0; c < kCases; ++c) order[c] = c;
        std::shuffle(order.begin(), order.end(), rng);
        // Even threads: one ApplyAll over half the cases; odd: one case.
        size_t take = t % 2 == 0 ? kCases / 2 : 1;
        std::vector<ApplyRequest> calls;
        for (size_t k = 0; k < take; ++k) {
          std::string no = "P" + std::to_string(order[k]);
          auto old = store_->GetCase(no);
          ASSERT_TRUE(old.ok());
          calls.push_back(UpdateRequest(old->case_(),
                                        Spec(no, "s" + std::to_string(round))));
        }
        for (const auto& r : store_->ApplyAll(std::move(calls))) {
          CountOutcome(r, wins);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  // Each case started at version 1; every win added exactly one.
  EXPECT_EQ(SumOfVersions(kCases), static_cast<uint64_t>(kCases + wins));
  ExpectClean();
}

TEST_F(CaseStoreTest, InconsistentChangesAreRejected) {
  ApplyRequest bad = CreateRequest(Spec("P2026-00000004-4"));
  bad.change.case_after.set_version(3);
  EXPECT_EQ(store_->Apply(bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  bad = CreateRequest(Spec("P2026-00000004-4"));
  bad.change.events[0].set_seq(2);
  EXPECT_EQ(store_->Apply(bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  bad = CreateRequest(Spec("P2026-00000004-4"));
  bad.expected_version = 1;
  EXPECT_EQ(store_->Apply(bad).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetCase("P2026-00000004-4").status().code(),
            absl::StatusCode::kNotFound);
  ExpectClean();
}

TEST_F(CaseStoreTest, RepeatedRequestIdReturnsOriginalAndWritesNothing) {
  ApplyRequest req = CreateRequest(Spec("P2026-00000005-2"));
  req.idempotency = IdempotencyInput{"terminal-1", "req-1", "hash-1"};
  auto first = store_->Apply(req);
  ASSERT_TRUE(first.ok()) << first.status();
  rocksdb::SequenceNumber before = store_->raw_db()->GetLatestSequenceNumber();
  auto again = store_->Apply(req);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->replayed);
  // The identity of what the command produced, not a stored response.
  EXPECT_EQ(again->case_number, "P2026-00000005-2");
  EXPECT_EQ(again->version, 1u);
  EXPECT_EQ(again->first_event_seq, 1u);
  EXPECT_EQ(again->last_event_seq, 1u);
  EXPECT_EQ(again->last_event_hash, "");
  auto events = store_->GetEventRange(
      again->case_number, again->first_event_seq, again->last_event_seq);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].action(), "register");
  // The first answer carried the events as written; the replay carries none
  // (its caller reads them, as above).
  ASSERT_EQ(first->events.size(), 1u);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      first->events[0], (*events)[0]));
  EXPECT_TRUE(again->events.empty());
  EXPECT_EQ(store_->raw_db()->GetLatestSequenceNumber(), before);
  // Same id, different content: refused.
  req.idempotency->request_hash = "hash-2";
  absl::Status refused = store_->Apply(req).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(absl::StrContains(refused.message(), "req-1")) << refused;
  // Within one commit group too.
  ApplyRequest a = CreateRequest(Spec("P2026-00000006-0"));
  a.idempotency = IdempotencyInput{"terminal-1", "req-2", "h"};
  auto results = store_->ApplyAll({a, a});
  ASSERT_TRUE(results[0].ok());
  ASSERT_TRUE(results[1].ok()) << results[1].status();
  EXPECT_FALSE(results[0]->replayed);
  EXPECT_TRUE(results[1]->replayed);
  EXPECT_EQ(results[1]->case_number, "P2026-00000006-0");
  EXPECT_EQ(results[1]->version, results[0]->version);
  EXPECT_EQ(results[1]->last_event_seq, results[0]->last_event_seq);
  ExpectClean();
}

TEST_F(CaseStoreTest, TwoPrincipalsMayUseOneRequestId) {
  ApplyRequest a = CreateRequest(Spec("P2026-00000011-1"));
  a.idempotency = IdempotencyInput{"terminal-1", "req-1", "h"};
  ApplyRequest b = CreateRequest(Spec("P2026-00000012-X"));
  b.idempotency = IdempotencyInput{"terminal-2", "req-1", "h"};
  auto ra = store_->Apply(a);
  auto rb = store_->Apply(b);
  ASSERT_TRUE(ra.ok()) << ra.status();
  ASSERT_TRUE(rb.ok()) << rb.status();
  EXPECT_FALSE(ra->replayed);
  EXPECT_FALSE(rb->replayed);
  EXPECT_EQ(store_->LookupRequest("terminal-1", "req-1")->case_number(),
            "P2026-00000011-1");
  EXPECT_EQ(store_->LookupRequest("terminal-2", "req-1")->case_number(),
            "P2026-00000012-X");
  EXPECT_EQ(store_->LookupRequest("terminal-3", "req-1").status().code(),
            absl::StatusCode::kNotFound);
  ExpectClean();
}

TEST_F(CaseStoreTest, ReplayOfAnUpdateReturnsItsIdentityAndEvents) {
  jianyan::v1::Case c = Create(Spec("P2026-00000013-8"));
  ApplyRequest up = UpdateRequest(c, Spec("P2026-00000013-8", "accepted"));
  up.change.events.push_back(up.change.events[0]);
  up.change.events[1].set_seq(3);
  up.change.events[1].set_action("note");
  up.change.case_after.set_last_event_seq(3);
  up.idempotency = IdempotencyInput{"handler-1", "req-up", "h"};
  auto first = store_->Apply(up);
  ASSERT_TRUE(first.ok()) << first.status();
  // A later command moves the case on; the replay still names version 2.
  jianyan::v1::Case now = store_->GetCase(c.case_number())->case_();
  ASSERT_TRUE(
      store_->Apply(UpdateRequest(now, Spec("P2026-00000013-8", "done"))).ok());
  auto again = store_->Apply(up);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->version, 2u);
  EXPECT_EQ(again->first_event_seq, 2u);
  EXPECT_EQ(again->last_event_seq, 3u);
  EXPECT_EQ(first->first_event_seq, 2u);
  EXPECT_EQ(first->last_event_seq, 3u);
  auto events = store_->GetEventRange(c.case_number(), 2, 3);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].action(), "note");
  EXPECT_EQ((*events)[1].seq(), 3u);
  EXPECT_FALSE((*events)[1].prev_hash().empty());
  EXPECT_EQ(store_->GetEventRange(c.case_number(), 2, 9).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetEventRange("P-none", 1, 1).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetEventRange(c.case_number(), 3, 2).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CaseStoreTest, IdempotencyRecordsHoldNoSubmitterData) {
  ApplyRequest req = CreateRequest(Spec("P2026-00000014-6"));
  jianyan::v1::Case& c = req.change.case_after;
  c.set_title("secret title");
  (*req.change.events[0].mutable_fields())["note"] = "secret note";
  req.idempotency = IdempotencyInput{"terminal-1", "req-pii", "h"};
  ASSERT_TRUE(store_->Apply(req).ok());
  std::string raw;
  ASSERT_TRUE(store_->raw_db()
                  ->Get(rocksdb::ReadOptions(),
                        store_->handle(Cf::kIdempotency),
                        IdempotencyKey("terminal-1", "req-pii"), &raw)
                  .ok());
  EXPECT_FALSE(absl::StrContains(raw, "secret"));
  EXPECT_FALSE(absl::StrContains(raw, "qc-"));
  jianyan::v1::IdempotencyRecord record;
  ASSERT_TRUE(record.ParseFromString(raw));
  // Exactly the identity fields, nothing unknown riding along.
  EXPECT_TRUE(record.GetReflection()->GetUnknownFields(record).empty());
  EXPECT_EQ(record.principal_id(), "terminal-1");
  EXPECT_EQ(record.request_id(), "req-pii");
  EXPECT_EQ(record.case_number(), "P2026-00000014-6");
  EXPECT_EQ(record.version(), 1u);
  EXPECT_EQ(record.first_event_seq(), 1u);
  EXPECT_EQ(record.last_event_seq(), 1u);
}

TEST_F(CaseStoreTest, APrincipalCannotTakeOverAnotherPrincipalsTokenHash) {
  jianyan::v1::Principal a;
  a.set_id("term-a");
  a.set_token_hash("hash-a");
  ASSERT_TRUE(store_->PutPrincipal(a).ok());
  jianyan::v1::Principal b;
  b.set_id("term-b");
  b.set_token_hash("hash-a");
  absl::Status s = store_->PutPrincipal(b);
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  EXPECT_EQ(s.message(), "token_hash already belongs to another principal");
  EXPECT_EQ(store_->FindPrincipalByTokenHash("hash-a")->id(), "term-a");
  EXPECT_EQ(store_->GetPrincipal("term-b").status().code(),
            absl::StatusCode::kNotFound);
  // An existing principal cannot take it either, and keeps its own hash.
  b.set_token_hash("hash-b");
  ASSERT_TRUE(store_->PutPrincipal(b).ok());
  b.set_token_hash("hash-a");
  EXPECT_EQ(store_->PutPrincipal(b).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->FindPrincipalByTokenHash("hash-b")->id(), "term-b");
  EXPECT_EQ(store_->GetPrincipal("term-b")->token_hash(), "hash-b");
  // Re-putting one's own principal with its own hash is fine.
  EXPECT_TRUE(store_->PutPrincipal(a).ok());
}

TEST_F(CaseStoreTest, IdempotencyRecordsExpireAndAreCompactedAway) {
  ApplyRequest req = CreateRequest(Spec("P2026-00000007-9"));
  req.idempotency = IdempotencyInput{"terminal-1", "req-x", "h"};
  ASSERT_TRUE(store_->Apply(req).ok());
  ASSERT_TRUE(store_->LookupRequest("terminal-1", "req-x").ok());
  clock_.Advance(absl::Hours(71));
  ASSERT_TRUE(store_->LookupRequest("terminal-1", "req-x").ok());
  clock_.Advance(absl::Hours(2));
  EXPECT_EQ(store_->LookupRequest("terminal-1", "req-x").status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(store_->CompactIdempotency().ok());
  std::string raw;
  EXPECT_TRUE(store_->raw_db()
                  ->Get(rocksdb::ReadOptions(),
                        store_->handle(Cf::kIdempotency),
                        IdempotencyKey("terminal-1", "req-x"), &raw)
                  .IsNotFound());
  // After expiry the id is no longer a retry: the stale create is refused
  // by the case's existence instead.
  EXPECT_EQ(store_->Apply(req).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(CaseStoreTest, VerifyCatchesATamperedEvent) {
  CaseSpec spec = Spec("P2026-00000008-7");
  jianyan::v1::Case c = Create(spec);
  CaseSpec next = spec;
  next.state = "accepted";
  ASSERT_TRUE(store_->Apply(UpdateRequest(c, next)).ok());
  ExpectClean();
  // Rewrite event 1's reason without fixing the chain.
  std::string raw;
  auto* db = store_->raw_db();
  ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), store_->handle(Cf::kEvents),
                      EventKey(spec.case_number, 1), &raw)
                  .ok());
  jianyan::v1::StoredEvent se;
  ASSERT_TRUE(se.ParseFromString(raw));
  jianyan::v1::Event e;
  ASSERT_TRUE(e.ParseFromString(se.event()));
  e.set_reason("rewritten");
  se.set_event(e.SerializeAsString());
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), store_->handle(Cf::kEvents),
                      EventKey(spec.case_number, 1), se.SerializeAsString())
                  .ok());
  auto report = store_->Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_NE(report->problems[0].find("event 2 breaks the hash chain"),
            std::string::npos)
      << report->problems[0];
}

TEST_F(CaseStoreTest, VerifyReportsMissingStrayAndCounterMismatches) {
  CaseSpec spec = Spec("P2026-00000009-5", "registered", "org", "pt");
  spec.due_time = TestEpoch() + absl::Hours(2);
  Create(spec);
  auto* db = store_->raw_db();
  // The due timer moved by an hour behind the store's back.
  ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), store_->handle(Cf::kTimers),
                         TimerKey({spec.due_time, spec.case_number, "handle"}))
                  .ok());
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), store_->handle(Cf::kTimers),
                      TimerKey({spec.due_time + absl::Hours(1),
                                spec.case_number, "handle"}),
                      "")
                  .ok());
  auto counters =
      store_->ReadCounters(Period::kDay, absl::CivilDay(2026, 9, 21), "", "");
  ASSERT_TRUE(counters.ok());
  ASSERT_FALSE(counters->empty());
  ASSERT_TRUE(db->Merge(rocksdb::WriteOptions(), store_->handle(Cf::kCounters),
                        CounterKey((*counters)[0].id), EncodeFixed64LE(5))
                  .ok());
  auto report = store_->Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 3u);
  EXPECT_NE(report->problems[0].find("timers: missing entry"),
            std::string::npos)
      << report->problems[0];
  EXPECT_NE(report->problems[1].find("timers: stray entry"), std::string::npos)
      << report->problems[1];
  EXPECT_NE(report->problems[2].find("counters:"), std::string::npos);
  EXPECT_NE(report->problems[2].find("is 6 but events say 1"),
            std::string::npos);
}

TEST_F(CaseStoreTest, CountersAddUpPerDayAndMonthInChinaTime) {
  // 2026-09-21 17:00 UTC is 2026-09-22 01:00 in China.
  absl::Time t = absl::FromCivil(absl::CivilSecond(2026, 9, 21, 17, 0, 0),
                                 absl::UTCTimeZone());
  for (int i = 0; i < 3; ++i) {
    CaseSpec s =
        Spec("P2026-0000010" + std::to_string(i), "registered", "org", "pt");
    s.create_time = t;
    Create(s);
  }
  auto day = store_->ReadCounters(Period::kDay, absl::CivilDay(2026, 9, 22),
                                  "org", "pt");
  ASSERT_TRUE(day.ok());
  ASSERT_EQ(day->size(), 1u);
  EXPECT_EQ((*day)[0].value, 3u);
  EXPECT_EQ((*day)[0].id.metric, "received");
  auto month = store_->ReadCounters(Period::kMonth, absl::CivilDay(2026, 9, 1),
                                    "org", "");
  ASSERT_EQ(month->size(), 1u);
  EXPECT_EQ((*month)[0].value, 3u);
  EXPECT_TRUE(
      store_->ReadCounters(Period::kDay, absl::CivilDay(2026, 9, 21), "", "")
          ->empty());
  ExpectClean();
}

TEST_F(CaseStoreTest, TimersAndDeadlinesFollowTheSnapshot) {
  CaseSpec a = Spec("P2026-00000020-1"), b = Spec("P2026-00000021-X");
  a.due_time = TestEpoch() + absl::Hours(1);
  b.due_time = TestEpoch() + absl::Hours(2);
  jianyan::v1::Case ca = Create(a);
  Create(b);
  auto due = store_->NextDueTimers(TestEpoch() + absl::Hours(1), 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].case_number, a.case_number);
  EXPECT_EQ((*due)[0].timer, "handle");
  EXPECT_EQ(store_->NextDueTimers(absl::InfiniteFuture(), 1)->size(), 1u);
  auto overdue =
      store_->ListCases(DueBeforeQuery(TestEpoch() + absl::Hours(3)), {});
  ASSERT_EQ(overdue->cases.size(), 2u);
  EXPECT_EQ(overdue->cases[0].case_number(), a.case_number);
  // Closing `a` removes its deadline entry and its timer.
  CaseSpec closed = a;
  closed.open = false;
  closed.due_time = absl::InfiniteFuture();
  ASSERT_TRUE(store_->Apply(UpdateRequest(ca, closed)).ok());
  EXPECT_EQ(store_->NextDueTimers(absl::InfiniteFuture(), 10)->size(), 1u);
  EXPECT_EQ(store_->ListCases(DueBeforeQuery(absl::InfiniteFuture()), {})
                ->cases.size(),
            1u);
  ExpectClean();
}

TEST_F(CaseStoreTest, MalformedPageTokensAreInvalidArgument) {
  EXPECT_EQ(
      store_->ListCases(StateQuery("x"), {10, "garbage!"}).status().code(),
      absl::StatusCode::kInvalidArgument);
  // A token of another list.
  for (int i = 0; i < 3; ++i) {
    Create(Spec("P2026-0000030" + std::to_string(i), "a"));
  }
  auto page = store_->ListCases(StateQuery("a"), {1, ""});
  ASSERT_FALSE(page->next_page_token.empty());
  EXPECT_EQ(store_->ListCases(StateQuery("b"), {1, page->next_page_token})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CaseStoreTest, CaseNumbersAreNeverReusedAcrossReopen) {
  std::set<std::string> seen;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 5; ++i) {
      auto no =
          store_->AllocateCaseNumber(jianyan::v1::CASE_KIND_PETITION, 2026);
      ASSERT_TRUE(no.ok()) << no.status();
      EXPECT_TRUE(seen.insert(*no).second) << *no;
      auto parsed = ParseCaseNumber(*no);
      ASSERT_TRUE(parsed.ok());
      EXPECT_EQ(parsed->shard, 0);
      EXPECT_EQ(parsed->year, 2026);
    }
    Reopen();
  }
  EXPECT_EQ(store_->AllocateCaseNumber(jianyan::v1::CASE_KIND_UNSPECIFIED, 2026)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

// Concurrent callers share the blocks: every sequence 1..N exactly once,
// each caller's in ascending order; the reserved mark in meta covers them
// all, at most two blocks ahead; a reopen starts above it.
TEST_F(CaseStoreTest, ConcurrentCaseNumbersAreContiguousAndDurable) {
  constexpr int kThreads = 4, kEach = 300;
  std::vector<std::vector<uint32_t>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto no =
            store_->AllocateCaseNumber(jianyan::v1::CASE_KIND_SUGGESTION, 2026);
        ASSERT_TRUE(no.ok()) << no.status();
        auto parsed = ParseCaseNumber(*no);
        ASSERT_TRUE(parsed.ok()) << *no;
        got[t].push_back(parsed->sequence);
      }
    });
  }
  for (auto& th : threads) th.join();
  testing::ExpectOneToNOnce(got, kThreads * kEach);
  std::string mark;
  ASSERT_TRUE(store_->raw_db()
                  ->Get(rocksdb::ReadOptions(), store_->handle(Cf::kMeta),
                        MetaKey(absl::StrCat(
                            "case_seq/",
                            static_cast<int>(jianyan::v1::CASE_KIND_SUGGESTION),
                            "/2026/0")),
                        &mark)
                  .ok());
  const int high = std::stoi(mark);
  EXPECT_GE(high, kThreads * kEach);
  EXPECT_LE(high, kThreads * kEach + 200);  // two blocks of 100
  Reopen();
  auto next =
      store_->AllocateCaseNumber(jianyan::v1::CASE_KIND_SUGGESTION, 2026);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(ParseCaseNumber(*next)->sequence, static_cast<uint32_t>(high + 1));
}

TEST_F(CaseStoreTest, NewerSchemaIsRefusedOlderIsMigrated) {
  CaseSpec spec = Spec("P2026-00000040-X");
  spec.due_time = TestEpoch() + absl::Hours(5);
  Create(spec);
  EXPECT_EQ(store_->schema_version(), kSchemaVersion);
  // A store of schema 5 (and one of schema 1, which runs every step) held
  // entries in the families schema 6 retired: Verify reports them as stray,
  // and the migration empties them.
  for (const char* version : {"5", "1"}) {
    SCOPED_TRACE(version);
    auto* db = store_->raw_db();
    for (Cf cf : kRetiredCfs) {
      ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), store_->handle(cf),
                          V1Key("registered") + spec.case_number,
                          spec.case_number)
                      .ok());
    }
    auto report = store_->Verify();
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->problems.size(), std::size(kRetiredCfs));
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), store_->handle(Cf::kMeta),
                        MetaKey("schema_version"), version)
                    .ok());
    Reopen();
    EXPECT_EQ(store_->schema_version(), kSchemaVersion);
    for (Cf cf : kRetiredCfs) {
      std::unique_ptr<rocksdb::Iterator> it(store_->raw_db()->NewIterator(
          rocksdb::ReadOptions(), store_->handle(cf)));
      it->SeekToFirst();
      EXPECT_FALSE(it->Valid()) << CfName(cf);
    }
    ExpectClean();
    EXPECT_EQ(store_->ListCases(DueBeforeQuery(absl::InfiniteFuture()), {})
                  ->cases.size(),
              1u);
  }
  ASSERT_TRUE(store_->raw_db()
                  ->Put(rocksdb::WriteOptions(), store_->handle(Cf::kMeta),
                        MetaKey("schema_version"), "99")
                  .ok());
  store_.reset();
  auto refused = CaseStore::Open(TestOptions(&clock_), dir_.Sub("db"));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("schema version 99"),
            std::string::npos);
}

TEST_F(CaseStoreTest, DirectoryDefinitionsAndCalendars) {
  jianyan::v1::Organisation org;
  org.set_id("org1");
  org.mutable_name()->set_zh("信访局");
  ASSERT_TRUE(store_->PutOrganisation(org).ok());
  EXPECT_EQ(store_->GetOrganisation("org1")->name().zh(), "信访局");
  EXPECT_EQ(store_->GetOrganisation("nope").status().code(),
            absl::StatusCode::kNotFound);
  jianyan::v1::Principal p;
  p.set_id("term-1");
  p.set_token_hash("hash-a");
  ASSERT_TRUE(store_->PutPrincipal(p).ok());
  EXPECT_EQ(store_->FindPrincipalByTokenHash("hash-a")->id(), "term-1");
  p.set_token_hash("hash-b");
  ASSERT_TRUE(store_->PutPrincipal(p).ok());
  EXPECT_EQ(store_->FindPrincipalByTokenHash("hash-a").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->FindPrincipalByTokenHash("hash-b")->id(), "term-1");
  for (const char* id : {"a", "b", "c"}) {
    jianyan::v1::ReportingPoint pt;
    pt.set_id(id);
    ASSERT_TRUE(store_->PutReportingPoint(pt).ok());
  }
  std::string token;
  auto page =
      store_->ListDirectory(DirectoryKind::kReportingPoint, {2, ""}, &token);
  ASSERT_EQ(page->size(), 2u);
  page =
      store_->ListDirectory(DirectoryKind::kReportingPoint, {2, token}, &token);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_TRUE(token.empty());
  jianyan::v1::WorkflowDefinition def;
  def.set_name("petition");
  def.set_version("v1");
  ASSERT_TRUE(store_->PutDefinition(def).ok());
  def.set_version("v2");
  ASSERT_TRUE(store_->PutDefinition(def).ok());
  EXPECT_EQ(store_->ListDefinitions("petition")->size(), 2u);
  EXPECT_TRUE(store_->GetDefinition("petition", "v1").ok());
  jianyan::v1::CalendarYear year;
  year.set_name("cn");
  year.set_year(2026);
  ASSERT_TRUE(store_->PutCalendarYear(year).ok());
  EXPECT_EQ(store_->GetCalendarYear("cn", 2026)->year(), 2026);
}

TEST_F(CaseStoreTest, BackupRestoreVerifyIdentical) {
  for (int i = 0; i < 20; ++i) {
    CaseSpec s =
        Spec("P2026-000005" + std::to_string(10 + i), "registered", "org");
    s.due_time = TestEpoch() + absl::Minutes(i);
    Create(s);
  }
  // A record large enough (and random enough not to compress away) that
  // copying its file reports progress, which comes every MiB copied.
  jianyan::v1::Organisation big;
  big.set_id("org-with-a-long-charter");
  std::mt19937 rng(7);
  std::string charter(3 << 20, ' ');
  for (char& ch : charter) ch = static_cast<char>('a' + rng() % 26);
  big.mutable_name()->set_zh(charter);
  ASSERT_TRUE(store_->PutOrganisation(big).ok());
  int progress = 0;
  ASSERT_TRUE(store_->Backup(dir_.Sub("backup"), [&] { ++progress; }).ok());
  EXPECT_GE(progress, 2);
  ASSERT_TRUE(
      CaseStore::Restore(dir_.Sub("backup"), dir_.Sub("restored")).ok());
  EXPECT_EQ(CaseStore::Restore(dir_.Sub("backup"), dir_.Sub("restored")).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->Checkpoint(dir_.Sub("checkpoint")).ok());
  auto original = store_->Verify();
  ASSERT_TRUE(original.ok()) << original.status();
  ASSERT_TRUE(original->ok());
  for (const char* copy : {"restored", "checkpoint"}) {
    auto reopened = CaseStore::Open(TestOptions(&clock_), dir_.Sub(copy));
    ASSERT_TRUE(reopened.ok()) << copy << ": " << reopened.status();
    auto report = (*reopened)->Verify();
    ASSERT_TRUE(report.ok()) << copy;
    EXPECT_TRUE(report->ok()) << copy;
    EXPECT_EQ(report->cases, original->cases) << copy;
    EXPECT_EQ(report->events, original->events) << copy;
    EXPECT_EQ(report->index_entries, original->index_entries) << copy;
    EXPECT_EQ(report->timer_entries, original->timer_entries) << copy;
    EXPECT_EQ(report->counters, original->counters) << copy;
    EXPECT_EQ((*reopened)
                  ->ListCases(StateQuery("registered"), {100, ""})
                  ->cases.size(),
              20u)
        << copy;
    EXPECT_EQ((*reopened)->GetOrganisation(big.id())->name().zh().size(),
              big.name().zh().size())
        << copy;
  }
}

}  // namespace
}  // namespace jianyan::storage

namespace jianyan::storage {
namespace {

TEST(CaseStoreOptionsTest, FromConfigTakesDefaultsForZeroFields) {
  jianyan::v1::StoreConfig config;
  CaseStoreOptions d = CaseStoreOptions::FromConfig(config);
  EXPECT_TRUE(d.sync);
  EXPECT_EQ(d.block_cache_bytes, 64ull << 20);
  EXPECT_EQ(d.idempotency_window, absl::Hours(72));
  config.set_durability(jianyan::v1::DURABILITY_NO_SYNC);
  config.set_block_cache_bytes(1 << 20);
  config.set_idempotency_window_hours(5);
  config.set_shard_id(3);
  CaseStoreOptions o = CaseStoreOptions::FromConfig(config);
  EXPECT_FALSE(o.sync);
  EXPECT_EQ(o.block_cache_bytes, 1u << 20);
  EXPECT_EQ(o.idempotency_window, absl::Hours(5));
  EXPECT_EQ(o.shard_id, 3);
}

}  // namespace
}  // namespace jianyan::storage
