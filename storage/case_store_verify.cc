// CaseStore::Verify: re-derive everything derivable and compare.
//
// Memory stays bounded by one case's entries plus the counter totals: for
// each case its expected entries are looked up one by one (missing or
// different entries) and the ones found intact are counted per family; then
// each index family is scanned, and only a family holding more entries than
// were confirmed is checked entry by entry against the re-derived entries of
// its case (stray entries). The notice log is checked against the notices
// the events raise (held in memory, like the counter totals: one small
// entry per notice), and its cursors for gaps.
#include <map>

#include "absl/strings/str_cat.h"
#include "rocksdb/snapshot.h"
#include "storage/bounded_iterator.h"
#include "storage/case_keys.h"
#include "storage/case_store.h"
#include "storage/index_entries.h"
#include "storage/index_keys.h"
#include "storage/key_coding.h"
#include "storage/notice_entries.h"
#include "storage/notice_key.h"
#include "storage/open_cases.h"
#include "storage/timer_key.h"
#include "workflow/sha256.h"
#include "workflow/status_macros.h"

namespace jianyan::storage {
namespace {

// The retired families are scanned too: nothing is derived for them, so any
// entry in one is reported as stray.
constexpr Cf kDerivedCfs[] = {Cf::kIdxState,    Cf::kIdxOrg,      Cf::kIdxPoint,
                              Cf::kIdxCampaign, Cf::kIdxDeadline, Cf::kTimers,
                              Cf::kIdxList,     Cf::kIdxMatter};

std::string Printable(const rocksdb::Slice& key) { return key.ToString(true); }

}  // namespace

absl::StatusOr<VerifyReport> CaseStore::Verify() {
  VerifyReport report;
  // Every notice up to here is durable, hence in the snapshot.
  const uint64_t committed = LastNoticeCursor();
  rocksdb::ManagedSnapshot managed(db_.get());
  const rocksdb::Snapshot* snapshot = managed.snapshot();
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::map<std::string, uint64_t> counters;
  ExpectedNotices notices;
  EntryCounts confirmed{};
  {
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(ro, handle(Cf::kCases)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++report.cases;
      jianyan::v1::StoredCase stored;
      std::string no;
      if (!DecodeCaseKey(absl::string_view(it->key().data(), it->key().size()),
                         &no) ||
          !stored.ParseFromArray(it->value().data(),
                                 static_cast<int>(it->value().size()))) {
        report.problems.push_back("cases: unreadable entry " +
                                  Printable(it->key()));
        continue;
      }
      if (stored.case_().case_number() != no) {
        report.problems.push_back(absl::StrCat(
            "cases: key ", no, " holds case ", stored.case_().case_number()));
      }
      JY_RETURN_IF_ERROR(
          VerifyCase(stored, snapshot, counters, notices, confirmed, report));
    }
    JY_RETURN_IF_ERROR(FromRocks(it->status(), "verify cases"));
  }
  JY_RETURN_IF_ERROR(VerifyNoStrayEntries(snapshot, confirmed, report));
  JY_RETURN_IF_ERROR(VerifyCounters(snapshot, std::move(counters), report));
  JY_RETURN_IF_ERROR(
      VerifyNotices(snapshot, committed, std::move(notices), report));
  return report;
}

absl::Status CaseStore::VerifyCase(const jianyan::v1::StoredCase& stored,
                                   const rocksdb::Snapshot* snapshot,
                                   std::map<std::string, uint64_t>& counters,
                                   ExpectedNotices& notices,
                                   EntryCounts& confirmed,
                                   VerifyReport& report) {
  const jianyan::v1::Case& c = stored.case_();
  const std::string& no = c.case_number();
  // The open-case counter the case belongs to.
  if (c.open()) ++counters[OpenCaseKey(c.kind(), c.state())];
  // The event chain.
  std::string prefix = EventPrefix(no);
  BoundedIterator it(db_.get(), handle(Cf::kEvents), PrefixSuccessor(prefix),
                     snapshot);
  std::string head;
  uint64_t expect_seq = 1;
  for (it->Seek(prefix); it->Valid(); it->Next(), ++expect_seq) {
    ++report.events;
    std::string key_no;
    uint64_t seq = 0;
    jianyan::v1::StoredEvent se;
    jianyan::v1::Event e;
    if (!DecodeEventKey(absl::string_view(it->key().data(), it->key().size()),
                        &key_no, &seq) ||
        !se.ParseFromArray(it->value().data(),
                           static_cast<int>(it->value().size())) ||
        !e.ParseFromString(se.event())) {
      report.problems.push_back(
          absl::StrCat("events: unreadable event of case ", no));
      continue;
    }
    if (seq != expect_seq || e.seq() != seq || e.case_number() != no) {
      report.problems.push_back(absl::StrCat(
          "events: case ", no, " has event seq ", seq, " (record says ",
          e.seq(), ") where ", expect_seq, " was expected"));
      expect_seq = seq;
    }
    if (e.prev_hash() != head) {
      report.problems.push_back(absl::StrCat(
          "events: case ", no, " event ", seq,
          " breaks the hash chain: prev_hash ", ToHex(e.prev_hash()),
          " but the previous event hashes to ", ToHex(head)));
    }
    head = Sha256Digest(se.event());
    if (NoticeOf(c, e).has_value()) {
      notices[{no, seq}] = e.supervision_notice();
    }
    for (const auto& r : se.counters()) {
      for (const CounterId& id : CounterIdsFor(r)) {
        counters[CounterKey(id)] += r.delta();
      }
    }
  }
  JY_RETURN_IF_ERROR(FromRocks(it->status(), "verify events"));
  if (expect_seq - 1 != c.last_event_seq()) {
    report.problems.push_back(
        absl::StrCat("events: case ", no, " has ", expect_seq - 1,
                     " events but last_event_seq is ", c.last_event_seq()));
  }
  if (head != stored.last_event_hash()) {
    report.problems.push_back(
        absl::StrCat("events: case ", no, " last_event_hash ",
                     ToHex(stored.last_event_hash()),
                     " but its newest event hashes to ", ToHex(head)));
  }
  // Derived entries present with the right value.
  for (const IndexEntry& e : DeriveIndexEntries(c, matter_salt_)) {
    if (e.cf == Cf::kTimers) {
      ++report.timer_entries;
    } else {
      ++report.index_entries;
    }
    std::string value;
    absl::Status s = GetValue(e.cf, e.key, &value, snapshot);
    if (absl::IsNotFound(s)) {
      report.problems.push_back(absl::StrCat(
          CfName(e.cf), ": missing entry ", Printable(e.key), " of case ", no));
    } else if (!s.ok()) {
      return s;
    } else if (value != e.value) {
      report.problems.push_back(absl::StrCat(CfName(e.cf), ": entry ",
                                             Printable(e.key), " of case ", no,
                                             " holds '", value, "'"));
    } else {
      ++confirmed[static_cast<size_t>(e.cf)];
    }
  }
  return absl::OkStatus();
}

absl::Status CaseStore::VerifyNoStrayEntries(const rocksdb::Snapshot* snapshot,
                                             const EntryCounts& confirmed,
                                             VerifyReport& report) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  ro.total_order_seek = true;  // whole families, past any prefix filter
  auto read_case =
      [&](const std::string& no) -> absl::StatusOr<jianyan::v1::StoredCase> {
    jianyan::v1::StoredCase stored;
    JY_RETURN_IF_ERROR(
        GetProto(Cf::kCases, CaseKey(no), "case", &stored, snapshot));
    return stored;
  };
  for (Cf cf : kDerivedCfs) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, handle(cf)));
    uint64_t present = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) ++present;
    JY_RETURN_IF_ERROR(FromRocks(it->status(), CfName(cf)));
    // Every confirmed entry is present: no more present, no strays.
    if (present == confirmed[static_cast<size_t>(cf)]) continue;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string no;
      if (cf == Cf::kTimers) {
        TimerEntry t;
        if (DecodeTimerKey(
                absl::string_view(it->key().data(), it->key().size()), &t)) {
          no = t.case_number;
        }
      } else if (cf == Cf::kIdxList) {
        ListEntry entry;
        if (DecodeListEntry(
                absl::string_view(it->value().data(), it->value().size()),
                &entry)) {
          no = entry.case_number;
        }
      } else {
        no = it->value().ToString();
      }
      absl::StatusOr<jianyan::v1::StoredCase> stored =
          no.empty() ? absl::NotFoundError("") : read_case(no);
      if (!stored.ok() && !absl::IsNotFound(stored.status()) &&
          !absl::IsDataLoss(stored.status())) {
        return stored.status();
      }
      bool expected = false;
      if (stored.ok()) {
        for (const IndexEntry& e :
             DeriveIndexEntries(stored->case_(), matter_salt_)) {
          if (e.cf == cf && rocksdb::Slice(e.key) == it->key()) {
            expected = true;
            break;
          }
        }
      }
      if (!expected) {
        report.problems.push_back(absl::StrCat(
            CfName(cf), ": stray entry ", Printable(it->key()),
            no.empty() ? " (unreadable)"
                       : absl::StrCat(" for case ", no,
                                      stored.ok() ? "" : " (no such case)")));
      }
    }
    JY_RETURN_IF_ERROR(FromRocks(it->status(), CfName(cf)));
  }
  return absl::OkStatus();
}

absl::Status CaseStore::VerifyCounters(const rocksdb::Snapshot* snapshot,
                                       std::map<std::string, uint64_t> expected,
                                       VerifyReport& report) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(ro, handle(Cf::kCounters)));
  // Matched keys leave `expected`; what is left was never found.
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++report.counters;
    std::string key = it->key().ToString();
    uint64_t value = 0;
    if (!DecodeFixed64LE(
            absl::string_view(it->value().data(), it->value().size()),
            &value)) {
      report.problems.push_back("counters: unreadable value at " +
                                Printable(it->key()));
      continue;
    }
    auto e = expected.find(key);
    uint64_t want = 0;
    if (e != expected.end()) {
      want = e->second;
      expected.erase(e);
    }
    if (value != want) {
      report.problems.push_back(absl::StrCat("counters: ", Printable(key),
                                             " is ", value, " but events say ",
                                             want));
    }
  }
  JY_RETURN_IF_ERROR(FromRocks(it->status(), "verify counters"));
  for (const auto& [key, want] : expected) {
    if (want != 0) {
      report.problems.push_back(absl::StrCat(
          "counters: missing ", Printable(key), " (events say ", want, ")"));
    }
  }
  return absl::OkStatus();
}

}  // namespace jianyan::storage

namespace jianyan::storage {

absl::Status CaseStore::VerifyNotices(const rocksdb::Snapshot* snapshot,
                                      uint64_t committed,
                                      ExpectedNotices expected,
                                      VerifyReport& report) {
  BoundedIterator it(db_.get(), handle(Cf::kNotices),
                     PrefixSuccessor(NoticePrefix()), snapshot);
  // Matched notices leave `expected`; what is left was never found.
  uint64_t next = 1;  // the cursor that should come next
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++report.notices;
    uint64_t cursor = 0;
    jianyan::v1::StoredNotice n;
    if (!DecodeNoticeKey(absl::string_view(it->key().data(), it->key().size()),
                         &cursor) ||
        !n.ParseFromArray(it->value().data(),
                          static_cast<int>(it->value().size()))) {
      report.problems.push_back("notices: unreadable entry " +
                                Printable(it->key()));
      continue;
    }
    if (cursor != next) {
      report.problems.push_back(absl::StrCat("notices: gap: cursors ", next,
                                             "..", cursor - 1,
                                             " are missing before ", cursor));
    }
    next = cursor + 1;
    if (n.cursor() != cursor) {
      report.problems.push_back(absl::StrCat("notices: entry ", cursor,
                                             " holds cursor ", n.cursor()));
    }
    auto e = expected.find({n.case_number(), n.event_seq()});
    if (e == expected.end()) {
      report.problems.push_back(absl::StrCat(
          "notices: stray notice ", cursor, " for case ", n.case_number(),
          " event ", n.event_seq(), " (no such event raises one, or it has ",
          "another notice)"));
      continue;
    }
    if (e->second != n.kind()) {
      report.problems.push_back(absl::StrCat(
          "notices: notice ", cursor, " of case ", n.case_number(), " event ",
          n.event_seq(), " has kind ", jianyan::v1::NoticeKind_Name(n.kind()),
          " but the event raises ", jianyan::v1::NoticeKind_Name(e->second)));
    }
    expected.erase(e);
  }
  JY_RETURN_IF_ERROR(FromRocks(it->status(), "verify notices"));
  if (next - 1 < committed) {
    report.problems.push_back(absl::StrCat("notices: the log ends at cursor ",
                                           next - 1, " but cursor ", committed,
                                           " was committed"));
  }
  for (const auto& [event, kind] : expected) {
    report.problems.push_back(absl::StrCat(
        "notices: missing notice of case ", event.first, " event ",
        event.second, " (", jianyan::v1::NoticeKind_Name(kind), ")"));
  }
  return absl::OkStatus();
}

}  // namespace jianyan::storage
