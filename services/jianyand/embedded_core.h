// EmbeddedCore: what the workflow core owns inside one jianyand — the
// data-directory lock, the RocksDB case store in DATA_DIR/db, and the
// workflow definitions with their working-day calendars.
//
// Open() loads the calendars and definitions (config.calendars_dir /
// config.definitions_dir, or the shipped ones), validates them, opens the
// store and the WorkflowCore over it (whose definition registry records new
// definition versions and loads every stored one, so cases keep their pinned
// version), makes sure the first administrator exists (admin_bootstrap.h),
// and warns when the current year has no calendar (deadlines are then
// provisional).
// Edge-only processes (no "workflow" service) do not create one: they hold no
// database.
//
// Thread-safety: immutable after Open(); the store is thread-safe.
#ifndef JIANYAN_SERVICES_JIANYAND_EMBEDDED_CORE_H_
#define JIANYAN_SERVICES_JIANYAND_EMBEDDED_CORE_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "jianyan/v1/config.pb.h"
#include "services/common/data_dir.h"
#include "services/core/workflow_core.h"
#include "storage/case_store.h"
#include "workflow/clock.h"
#include "workflow/definition.h"

namespace jianyan {

class EmbeddedCore {
 public:
  using DefinitionMap =
      std::map<std::string, std::shared_ptr<const Definition>>;

  // Errors name what failed: "data dir X: ...", "definitions: <file>:<line>:
  // ...", "store: ...".
  static absl::StatusOr<std::unique_ptr<EmbeddedCore>> Open(
      const jianyan::v1::ServerConfig& config, const Clock& clock);

  // Closes the store (queued commands finish and their callbacks run while
  // the core still exists), destroys the core, then releases the lock.
  ~EmbeddedCore();

  storage::CaseStore& store() { return *store_; }
  WorkflowCore& core() { return *core_; }

 private:
  EmbeddedCore() = default;

  std::unique_ptr<DataDir> data_dir_;
  std::unique_ptr<storage::CaseStore> store_;
  std::unique_ptr<WorkflowCore> core_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_JIANYAND_EMBEDDED_CORE_H_
