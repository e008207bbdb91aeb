// WorkflowCore: the parts of the core tier that services share, built over
// an open store: the organisation directory, the authenticator, the access
// policy, the definition registry, the case commands, the admin
// operations, the public feedback checks, the supervision console's parts
// (operations, statistics, the notice hub) and the timer scheduler. Owned by
// whoever owns the store, destroyed before it. The scheduler runs once
// StartTimers() is called.
//
// Thread-safety: the parts are safe for concurrent use.
#ifndef JIANYAN_SERVICES_CORE_WORKFLOW_CORE_H_
#define JIANYAN_SERVICES_CORE_WORKFLOW_CORE_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/core/access_policy.h"
#include "services/core/admin_ops.h"
#include "services/core/authenticator.h"
#include "services/core/blocking_worker.h"
#include "services/core/case_commands.h"
#include "services/core/definition_registry.h"
#include "services/core/notice_hub.h"
#include "services/core/org_directory.h"
#include "services/core/public_feedback.h"
#include "services/core/stats_query.h"
#include "services/core/supervision_ops.h"
#include "services/core/timer_scheduler.h"

namespace jianyan {

struct WorkflowCoreOptions {
  CalendarMap calendars;                            // from files
  std::map<std::string, DefinitionPtr> from_files;  // definitions from files
  std::string backup_root;  // empty: AdminService.Backup is off
  TimerSchedulerOptions scheduler;
};

class WorkflowCore {
 public:
  static absl::StatusOr<std::unique_ptr<WorkflowCore>> Open(
      storage::CaseStore& store, const Clock& clock,
      WorkflowCoreOptions options);

  Authenticator& auth() { return *auth_; }
  OrgDirectory& orgs() { return *orgs_; }
  const AccessPolicy& policy() const { return *policy_; }
  DefinitionRegistry& registry() { return *registry_; }
  CaseCommands& cases() { return *cases_; }
  AdminOps& admin() { return *admin_; }
  PublicFeedback& feedback() { return *feedback_; }
  BlockingWorker& worker() { return *worker_; }
  SupervisionOps& supervision() { return *supervision_; }
  const StatsQuery& stats() const { return *stats_; }
  NoticeHub& notices() { return *notices_; }
  TimerScheduler& timers() { return *timers_; }

  // Starts the timer scheduler's background thread.
  void StartTimers() { timers_->Start(); }
  // Ends the watch streams and stops the scheduler: before the server
  // shuts down (streams would otherwise hold it up to its deadline).
  void Quiesce();

  ~WorkflowCore();

 private:
  WorkflowCore() = default;
  std::unique_ptr<OrgDirectory> orgs_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<AccessPolicy> policy_;
  std::unique_ptr<DefinitionRegistry> registry_;
  std::unique_ptr<CaseCommands> cases_;
  std::unique_ptr<AdminOps> admin_;
  std::unique_ptr<PublicFeedback> feedback_;
  std::unique_ptr<BlockingWorker> worker_;
  std::unique_ptr<SupervisionOps> supervision_;
  std::unique_ptr<StatsQuery> stats_;
  std::unique_ptr<NoticeHub> notices_;
  std::unique_ptr<TimerScheduler> timers_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_WORKFLOW_CORE_H_
