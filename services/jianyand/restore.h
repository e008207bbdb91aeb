// jianyand --restore_from=BACKUP_DIR --data_dir=DIR: puts the latest backup
// of BACKUP_DIR (made by CaseStore::Backup, RocksDB BackupEngine) into
// DIR/db, then the process exits without serving. Start jianyand on DIR
// afterwards. The admin principal and every token in the backup come back
// with it; DIR/admin.token is not restored (keep the original's file).
#ifndef JIANYAN_SERVICES_JIANYAND_RESTORE_H_
#define JIANYAN_SERVICES_JIANYAND_RESTORE_H_

#include <string>

#include "absl/status/status.h"

namespace jianyan {

// Takes DIR's lock (FAILED_PRECONDITION "in use by another process" while a
// jianyand runs on it), refuses a DIR that holds anything but its lock file
// (FAILED_PRECONDITION "restore: data dir DIR is not empty ..."), restores
// and checks that the restored store opens. Other errors name the backup.
absl::Status RestoreDataDir(const std::string& backup_dir,
                            const std::string& data_dir);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_JIANYAND_RESTORE_H_
