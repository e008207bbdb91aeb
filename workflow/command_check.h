// The checks a command must pass before it is applied: state, role,
// limits, timers and fields. Split from transition.cc so each rule's message
// lives in one place.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_WORKFLOW_COMMAND_CHECK_H_
#define JIANYAN_WORKFLOW_COMMAND_CHECK_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jianyan/v1/case.pb.h"
#include "workflow/command.h"
#include "workflow/definition.h"

namespace jianyan {

// Returns the first rule `command` breaks on `c` at `now` (codes and messages
// as documented in transition.h), OK when it may be applied. On OK sets
// *action to the action definition.
absl::Status CheckCommand(const Definition& def, const jianyan::v1::Case& c,
                          const Command& command, absl::Time now,
                          const jianyan::v1::ActionDef** action);

// The checks that do not depend on the command's field values: whether
// `command.actor` may take `command.action` on `c` at `now` at all (what
// ListActions offers). OK sets *action.
absl::Status CheckAvailable(const Definition& def, const jianyan::v1::Case& c,
                            const Command& command, absl::Time now,
                            const jianyan::v1::ActionDef** action);

// CheckAvailable(...).ok() for probes that discard the reason (may the
// petitioner rate now? which actions does ListActions offer?): an action not
// allowed in the case's state, the usual refusal, is answered before any
// message is built. True sets *action.
bool IsAvailable(const Definition& def, const jianyan::v1::Case& c,
                 const Command& command, absl::Time now,
                 const jianyan::v1::ActionDef** action);

// Only the role check: PERMISSION_DENIED "role 'x' may not 'y'".
absl::Status CheckRole(const jianyan::v1::ActionDef& action,
                       jianyan::v1::Role role);

// The whole number a form chose in `field` of `command` (an extension's
// days, an assigned deadline): 0 when `field` is empty, else
// INVALID_ARGUMENT unless the value is 1..`max`.
absl::StatusOr<uint32_t> ChosenAmount(const Command& command,
                                      const std::string& action,
                                      const std::string& field, uint32_t max);

// How far ahead a due time chosen on the form may lie (a supervisor's reply
// due time): 366 days.
inline constexpr absl::Duration kMaxChosenDueAhead = absl::Hours(24 * 366);

// The due time a form chose in `field` of `command` (TimerDef.due_time_field,
// RFC 3339): nullopt when `field` or the value is empty (the timer is not
// started), else INVALID_ARGUMENT "fields.<field>: ..." unless it parses and
// lies after `now` and at most kMaxChosenDueAhead ahead.
absl::StatusOr<std::optional<absl::Time>> ChosenDueTime(
    const Command& command, const std::string& field, absl::Time now);

// "督办 (supervise)": the level as messages name it.
std::string EscalationLevelName(jianyan::v1::EscalationLevel level);

// The action a timer's expiry fires: its on_expiry, or the built-in
// kDeadlineExpiredAction when it has none.
std::string ExpiryAction(const jianyan::v1::TimerDef& timer);

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_COMMAND_CHECK_H_
