// The transition function: the only way a case moves.
//
//   (definition, case snapshot, command, now) -> CaseChange + Effects
//
// Pure and deterministic: same inputs, same outputs; no I/O, no clock.
// Checks run in this order, the first failure is returned: pinned version,
// known action, role (and capability), organisation, state, fired timer,
// limits, fields — so a caller without the right learns nothing of the
// case's state.
// Errors (nothing changes):
//   INVALID_ARGUMENT    unknown action; a required field missing
//                       ("fields.reason_code: required by 'decline'"),
//                       a value not allowed, a field the action does not
//                       take, an intake case of the wrong kind, a chosen
//                       amount (extension days, assigned deadline) not a
//                       whole number in range, a chosen due time
//                       ("fields.reply_due_time: must be after now") not
//                       RFC 3339, not after now or over 366 days ahead
//   FAILED_PRECONDITION the action is not allowed in the case's state
//                       ("action 'accept' is not allowed in state 'closed'
//                       (allowed: ...)"), the case is terminal, a per-case
//                       limit is used up, a required timer is not running,
//                       the case is pinned to another definition version,
//                       a fired timer is not running or not yet due, the
//                       action is not for the case's petition type, no
//                       unsatisfied rating is left to screen out, routing
//                       to (or under) the accused organisation, an
//                       escalation not above the case's level ("level:
//                       ..."), a warning for a deadline that is paused,
//                       already warned, without warning point or not yet
//                       at it
//   PERMISSION_DENIED   "role 'terminal' may not 'assign'"; a capability the
//                       action requires is missing; the principal
//                       recused itself; a handler acting on another
//                       organisation's case
//
// Thread-safety: pure functions.
#ifndef JIANYAN_WORKFLOW_TRANSITION_H_
#define JIANYAN_WORKFLOW_TRANSITION_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jianyan/v1/case.pb.h"
#include "workflow/case_change.h"
#include "workflow/command.h"
#include "workflow/definition.h"

namespace jianyan {

struct TransitionResult {
  CaseChange change;  // case_after, events (seq set, prev_hash empty), counters
  Effects effects;
};

// Applies `command` to `current` at `now`. The event carries the action's
// raises_notice as Event.supervision_notice (none when a window ends) and,
// for a fired or warned timer, its name in fields["timer"].
absl::StatusOr<TransitionResult> Transition(const Definition& def,
                                            const jianyan::v1::Case& current,
                                            const Command& command,
                                            absl::Time now);

// Creates a case from what intake collected (`intake`: kind, type, channel,
// point, submitter, content, campaign, ...; workflow fields are ignored).
// The result is in the initial state, version 1, with event 1 (the
// definition's create action), its timers started and a 'received' counter.
// Errors: INVALID_ARGUMENT (kind differs from the definition's, empty case
// number, theme without campaign), PERMISSION_DENIED (role may not create).
absl::StatusOr<TransitionResult> CreateCase(const Definition& def,
                                            const jianyan::v1::Case& intake,
                                            const std::string& case_number,
                                            const jianyan::v1::Actor& actor,
                                            absl::Time now);

// The command that fires `timer` of `c` (system role, the timer's expiry
// action or, when it has none, the built-in kDeadlineExpiredAction that
// only marks the case overdue; request id
// "timer/<case>/<timer>/<start unix seconds>").
// NOT_FOUND when the case has no such running timer.
absl::StatusOr<Command> FireTimerCommand(const Definition& def,
                                         const jianyan::v1::Case& c,
                                         const std::string& timer);

// The command that raises the pre-warning (预警) of `timer` of `c` (system
// role, built-in action kDeadlineWarningAction, request id
// "warn/<case>/<timer>/<start unix seconds>"). NOT_FOUND when the case has
// no such running timer. Its transition fails with FAILED_PRECONDITION
// unless the deadline runs (not paused), has not warned and its warn_time
// has come; it sets Deadline.warned and records one event (期限预警, no
// state change, NOTICE_KIND_DUE_SOON, fields["timer"]).
absl::StatusOr<Command> WarnTimerCommand(const Definition& def,
                                         const jianyan::v1::Case& c,
                                         const std::string& timer);

// True when `c` sits in a state that bars the same matter from being
// accepted again (终结).
bool BarsResubmission(const Definition& def, const jianyan::v1::Case& c);

// Lower-case role name as used in messages ("terminal", "handler", ...).
std::string RoleName(jianyan::v1::Role role);

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_TRANSITION_H_
