// CaseStore: the RocksDB case store of one workflow-core shard. It keeps
// cases, their hash-chained event logs, listing indexes, durable timers,
// counters, idempotency records, directory data and workflow definitions in
// the column families of column_families.h (schema version kSchemaVersion).
//
// Every command is applied as ONE atomic WriteBatch: snapshot, events, index
// and timer changes, counter merges and idempotency record. Two entry points
// share one commit path:
//   - ApplyAsync() queues the command; one of the store's committer threads
//     takes every waiting command (up to max_commands_per_commit), stages
//     them into one WriteBatch, writes it with one WAL sync and then runs
//     the callbacks. gRPC handlers use this: they never block on the WAL.
//   - Apply()/ApplyAll() do the same on the caller's thread and return after
//     the write (for tools and tests).
// Staging locks the stripes of the case and the request id (so concurrent
// commands on one case are serialised and the database itself is the newest
// state); the batches of concurrent stagers meet in the GroupCommitter
// (group_commit.h), which joins them into one write with one WAL sync.
// "Acknowledged" (a call returned, a callback ran) means "on disk" in the
// default sync mode.
//
// Write errors: a write that fails with an I/O error (disk full, a failed
// WAL append or sync) puts the store in a "not writable" state: every
// command and directory write fails fast with UNAVAILABLE until RocksDB's
// DB::Resume() succeeds (a store thread retries with backoff; TryResume()
// tries at once), or, for errors RocksDB will not resume from, until the
// store is reopened. Reads keep working.
//
// Thread-safety: all methods are safe for concurrent use. Reads see a
// consistent snapshot per call.
#ifndef JIANYAN_STORAGE_CASE_STORE_H_
#define JIANYAN_STORAGE_CASE_STORE_H_

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
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
#include "storage/directory_cache.h"
#include "storage/group_commit.h"
#include "storage/record_keys.h"
#include "storage/sequence_blocks.h"
#include "storage/timer_key.h"
#include "workflow/case_change.h"
#include "workflow/clock.h"

namespace jianyan::storage {

// 1: the first layout. 2: adds idx_deadline. 3: adds idx_list (the
// ListCases indexes). 4: adds the notices family (the supervision notice
// log), warning timers (timer key version 2) and the escalation level and
// warn time in idx_list values. 5: adds idx_matter (petitions by identity
// number and category) and its salt (meta "matter_salt"). 6: retires the
// five families of the old ListBy* calls (idx_state, idx_org, idx_point,
// idx_campaign, idx_deadline: emptied, no longer written). Each is migrated
// by rebuilding (or, for 6, emptying) the families it changes.
inline constexpr int kSchemaVersion = 6;

struct CaseStoreOptions {
  // true: every acknowledged Apply is in an fsync'd WAL. false: for tests
  // and bulk loads only (a crash may lose the last acknowledged commands).
  bool sync = true;
  uint64_t block_cache_bytes = 64ull << 20;
  uint64_t write_buffer_bytes = 32ull << 20;
  absl::Duration idempotency_window = absl::Hours(72);
  int shard_id = 0;  // 0..9, embedded in case numbers
  // Case-number sequences reserved per synced meta write (the next block is
  // reserved when half of one is used: sequence_blocks.h). A crash loses at
  // most twice this many numbers (gaps), never reuses one.
  uint32_t case_number_block = 100;
  // Commands (or ApplyAll calls) joined into one commit group at most.
  size_t max_commands_per_commit = 512;
  // Backpressure: at most this many commands are admitted at once (inside
  // Apply/ApplyAll, or queued or applied by ApplyAsync until their result
  // is known); more get RESOURCE_EXHAUSTED at once.
  size_t max_queued_commands = 4096;
  // Index entries one ListCases page may examine; 0: ListBudget(page size)
  // (case_query.h). Tests set it small to force short pages.
  uint64_t list_budget = 0;
  // Threads that drain ApplyAsync's queue: two let one group stage while
  // the previous one syncs.
  int committer_threads = 2;
  // Not writable (see above): the first automatic DB::Resume() is tried
  // after resume_backoff, each further one after twice the wait, at most
  // resume_backoff_max.
  absl::Duration resume_backoff = absl::Seconds(1);
  absl::Duration resume_backoff_max = absl::Seconds(30);
  const Clock* clock = &Clock::Real();
  // What ApplyRequest::deadline is compared with: callers' deadlines are
  // real time even when `clock` is a testing clock.
  const Clock* deadline_clock = &Clock::Real();
  rocksdb::Env* env = nullptr;  // null: default; tests inject faults here

  // From the server configuration (zero fields take the defaults above).
  static CaseStoreOptions FromConfig(const jianyan::v1::StoreConfig& config);
};

// The idempotency part of a command. Records are keyed by (principal_id,
// request_id): two principals may use the same request id. A record stores
// the identity of the command's result (case, version, event seqs), never a
// response or personal data.
struct IdempotencyInput {
  std::string principal_id;  // who sent the request (may be empty)
  std::string request_id;    // client-chosen; must not be empty
  std::string request_hash;  // fingerprint of the request's content
};

// A case as read by CaseStore::ReadCaseForUpdate, to be handed back with the
// command that updates it (ApplyRequest::read).
struct CaseRead {
  jianyan::v1::StoredCase stored;
  // The write generation of the case's stripe, taken before the read.
  uint64_t generation = 0;
};

struct ApplyRequest {
  CaseChange change;
  // 0: create; the case must not exist. Otherwise the stored version.
  uint64_t expected_version = 0;
  std::string query_code_hash;  // kept on creation only
  std::optional<IdempotencyInput> idempotency;
  // The caller's deadline (e.g. the gRPC call's). A command whose deadline
  // has passed when it is admitted or when it is staged is not written:
  // DEADLINE_EXCEEDED. A staged batch (the commands one committer took
  // together) that waits for a commit group is left out only when every
  // command in it has expired: the group joins whole batches. A command
  // written after its deadline is durable; a retry with the same request
  // id returns its result.
  absl::Time deadline = absl::InfiniteFuture();
  // Optional: the case as the caller read it (ReadCaseForUpdate) to prepare
  // the change. Staging uses it instead of reading the case again when no
  // command has been written to a case of its stripe since that read; it
  // reads the case otherwise. Ignored for a case other than change's.
  std::optional<CaseRead> read;
};

struct ApplyResult {
  // True when (principal_id, request_id) was applied before with the same
  // request_hash: nothing was written; the fields below describe what the
  // original command produced (read its events with GetEventRange).
  bool replayed = false;
  std::string case_number;
  uint64_t version = 0;  // the version the command produced, also on replay
  uint64_t first_event_seq = 0;  // the command's events, also on replay
  uint64_t last_event_seq = 0;
  std::string last_event_hash;  // chain head after the command (empty on
                                // replay)
  // The command's events as written (prev_hash set), so that the caller
  // need not read them back; empty on replay.
  std::vector<jianyan::v1::Event> events;
  // The case as written, so that the caller need not copy it before the
  // call or read it back after; absent on replay.
  std::optional<jianyan::v1::Case> case_after;
};

// Receives the outcome of ApplyAsync; see there for the thread it runs on.
using ApplyCallback = std::function<void(absl::StatusOr<ApplyResult>)>;

struct PageRequest {
  int page_size = 50;  // <= 0: 50; capped at 1000
  std::string page_token;
};

struct CasePage {
  std::vector<jianyan::v1::Case> cases;
  std::string next_page_token;  // empty on the last page
};

// How much of each event GetEventRange reads.
enum class EventDetail {
  kWhole,
  kStep,  // the step only (record_views.h ParseEventStep)
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
  uint64_t notices = 0;  // notices in the log
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
  // New calls get UNAVAILABLE (ApplyAsync: its callback, inline). Commands
  // already queued by ApplyAsync are applied (or fail) and every callback
  // has run before this returns; blocking calls in progress finish. Then it
  // flushes, closes the column families, then the database. Must not be
  // called from an ApplyCallback or a write-health listener.
  ~CaseStore();

  // --- Commands -----------------------------------------------------------

  // Applies one command atomically. Returns the result, or: ABORTED (stale
  // expected_version), ALREADY_EXISTS (create of an existing case, or a
  // request id reused with different content), NOT_FOUND (update of a
  // missing case), INVALID_ARGUMENT (inconsistent change: version, seqs,
  // case numbers), RESOURCE_EXHAUSTED (max_queued_commands are already
  // in progress: retry later), DEADLINE_EXCEEDED (request.deadline passed
  // before the command was written), UNAVAILABLE (the store is closing, or not
  // writable: see WriteHealth), or another write error. On any error
  // nothing of the command was written. Blocks until the write is durable.
  absl::StatusOr<ApplyResult> Apply(ApplyRequest request);

  // Apply without blocking: `done` runs exactly once with what Apply would
  // have returned (same codes and semantics), after the commit group that
  // holds the command is durable, or it failed. It runs on a store-owned
  // committer thread, except for immediate rejections, which run it inline
  // on the caller's thread before ApplyAsync returns: RESOURCE_EXHAUSTED
  // (admission), UNAVAILABLE (closing, or not writable). Commands queued by
  // different callers are applied in queue order; one caller's commands in
  // the order of its calls. `done` must not block for long (it holds up
  // the other callbacks of its group) and must not destroy the store; it
  // may call ApplyAsync again. A deadline already passed is also answered
  // inline (DEADLINE_EXCEEDED).
  void ApplyAsync(ApplyRequest request, ApplyCallback done);

  // Commands admitted now: inside Apply/ApplyAll, or queued or being
  // applied by ApplyAsync until their result is known, just before their
  // callback runs (for metrics and backpressure tests).
  size_t InflightCommands();
  // Applies several commands in one WriteBatch; each succeeds or fails on
  // its own, as if applied one after the other in order, except that a
  // failed write fails them all (nothing of the batch is written). Returns
  // one result per request, in order; commands beyond the admission limit
  // get RESOURCE_EXHAUSTED.
  std::vector<absl::StatusOr<ApplyResult>> ApplyAll(
      std::vector<ApplyRequest> requests);

  // The unexpired record of (principal_id, request_id), or NOT_FOUND.
  absl::StatusOr<jianyan::v1::IdempotencyRecord> LookupRequest(
      absl::string_view principal_id, absl::string_view request_id);
  // Compacts the idempotency family now, dropping expired records.
  absl::Status CompactIdempotency();
  // Flushes and fully compacts every column family now (maintenance after a
  // bulk load or migration: reads then meet one sorted run per level
  // instead of a pile of level-0 files). Blocks until done.
  absl::Status CompactAll();

  // Allocates a new case number of (kind, year) on this shard, formatted
  // with workflow/case_number.h. Never returns a number twice, across
  // restarts and crashes. RESOURCE_EXHAUSTED after 9999999 per year.
  absl::StatusOr<std::string> AllocateCaseNumber(jianyan::v1::CaseKind kind,
                                                 int year);

  // --- Reads (index-driven, cost independent of the number of cases) -----

  // NOT_FOUND when absent.
  absl::StatusOr<jianyan::v1::StoredCase> GetCase(
      absl::string_view case_number);
  // GetCase without the submitter, the title, the content and the
  // attachments (record_views.h): for readers that show none of them, such
  // as the public status. Cheaper to parse, and no personal data parsed;
  // DATA_LOSS only for damage in the fields kept.
  absl::StatusOr<jianyan::v1::StoredCase> GetCaseOutline(
      absl::string_view case_number);
  // GetCase for a caller that prepares a command on the case: pass the
  // result on in ApplyRequest::read to spare the store a second read.
  absl::StatusOr<CaseRead> ReadCaseForUpdate(absl::string_view case_number);
  // Events in seq order (prev_hash filled in).
  absl::StatusOr<EventPage> GetEvents(absl::string_view case_number,
                                      const PageRequest& page);
  // Events first_seq..last_seq (inclusive) of the case, in seq order,
  // prev_hash filled in: e.g. the events of a replayed command. Returns
  // INVALID_ARGUMENT unless 1 <= first_seq <= last_seq, NOT_FOUND when the
  // case or one of the events is missing, DATA_LOSS for an unreadable
  // event or one stored under another seq, or the read error. With
  // EventDetail::kStep only each event's step is parsed (record_views.h:
  // number, seq, action and its label, time, states; no prev_hash), and only
  // damage in those is DATA_LOSS.
  absl::StatusOr<std::vector<jianyan::v1::Event>> GetEventRange(
      absl::string_view case_number, uint64_t first_seq, uint64_t last_seq,
      EventDetail detail = EventDetail::kWhole);
  // The cases matching every filter of `query`, in its order (case_query.h).
  // A page examines at most ListBudget(page size) index entries: when the
  // filters the index cannot apply are very selective, a page may hold fewer
  // cases than asked for, even none, and still carry a next_page_token; only
  // an empty token ends the list (AIP-158). INVALID_ARGUMENT ("page_token:
  // ...") for a token that is garbled or was minted for a different query,
  // and as ValidateQuery says (due bounds without the due-time order).
  absl::StatusOr<CasePage> ListCases(const CaseQuery& query,
                                     const PageRequest& page);
  // The same, reporting what the call did in `*stats` (when not null).
  absl::StatusOr<CasePage> ListCases(const CaseQuery& query,
                                     const PageRequest& page,
                                     ListCasesStats* stats);
  // The numbers of the petitions of `category` that name a representative
  // with identity number `id_number` (compared upper-cased), in case-number
  // order; empty when `id_number` or `category` is empty. Reads the index
  // only: the caller reads the cases (a person has few per category).
  absl::StatusOr<std::vector<std::string>> MatterCases(
      absl::string_view id_number, absl::string_view category);
  // Up to `limit` timers due at or before `now`, soonest first; with
  // `from`, only entries at or after it in that order (a caller that has
  // handled every earlier entry seeks past their deletions instead of
  // stepping over them).
  absl::StatusOr<std::vector<TimerEntry>> NextDueTimers(
      absl::Time now, size_t limit, const TimerEntry* from = nullptr);
  // The supervision notices with a cursor above `after_cursor`, ascending,
  // at most `limit`, and none above LastNoticeCursor() as it was when the
  // call began (a notice is read only once it is durable). DATA_LOSS for an
  // unreadable notice, or the read error.
  absl::StatusOr<std::vector<jianyan::v1::StoredNotice>> ReadNotices(
      uint64_t after_cursor, size_t limit);
  // The cursor of the newest durable notice; 0 when there is none. Cursors
  // are global, gap-free and increase in commit order: the first is 1.
  uint64_t LastNoticeCursor();
  // `listener` is called with the notices of each commit group once its
  // write is durable, before the group's Apply/ApplyAll calls return and
  // its ApplyAsync callbacks run, and before the next group is written:
  // calls are serialised and in cursor order, every notice is passed
  // exactly once. It runs on the committing thread and holds up every
  // commit: it must not block for long, and must not call the store's
  // write methods or SetNoticeListener. Replaces the previous listener
  // (waiting for a call in progress); null removes it.
  void SetNoticeListener(
      std::function<void(const std::vector<jianyan::v1::StoredNotice>&)>
          listener);
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
  // Also indexes the principal by token_hash (replacing its old hash).
  // Returns ALREADY_EXISTS "token_hash already belongs to another
  // principal" (nothing written) when token_hash is indexed to another id.
  absl::Status PutPrincipal(const jianyan::v1::Principal& principal);
  absl::Status PutCalendarYear(const jianyan::v1::CalendarYear& year);
  absl::Status PutCategory(const jianyan::v1::Category& category);
  absl::Status PutRegion(const jianyan::v1::Region& region);
  absl::StatusOr<jianyan::v1::Organisation> GetOrganisation(
      absl::string_view id);
  absl::StatusOr<jianyan::v1::ReportingPoint> GetReportingPoint(
      absl::string_view id);
  absl::StatusOr<jianyan::v1::Suggester> GetSuggester(absl::string_view id);
  absl::StatusOr<jianyan::v1::Campaign> GetCampaign(absl::string_view id);
  absl::StatusOr<jianyan::v1::Category> GetCategory(absl::string_view name);
  absl::StatusOr<jianyan::v1::Region> GetRegion(absl::string_view code);
  absl::StatusOr<jianyan::v1::Principal> GetPrincipal(absl::string_view id);
  absl::StatusOr<jianyan::v1::Principal> FindPrincipalByTokenHash(
      absl::string_view token_hash);
  absl::StatusOr<jianyan::v1::CalendarYear> GetCalendarYear(
      absl::string_view calendar, int year);
  // Serialized records of one kind in id order, paged.
  absl::StatusOr<std::vector<std::string>> ListDirectory(
      DirectoryKind kind, const PageRequest& page,
      std::string* next_page_token);

  // Keyed by (name, version); `version` must be set. With `make_current`
  // the same synced batch makes it the version new cases pin.
  absl::Status PutDefinition(const jianyan::v1::WorkflowDefinition& def,
                             bool make_current = false);
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
  // checks every hash chain and event sequence, and checks the notice log:
  // one notice per event with a supervision_notice (same case, seq and
  // kind), no other notices, cursors exactly 1..the newest. Returns the report
  // (OK status even when it lists problems); the read error if any read or
  // iterator fails (never a report of "missing" entries it could not read).
  absl::StatusOr<VerifyReport> Verify();

  // --- Write health -------------------------------------------------------

  // OK, or UNAVAILABLE "store is not writable: <rocksdb error>; retrying"
  // while a write error stands (see the top of this file). When RocksDB
  // refuses to resume (an error it rates fatal, e.g. a plain I/O error on
  // a WAL write), UNAVAILABLE "...; cannot resume, restart required" until
  // the store is reopened.
  absl::Status WriteHealth();
  // `listener` is called with the new WriteHealth() on every change (OK ->
  // UNAVAILABLE and back), from whichever thread made the change; calls are
  // serialised. It may call WriteHealth() but not SetWriteHealthListener.
  // Replaces the previous listener; null removes it.
  void SetWriteHealthListener(
      std::function<void(const absl::Status&)> listener);
  // Tries DB::Resume() now. Returns OK when the store is writable (already,
  // or again: the listener has then been called with OK before this
  // returns), or UNAVAILABLE with the resume error (the "restart
  // required" status when RocksDB will not resume).
  absl::Status TryResume();

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
  // `generation` counts the calls that held the lock: bumped after each
  // call's write (or after a call that wrote nothing), before the lock is
  // released (ReadCaseForUpdate takes it before its read, Stage compares it
  // under the lock).
  struct alignas(64) Stripe {
    std::mutex mu;
    std::atomic<uint64_t> generation{0};
  };
  static constexpr size_t kStripes = 4096;
  static size_t StripeOf(absl::string_view key);
  // Admits up to `n` commands: returns how many (0..n); `before` receives
  // the count found in progress.
  size_t Admit(size_t n, size_t* before);
  // Ends `commands` admitted commands.
  void Release(size_t commands);
  // ApplyAll's work on commands already admitted (not released here).
  // `queue_order` (may be null) is unlocked once the stripes are held.
  std::vector<absl::StatusOr<ApplyResult>> ApplyAdmitted(
      std::vector<ApplyRequest>& requests,
      std::unique_lock<std::mutex>* queue_order);
  // One ApplyAsync committer thread: drains the queue until it is closed
  // and empty.
  void CommitLoop();
  // The write-error handling: `s` failed a write. Returns what the callers
  // get (UNAVAILABLE "not writable" for an I/O error, else the error).
  absl::Status OnWriteError(const rocksdb::Status& s, absl::string_view what);
  // A synced write of `batch` outside the command path (directory,
  // definitions, case-number reservations), failing fast when not writable.
  absl::Status WriteSynced(rocksdb::WriteBatch* batch, absl::string_view what);
  // The durable high-water mark of a case-number series (meta `key`; 0 when
  // absent), and a synced write of a new one (SequenceBlocks' storage).
  absl::StatusOr<uint64_t> ReadSequenceMark(const std::string& key);
  absl::Status WriteSequenceMark(const std::string& key, uint64_t mark);
  // Sets the health to `status` and tells the listener if it changed
  // (OK <-> not writable, or `final`: not writable until restarted).
  void SetHealth(const absl::Status& status, bool final);
  // The thread retrying DB::Resume() while the store is not writable.
  void ResumeLoop();

  CaseStore(const CaseStoreOptions& options, std::string dir);
  absl::Status OpenDb();
  absl::Status CheckSchema();
  // Reads matter_salt_, or (a new store, or one migrating from below schema
  // 5) creates it with a synced write; DATA_LOSS when a store of schema 5
  // has none or an unreadable one.
  absl::Status LoadMatterSalt(int version);
  // Migration to `version`: clears the families `cfs`, writes their
  // derived entries of every case (the notices of every event for
  // Cf::kNotices), then the schema version (see case_store_migrate.cc).
  absl::Status RebuildDerivedFamilies(const std::vector<Cf>& cfs, int version);
  // Migration to schema 6: empties the kRetiredCfs (one range delete each,
  // in the batch that writes the version, synced), then compacts them so
  // that their files go.
  absl::Status ClearRetiredFamilies(int version);
  // Appends the notices the stored events of `c` raise (no cursors),
  // derived with `c` as the case after each event.
  absl::Status EventNotices(const jianyan::v1::Case& c,
                            std::vector<jianyan::v1::StoredNotice>* out);
  // The cursor after the newest notice in the log (1 when empty).
  absl::StatusOr<uint64_t> NextNoticeCursor();
  absl::StatusOr<std::optional<jianyan::v1::IdempotencyRecord>> FindRequest(
      const IdempotencyInput& in, const Overlay* overlay);
  // The newest snapshot of case `no`: staged earlier in this call (overlay),
  // else `req.read` when still current, else stored. Called with the case's
  // stripe locked.
  absl::StatusOr<std::optional<jianyan::v1::StoredCase>> FindCase(
      const std::string& no, ApplyRequest& req, const Overlay* overlay);
  // Stages one command into `batch`; `overlay` (null for a single command)
  // holds what earlier commands of the same call staged.
  absl::Status Stage(ApplyRequest& request, Overlay* overlay,
                     rocksdb::WriteBatch& batch, ApplyResult* result,
                     CounterSums* counters,
                     std::vector<jianyan::v1::StoredNotice>* notices);
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
  // (case number, event seq) -> the kind of notice the event raises.
  using ExpectedNotices =
      std::map<std::pair<std::string, uint64_t>, jianyan::v1::NoticeKind>;
  // Each returns the first read error (the report is then incomplete).
  absl::Status VerifyCase(const jianyan::v1::StoredCase& stored,
                          const rocksdb::Snapshot* snapshot,
                          std::map<std::string, uint64_t>& counters,
                          ExpectedNotices& notices, EntryCounts& confirmed,
                          VerifyReport& report);
  // `committed`: LastNoticeCursor() read before `snapshot` was taken.
  absl::Status VerifyNotices(const rocksdb::Snapshot* snapshot,
                             uint64_t committed, ExpectedNotices expected,
                             VerifyReport& report);
  absl::Status VerifyNoStrayEntries(const rocksdb::Snapshot* snapshot,
                                    const EntryCounts& confirmed,
                                    VerifyReport& report);
  absl::Status VerifyCounters(const rocksdb::Snapshot* snapshot,
                              std::map<std::string, uint64_t> expected,
                              VerifyReport& report);

  // Constant after Open.
  const CaseStoreOptions options_;
  const std::string dir_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // Cf order
  std::vector<rocksdb::ColumnFamilyHandle*> extra_handles_;
  int schema_version_ = 0;
  std::string matter_salt_;  // 32 random bytes: see MatterIdHash

  // Commands admitted, and whether the destructor has begun. Release
  // notifies inflight_cv_ (under inflight_mu_) when the count reaches 0.
  std::atomic<size_t> inflight_{0};
  std::atomic<bool> stopping_{false};
  std::mutex inflight_mu_;
  std::condition_variable inflight_cv_;
  const std::unique_ptr<Stripe[]> stripes_;
  std::unique_ptr<GroupCommitter> committer_;  // set by Open

  // ApplyAsync's queue, drained by committers_ (started by Open).
  struct Pending {
    ApplyRequest request;
    ApplyCallback done;
  };
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Pending> queue_;  // guarded by queue_mu_
  bool queue_closed_ = false;  // guarded by queue_mu_
  std::vector<std::thread> committers_;
  // Held by a committer from taking a group until its stripes are locked.
  std::mutex stage_order_mu_;

  // Write health. Lock order: listener_mu_, then health_mu_.
  std::mutex listener_mu_;  // serialises SetHealth and listener calls
  std::function<void(const absl::Status&)> listener_;  // guarded by above
  std::mutex health_mu_;
  std::condition_variable health_cv_;  // wakes resumer_
  absl::Status health_;                // guarded by health_mu_
  bool restart_required_ = false;      // guarded by health_mu_: final
  bool resumer_stop_ = false;          // guarded by health_mu_
  std::mutex resume_mu_;               // serialises TryResume
  std::thread resumer_;

  // PutPrincipal's read-modify-write of a principal and its token index.
  absl::Mutex principal_mu_;
  // Directory records read (GetRecord), invalidated by their puts.
  DirectoryCache directory_cache_;

  // Case-number sequences, one series per meta key "case_seq/...".
  SequenceBlocks case_sequences_;
};

// RocksDB status -> absl::Status with the closest canonical code.
absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what);

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_CASE_STORE_H_
