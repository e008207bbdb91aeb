// CaseStore::Apply: the committer thread, commit groups, and the staging of
// one command into the group's WriteBatch.
#include <pthread.h>

#include <algorithm>
#include <iterator>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "storage/case_keys.h"
#include "storage/case_store.h"
#include "storage/index_entries.h"
#include "storage/key_coding.h"
#include "workflow/sha256.h"
#include "workflow/status_macros.h"
#include "workflow/time_util.h"

namespace jianyan::storage {

// One queued command. Its caller waits on `done` alone, so completing a
// group wakes exactly its callers (no condition scan over every waiter);
// `result` is written before `done` is notified and the caller may free the
// Pending right after.
struct CaseStore::Pending {
  ApplyRequest* request = nullptr;
  absl::StatusOr<ApplyResult> result = absl::UnknownError("not applied");
  absl::Notification done;
};

// What staged commands changed that may not be durable yet, so that later
// commands see it: case snapshots and request ids, each with the generation
// of the batch that staged it (dropped once that batch is written).
struct CaseStore::GroupState {
  template <typename T>
  struct Entry {
    T value;
    uint64_t gen;
  };
  absl::flat_hash_map<std::string, Entry<jianyan::v1::StoredCase>> cases;
  absl::flat_hash_map<std::string, Entry<jianyan::v1::IdempotencyRecord>>
      requests;

  // Drops what batches up to generation `durable` wrote: the DB has it.
  void Prune(uint64_t durable) {
    PruneMap(cases, durable);
    PruneMap(requests, durable);
  }
  template <typename M>
  static void PruneMap(M& m, uint64_t durable) {
    for (auto it = m.begin(); it != m.end();) {
      if (it->second.gen <= durable) {
        m.erase(it++);
      } else {
        ++it;
      }
    }
  }
};

// The batch being filled by the stager, and its commands.
// The batch being filled by the stager, and its commands. Counter
// increments of the staged commands are summed per counter key and merged
// into the batch once, when the writer takes it: the whole group batch is
// atomic, so each command's increments still land exactly when it does.
struct CaseStore::Staged {
  rocksdb::WriteBatch batch;
  std::vector<Pending*> pending;
  uint64_t gen = 0;
  absl::flat_hash_map<std::string, uint64_t> counters;
};

namespace {

std::string DeterministicBytes(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  m.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

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

// Construction and destruction live here, where the pipeline's types are
// complete.
CaseStore::CaseStore(const CaseStoreOptions& options, std::string dir)
    : options_(options), dir_(std::move(dir)) {}

CaseStore::~CaseStore() {
  if (stager_.joinable()) {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    stager_.join();  // stages what is queued, then tells the writer
    writer_.join();  // writes what is staged, then ends
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

absl::StatusOr<ApplyResult> CaseStore::Apply(ApplyRequest request) {
  std::vector<ApplyRequest> one;
  one.push_back(std::move(request));
  return std::move(ApplyAll(std::move(one))[0]);
}

std::vector<absl::StatusOr<ApplyResult>> CaseStore::ApplyAll(
    std::vector<ApplyRequest> requests) {
  std::vector<Pending> pending(requests.size());
  {
    absl::MutexLock lock(&mu_);
    for (size_t i = 0; i < requests.size(); ++i) {
      pending[i].request = &requests[i];
      if (stopping_) {
        pending[i].result = absl::UnavailableError("store is closing");
        pending[i].done.Notify();
      } else if (queue_.size() >= options_.max_queued_commands) {
        pending[i].result = absl::ResourceExhaustedError(
            absl::StrCat("store: ", queue_.size(), " commands waiting (limit ",
                         options_.max_queued_commands, "); retry later"));
        pending[i].done.Notify();
      } else {
        queue_.push_back(&pending[i]);
      }
    }
  }
  std::vector<absl::StatusOr<ApplyResult>> out;
  out.reserve(pending.size());
  for (Pending& p : pending) {
    p.done.WaitForNotification();
    out.push_back(std::move(p.result));
  }
  return out;
}

void CaseStore::StartCommitPipeline() {
  overlay_ = std::make_unique<GroupState>();
  {
    absl::MutexLock lock(&staged_mu_);
    staged_ = std::make_unique<Staged>();
    staged_->gen = next_gen_++;
  }
  stager_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "jy-stager");
    StagerLoop();
  });
  writer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "jy-writer");
    WriterLoop();
  });
}

size_t CaseStore::QueuedCommands() {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

size_t CaseStore::StagedCommands() {
  absl::MutexLock lock(&staged_mu_);
  return staged_->pending.size();
}

void CaseStore::StagerLoop() {
  uint64_t seen_epoch = 0;
  while (true) {
    {
      // Backpressure: stage a new group only when the staged batch has room,
      // so a slow fsync makes the queue (bounded) grow, not the batch.
      absl::MutexLock lock(&staged_mu_);
      auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(staged_mu_) {
        return staged_->pending.size() < options_.max_commands_per_commit;
      };
      staged_mu_.Await(absl::Condition(&room));
    }
    std::vector<Pending*> group;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || !queue_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (queue_.empty()) break;  // stopping, nothing left
      while (!queue_.empty() &&
             group.size() < options_.max_commands_per_commit) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    overlay_->Prune(durable_gen_.load());
    for (Pending* p : group) {
      absl::MutexLock lock(&staged_mu_);
      if (write_epoch_ != seen_epoch) {  // a write failed: start afresh
        overlay_ = std::make_unique<GroupState>();
        seen_epoch = write_epoch_;
      }
      rocksdb::WriteBatch& batch = staged_->batch;
      batch.SetSavePoint();
      ApplyResult result;
      CounterSums sums;
      absl::Status s = Stage(*p->request, staged_->gen, batch, &result, &sums);
      if (s.ok()) {
        batch.PopSavePoint().PermitUncheckedError();
        p->result = std::move(result);
        for (auto& [key, delta] : sums) staged_->counters[key] += delta;
      } else {
        batch.RollbackToSavePoint().PermitUncheckedError();
        p->result = s;
      }
      staged_->pending.push_back(p);
    }
  }
  absl::MutexLock lock(&staged_mu_);
  stager_done_ = true;
}

void CaseStore::WriterLoop() {
  while (true) {
    std::unique_ptr<Staged> mine;
    {
      absl::MutexLock lock(&staged_mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(staged_mu_) {
        return stager_done_ || !staged_->pending.empty();
      };
      staged_mu_.Await(absl::Condition(&ready));
      if (staged_->pending.empty()) return;  // stager done, nothing left
      mine = std::move(staged_);
      staged_ = std::make_unique<Staged>();
      staged_->gen = next_gen_++;
    }
    std::unique_ptr<Staged> doomed;
    for (const auto& [key, delta] : mine->counters) {
      mine->batch.Merge(handle(Cf::kCounters), key, EncodeFixed64LE(delta))
          .PermitUncheckedError();  // in-memory append; cannot fail
    }
    if (mine->batch.Count() > 0) {
      rocksdb::WriteOptions wo;
      wo.sync = options_.sync;
      absl::Status w = FromRocks(db_->Write(wo, &mine->batch), "apply");
      if (!w.ok()) {
        // Nothing of this batch is written (one atomic batch), and what was
        // staged since was checked against it: fail that too.
        for (Pending* p : mine->pending) {
          if (p->result.ok()) p->result = w;
        }
        absl::MutexLock lock(&staged_mu_);
        ++write_epoch_;
        doomed = std::move(staged_);
        staged_ = std::make_unique<Staged>();
        staged_->gen = next_gen_++;
        for (Pending* p : doomed->pending) {
          if (p->result.ok()) {
            p->result = absl::AbortedError(
                "an earlier command group failed to write; retry");
          }
        }
      }
    }
    durable_gen_.store(mine->gen);
    for (Pending* p : mine->pending) p->done.Notify();
    if (doomed != nullptr) {
      for (Pending* p : doomed->pending) p->done.Notify();
    }
  }
}

absl::Status CaseStore::Stage(ApplyRequest& req, uint64_t gen,
                              rocksdb::WriteBatch& batch, ApplyResult* result,
                              CounterSums* counters) {
  GroupState& group = *overlay_;
  const std::string no = req.change.case_after.case_number();
  // 1. A retry of a request already applied (in the store or this group)?
  if (req.idempotency.has_value()) {
    const IdempotencyInput& in = *req.idempotency;
    if (in.request_id.empty()) {
      return absl::InvalidArgumentError("request_id: empty");
    }
    std::optional<jianyan::v1::IdempotencyRecord> seen;
    auto g = group.requests.find(in.request_id);
    if (g != group.requests.end()) {
      seen = g->second.value;
    } else {
      absl::StatusOr<jianyan::v1::IdempotencyRecord> r =
          LookupRequest(in.request_id);
      if (r.ok()) {
        seen = *std::move(r);
      } else if (!absl::IsNotFound(r.status())) {
        return r.status();
      }
    }
    if (seen.has_value()) {
      if (seen->request_hash() != in.request_hash) {
        return absl::AlreadyExistsError(
            absl::StrCat("request_id ", in.request_id,
                         " was already used for a different request"));
      }
      result->replayed = true;
      result->response = seen->response();
      result->case_number = seen->case_number();
      return absl::OkStatus();
    }
  }
  // 2. Optimistic concurrency against the newest snapshot.
  std::optional<jianyan::v1::StoredCase> old;
  auto gc = group.cases.find(no);
  if (gc != group.cases.end()) {
    old = gc->second.value;
  } else {
    absl::StatusOr<jianyan::v1::StoredCase> r = GetCase(no);
    if (r.ok()) {
      old = *std::move(r);
    } else if (!absl::IsNotFound(r.status())) {
      return r.status();
    }
  }
  JY_RETURN_IF_ERROR(CheckChange(req, old ? &*old : nullptr));
  // 3. Events, chained to the previous head.
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
      old ? DeriveIndexEntries(old->case_()) : std::vector<IndexEntry>();
  std::vector<IndexEntry> after = DeriveIndexEntries(req.change.case_after);
  // Both lists are sorted: one merge pass finds what left and what came.
  std::vector<IndexEntry> gone, came;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::back_inserter(gone));
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(came));
  for (const IndexEntry& e : gone) {
    JY_RETURN_IF_ERROR(
        FromRocks(batch.Delete(handle(e.cf), e.key), "stage index"));
  }
  for (const IndexEntry& e : came) {
    JY_RETURN_IF_ERROR(
        FromRocks(batch.Put(handle(e.cf), e.key, e.value), "stage index"));
  }
  // 5. Counters: day and month buckets, summed into the group's merges.
  for (const CounterDelta& d : req.change.counters) {
    for (const CounterId& id : CounterIdsFor(ToRecord(d))) {
      (*counters)[CounterKey(id)] += d.delta;
    }
  }
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
    jianyan::v1::IdempotencyRecord record;
    record.set_request_id(req.idempotency->request_id);
    record.set_case_number(no);
    record.set_response(req.idempotency->response);
    record.set_request_hash(req.idempotency->request_hash);
    *record.mutable_expire_time() =
        ToProto(options_.clock->Now() + options_.idempotency_window);
    JY_RETURN_IF_ERROR(FromRocks(
        batch.Put(handle(Cf::kIdempotency), IdempotencyKey(record.request_id()),
                  record.SerializeAsString()),
        "stage idempotency"));
    std::string id = record.request_id();
    group.requests[id] = {std::move(record), gen};
  }
  result->case_number = no;
  result->version = stored.case_().version();
  result->last_event_hash = head;
  group.cases[no] = {std::move(stored), gen};
  return absl::OkStatus();
}

}  // namespace jianyan::storage
