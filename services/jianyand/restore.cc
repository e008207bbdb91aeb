#include "services/jianyand/restore.h"

#include <filesystem>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/data_dir.h"
#include "services/common/log.h"
#include "storage/case_store.h"

namespace jianyan {

absl::Status RestoreDataDir(const std::string& backup_dir,
                            const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(backup_dir, ec)) {
    return absl::NotFoundError(
        absl::StrCat("restore: backup dir ", backup_dir, " does not exist"));
  }
  auto dir = DataDir::Open(data_dir);
  if (!dir.ok()) return dir.status();
  std::vector<std::string> entries;
  for (const auto& entry : fs::directory_iterator(data_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name != "jianyand.lock") entries.push_back(name);
  }
  if (ec) {
    return absl::FailedPreconditionError(absl::StrCat(
        "restore: data dir ", data_dir, ": cannot list: ", ec.message()));
  }
  if (!entries.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("restore: data dir ", data_dir, " is not empty (holds ",
                     absl::StrJoin(entries, ", "),
                     "); restore into a new or empty directory"));
  }
  const std::string db = data_dir + "/db";
  if (absl::Status s = storage::CaseStore::Restore(backup_dir, db); !s.ok()) {
    return s;
  }
  // The restored store must open, as the next start will.
  auto store = storage::CaseStore::Open(storage::CaseStoreOptions(), db);
  if (!store.ok()) {
    return absl::Status(
        store.status().code(),
        absl::StrCat("restore: the restored store in ", db,
                     " does not open: ", store.status().message()));
  }
  LogInfo("restored the latest backup of ", backup_dir, " into ", db);
  return absl::OkStatus();
}

}  // namespace jianyan
