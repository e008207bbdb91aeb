// Legal time arithmetic: adding calendar days, working days or hours to a
// start time, and finding pre-warning points. All dates are China time.
//
// Conventions (docs/workflows.md "Time limits"):
// - N calendar days from a start S: the day of S is not counted (期间开始的日
//   不计算在内); the limit ends at 24:00 of the N-th day after it, i.e. at
//   00:00 China time of day(S) + N + 1.
// - N working days from S: the N-th working day after day(S), ending at its
//   24:00. Working days come from the WorkingCalendar.
// - N hours from S: exactly S + N hours.
// - A warning "W before" a due time D: calendar days D - W days; working days
//   00:00 of the day from which exactly W working days are left until D;
//   hours D - W hours.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_WORKFLOW_DURATIONS_H_
#define JIANYAN_WORKFLOW_DURATIONS_H_

#include "absl/time/time.h"
#include "jianyan/v1/workflow_definition.pb.h"
#include "workflow/calendar.h"

namespace jianyan {

struct LegalTime {
  absl::Time time;
  bool provisional = false;  // a working-day year without calendar was used
};

// The end of a period of `spec` starting at `start`.
LegalTime AddLegalDuration(absl::Time start,
                           const jianyan::v1::DurationSpec& spec,
                           const WorkingCalendar& calendar);

// The due time D extended by `spec` (延期): the period continues from D's
// last day; hours are added to D.
LegalTime ExtendLegalDuration(absl::Time due,
                              const jianyan::v1::DurationSpec& spec,
                              const WorkingCalendar& calendar);

// 民法典 Art 203: when the last day of the period ending at `due` (24:00 of
// that day) is not a working day, the period ends at 24:00 of the first
// working day after it. Periods in hours are left as they are by callers.
LegalTime RollOffHolidays(LegalTime due, const WorkingCalendar& calendar);

// The pre-warning point `spec` before `due`. A zero spec gives `due`.
LegalTime SubtractLegalDuration(absl::Time due,
                                const jianyan::v1::DurationSpec& spec,
                                const WorkingCalendar& calendar);

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_DURATIONS_H_
