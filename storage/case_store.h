// CaseStore: the RocksDB case store of one workflow-core shard. It keeps
// cases, their hash-chained event logs, listing indexes, durable timers,
// counters, idempotency records, directory data and workflow definitions in
// the column families of column_families.h (schema version kSchemaVersion).
//
// Every command is applied by Apply() as ONE atomic WriteBatch: snapshot,
// events, index and timer changes, counter merges and idempotency record.
// Apply runs on the caller's thread: it locks the stripes of the case and
// the request id (so concurrent commands on one case are serialised and the
// database itself is the newest state), stages the command into one
// WriteBatch and hands it to the GroupCommitter (group_commit.h), which
// joins concurrent callers' batches into one write with one WAL sync. A call
// returns only after its write: "acknowledged" means "on disk" in the
// default sync mode.
//
// Thread-safety: all methods are safe for concurrent use. Reads see a
// consistent snapshot per call.
#ifndef JIANYAN_STORAGE_CASE_STORE_H_
#define JIANYAN_STORAGE_CASE_STORE_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "jianyan/v1/case.pb.h"
#include "jianyan/v1/config.pb.h"
#include "jianyan/v1/directory.pb.h"
#include "jianyan/v1/records.pb.h"
#include "jianyan/v1/workflow_definition.pb.h"
#include "rocksdb/db.h"
#include "storage/case_query.h"
#include "storage/column_families.h"
#include "storage/counter_key.h"
#include "storage/group_commit.h"
#include "storage/record_keys.h"
#include "storage/timer_key.h"
#include "workflow/case_change.h"
#include "workflow/clock.h"

namespace jianyan::storage {

// 1: the first layout. 2: adds idx_deadline. 3: adds idx_list (the
// ListCases indexes). Each is migrated by rebuilding the new family.
inline constexpr int kSchemaVersion = 3;

struct CaseStoreOptions {
  // true: every acknowledged Apply is in an fsync'd WAL. false: for tests
  // and bulk loads only (a crash may lose the last acknowledged commands).
  bool sync = true;
  uint64_t block_cache_bytes = 64ull << 20;
  uint64_t write_buffer_bytes = 32ull << 20;
  absl::Duration idempotency_window = absl::Hours(72);
  int shard_id = 0;  // 0..9, embedded in case numbers
  // Case-number sequences reserved per synced meta write. A crash loses at
  // most this many numbers (gaps), never reuses one.
  uint32_t case_number_block = 100;
  // Commands (or ApplyAll calls) joined into one commit group at most.
  size_t max_commands_per_commit = 512;
  // Backpressure: at most this many commands are inside Apply/ApplyAll at
  // once (staging, waiting for a lock or for the WAL); more get
  // RESOURCE_EXHAUSTED at once.
  size_t max_queued_commands = 4096;
  // Index entries one ListCases page may examine; 0: ListBudget(page size)
  // (case_query.h). Tests set it small to force short pages.
  uint64_t list_budget = 0;
  const Clock* clock = &Clock::Real();
  rocksdb::Env* env = nullptr;  // null: default; tests inject faults here

  // From the server configuration (zero fields take the defaults above).
  static CaseStoreOptions FromConfig(const jianyan::v1::StoreConfig& config);
};

// The idempotency part of a command.
struct IdempotencyInput {
  std::string request_id;
  std::string request_hash;  // fingerprint of the request's content
  std::string response;      // serialized response, returned to retries
  std::string principal_id = {};  // INTERIM: scope of the request id
};

struct ApplyRequest {
  CaseChange change;
  // 0: create; the case must not exist. Otherwise the stored version.
  uint64_t expected_version = 0;
  std::string query_code_hash;  // kept on creation only
  std::optional<IdempotencyInput> idempotency;
};

struct ApplyResult {
  // True when the request id was seen before: nothing was written and
  // `response` is the original response.
  bool replayed = false;
  std::string response;
  std::string case_number;
  uint64_t version = 0;         // the case's version now (0 when replayed)
  std::string last_event_hash;  // chain head now (empty when replayed)
  uint64_t first_event_seq = 0;  // INTERIM: the command's events
  uint64_t last_event_seq = 0;
};

struct PageRequest {
  int page_size = 50;  // <= 0: 50; capped at 1000
  std::string page_token;
};

struct CasePage {
  std::vector<jianyan::v1::Case> cases;
  std::string next_page_token;  // empty on the last page
};

struct EventPage {
  std::vector<jianyan::v1::Event> events;
  std::string next_page_token;
};

struct CounterValue {
  CounterId id;
  uint64_t value = 0;
};

struct VerifyReport {
  uint64_t cases = 0;
  uint64_t events = 0;
  uint64_t index_entries = 0;
  uint64_t timer_entries = 0;
  uint64_t counters = 0;
  // One line per mismatch, naming the family, the case and what differs.
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

class CaseStore {
 public:
  // Opens or creates the store in `dir`. Returns FAILED_PRECONDITION when
  // the store's schema is newer than this build, and the RocksDB error
  // (mapped to a Status) otherwise. An older schema is migrated.
  static absl::StatusOr<std::unique_ptr<CaseStore>> Open(
      const CaseStoreOptions& options, const std::string& dir);

  CaseStore(const CaseStore&) = delete;
  CaseStore& operator=(const CaseStore&) = delete;
  // Waits for the calls in progress (new ones get UNAVAILABLE), flushes, closes
  // the column families, then the database.
  ~CaseStore();

  // --- Commands -----------------------------------------------------------

  // Applies one command atomically. Returns the result, or: ABORTED (stale
  // expected_version), ALREADY_EXISTS (create of an existing case, or a
  // request id reused with different content), NOT_FOUND (update of a
  // missing case), INVALID_ARGUMENT (inconsistent change: version, seqs,
  // case numbers), RESOURCE_EXHAUSTED (max_queued_commands are already
  // in progress: retry later), UNAVAILABLE (the store is closing), or the
  // write error. On any error nothing was written.
  absl::StatusOr<ApplyResult> Apply(ApplyRequest request);

  // INTERIM (replaced by the storage-core branch): runs Apply, then `done`.
  using ApplyCallback = std::function<void(absl::StatusOr<ApplyResult>)>;
  void ApplyAsync(ApplyRequest request, ApplyCallback done);
  // INTERIM: events [first_seq, last_seq] of a case.
  absl::StatusOr<std::vector<jianyan::v1::Event>> GetEventRange(
      absl::string_view case_number, uint64_t first_seq, uint64_t last_seq);
  // INTERIM: always OK.
  absl::Status WriteHealth() { return absl::OkStatus(); }
  void SetWriteHealthListener(std::function<void(const absl::Status&)>) {}

  // Commands inside Apply/ApplyAll now (for metrics and backpressure tests).
  size_t InflightCommands();
  // Applies several commands in one WriteBatch; each succeeds or fails on
  // its own, as if applied one after the other in order, except that a
  // failed write fails them all (nothing of the batch is written).
  std::vector<absl::StatusOr<ApplyResult>> ApplyAll(
      std::vector<ApplyRequest> requests);

  // The unexpired record of `request_id`, or NOT_FOUND.
  absl::StatusOr<jianyan::v1::IdempotencyRecord> LookupRequest(
      absl::string_view request_id);
  // Compacts the idempotency family now, dropping expired records.
  absl::Status CompactIdempotency();

  // Allocates a new case number of (kind, year) on this shard, formatted
  // with workflow/case_number.h. Never returns a number twice, across
  // restarts and crashes. RESOURCE_EXHAUSTED after 9999999 per year.
  absl::StatusOr<std::string> AllocateCaseNumber(jianyan::v1::CaseKind kind,
                                                 int year);

  // --- Reads (index-driven, cost independent of the number of cases) -----

  // NOT_FOUND when absent.
  absl::StatusOr<jianyan::v1::StoredCase> GetCase(
      absl::string_view case_number);
  // Events in seq order (prev_hash filled in).
  absl::StatusOr<EventPage> GetEvents(absl::string_view case_number,
                                      const PageRequest& page);
  // Oldest created first.
  absl::StatusOr<CasePage> ListByState(absl::string_view state,
                                       const PageRequest& page);
  // `state` empty: all states (ordered by state, then creation).
  absl::StatusOr<CasePage> ListByOrganisation(absl::string_view org,
                                              absl::string_view state,
                                              const PageRequest& page);
  // Cases of `point` created in [from, to), oldest first.
  absl::StatusOr<CasePage> ListByReportingPoint(absl::string_view point,
                                                absl::Time from, absl::Time to,
                                                const PageRequest& page);
  absl::StatusOr<CasePage> ListByCampaign(absl::string_view campaign,
                                          const PageRequest& page);
  // Open cases whose due_time is before `due_before`, soonest due first:
  // overdue = ListByDeadline(now); due soon = ListByDeadline(now + window).
  absl::StatusOr<CasePage> ListByDeadline(absl::Time due_before,
                                          const PageRequest& page);
  // The cases matching every filter of `query`, in its order (case_query.h).
  // A page examines at most ListBudget(page size) index entries: when the
  // filters the index cannot apply are very selective, a page may hold fewer
  // cases than asked for, even none, and still carry a next_page_token; only
  // an empty token ends the list (AIP-158). INVALID_ARGUMENT ("page_token:
  // ...") for a token that is garbled or was minted for a different query.
  absl::StatusOr<CasePage> ListCases(const CaseQuery& query,
                                     const PageRequest& page);
  // The same, reporting what the call did in `*stats` (when not null).
  absl::StatusOr<CasePage> ListCases(const CaseQuery& query,
                                     const PageRequest& page,
                                     ListCasesStats* stats);
  // Up to `limit` timers due at or before `now`, soonest first.
  absl::StatusOr<std::vector<TimerEntry>> NextDueTimers(absl::Time now,
                                                        size_t limit);
  // The counters of one period (day or month containing `day`), narrowed to
  // an organisation and a reporting point when they are set.
  absl::StatusOr<std::vector<CounterValue>> ReadCounters(
      Period period, absl::CivilDay day, absl::string_view org,
      absl::string_view point);

  // --- Directory, definitions, calendars ----------------------------------

  absl::Status PutOrganisation(const jianyan::v1::Organisation& org);
  absl::Status PutReportingPoint(const jianyan::v1::ReportingPoint& point);
  absl::Status PutSuggester(const jianyan::v1::Suggester& suggester);
  absl::Status PutCampaign(const jianyan::v1::Campaign& campaign);
  // Also indexes the principal by token_hash (replacing an old hash).
  absl::Status PutPrincipal(const jianyan::v1::Principal& principal);
  absl::Status PutCalendarYear(const jianyan::v1::CalendarYear& year);
  absl::StatusOr<jianyan::v1::Organisation> GetOrganisation(
      absl::string_view id);
  absl::StatusOr<jianyan::v1::ReportingPoint> GetReportingPoint(
      absl::string_view id);
  absl::StatusOr<jianyan::v1::Suggester> GetSuggester(absl::string_view id);
  absl::StatusOr<jianyan::v1::Campaign> GetCampaign(absl::string_view id);
  absl::StatusOr<jianyan::v1::Principal> GetPrincipal(absl::string_view id);
  absl::StatusOr<jianyan::v1::Principal> FindPrincipalByTokenHash(
      absl::string_view token_hash);
  absl::StatusOr<jianyan::v1::CalendarYear> GetCalendarYear(
      absl::string_view calendar, int year);
  // Serialized records of one kind in id order, paged.
  absl::StatusOr<std::vector<std::string>> ListDirectory(
      DirectoryKind kind, const PageRequest& page,
      std::string* next_page_token);

  // Keyed by (name, version); `version` must be set.
  absl::Status PutDefinition(const jianyan::v1::WorkflowDefinition& def);
  absl::StatusOr<jianyan::v1::WorkflowDefinition> GetDefinition(
      absl::string_view name, absl::string_view version);
  // Every stored version of `name` (all definitions when empty).
  absl::StatusOr<std::vector<jianyan::v1::WorkflowDefinition>> ListDefinitions(
      absl::string_view name);
  // The version of `name` that new cases pin (a synced meta record); NOT_FOUND
  // when none was set.
  absl::Status SetCurrentDefinition(absl::string_view name,
                                    absl::string_view version);
  absl::StatusOr<std::string> GetCurrentDefinition(absl::string_view name);

  // --- Operations ---------------------------------------------------------

  // Re-derives every index, timer and counter entry from cases and events,
  // checks every hash chain and event sequence. Returns the report (OK
  // status even when it lists problems); an error only if reading fails.
  absl::StatusOr<VerifyReport> Verify();

  // Adds a backup of the current state to `backup_dir` (RocksDB
  // BackupEngine, incremental); `progress` is called as files are copied.
  absl::Status Backup(const std::string& backup_dir,
                      std::function<void()> progress = nullptr);
  // Restores the latest backup of `backup_dir` into `target_dir`, which must
  // be empty or absent (FAILED_PRECONDITION otherwise).
  static absl::Status Restore(const std::string& backup_dir,
                              const std::string& target_dir);
  // A consistent openable copy (hard links where possible) in `dir`, which
  // must not exist.
  absl::Status Checkpoint(const std::string& dir);

  int schema_version() const { return schema_version_; }
  // For tests and tools: the raw database and a family's handle.
  rocksdb::DB* raw_db() { return db_.get(); }
  rocksdb::ColumnFamilyHandle* handle(Cf cf) {
    return handles_[static_cast<size_t>(cf)];
  }

 private:
  struct Overlay;
  // One lock of the striped set guarding cases and request ids; padded to
  // its own cache line. A std::mutex: Debian's abseil is built with its
  // deadlock detector on, which would record every pair of stripes an
  // ApplyAll holds in one process-wide graph.
  struct alignas(64) Stripe {
    std::mutex mu;
  };
  static constexpr size_t kStripes = 4096;
  static size_t StripeOf(absl::string_view key);
  // Ends `commands` admitted commands.
  void Release(size_t commands);

  CaseStore(const CaseStoreOptions& options, std::string dir);
  absl::Status OpenDb();
  absl::Status CheckSchema();
  // Migration to `version`: writes the derived entries of family `cf` of
  // every case, then the schema version (see case_store.cc).
  absl::Status RebuildDerivedFamily(Cf cf, int version);
  absl::StatusOr<std::optional<jianyan::v1::IdempotencyRecord>> FindRequest(
      const std::string& request_id, const Overlay* overlay);
  absl::StatusOr<std::optional<jianyan::v1::StoredCase>> FindCase(
      const std::string& no, const Overlay* overlay);
  // Stages one command into `batch`; `overlay` (null for a single command)
  // holds what earlier commands of the same call staged.
  absl::Status Stage(ApplyRequest& request, Overlay* overlay,
                     rocksdb::WriteBatch& batch, ApplyResult* result,
                     CounterSums* counters);
  absl::StatusOr<CasePage> ListIndex(Cf cf, const std::string& prefix,
                                     const std::string& start,
                                     const std::string& upper,
                                     const PageRequest& page);
  // Reads the cases named by `numbers` at `snapshot`, in order, into `out`;
  // a missing case is DATA_LOSS (an index entry of family `what` points at
  // it).
  absl::Status ReadCases(const std::vector<std::string>& numbers,
                         const rocksdb::Snapshot* snapshot,
                         absl::string_view what,
                         std::vector<jianyan::v1::Case>* out);
  absl::Status PutRecord(DirectoryKind kind, absl::string_view id,
                         const google::protobuf::Message& record);
  absl::Status GetRecord(DirectoryKind kind, absl::string_view id,
                         google::protobuf::Message* record);
  template <typename T>
  absl::StatusOr<T> GetAs(DirectoryKind kind, absl::string_view id);
  absl::Status GetValue(Cf cf, const std::string& key, std::string* value,
                        const rocksdb::Snapshot* snapshot = nullptr);
  // Reads and parses the record at `key`: NOT_FOUND (message `what`) when
  // absent, DATA_LOSS when it does not parse.
  absl::Status GetProto(Cf cf, const std::string& key, absl::string_view what,
                        google::protobuf::MessageLite* out,
                        const rocksdb::Snapshot* snapshot = nullptr);
  // Derived entries found intact, per family (Cf order).
  using EntryCounts = std::array<uint64_t, kNumCfs>;
  void VerifyCase(const jianyan::v1::StoredCase& stored,
                  const rocksdb::Snapshot* snapshot,
                  std::map<std::string, uint64_t>& counters,
                  EntryCounts& confirmed, VerifyReport& report);
  void VerifyNoStrayEntries(const rocksdb::Snapshot* snapshot,
                            const EntryCounts& confirmed, VerifyReport& report);
  void VerifyCounters(const rocksdb::Snapshot* snapshot,
                      std::map<std::string, uint64_t> expected,
                      VerifyReport& report);

  // Constant after Open.
  const CaseStoreOptions options_;
  const std::string dir_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // Cf order
  std::vector<rocksdb::ColumnFamilyHandle*> extra_handles_;
  int schema_version_ = 0;

  // Commands in progress, and whether the destructor has begun.
  std::atomic<size_t> inflight_{0};
  std::atomic<bool> stopping_{false};
  const std::unique_ptr<Stripe[]> stripes_;
  std::unique_ptr<GroupCommitter> committer_;  // set by Open

  // PutPrincipal's read-modify-write of a principal and its token index.
  absl::Mutex principal_mu_;

  // Case-number reservations: (kind, year) -> [next, limit].
  absl::Mutex alloc_mu_;
  std::map<std::pair<int, int>, std::pair<uint32_t, uint32_t>> reserved_
      ABSL_GUARDED_BY(alloc_mu_);
};

// RocksDB status -> absl::Status with the closest canonical code.
absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what);

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_CASE_STORE_H_
