// CaseStore::Apply: admission, stripe locks, the staging of commands into
// one WriteBatch, and the write.
#include <algorithm>
#include <iterator>
#include <map>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "storage/case_keys.h"
#include "storage/case_store.h"
#include "storage/commit_stats.h"
#include "storage/index_entries.h"
#include "storage/key_coding.h"
#include "storage/notice_entries.h"
#include "storage/open_cases.h"
#include "storage/record_keys.h"
#include "workflow/case_number.h"
#include "workflow/deterministic_bytes.h"
#include "workflow/sha256.h"
#include "workflow/status_macros.h"
#include "workflow/time_util.h"

namespace jianyan::storage {

// What the commands of one ApplyAll call staged before the current one, so
// that a later command of the call sees it: case snapshots and request ids.
// (Across calls the stripe locks make the DB itself the newest state.)
struct CaseStore::Overlay {
  // A case as an earlier command of the call left it. The snapshot is that
  // command's ApplyResult::case_after, which stays where it is until the
  // call returns: nothing is copied unless a later command reads it.
  struct StagedCase {
    const jianyan::v1::Case* snapshot;
    std::string query_code_hash;
    std::string last_event_hash;
  };
  absl::flat_hash_map<std::string, StagedCase> cases;
  absl::flat_hash_map<std::string, jianyan::v1::IdempotencyRecord> requests;
};

namespace {

jianyan::v1::CounterRecord ToRecord(const CounterDelta& d) {
  jianyan::v1::CounterRecord r;
  r.set_metric(d.metric);
  *r.mutable_time() = ToProto(d.time);
  r.set_organisation_id(d.organisation_id);
  r.set_reporting_point_id(d.reporting_point_id);
  r.set_kind(d.kind);
  r.set_delta(d.delta);
  return r;
}

// Checks the change against the stored case (or its absence).
absl::Status CheckChange(const ApplyRequest& req,
                         const jianyan::v1::StoredCase* old) {
  const jianyan::v1::Case& after = req.change.case_after;
  const std::string& no = after.case_number();
  if (no.empty()) return absl::InvalidArgumentError("case_number: empty");
  if (req.expected_version == 0 && old != nullptr) {
    return absl::AlreadyExistsError(absl::StrCat("case ", no, " exists"));
  }
  if (req.expected_version != 0 && old == nullptr) {
    return absl::NotFoundError(absl::StrCat("case ", no));
  }
  if (old != nullptr && old->case_().version() != req.expected_version) {
    return absl::AbortedError(
        absl::StrCat("case ", no, ": expected version ", req.expected_version,
                     " but it is at ", old->case_().version()));
  }
  if (after.version() != req.expected_version + 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("case_after.version: must be ", req.expected_version + 1));
  }
  if (req.change.events.empty()) {
    return absl::InvalidArgumentError("events: a command records an event");
  }
  uint64_t seq = old != nullptr ? old->case_().last_event_seq() : 0;
  for (const auto& e : req.change.events) {
    if (e.case_number() != no) {
      return absl::InvalidArgumentError("events: case_number differs");
    }
    if (e.seq() != ++seq) {
      return absl::InvalidArgumentError(
          absl::StrCat("events: seq ", e.seq(), " where ", seq, " is next"));
    }
  }
  if (after.last_event_seq() != seq) {
    return absl::InvalidArgumentError(
        absl::StrCat("case_after.last_event_seq: must be ", seq));
  }
  return absl::OkStatus();
}

}  // namespace

// Construction and destruction live here, where the overlay's type is
// complete.
CaseStore::CaseStore(const CaseStoreOptions& options, std::string dir)
    : options_(options),
      dir_(std::move(dir)),
      stripes_(new Stripe[kStripes]),
      case_sequences_(
          options.case_number_block, kMaxSequence,
          [this](const std::string& key) { return ReadSequenceMark(key); },
          [this](const std::string& key, uint64_t mark) {
            return WriteSequenceMark(key, mark);
          }) {}

CaseStore::~CaseStore() {
  // New calls are refused with UNAVAILABLE; queued ApplyAsync commands are
  // applied and their callbacks run by the committers, which leave when the
  // queue is closed and empty; blocking calls in progress finish.
  stopping_ = true;
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    queue_closed_ = true;
  }
  queue_cv_.notify_all();
  for (std::thread& t : committers_) t.join();
  {
    std::lock_guard<std::mutex> lock(health_mu_);
    resumer_stop_ = true;
  }
  health_cv_.notify_all();
  if (resumer_.joinable()) resumer_.join();
  {
    // Release notifies while holding inflight_mu_, so once this wait has
    // returned no caller touches the store any more.
    std::unique_lock<std::mutex> lock(inflight_mu_);
    inflight_cv_.wait(lock, [this] { return inflight_.load() == 0; });
  }
  if (db_ != nullptr) {
    // A clean close leaves nothing to replay: reopening is fast.
    rocksdb::FlushOptions flush;
    db_->Flush(flush, handles_).PermitUncheckedError();
    for (auto* h : handles_)
      db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    for (auto* h : extra_handles_) {
      db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    }
    db_->Close().PermitUncheckedError();
    db_.reset();
  }
}

size_t CaseStore::InflightCommands() { return inflight_.load(); }

size_t CaseStore::Admit(size_t n, size_t* before) {
  const size_t limit = options_.max_queued_commands;
  *before = inflight_.load();
  size_t admitted = 0;
  do {
    admitted = *before >= limit ? 0 : std::min(n, limit - *before);
  } while (!inflight_.compare_exchange_weak(*before, *before + admitted));
  GlobalCommitStats().inflight.fetch_add(static_cast<int64_t>(admitted),
                                         std::memory_order_relaxed);
  return admitted;
}

void CaseStore::Release(size_t commands) {
  if (commands == 0) return;
  GlobalCommitStats().inflight.fetch_sub(static_cast<int64_t>(commands),
                                         std::memory_order_relaxed);
  if (inflight_.fetch_sub(commands) == commands) {
    std::lock_guard<std::mutex> lock(inflight_mu_);
    inflight_cv_.notify_all();
  }
}

size_t CaseStore::StripeOf(absl::string_view key) {
  return absl::Hash<absl::string_view>{}(key) % kStripes;
}

namespace {

absl::Status Overloaded(size_t before, size_t limit) {
  return absl::ResourceExhaustedError(
      absl::StrCat("store: ", before, " commands in progress (limit ", limit,
                   "); retry later"));
}

absl::Status Closing() { return absl::UnavailableError("store is closing"); }

}  // namespace

absl::StatusOr<ApplyResult> CaseStore::Apply(ApplyRequest request) {
  std::vector<ApplyRequest> one;
  one.push_back(std::move(request));
  return std::move(ApplyAll(std::move(one))[0]);
}

std::vector<absl::StatusOr<ApplyResult>> CaseStore::ApplyAll(
    std::vector<ApplyRequest> requests) {
  // Admission: at most max_queued_commands commands inside the store.
  size_t before = 0;
  const size_t admitted = Admit(requests.size(), &before);
  if (stopping_.load()) {
    Release(admitted);
    return std::vector<absl::StatusOr<ApplyResult>>(requests.size(), Closing());
  }
  std::vector<ApplyRequest> mine(
      std::make_move_iterator(requests.begin()),
      std::make_move_iterator(requests.begin() + admitted));
  std::vector<absl::StatusOr<ApplyResult>> out = ApplyAdmitted(mine, nullptr);
  Release(admitted);
  out.resize(requests.size(), Overloaded(before, options_.max_queued_commands));
  return out;
}

void CaseStore::ApplyAsync(ApplyRequest request, ApplyCallback done) {
  if (request.deadline <= options_.deadline_clock->Now()) {
    done(DeadlinePassedError());
    return;
  }
  size_t before = 0;
  if (Admit(1, &before) == 0) {
    done(Overloaded(before, options_.max_queued_commands));
    return;
  }
  absl::Status health = WriteHealth();
  if (!health.ok()) {
    Release(1);
    done(health);
    return;
  }
  {
    std::unique_lock<std::mutex> lock(queue_mu_);
    if (!queue_closed_) {
      queue_.push_back(Pending{std::move(request), std::move(done)});
      lock.unlock();
      queue_cv_.notify_one();
      return;
    }
  }
  Release(1);
  done(Closing());
}

void CaseStore::CommitLoop() {
  for (;;) {
    // Committers take groups and lock their stripes in queue order, so a
    // command never overtakes one queued before it on the same case or
    // request id.
    std::unique_lock<std::mutex> order(stage_order_mu_);
    std::vector<Pending> taken;
    {
      std::unique_lock<std::mutex> lock(queue_mu_);
      queue_cv_.wait(lock, [this] { return !queue_.empty() || queue_closed_; });
      if (queue_.empty()) return;  // closed and drained
      const size_t n = std::min(
          queue_.size(), std::max<size_t>(options_.max_commands_per_commit, 1));
      for (size_t i = 0; i < n; ++i) {
        taken.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<ApplyRequest> requests;
    requests.reserve(taken.size());
    for (Pending& p : taken) requests.push_back(std::move(p.request));
    std::vector<absl::StatusOr<ApplyResult>> results =
        ApplyAdmitted(requests, &order);
    if (order.owns_lock()) order.unlock();
    // Released before the callbacks run: a callback may submit again.
    Release(taken.size());
    for (size_t i = 0; i < taken.size(); ++i) {
      taken[i].done(std::move(results[i]));
    }
  }
}

std::vector<absl::StatusOr<ApplyResult>> CaseStore::ApplyAdmitted(
    std::vector<ApplyRequest>& requests,
    std::unique_lock<std::mutex>* queue_order) {
  const size_t admitted = requests.size();
  // 1. A store that is not writable fails every command fast.
  if (admitted == 0) return {};
  absl::Status health = WriteHealth();
  if (!health.ok()) {
    return std::vector<absl::StatusOr<ApplyResult>>(admitted, health);
  }
  std::vector<absl::StatusOr<ApplyResult>> out(
      admitted, absl::UnknownError("not applied"));
  // 2. The stripes of every case and request id touched, locked in
  // ascending order (no deadlock between calls) until the batch is written:
  // no other command reads or writes these cases or request ids meanwhile.
  std::vector<size_t> stripes;
  stripes.reserve(admitted * 2);
  for (size_t i = 0; i < admitted; ++i) {
    stripes.push_back(StripeOf(requests[i].change.case_after.case_number()));
    if (requests[i].idempotency.has_value()) {
      const IdempotencyInput& in = *requests[i].idempotency;
      stripes.push_back(
          StripeOf(IdempotencyKey(in.principal_id, in.request_id)));
    }
  }
  std::sort(stripes.begin(), stripes.end());
  stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
  for (size_t s : stripes) stripes_[s].mu.lock();
  if (queue_order != nullptr) queue_order->unlock();
  // Where the batch goes in its commit group (staging moves the case out).
  const std::string order = requests[0].change.case_after.case_number();
  // The command names for the metrics (staging moves the events out).
  std::vector<std::string> actions(admitted);
  for (size_t i = 0; i < admitted; ++i) {
    const auto& events = requests[i].change.events;
    if (!events.empty()) actions[i] = events.front().action();
  }
  // 3. Each command staged under a save point: all of it or none of it.
  rocksdb::WriteBatch batch;
  // Only a call of several commands needs to see its own earlier commands.
  Overlay overlay;
  Overlay* seen = admitted > 1 ? &overlay : nullptr;
  CounterSums counters;
  // Supervision notices, in command order: the committer gives them cursors.
  std::vector<jianyan::v1::StoredNotice> notices;
  // A command whose caller gave up is not staged; the batch may wait for
  // its group until the latest deadline of the commands in it.
  const absl::Time now = options_.deadline_clock->Now();
  absl::Time batch_deadline = absl::InfinitePast();
  for (size_t i = 0; i < admitted; ++i) {
    if (requests[i].deadline <= now) {
      out[i] = DeadlinePassedError();
      continue;
    }
    batch.SetSavePoint();
    // Staged in place: the overlay points into the result (`out` is never
    // resized while the overlay lives).
    out[i] = ApplyResult();
    CounterSums sums;
    std::vector<jianyan::v1::StoredNotice> raised;
    absl::Status s = Stage(requests[i], seen, batch, &*out[i], &sums, &raised);
    if (s.ok()) {
      batch.PopSavePoint().PermitUncheckedError();
      batch_deadline = std::max(batch_deadline, requests[i].deadline);
      for (auto& [key, delta] : sums) counters[key] += delta;
      for (auto& n : raised) notices.push_back(std::move(n));
    } else {
      batch.RollbackToSavePoint().PermitUncheckedError();
      out[i] = s;
    }
  }
  // 4. One atomic write, in a commit group with concurrent callers.
  if (batch.Count() > 0 || !counters.empty()) {
    absl::Status w =
        committer_->Commit(batch, counters, order, &notices, batch_deadline);
    if (!w.ok()) {
      // Nothing of the batch is written; a replay may have been answered
      // from a command of this batch: every command of the call fails.
      for (size_t i = 0; i < admitted; ++i) {
        if (out[i].ok()) out[i] = w;
      }
    }
  }
  for (auto it = stripes.rbegin(); it != stripes.rend(); ++it) {
    // After the write, before the unlock: see Stripe.
    stripes_[*it].generation.fetch_add(1, std::memory_order_release);
    stripes_[*it].mu.unlock();
  }
  std::vector<std::string> applied;
  for (size_t i = 0; i < admitted; ++i) {
    if (out[i].ok() && !out[i]->replayed) applied.push_back(actions[i]);
  }
  GlobalCommitStats().CountCommands(applied);
  return out;
}

// The newest record of (principal_id, request_id): staged earlier in this
// call, or stored and unexpired; nullopt when there is none.
absl::StatusOr<std::optional<jianyan::v1::IdempotencyRecord>>
CaseStore::FindRequest(const IdempotencyInput& in, const Overlay* overlay) {
  if (overlay != nullptr) {
    auto it =
        overlay->requests.find(IdempotencyKey(in.principal_id, in.request_id));
    if (it != overlay->requests.end()) return it->second;
  }
  absl::StatusOr<jianyan::v1::IdempotencyRecord> r =
      LookupRequest(in.principal_id, in.request_id);
  if (r.ok()) return *std::move(r);
  if (absl::IsNotFound(r.status())) return std::nullopt;
  return r.status();
}

// Nullopt when there is no case `no`.
absl::StatusOr<std::optional<jianyan::v1::StoredCase>> CaseStore::FindCase(
    const std::string& no, ApplyRequest& req, const Overlay* overlay) {
  if (overlay != nullptr) {
    auto it = overlay->cases.find(no);
    if (it != overlay->cases.end()) {
      jianyan::v1::StoredCase staged;
      *staged.mutable_case_() = *it->second.snapshot;
      staged.set_query_code_hash(it->second.query_code_hash);
      staged.set_last_event_hash(it->second.last_event_hash);
      return staged;
    }
  }
  // The caller's read is current unless a batch was written under this
  // stripe since: every write of a case bumps it while holding the lock.
  if (req.read.has_value() && req.read->stored.case_().case_number() == no &&
      stripes_[StripeOf(no)].generation.load(std::memory_order_acquire) ==
          req.read->generation) {
    std::optional<jianyan::v1::StoredCase> read = std::move(req.read->stored);
    req.read.reset();
    return read;
  }
  absl::StatusOr<jianyan::v1::StoredCase> r = GetCase(no);
  if (r.ok()) return *std::move(r);
  if (absl::IsNotFound(r.status())) return std::nullopt;
  return r.status();
}

absl::Status CaseStore::Stage(ApplyRequest& req, Overlay* overlay,
                              rocksdb::WriteBatch& batch, ApplyResult* result,
                              CounterSums* counters,
                              std::vector<jianyan::v1::StoredNotice>* notices) {
  const std::string no = req.change.case_after.case_number();
  // 1. A retry of a request already applied (in the store or this call)?
  if (req.idempotency.has_value()) {
    const IdempotencyInput& in = *req.idempotency;
    if (in.request_id.empty()) {
      return absl::InvalidArgumentError("request_id: empty");
    }
    JY_ASSIGN_OR_RETURN(std::optional<jianyan::v1::IdempotencyRecord> seen,
                        FindRequest(in, overlay));
    if (seen.has_value()) {
      if (seen->request_hash() != in.request_hash) {
        return absl::AlreadyExistsError(
            absl::StrCat("request_id ", in.request_id,
                         " was already used for a different request"));
      }
      result->replayed = true;
      result->case_number = seen->case_number();
      result->version = seen->version();
      result->first_event_seq = seen->first_event_seq();
      result->last_event_seq = seen->last_event_seq();
      return absl::OkStatus();
    }
  }
  // 2. Optimistic concurrency against the newest snapshot.
  JY_ASSIGN_OR_RETURN(std::optional<jianyan::v1::StoredCase> old,
                      FindCase(no, req, overlay));
  JY_RETURN_IF_ERROR(CheckChange(req, old ? &*old : nullptr));
  // 3. Events, chained to the previous head.
  const uint64_t first_seq = req.change.events.front().seq();
  const uint64_t last_seq = req.change.events.back().seq();
  std::string head = old ? old->last_event_hash() : std::string();
  for (size_t i = 0; i < req.change.events.size(); ++i) {
    jianyan::v1::Event& e = req.change.events[i];
    e.set_prev_hash(head);
    jianyan::v1::StoredEvent stored;
    stored.set_event(DeterministicBytes(e));
    head = Sha256Digest(stored.event());
    if (i + 1 == req.change.events.size()) {
      for (const CounterDelta& d : req.change.counters) {
        *stored.add_counters() = ToRecord(d);
      }
    }
    JY_RETURN_IF_ERROR(
        FromRocks(batch.Put(handle(Cf::kEvents), EventKey(no, e.seq()),
                            stored.SerializeAsString()),
                  "stage event"));
  }
  // 4. Index and timer entries: old minus new out, new minus old in.
  std::vector<IndexEntry> before =
      old ? DeriveIndexEntries(old->case_(), matter_salt_)
          : std::vector<IndexEntry>();
  std::vector<IndexEntry> after =
      DeriveIndexEntries(req.change.case_after, matter_salt_);
  // Both lists are sorted: one merge pass finds what left and what came.
  std::vector<IndexEntry> gone, came;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::back_inserter(gone));
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(came));
  // A key that stays with another value (an idx_list entry whose case
  // changed state, say) is only put again: the put replaces it, and a
  // delete before it would be one more memtable entry for nothing.
  auto came_next = came.begin();
  for (const IndexEntry& e : gone) {
    while (came_next != came.end() &&
           std::tie(came_next->cf, came_next->key) < std::tie(e.cf, e.key)) {
      ++came_next;
    }
    if (came_next != came.end() && came_next->cf == e.cf &&
        came_next->key == e.key) {
      continue;
    }
    JY_RETURN_IF_ERROR(
        FromRocks(batch.Delete(handle(e.cf), e.key), "stage index"));
  }
  for (const IndexEntry& e : came) {
    JY_RETURN_IF_ERROR(
        FromRocks(batch.Put(handle(e.cf), e.key, e.value), "stage index"));
  }
  // 5. Counters: day and month buckets, summed into the call's merges; the
  // supervision notices the events raise (written by the committer).
  for (const jianyan::v1::Event& e : req.change.events) {
    std::optional<jianyan::v1::StoredNotice> n =
        NoticeOf(req.change.case_after, e);
    if (n.has_value()) notices->push_back(*std::move(n));
  }
  for (const CounterDelta& d : req.change.counters) {
    for (const CounterId& id : CounterIdsFor(ToRecord(d))) {
      (*counters)[CounterKey(id)] += d.delta;
    }
  }
  AddOpenCaseDeltas(old ? &old->case_() : nullptr, req.change.case_after,
                    counters);
  // 6. The snapshot.
  jianyan::v1::StoredCase stored;
  *stored.mutable_case_() = std::move(req.change.case_after);
  stored.set_query_code_hash(old ? old->query_code_hash()
                                 : req.query_code_hash);
  stored.set_last_event_hash(head);
  JY_RETURN_IF_ERROR(FromRocks(
      batch.Put(handle(Cf::kCases), CaseKey(no), stored.SerializeAsString()),
      "stage case"));
  // 7. The idempotency record.
  if (req.idempotency.has_value()) {
    const IdempotencyInput& in = *req.idempotency;
    jianyan::v1::IdempotencyRecord record;
    record.set_principal_id(in.principal_id);
    record.set_request_id(in.request_id);
    record.set_request_hash(in.request_hash);
    *record.mutable_expire_time() =
        ToProto(options_.clock->Now() + options_.idempotency_window);
    record.set_case_number(no);
    record.set_version(stored.case_().version());
    record.set_first_event_seq(first_seq);
    record.set_last_event_seq(last_seq);
    std::string key = IdempotencyKey(in.principal_id, in.request_id);
    JY_RETURN_IF_ERROR(FromRocks(
        batch.Put(handle(Cf::kIdempotency), key, record.SerializeAsString()),
        "stage idempotency"));
    if (overlay != nullptr) overlay->requests[key] = std::move(record);
  }
  result->case_number = no;
  result->version = stored.case_().version();
  result->first_event_seq = first_seq;
  result->last_event_seq = last_seq;
  result->last_event_hash = head;
  result->events = std::move(req.change.events);
  result->case_after = std::move(*stored.mutable_case_());
  if (overlay != nullptr) {
    overlay->cases[no] = {&*result->case_after, stored.query_code_hash(),
                          stored.last_event_hash()};
  }
  return absl::OkStatus();
}

}  // namespace jianyan::storage
