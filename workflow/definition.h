// Definition: a validated workflow definition, indexed for the transition
// function, with its version and working-day calendar.
//
// Create() is the only way to build one, so every Definition in the process
// has passed ValidateDefinition. The rating window of rating_policy is
// exposed as an ordinary timer named kRatingWindowTimer, running in the
// rateable states and started on entering them. The built-in system
// actions kDeadlineExpiredAction and kDeadlineWarningAction are found by
// FindAction (allowed in every state, changing none) but are not in proto().
//
// Thread-safety: immutable after Create(); safe for concurrent use.
#ifndef JIANYAN_WORKFLOW_DEFINITION_H_
#define JIANYAN_WORKFLOW_DEFINITION_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jianyan/v1/workflow_definition.pb.h"
#include "workflow/calendar.h"
#include "workflow/definition_validator.h"

namespace jianyan {

class Definition {
 public:
  // How a validation problem is told (the loader adds file and line).
  using ErrorFormatter = std::function<std::string(const DefinitionError&)>;

  // Validates `def` (INVALID_ARGUMENT listing every problem, "; "-joined,
  // each through `format` when set), sets def.version to its content digest
  // (any version it carried is ignored) and indexes it. `calendar` may be
  // null: an empty calendar (weekends only, provisional). A version read
  // back from the store passes DefinitionOrigin::kStored.
  static absl::StatusOr<std::shared_ptr<const Definition>> Create(
      jianyan::v1::WorkflowDefinition def,
      std::shared_ptr<const WorkingCalendar> calendar,
      const ErrorFormatter& format = nullptr,
      DefinitionOrigin origin = DefinitionOrigin::kNew);

  const jianyan::v1::WorkflowDefinition& proto() const { return def_; }
  const std::string& name() const { return def_.name(); }
  const std::string& version() const { return def_.version(); }
  const WorkingCalendar& calendar() const { return *calendar_; }

  // Lookups by name; null when not declared.
  const jianyan::v1::StateDef* FindState(absl::string_view name) const;
  const jianyan::v1::ActionDef* FindAction(absl::string_view name) const;
  const jianyan::v1::TimerDef* FindTimer(absl::string_view name) const;

  // Every timer including the derived rating window, in a stable order.
  const std::vector<jianyan::v1::TimerDef>& timers() const { return timers_; }

 private:
  Definition() = default;

  jianyan::v1::WorkflowDefinition def_;
  std::shared_ptr<const WorkingCalendar> calendar_;
  std::vector<jianyan::v1::TimerDef> timers_;
  absl::flat_hash_map<std::string, const jianyan::v1::StateDef*> states_;
  absl::flat_hash_map<std::string, const jianyan::v1::ActionDef*> actions_;
  std::vector<jianyan::v1::ActionDef> builtin_actions_;
  absl::flat_hash_map<std::string, int> timer_index_;
};

// The supervisor action that sets escalation `level` (催办, 督办, 挂牌督办:
// not system_only, open to ROLE_SUPERVISOR), the first in definition order;
// null when the definition has none.
const jianyan::v1::ActionDef* EscalationAction(
    const Definition& def, jianyan::v1::EscalationLevel level);

// The content digest used as version: the first 16 hex characters of the
// SHA-256 of the deterministic serialization with `version` cleared.
std::string DefinitionDigest(const jianyan::v1::WorkflowDefinition& def);

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_DEFINITION_H_
