#include "services/core/timer_scheduler.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "workflow/sha256.h"
#include "workflow/status_macros.h"
#include "workflow/transition.h"

namespace jianyan {
namespace {

// The principal recorded on idempotency records of fired timers.
constexpr char kSystemPrincipal[] = "system";

std::string EntryKey(const storage::TimerEntry& e) {
  return absl::StrCat(e.case_number, "/", e.timer, e.warning ? "/warn" : "",
                      "/", absl::ToUnixMicros(e.due_time));
}

// Waits for a set of ApplyAsync callbacks.
class Latch {
 public:
  void Add() {
    std::lock_guard<std::mutex> lock(mu_);
    ++pending_;
  }
  void Done() {
    std::lock_guard<std::mutex> lock(mu_);
    if (--pending_ == 0) cv_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return pending_ == 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  size_t pending_ = 0;
};

}  // namespace

TimerScheduler::TimerScheduler(storage::CaseStore& store,
                               const DefinitionRegistry& registry,
                               const Clock& clock,
                               TimerSchedulerOptions options)
    : store_(store), registry_(registry), clock_(clock), options_(options) {}

TimerScheduler::~TimerScheduler() { Stop(); }

void TimerScheduler::Start() {
  absl::MutexLock lock(&stop_mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Loop(); });
}

void TimerScheduler::Stop() {
  {
    absl::MutexLock lock(&stop_mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void TimerScheduler::Loop() {
  for (;;) {
    uint64_t applied = 0;
    {
      absl::MutexLock pass(&pass_mu_);
      uint64_t fired = 0;
      absl::StatusOr<uint64_t> batch = RunBatch(clock_.Now(), &fired);
      // A store error (not writable, closing) is retried at the next poll.
      if (batch.ok()) applied = *batch;
    }
    absl::MutexLock lock(&stop_mu_);
    if (stopping_) return;
    // A full batch: more may be due; go on at once (after letting a
    // waiting RunDue or Stop in).
    if (applied > 0) continue;
    stop_mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.poll);
    if (stopping_) return;
  }
}

absl::StatusOr<uint64_t> TimerScheduler::RunDue(absl::Time now) {
  uint64_t total = 0;
  for (;;) {
    absl::MutexLock pass(&pass_mu_);
    uint64_t fired = 0;
    JY_ASSIGN_OR_RETURN(uint64_t progress, RunBatch(now, &fired));
    total += fired;
    if (progress == 0) return total;
  }
}

absl::StatusOr<uint64_t> TimerScheduler::RunBatch(absl::Time now,
                                                  uint64_t* fired) {
  const bool resumed = resume_.has_value();
  JY_ASSIGN_OR_RETURN(std::vector<storage::TimerEntry> due,
                      store_.NextDueTimers(now, options_.batch + stale_.size(),
                                           resumed ? &*resume_ : nullptr));
  if (due.empty() && resumed) {
    resume_.reset();  // once more from the first due entry
    return RunBatch(now, fired);
  }
  lag_seconds_.store(
      due.empty() ? 0.0 : absl::ToDoubleSeconds(now - due[0].due_time));
  // One command per case per batch; prepared against the stored case.
  std::set<std::string> cases;
  std::vector<storage::ApplyRequest> commands;
  std::vector<std::string> keys;
  std::vector<size_t> positions;  // of each command's entry in `due`
  // The first entry this batch leaves for the next one.
  size_t left = due.size();
  for (size_t at = 0; at < due.size(); ++at) {
    const storage::TimerEntry& entry = due[at];
    if (commands.size() >= options_.batch) {
      left = std::min(left, at);
      break;
    }
    const std::string key = EntryKey(entry);
    if (stale_.count(key) > 0) continue;
    if (!cases.insert(entry.case_number).second) {
      left = std::min(left, at);  // its case has a command in this batch
      continue;
    }
    absl::StatusOr<jianyan::v1::StoredCase> stored =
        store_.GetCase(entry.case_number);
    if (!stored.ok() && !absl::IsNotFound(stored.status())) {
      return stored.status();
    }
    absl::StatusOr<DefinitionPtr> def =
        stored.ok() ? registry_.Pinned(stored->case_().definition_name(),
                                       stored->case_().definition_version())
                    : absl::StatusOr<DefinitionPtr>(stored.status());
    absl::StatusOr<Command> command =
        !def.ok()       ? absl::StatusOr<Command>(def.status())
        : entry.warning ? WarnTimerCommand(**def, stored->case_(), entry.timer)
                        : FireTimerCommand(**def, stored->case_(), entry.timer);
    if (command.ok() && entry.warning) {
      // One warning per warning point: a restarted or extended deadline
      // warns again under a new key.
      command->request_id =
          absl::StrCat("warn/", entry.case_number, "/", entry.timer, "/",
                       absl::ToUnixSeconds(entry.due_time));
    }
    absl::StatusOr<TransitionResult> moved =
        command.ok() ? Transition(**def, stored->case_(), *command, now)
                     : absl::StatusOr<TransitionResult>(command.status());
    if (!moved.ok()) {
      // The entry does not match its case: never retried in a loop.
      stale_.insert(key);
      skipped_.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    storage::ApplyRequest apply;
    apply.change = std::move(moved->change);
    apply.expected_version = stored->case_().version();
    apply.idempotency =
        storage::IdempotencyInput{kSystemPrincipal, command->request_id,
                                  Sha256Digest(command->request_id)};
    commands.push_back(std::move(apply));
    keys.push_back(key);
    positions.push_back(at);
  }
  if (commands.empty()) {
    // All stale: nothing left from here on, but an entry may have been
    // written behind the resume point; look once more from the start.
    resume_.reset();
    return resumed ? RunBatch(now, fired) : 0;
  }

  Latch latch;
  std::mutex result_mu;
  absl::Status first_error;
  uint64_t applied = 0;
  uint64_t retried = 0;  // moved first by a user command: read again
  std::vector<std::string> refused;  // replayed or reused ids: see below
  for (size_t i = 0; i < commands.size(); ++i) {
    latch.Add();
    store_.ApplyAsync(
        std::move(commands[i]),
        [&, key = keys[i],
         at = positions[i]](absl::StatusOr<storage::ApplyResult> result) {
          {
            std::lock_guard<std::mutex> lock(result_mu);
            if (result.ok() && !result->replayed) {
              ++applied;
            } else if (result.ok() || absl::IsAlreadyExists(result.status())) {
              // Fired before, yet its entry is still due: the entry does
              // not match the case's log. Skipped like a stale entry.
              refused.push_back(key);
            } else if (absl::IsAborted(result.status())) {
              // A user command moved the case first: the entry (if still
              // due) is read again by the next batch.
              ++retried;
              left = std::min(left, at);
            } else {
              left = std::min(left, at);  // not fired: read again
              if (first_error.ok()) first_error = result.status();
            }
          }
          latch.Done();
        });
  }
  latch.Wait();
  resume_ = due[std::min(left, due.size() - 1)];
  for (const std::string& key : refused) stale_.insert(key);
  skipped_.fetch_add(refused.size(), std::memory_order_relaxed);
  fired_.fetch_add(applied, std::memory_order_relaxed);
  *fired += applied;
  if (applied + retried == 0 && !first_error.ok()) return first_error;
  if (applied + retried == 0 && !refused.empty()) {
    return RunBatch(now, fired);  // the next entries, past the skipped ones
  }
  // Progress, so the caller reads the next batch; fired_ counts only fires.
  return applied + retried;
}

}  // namespace jianyan
