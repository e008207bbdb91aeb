// CaseStore::Apply: admission, stripe locks, the staging of commands into
// one WriteBatch, and the write.
#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "storage/case_keys.h"
#include "storage/case_store.h"
#include "storage/index_entries.h"
#include "storage/key_coding.h"
#include "workflow/deterministic_bytes.h"
#include "workflow/sha256.h"
#include "workflow/status_macros.h"
#include "workflow/time_util.h"

namespace jianyan::storage {

// What the commands of one ApplyAll call staged before the current one, so
// that a later command of the call sees it: case snapshots and request ids.
// (Across calls the stripe locks make the DB itself the newest state.)
struct CaseStore::Overlay {
  absl::flat_hash_map<std::string, jianyan::v1::StoredCase> cases;
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
    : options_(options), dir_(std::move(dir)), stripes_(new Stripe[kStripes]) {}

CaseStore::~CaseStore() {
  // Calls in progress finish (and are acknowledged) first; new ones are
  // refused with UNAVAILABLE. A short poll rather than a notification from
  // the last call: a notifying call would still be touching the store after
  // its decrement let this destructor go on.
  stopping_ = true;
  while (inflight_.load() != 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
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

void CaseStore::Release(size_t commands) { inflight_.fetch_sub(commands); }

size_t CaseStore::StripeOf(absl::string_view key) {
  return absl::Hash<absl::string_view>{}(key) % kStripes;
}

absl::StatusOr<ApplyResult> CaseStore::Apply(ApplyRequest request) {
  std::vector<ApplyRequest> one;
  one.push_back(std::move(request));
  return std::move(ApplyAll(std::move(one))[0]);
}

std::vector<absl::StatusOr<ApplyResult>> CaseStore::ApplyAll(
    std::vector<ApplyRequest> requests) {
  std::vector<absl::StatusOr<ApplyResult>> out(
      requests.size(), absl::UnknownError("not applied"));
  // 1. Admission: at most max_queued_commands commands inside the store.
  const size_t n = requests.size();
  const size_t limit = options_.max_queued_commands;
  size_t before = inflight_.load();
  size_t admitted = 0;
  do {
    admitted = before >= limit ? 0 : std::min(n, limit - before);
  } while (!inflight_.compare_exchange_weak(before, before + admitted));
  if (stopping_.load()) {
    Release(admitted);
    for (auto& r : out) r = absl::UnavailableError("store is closing");
    return out;
  }
  for (size_t i = admitted; i < n; ++i) {
    out[i] = absl::ResourceExhaustedError(
        absl::StrCat("store: ", before, " commands in progress (limit ", limit,
                     "); retry later"));
  }
  if (admitted == 0) return out;
  // 2. The stripes of every case and request id touched, locked in
  // ascending order (no deadlock between calls) until the batch is written:
  // no other command reads or writes these cases or request ids meanwhile.
  std::vector<size_t> stripes;
  stripes.reserve(admitted * 2);
  for (size_t i = 0; i < admitted; ++i) {
    stripes.push_back(StripeOf(requests[i].change.case_after.case_number()));
    if (requests[i].idempotency.has_value()) {
      stripes.push_back(StripeOf(requests[i].idempotency->request_id));
    }
  }
  std::sort(stripes.begin(), stripes.end());
  stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
  for (size_t s : stripes) stripes_[s].mu.lock();
  // Where the batch goes in its commit group (staging moves the case out).
  const std::string order = requests[0].change.case_after.case_number();
  // 3. Each command staged under a save point: all of it or none of it.
  rocksdb::WriteBatch batch;
  // Only a call of several commands needs to see its own earlier commands.
  Overlay overlay;
  Overlay* seen = admitted > 1 ? &overlay : nullptr;
  CounterSums counters;
  for (size_t i = 0; i < admitted; ++i) {
    batch.SetSavePoint();
    ApplyResult result;
    CounterSums sums;
    absl::Status s = Stage(requests[i], seen, batch, &result, &sums);
    if (s.ok()) {
      batch.PopSavePoint().PermitUncheckedError();
      out[i] = std::move(result);
      for (auto& [key, delta] : sums) counters[key] += delta;
    } else {
      batch.RollbackToSavePoint().PermitUncheckedError();
      out[i] = s;
    }
  }
  // 4. One atomic write, in a commit group with concurrent callers.
  if (batch.Count() > 0 || !counters.empty()) {
    absl::Status w = committer_->Commit(batch, counters, order);
    if (!w.ok()) {
      // Nothing of the batch is written; a replay may have been answered
      // from a command of this batch: every command of the call fails.
      for (size_t i = 0; i < admitted; ++i) {
        if (out[i].ok()) out[i] = w;
      }
    }
  }
  for (auto it = stripes.rbegin(); it != stripes.rend(); ++it) {
    stripes_[*it].mu.unlock();
  }
  Release(admitted);
  return out;
}

// The newest record of `request_id`: staged earlier in this call, or
// stored and unexpired; nullopt when there is none.
absl::StatusOr<std::optional<jianyan::v1::IdempotencyRecord>>
CaseStore::FindRequest(const std::string& request_id, const Overlay* overlay) {
  if (overlay != nullptr) {
    auto it = overlay->requests.find(request_id);
    if (it != overlay->requests.end()) return it->second;
  }
  absl::StatusOr<jianyan::v1::IdempotencyRecord> r = LookupRequest(request_id);
  if (r.ok()) return *std::move(r);
  if (absl::IsNotFound(r.status())) return std::nullopt;
  return r.status();
}

// The newest snapshot of case `no` (staged earlier in this call, or
// stored); nullopt when there is none.
absl::StatusOr<std::optional<jianyan::v1::StoredCase>> CaseStore::FindCase(
    const std::string& no, const Overlay* overlay) {
  if (overlay != nullptr) {
    auto it = overlay->cases.find(no);
    if (it != overlay->cases.end()) return it->second;
  }
  absl::StatusOr<jianyan::v1::StoredCase> r = GetCase(no);
  if (r.ok()) return *std::move(r);
  if (absl::IsNotFound(r.status())) return std::nullopt;
  return r.status();
}

absl::Status CaseStore::Stage(ApplyRequest& req, Overlay* overlay,
                              rocksdb::WriteBatch& batch, ApplyResult* result,
                              CounterSums* counters) {
  const std::string no = req.change.case_after.case_number();
  // 1. A retry of a request already applied (in the store or this call)?
  if (req.idempotency.has_value()) {
    const IdempotencyInput& in = *req.idempotency;
    if (in.request_id.empty()) {
      return absl::InvalidArgumentError("request_id: empty");
    }
    JY_ASSIGN_OR_RETURN(
        std::optional<jianyan::v1::IdempotencyRecord> seen,
        FindRequest(absl::StrCat(in.principal_id, "/", in.request_id),
                    overlay));
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
  JY_ASSIGN_OR_RETURN(std::optional<jianyan::v1::StoredCase> old,
                      FindCase(no, overlay));
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
  // 5. Counters: day and month buckets, summed into the call's merges.
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
    record.set_request_id(absl::StrCat(req.idempotency->principal_id, "/",
                                       req.idempotency->request_id));
    record.set_case_number(no);
    record.set_response(req.idempotency->response);
    record.set_request_hash(req.idempotency->request_hash);
    *record.mutable_expire_time() =
        ToProto(options_.clock->Now() + options_.idempotency_window);
    JY_RETURN_IF_ERROR(FromRocks(
        batch.Put(handle(Cf::kIdempotency), IdempotencyKey(record.request_id()),
                  record.SerializeAsString()),
        "stage idempotency"));
    if (overlay != nullptr) {
      std::string id = record.request_id();
      overlay->requests[id] = std::move(record);
    }
  }
  result->case_number = no;
  if (!req.change.events.empty()) {
    result->first_event_seq = req.change.events.front().seq();
    result->last_event_seq = req.change.events.back().seq();
  }
  result->version = stored.case_().version();
  result->last_event_hash = head;
  if (overlay != nullptr) overlay->cases[no] = std::move(stored);
  return absl::OkStatus();
}

void CaseStore::ApplyAsync(ApplyRequest request, ApplyCallback done) {
  done(Apply(std::move(request)));
}

absl::StatusOr<std::vector<jianyan::v1::Event>> CaseStore::GetEventRange(
    absl::string_view case_number, uint64_t first_seq, uint64_t last_seq) {
  std::vector<jianyan::v1::Event> out;
  PageRequest page;
  page.page_size = 1000;
  while (true) {
    JY_ASSIGN_OR_RETURN(EventPage p, GetEvents(case_number, page));
    for (auto& e : p.events) {
      if (e.seq() >= first_seq && e.seq() <= last_seq) out.push_back(e);
    }
    if (p.next_page_token.empty()) break;
    page.page_token = p.next_page_token;
  }
  return out;
}

}  // namespace jianyan::storage
