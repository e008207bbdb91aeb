// Validation of workflow definitions: every rule the engine relies on is
// checked once, at load, so the transition function can trust the data.
//
// Thread-safety: pure function.
#ifndef JIANYAN_WORKFLOW_DEFINITION_VALIDATOR_H_
#define JIANYAN_WORKFLOW_DEFINITION_VALIDATOR_H_

#include <string>
#include <vector>

#include "jianyan/v1/workflow_definition.pb.h"

namespace jianyan {

// One problem found in a definition. `list` and `index` name the element it
// is about ("states", "actions", "timers"; index into that list), so the
// loader can point at its line; list is empty for definition-wide problems.
struct DefinitionError {
  std::string list;
  int index = -1;
  std::string message;  // e.g. "state 'x' is unreachable from 'registered'"
};

// The name of the timer the engine derives from rating_policy.window.
inline constexpr char kRatingWindowTimer[] = "rating_window";

// The engine's built-in system actions (names reserved in definitions):
// the event of a deadline whose timer has no on_expiry action (期限届满,
// raises NOTICE_KIND_OVERDUE) and the pre-warning of a running deadline
// (期限预警, NOTICE_KIND_DUE_SOON). Neither changes the state.
inline constexpr char kDeadlineExpiredAction[] = "deadline_expired";
inline constexpr char kDeadlineWarningAction[] = "deadline_warning";

// Where a definition comes from. Stored versions (the store's, pinned by
// running cases) skip the authoring rules added after definitions were
// first stored, so that a version written before them still loads; the
// engine copes with what they allow (a window's warn_before is ignored).
// Authoring rules: no warn_before on a window.
enum class DefinitionOrigin { kNew, kStored };

// Returns every problem found, in a stable order; empty when valid.
// Checks: names (identifiers, unique), labels (zh and en everywhere), the
// initial state and create action, references from actions, branches,
// timers, effects, rating policy and rate rules to states/actions/timers,
// roles, durations, terminal states without exits, reachability of every
// state from the initial state, a way from every non-terminal state to a
// terminal state, and a rating policy when any state is rateable.
std::vector<DefinitionError> ValidateDefinition(
    const jianyan::v1::WorkflowDefinition& def,
    DefinitionOrigin origin = DefinitionOrigin::kNew);

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_DEFINITION_VALIDATOR_H_
