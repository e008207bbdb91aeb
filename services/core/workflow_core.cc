#include "services/core/workflow_core.h"

#include "workflow/status_macros.h"

namespace jianyan {

absl::StatusOr<std::unique_ptr<WorkflowCore>> WorkflowCore::Open(
    storage::CaseStore& store, const Clock& clock,
    WorkflowCoreOptions options) {
  std::unique_ptr<WorkflowCore> core(new WorkflowCore());
  JY_ASSIGN_OR_RETURN(core->orgs_, OrgDirectory::Load(store));
  JY_ASSIGN_OR_RETURN(core->registry_, DefinitionRegistry::Open(
                                           store, std::move(options.calendars),
                                           options.from_files));
  core->auth_ = std::make_unique<Authenticator>(store, clock);
  core->policy_ = std::make_unique<AccessPolicy>(*core->orgs_);
  core->cases_ = std::make_unique<CaseCommands>(
      store, *core->registry_, *core->orgs_, *core->policy_, clock);
  core->admin_ = std::make_unique<AdminOps>(store, *core->orgs_, *core->auth_,
                                            *core->registry_, clock,
                                            std::move(options.backup_root));
  core->feedback_ = std::make_unique<PublicFeedback>(
      store, *core->registry_, *core->orgs_, *core->cases_, clock);
  core->worker_ = std::make_unique<BlockingWorker>();
  core->supervision_ =
      std::make_unique<SupervisionOps>(store, *core->cases_, *core->registry_,
                                       *core->orgs_, *core->policy_, clock);
  core->stats_ = std::make_unique<StatsQuery>(store, *core->orgs_);
  core->notices_ = std::make_unique<NoticeHub>(store, *core->orgs_);
  core->timers_ = std::make_unique<TimerScheduler>(store, *core->registry_,
                                                   clock, options.scheduler);
  return core;
}

void WorkflowCore::Quiesce() {
  timers_->Stop();
  notices_->Close();
}

WorkflowCore::~WorkflowCore() {
  // The scheduler first (it applies commands), then the hub (the store's
  // listener), before the parts they use.
  if (timers_ != nullptr) timers_->Stop();
  timers_.reset();
  notices_.reset();
}

}  // namespace jianyan
