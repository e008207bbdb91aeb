// Timer bookkeeping on a case snapshot: the running and paused legal clocks
// kept in Case.deadlines, and Case.due_time.
//
// A timer is started on entering one of its start_on_enter states (unless
// already present; timers counted from_creation start only at creation) or
// by an action's start_timers; it runs while the case is in its
// running_states, stops counting in its paused_states (remaining time kept
// in remaining_seconds, due_time cleared) and is cancelled on entering any
// other state. Resuming sets due = now + remaining and recomputes warn; a
// timer with pause_whole_days counts remaining from 00:00 of the pause's day
// and resumes from 00:00 of the resumption's day, so its end stays at 24:00
// and moves by whole days.
//
// A deadline's warn_time (warn_before ahead of its due time; none for
// windows or without warn_before) is recomputed whenever a new instance
// begins: a start or restart, a resumption and an extension; Deadline.warned
// is then cleared (the pre-warning is raised once more) unless the new
// point is the one already warned at. A paused deadline has no warn_time
// unless it warned (the point it warned at is kept for the resumption).
//
// Thread-safety: pure functions over the arguments.
#ifndef JIANYAN_WORKFLOW_TIMERS_H_
#define JIANYAN_WORKFLOW_TIMERS_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "jianyan/v1/case.pb.h"
#include "workflow/definition.h"

namespace jianyan {

// What happened to the case's timers in one command.
struct TimerEffects {
  std::vector<std::string> started;
  std::vector<std::string> cancelled;
  std::vector<std::string> paused;
  std::vector<std::string> resumed;
  std::vector<std::string> extended;
  // Deadlines that stopped without firing (state left or cancel_timers),
  // as they were when stopped: the rates read them.
  std::vector<jianyan::v1::Deadline> stopped;
};

// The deadline of `timer` in `c`, or null.
const jianyan::v1::Deadline* FindDeadline(const jianyan::v1::Case& c,
                                          const std::string& timer);

// True when `timer` runs or is paused in `state` (it lives there).
bool TimerAliveIn(const jianyan::v1::TimerDef& timer, const std::string& state);

// Records that the running deadline of `timer` raised its pre-warning.
void MarkWarned(const std::string& timer, jianyan::v1::Case* c);

// Starts (or restarts) `timer` at `start`: computes due and warn times with
// the definition's calendar (rolled off holidays when the timer says so).
// `amount`, when not 0, replaces duration.amount (a length chosen on the
// form, TimerDef.amount_field). `now` decides whether it starts paused.
void StartTimer(const Definition& def, const jianyan::v1::TimerDef& timer,
                absl::Time start, absl::Time now, jianyan::v1::Case* c,
                TimerEffects* effects, uint32_t amount = 0);

// Starts (or restarts) `timer` at `now` with the due time `due` chosen on
// the form (TimerDef.due_time_field; checked by the caller to be after now).
void StartTimerUntil(const Definition& def, const jianyan::v1::TimerDef& timer,
                     absl::Time now, absl::Time due, jianyan::v1::Case* c,
                     TimerEffects* effects);

// Moves the due deadline of `timer` to c->expired_deadlines: the case is
// overdue on it while it stays in the timer's states. A window timer is
// removed instead. Either way it is never scheduled again.
void ExpireTimer(const Definition& def, const std::string& timer,
                 jianyan::v1::Case* c);

// Removes `timer` (and its overdue entry, if any); records the running one
// in effects->stopped when `record` is set.
void CancelTimer(const std::string& timer, bool record, jianyan::v1::Case* c,
                 TimerEffects* effects);

// Applies the case's move to c->state() (`entered` is false when the state
// did not change): cancels, pauses, resumes and starts; drops expired
// deadlines of timers that do not run in the new state (no longer overdue).
// A from_creation timer (re)starts from the case's creation when a state
// that starts it is entered and it is neither running nor overdue (e.g.
// back to registration after an objection: the 15 days still count from
// registration); if that restart is already past its end, the case is
// overdue on it at once and the expiry action is not fired again.
void ApplyStateTimers(const Definition& def, bool entered, absl::Time now,
                      jianyan::v1::Case* c, TimerEffects* effects);

// Extends the running or paused deadline of `ext.timer()` by `ext.by()`
// (延期) from its current end, recomputing the warning point, and counts the
// extension. `amount`, when not 0, replaces by.amount (chosen on the form).
// Limits (max_times, the amount's range) are checked by the caller.
void ExtendDeadline(const Definition& def, const jianyan::v1::ExtendTimer& ext,
                    absl::Time now, jianyan::v1::Case* c, TimerEffects* effects,
                    uint32_t amount = 0);

// Sets c->due_time to the earliest due time the case is bound by: running
// deadlines and overdue (expired, still in the timer's states) ones;
// windows do not count. Cleared when there is none.
void RecomputeDueTime(const Definition& def, jianyan::v1::Case* c);

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_TIMERS_H_
