// CaseStore: write health. A write that fails with an I/O error (disk full,
// a failed WAL append or sync) makes the store "not writable": commands and
// directory writes fail fast with UNAVAILABLE until DB::Resume() succeeds,
// retried with backoff by ResumeLoop or at once by TryResume.
#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "storage/case_store.h"
#include "workflow/status_macros.h"

namespace jianyan::storage {
namespace {

absl::Status NotWritable(const rocksdb::Status& s) {
  return absl::UnavailableError(
      absl::StrCat("store is not writable: ", s.ToString(), "; retrying"));
}

std::chrono::nanoseconds ToChrono(absl::Duration d) {
  return std::chrono::nanoseconds(absl::ToInt64Nanoseconds(d));
}

}  // namespace

absl::Status CaseStore::WriteHealth() {
  std::lock_guard<std::mutex> lock(health_mu_);
  return health_;
}

void CaseStore::SetWriteHealthListener(
    std::function<void(const absl::Status&)> listener) {
  std::lock_guard<std::mutex> lock(listener_mu_);
  listener_ = std::move(listener);
}

void CaseStore::SetHealth(const absl::Status& status, bool final) {
  std::lock_guard<std::mutex> serial(listener_mu_);
  {
    std::lock_guard<std::mutex> lock(health_mu_);
    // Only the first error of a degraded period is kept and told, unless
    // it turns out to be final.
    if (restart_required_) return;
    if (health_.ok() == status.ok() && !final) return;
    health_ = status;
    restart_required_ = final;
  }
  health_cv_.notify_all();
  if (listener_) listener_(status);
}

absl::Status CaseStore::OnWriteError(const rocksdb::Status& s,
                                     absl::string_view what) {
  // An I/O error (IsNoSpace is one too) leaves RocksDB refusing writes
  // until it is resumed; other errors concern the write alone.
  if (!s.IsIOError()) return FromRocks(s, what);
  SetHealth(NotWritable(s), /*final=*/false);
  return WriteHealth();
}

absl::Status CaseStore::WriteSynced(rocksdb::WriteBatch* batch,
                                    absl::string_view what) {
  JY_RETURN_IF_ERROR(WriteHealth());
  rocksdb::WriteOptions wo;
  wo.sync = true;
  rocksdb::Status s = db_->Write(wo, batch);
  if (s.ok()) return absl::OkStatus();
  return OnWriteError(s, what);
}

absl::Status CaseStore::TryResume() {
  std::lock_guard<std::mutex> serial(resume_mu_);
  {
    std::lock_guard<std::mutex> lock(health_mu_);
    if (health_.ok() || restart_required_) return health_;
  }
  rocksdb::Status s = db_->Resume();
  if (s.ok()) {
    SetHealth(absl::OkStatus(), /*final=*/false);
    return absl::OkStatus();
  }
  if (s.severity() >= rocksdb::Status::Severity::kFatalError) {
    // RocksDB will not resume from this one (e.g. a plain I/O error on a
    // WAL write): only reopening the store helps.
    SetHealth(absl::UnavailableError(
                  absl::StrCat("store is not writable: ", s.ToString(),
                               "; cannot resume, restart required")),
              /*final=*/true);
    return WriteHealth();
  }
  return NotWritable(s);
}

void CaseStore::ResumeLoop() {
  absl::Duration backoff = options_.resume_backoff;
  std::unique_lock<std::mutex> lock(health_mu_);
  for (;;) {
    // Sleep while writable; while not, wait `backoff` (the only wait on
    // real time in the store), then try.
    health_cv_.wait(lock, [this] {
      return resumer_stop_ || (!health_.ok() && !restart_required_);
    });
    if (resumer_stop_) return;
    if (health_cv_.wait_for(lock, ToChrono(backoff),
                            [this] { return resumer_stop_ || health_.ok(); })) {
      if (resumer_stop_) return;
      backoff = options_.resume_backoff;  // resumed by TryResume meanwhile
      continue;
    }
    lock.unlock();
    const bool resumed = TryResume().ok();
    lock.lock();
    backoff = resumed ? options_.resume_backoff
                      : std::min(backoff * 2, options_.resume_backoff_max);
  }
}

}  // namespace jianyan::storage
