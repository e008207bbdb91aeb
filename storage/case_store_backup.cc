// CaseStore backup, restore and checkpoint (RocksDB BackupEngine and
// Checkpoint). A backup is consistent: BackupEngine flushes and copies the
// live files of one point in time, WAL included.
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "rocksdb/utilities/backup_engine.h"
#include "rocksdb/utilities/checkpoint.h"
#include "storage/case_store.h"
#include "workflow/status_macros.h"

namespace jianyan::storage {

absl::Status CaseStore::Backup(const std::string& backup_dir,
                               std::function<void()> progress) {
  rocksdb::BackupEngineOptions opts(backup_dir);
  opts.callback_trigger_interval_size = 1 << 20;
  rocksdb::BackupEngine* raw = nullptr;
  JY_RETURN_IF_ERROR(
      FromRocks(rocksdb::BackupEngine::Open(db_->GetEnv(), opts, &raw),
                "open backup " + backup_dir));
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);
  rocksdb::CreateBackupOptions create;
  create.flush_before_backup = true;
  if (progress) create.progress_callback = std::move(progress);
  return FromRocks(engine->CreateNewBackup(create, db_.get()),
                   "backup to " + backup_dir);
}

absl::Status CaseStore::Restore(const std::string& backup_dir,
                                const std::string& target_dir) {
  std::error_code ec;
  if (std::filesystem::exists(target_dir, ec) &&
      !std::filesystem::is_empty(target_dir, ec)) {
    return absl::FailedPreconditionError(
        absl::StrCat("restore: ", target_dir, " is not empty"));
  }
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  JY_RETURN_IF_ERROR(
      FromRocks(rocksdb::BackupEngineReadOnly::Open(
                    rocksdb::Env::Default(),
                    rocksdb::BackupEngineOptions(backup_dir), &raw),
                "open backup " + backup_dir));
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  return FromRocks(engine->RestoreDBFromLatestBackup(target_dir, target_dir),
                   "restore into " + target_dir);
}

absl::Status CaseStore::Checkpoint(const std::string& dir) {
  rocksdb::Checkpoint* raw = nullptr;
  JY_RETURN_IF_ERROR(
      FromRocks(rocksdb::Checkpoint::Create(db_.get(), &raw), "checkpoint"));
  std::unique_ptr<rocksdb::Checkpoint> cp(raw);
  return FromRocks(cp->CreateCheckpoint(dir), "checkpoint to " + dir);
}

}  // namespace jianyan::storage
