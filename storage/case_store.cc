// CaseStore: opening, schema, reads and case-number allocation. Apply is in
// case_store_apply.cc, Verify in case_store_verify.cc, backup in
// case_store_backup.cc, directory data in case_store_directory.cc.
#include "storage/case_store.h"

#include <openssl/rand.h>

#include <algorithm>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/listener.h"
#include "rocksdb/snapshot.h"
#include "storage/bounded_iterator.h"
#include "storage/case_keys.h"
#include "storage/index_entries.h"
#include "storage/index_keys.h"
#include "storage/key_coding.h"
#include "storage/open_cases.h"
#include "storage/page_token.h"
#include "storage/paging.h"
#include "storage/record_views.h"
#include "workflow/case_number.h"
#include "workflow/status_macros.h"
#include "workflow/time_util.h"

namespace jianyan::storage {
namespace {

// Turns off RocksDB's own recovery from background errors (for a full disk
// its SstFileManager retries every 5 s on its own thread): the store
// resumes the database itself (TryResume, ResumeLoop), so that there is
// one recovery path, with one state (WriteHealth) that callers can see.
class NoAutoRecovery final : public rocksdb::EventListener {
 public:
  const char* Name() const override { return "jianyan.NoAutoRecovery"; }
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason /*reason*/,
                            rocksdb::Status bg_error,
                            bool* auto_recovery) override {
    bg_error.PermitUncheckedError();
    *auto_recovery = false;
  }
};

}  // namespace

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  std::string msg = absl::StrCat(what, ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(msg);
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(msg);
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsBusy() || s.IsTryAgain()) return absl::UnavailableError(msg);
  if (s.IsNoSpace()) return absl::ResourceExhaustedError(msg);
  if (s.IsNotSupported()) return absl::UnimplementedError(msg);
  return absl::InternalError(msg);
}

CaseStoreOptions CaseStoreOptions::FromConfig(
    const jianyan::v1::StoreConfig& config) {
  CaseStoreOptions o;
  o.sync = config.durability() != jianyan::v1::DURABILITY_NO_SYNC;
  if (config.block_cache_bytes() != 0) {
    o.block_cache_bytes = config.block_cache_bytes();
  }
  if (config.write_buffer_bytes() != 0) {
    o.write_buffer_bytes = config.write_buffer_bytes();
  }
  if (config.idempotency_window_hours() != 0) {
    o.idempotency_window = absl::Hours(config.idempotency_window_hours());
  }
  o.shard_id = static_cast<int>(config.shard_id());
  return o;
}

absl::StatusOr<std::unique_ptr<CaseStore>> CaseStore::Open(
    const CaseStoreOptions& options, const std::string& dir) {
  if (options.shard_id < 0 || options.shard_id > kMaxShard) {
    return absl::InvalidArgumentError("shard_id: must be 0..9");
  }
  if (options.clock == nullptr) {
    return absl::InvalidArgumentError("clock: must be set");
  }
  std::unique_ptr<CaseStore> store(new CaseStore(options, dir));
  JY_RETURN_IF_ERROR(store->OpenDb());
  JY_RETURN_IF_ERROR(store->CheckSchema());
  JY_RETURN_IF_ERROR(BackfillOpenCaseCounters(
      store->db_.get(), store->handle(Cf::kCases), store->handle(Cf::kCounters),
      store->handle(Cf::kMeta)));
  GroupCommitOptions commit;
  commit.sync = options.sync;
  commit.max_batches_per_group = options.max_commands_per_commit;
  CaseStore* self = store.get();
  commit.on_write_error = [self](const rocksdb::Status& s) {
    return self->OnWriteError(s, "apply");
  };
  commit.notices = store->handle(Cf::kNotices);
  commit.deadline_clock = options.deadline_clock;
  JY_ASSIGN_OR_RETURN(commit.next_notice_cursor, store->NextNoticeCursor());
  store->committer_ = std::make_unique<GroupCommitter>(
      store->db_.get(), store->handle(Cf::kCounters), commit);
  for (int i = 0; i < std::max(options.committer_threads, 1); ++i) {
    store->committers_.emplace_back([self] { self->CommitLoop(); });
  }
  store->resumer_ = std::thread([self] { self->ResumeLoop(); });
  return store;
}

absl::Status CaseStore::OpenDb() {
  StoreTuning tuning;
  tuning.block_cache_bytes = options_.block_cache_bytes;
  tuning.write_buffer_bytes = options_.write_buffer_bytes;
  tuning.clock = options_.clock;
  tuning.env = options_.env;
  rocksdb::DBOptions db_options = MakeDbOptions(tuning);
  db_options.listeners.push_back(std::make_shared<NoAutoRecovery>());
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs = MakeCfDescriptors(tuning);
  // Families this build does not know (a newer schema) are opened with
  // default options so that the schema check can explain the refusal.
  std::vector<std::string> existing;
  rocksdb::Status ls =
      rocksdb::DB::ListColumnFamilies(db_options, dir_, &existing);
  std::set<std::string> known;
  for (const auto& d : cfs) known.insert(d.name);
  known.insert(rocksdb::kDefaultColumnFamilyName);
  if (ls.ok()) {
    for (const auto& name : existing) {
      if (known.count(name) == 0) {
        cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
      }
    }
  }
  cfs.emplace_back(rocksdb::kDefaultColumnFamilyName,
                   rocksdb::ColumnFamilyOptions());
  rocksdb::DB* raw = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::Status s = rocksdb::DB::Open(db_options, dir_, cfs, &handles, &raw);
  if (!s.ok()) return FromRocks(s, "open " + dir_);
  db_.reset(raw);
  handles_.assign(handles.begin(), handles.begin() + kNumCfs);
  extra_handles_.assign(handles.begin() + kNumCfs, handles.end());
  return absl::OkStatus();
}

absl::Status CaseStore::GetValue(Cf cf, const std::string& key,
                                 std::string* value,
                                 const rocksdb::Snapshot* snapshot) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  rocksdb::Status s = db_->Get(ro, handle(cf), key, value);
  if (s.IsNotFound()) return absl::NotFoundError(CfName(cf));
  return FromRocks(s, CfName(cf));
}

// --- Schema ----------------------------------------------------------------

absl::Status CaseStore::CheckSchema() {
  std::string value;
  absl::Status s = GetValue(Cf::kMeta, MetaKey("schema_version"), &value);
  if (absl::IsNotFound(s)) {
    // No version: a new store, unless it already holds cases.
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), handle(Cf::kCases)));
    it->SeekToFirst();
    JY_RETURN_IF_ERROR(FromRocks(it->status(), "schema check"));
    if (it->Valid()) {
      return absl::FailedPreconditionError(
          absl::StrCat("store ", dir_,
                       " holds cases but no schema version: not a "
                       "Jianyan store, or damaged"));
    }
    JY_RETURN_IF_ERROR(LoadMatterSalt(0));
    rocksdb::WriteOptions wo;
    wo.sync = true;
    JY_RETURN_IF_ERROR(
        FromRocks(db_->Put(wo, handle(Cf::kMeta), MetaKey("schema_version"),
                           std::to_string(kSchemaVersion)),
                  "write schema version"));
    schema_version_ = kSchemaVersion;
    return absl::OkStatus();
  }
  JY_RETURN_IF_ERROR(s);
  int version = 0;
  if (!absl::SimpleAtoi(value, &version) || version < 1) {
    return absl::DataLossError(absl::StrCat(
        "store ", dir_, ": unreadable schema version '", value, "'"));
  }
  if (version > kSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "store ", dir_, " has schema version ", version,
        " but this build of Jianyan supports up to ", kSchemaVersion,
        ": upgrade jianyand (or restore a backup made by this version)"));
  }
  schema_version_ = version;
  JY_RETURN_IF_ERROR(LoadMatterSalt(version));
  // (Schema 2 built idx_deadline, which schema 6 retired: nothing to do.)
  if (schema_version_ < 4) {  // 3 built idx_list, which 4 rebuilds anyway
    JY_RETURN_IF_ERROR(
        RebuildDerivedFamilies({Cf::kTimers, Cf::kIdxList, Cf::kNotices}, 4));
  }
  if (schema_version_ < 5) {
    JY_RETURN_IF_ERROR(RebuildDerivedFamilies({Cf::kIdxMatter}, 5));
  }
  if (schema_version_ < 6) JY_RETURN_IF_ERROR(ClearRetiredFamilies(6));
  return absl::OkStatus();
}

absl::Status CaseStore::LoadMatterSalt(int version) {
  constexpr size_t kSaltBytes = 32;
  absl::Status s = GetValue(Cf::kMeta, MetaKey("matter_salt"), &matter_salt_);
  if (s.ok() && matter_salt_.size() == kSaltBytes) return absl::OkStatus();
  if (!s.ok() && !absl::IsNotFound(s)) return s;
  if (version >= 5) {
    return absl::DataLossError(absl::StrCat(
        "store ", dir_, ": schema ", version,
        " without a readable matter_salt (idx_matter cannot be read)"));
  }
  // Before schema 5 there was no salt. (One an interrupted migration wrote
  // was kept above: the migration rebuilds idx_matter with it.)
  matter_salt_.resize(kSaltBytes);
  if (RAND_bytes(reinterpret_cast<unsigned char*>(matter_salt_.data()),
                 static_cast<int>(kSaltBytes)) != 1) {
    return absl::InternalError("matter_salt: no random bytes");
  }
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(
      db_->Put(wo, handle(Cf::kMeta), MetaKey("matter_salt"), matter_salt_),
      "write matter_salt");
}

// --- Case numbers ----------------------------------------------------------

absl::StatusOr<std::string> CaseStore::AllocateCaseNumber(
    jianyan::v1::CaseKind kind, int year) {
  CaseNumber number{kind, year, options_.shard_id, 0};
  // Validates kind and year before anything is reserved.
  JY_RETURN_IF_ERROR(
      FormatCaseNumber({kind, year, options_.shard_id, 1}).status());
  JY_ASSIGN_OR_RETURN(
      uint64_t sequence,
      case_sequences_.Next(
          MetaKey(absl::StrCat("case_seq/", static_cast<int>(kind), "/", year,
                               "/", options_.shard_id)),
          absl::StrCat("case numbers of ", year, " on shard ",
                       options_.shard_id)));
  number.sequence = static_cast<uint32_t>(sequence);
  return FormatCaseNumber(number);
}

absl::StatusOr<uint64_t> CaseStore::ReadSequenceMark(const std::string& key) {
  std::string value;
  absl::Status s = GetValue(Cf::kMeta, key, &value);
  if (absl::IsNotFound(s)) return 0;
  JY_RETURN_IF_ERROR(s);
  uint64_t mark = 0;
  if (!absl::SimpleAtoi(value, &mark)) {
    return absl::DataLossError("case_seq: unreadable " + value);
  }
  return mark;
}

absl::Status CaseStore::WriteSequenceMark(const std::string& key,
                                          uint64_t mark) {
  // Synced always: a lost reservation could reuse numbers.
  rocksdb::WriteBatch batch;
  JY_RETURN_IF_ERROR(
      FromRocks(batch.Put(handle(Cf::kMeta), key, std::to_string(mark)),
                "reserve case numbers"));
  return WriteSynced(&batch, "reserve case numbers");
}

// --- Reads -----------------------------------------------------------------

absl::Status CaseStore::GetProto(Cf cf, const std::string& key,
                                 absl::string_view what,
                                 google::protobuf::MessageLite* out,
                                 const rocksdb::Snapshot* snapshot) {
  std::string value;
  absl::Status s = GetValue(cf, key, &value, snapshot);
  if (absl::IsNotFound(s)) return absl::NotFoundError(what);
  JY_RETURN_IF_ERROR(s);
  if (!out->ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat(what, ": unreadable record"));
  }
  return absl::OkStatus();
}

absl::StatusOr<jianyan::v1::StoredCase> CaseStore::GetCase(
    absl::string_view case_number) {
  jianyan::v1::StoredCase stored;
  JY_RETURN_IF_ERROR(GetProto(Cf::kCases, CaseKey(case_number),
                              absl::StrCat("case ", case_number), &stored));
  return stored;
}

absl::StatusOr<jianyan::v1::StoredCase> CaseStore::GetCaseOutline(
    absl::string_view case_number) {
  std::string value;
  absl::Status s = GetValue(Cf::kCases, CaseKey(case_number), &value);
  if (absl::IsNotFound(s)) {
    return absl::NotFoundError(absl::StrCat("case ", case_number));
  }
  JY_RETURN_IF_ERROR(s);
  jianyan::v1::StoredCase stored;
  if (!ParseCaseOutline(value, &stored)) {
    return absl::DataLossError(
        absl::StrCat("case ", case_number, ": unreadable record"));
  }
  return stored;
}

absl::StatusOr<CaseRead> CaseStore::ReadCaseForUpdate(
    absl::string_view case_number) {
  CaseRead read;
  // Before the read: a write that lands after it bumps the generation.
  read.generation = stripes_[StripeOf(case_number)].generation.load(
      std::memory_order_acquire);
  JY_ASSIGN_OR_RETURN(read.stored, GetCase(case_number));
  return read;
}

namespace {

// Parses an `events` entry of case `no` into `event` (only its step for
// EventDetail::kStep); DATA_LOSS when it does not parse.
absl::Status ParseEvent(const rocksdb::Slice& value, absl::string_view no,
                        jianyan::v1::Event* event,
                        EventDetail detail = EventDetail::kWhole) {
  const absl::string_view bytes(value.data(), value.size());
  const bool ok = detail == EventDetail::kStep ? ParseEventStep(bytes, event)
                                               : ParseStoredEvent(bytes, event);
  if (!ok) {
    return absl::DataLossError(absl::StrCat("case ", no, ": unreadable event"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<EventPage> CaseStore::GetEvents(absl::string_view case_number,
                                               const PageRequest& page) {
  std::string prefix = EventPrefix(case_number);
  BoundedIterator it(db_.get(), handle(Cf::kEvents), PrefixSuccessor(prefix));
  EventPage out;
  JY_ASSIGN_OR_RETURN(
      out.next_page_token,
      ReadPage(it, prefix, prefix, page, "events",
               [&](const rocksdb::Iterator& e) -> absl::Status {
                 JY_RETURN_IF_ERROR(ParseEvent(e.value(), case_number,
                                               &out.events.emplace_back()));
                 return absl::OkStatus();
               }));
  return out;
}

absl::StatusOr<std::vector<jianyan::v1::Event>> CaseStore::GetEventRange(
    absl::string_view case_number, uint64_t first_seq, uint64_t last_seq,
    EventDetail detail) {
  if (first_seq == 0 || first_seq > last_seq) {
    return absl::InvalidArgumentError(
        absl::StrCat("event range ", first_seq, "..", last_seq,
                     ": must be 1 <= first <= last"));
  }
  // Point reads of the known keys, a chunk per MultiGet (sorted keys of one
  // family): cheaper than an iterator over the memtables and levels. An
  // event is written once and never changes, so the chunks need no common
  // snapshot; no case has events without its snapshot, so the case itself
  // need not be read.
  constexpr uint64_t kChunk = 64;
  std::vector<jianyan::v1::Event> out;
  std::vector<std::string> keys;
  std::vector<rocksdb::Slice> slices;
  const size_t slots =
      static_cast<size_t>(std::min(last_seq - first_seq + 1, kChunk));
  std::vector<rocksdb::PinnableSlice> values(slots);
  std::vector<rocksdb::Status> statuses(slots);
  uint64_t next = first_seq;
  for (uint64_t left = last_seq - first_seq + 1; left > 0;) {
    const size_t n = static_cast<size_t>(std::min(left, kChunk));
    keys.clear();
    for (size_t i = 0; i < n; ++i) {
      keys.push_back(EventKey(case_number, next + i));
    }
    slices.assign(keys.begin(), keys.end());
    db_->MultiGet(rocksdb::ReadOptions(), handle(Cf::kEvents), n, slices.data(),
                  values.data(), statuses.data(),
                  /*sorted_input=*/true);
    for (size_t i = 0; i < n; ++i, ++next) {
      if (statuses[i].IsNotFound()) {
        return absl::NotFoundError(
            absl::StrCat("case ", case_number, ": event ", next));
      }
      JY_RETURN_IF_ERROR(FromRocks(statuses[i], "events"));
      jianyan::v1::Event& e = out.emplace_back();
      JY_RETURN_IF_ERROR(ParseEvent(values[i], case_number, &e, detail));
      values[i].Reset();
      if (e.seq() != next) {
        return absl::DataLossError(absl::StrCat(
            "case ", case_number, ": event ", next, " holds seq ", e.seq()));
      }
    }
    left -= n;
  }
  return out;
}

absl::Status CaseStore::ReadCases(const std::vector<std::string>& numbers,
                                  const rocksdb::Snapshot* snapshot,
                                  absl::string_view what,
                                  std::vector<jianyan::v1::Case>* out) {
  std::vector<std::string> keys;
  for (const std::string& no : numbers) keys.push_back(CaseKey(no));
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<std::string> values;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs(keys.size(),
                                                handle(Cf::kCases));
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::vector<rocksdb::Status> statuses =
      db_->MultiGet(ro, cfs, slices, &values);
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!statuses[i].ok()) {
      return absl::DataLossError(
          absl::StrCat(what, ": entry points at a missing case ", numbers[i],
                       ": ", statuses[i].ToString()));
    }
    jianyan::v1::StoredCase stored;
    if (!stored.ParseFromString(values[i])) {
      return absl::DataLossError("cases: unreadable record");
    }
    out->push_back(std::move(*stored.mutable_case_()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> CaseStore::MatterCases(
    absl::string_view id_number, absl::string_view category) {
  std::vector<std::string> out;
  if (id_number.empty() || category.empty()) return out;
  const std::string prefix =
      MatterIndexPrefix(MatterIdHash(matter_salt_, id_number), category);
  BoundedIterator it(db_.get(), handle(Cf::kIdxMatter),
                     PrefixSuccessor(prefix));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    out.push_back(it->value().ToString());
  }
  JY_RETURN_IF_ERROR(FromRocks(it->status(), CfName(Cf::kIdxMatter)));
  return out;
}

absl::StatusOr<std::vector<TimerEntry>> CaseStore::NextDueTimers(
    absl::Time now, size_t limit, const TimerEntry* from) {
  BoundedIterator it(db_.get(), handle(Cf::kTimers), TimerUpperBound(now));
  std::vector<TimerEntry> out;
  for (it->Seek(from != nullptr ? TimerKey(*from) : TimerPrefix());
       it->Valid() && out.size() < limit; it->Next()) {
    TimerEntry entry;
    if (!DecodeTimerKey(absl::string_view(it->key().data(), it->key().size()),
                        &entry)) {
      return absl::DataLossError("timers: malformed key " +
                                 it->key().ToString(true));
    }
    out.push_back(std::move(entry));
  }
  JY_RETURN_IF_ERROR(FromRocks(it->status(), "timers"));
  return out;
}

absl::StatusOr<std::vector<CounterValue>> CaseStore::ReadCounters(
    Period period, absl::CivilDay day, absl::string_view org,
    absl::string_view point) {
  if (org.empty() && !point.empty()) {
    return absl::InvalidArgumentError("reporting_point: needs an organisation");
  }
  std::string prefix =
      CounterPrefix(period, PeriodLabel(period, day), org, point);
  BoundedIterator it(db_.get(), handle(Cf::kCounters), PrefixSuccessor(prefix));
  std::vector<CounterValue> out;
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    CounterValue v;
    if (!DecodeCounterKey(absl::string_view(it->key().data(), it->key().size()),
                          &v.id) ||
        !DecodeFixed64LE(
            absl::string_view(it->value().data(), it->value().size()),
            &v.value)) {
      return absl::DataLossError("counters: malformed entry " +
                                 it->key().ToString(true));
    }
    out.push_back(std::move(v));
  }
  JY_RETURN_IF_ERROR(FromRocks(it->status(), "counters"));
  return out;
}

absl::StatusOr<jianyan::v1::IdempotencyRecord> CaseStore::LookupRequest(
    absl::string_view principal_id, absl::string_view request_id) {
  jianyan::v1::IdempotencyRecord record;
  JY_RETURN_IF_ERROR(GetProto(Cf::kIdempotency,
                              IdempotencyKey(principal_id, request_id),
                              absl::StrCat("request ", request_id), &record));
  if (FromProto(record.expire_time()) <= options_.clock->Now()) {
    return absl::NotFoundError(
        absl::StrCat("request ", request_id, " (expired)"));
  }
  return record;
}

absl::Status CaseStore::CompactAll() {
  JY_RETURN_IF_ERROR(
      FromRocks(db_->Flush(rocksdb::FlushOptions(), handles_), "flush"));
  rocksdb::CompactRangeOptions opts;
  opts.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    JY_RETURN_IF_ERROR(
        FromRocks(db_->CompactRange(opts, h, nullptr, nullptr), "compact"));
  }
  return absl::OkStatus();
}

absl::Status CaseStore::CompactIdempotency() {
  rocksdb::CompactRangeOptions opts;
  opts.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  JY_RETURN_IF_ERROR(
      FromRocks(db_->Flush(rocksdb::FlushOptions(), handle(Cf::kIdempotency)),
                "flush idempotency"));
  return FromRocks(
      db_->CompactRange(opts, handle(Cf::kIdempotency), nullptr, nullptr),
      "compact idempotency");
}

}  // namespace jianyan::storage
