// WorkingCalendar: which days are working days (工作日), from CalendarYear
// files holding public holidays and make-up working days (调休).
//
// File format (docs/workflows.md): one file per year,
// workflow/calendars/<name>-<year>.textproto, a jianyan.v1.CalendarYear.
// A year without a file counts Monday..Friday as working days and every
// answer about it is marked provisional, so deadlines computed from it carry
// Deadline.provisional = true until an administrator loads that year.
//
// Thread-safety: immutable after loading; safe for concurrent reads.
#ifndef JIANYAN_WORKFLOW_CALENDAR_H_
#define JIANYAN_WORKFLOW_CALENDAR_H_

#include <map>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "jianyan/v1/workflow_definition.pb.h"

namespace jianyan {

class WorkingCalendar {
 public:
  // An empty calendar named `name`: weekends only, every year provisional.
  explicit WorkingCalendar(std::string name = "") : name_(std::move(name)) {}

  // Adds one year. Returns INVALID_ARGUMENT when the name differs from the
  // calendar's, a date is invalid or outside the year, a range is reversed,
  // a make-up day is not a weekend day or is also a holiday; ALREADY_EXISTS
  // when the year is already loaded.
  absl::Status AddYear(const jianyan::v1::CalendarYear& year);

  // True when `day` is a working day. Sets *provisional (if not null) to
  // true when the day's year has no calendar (weekends-only answer).
  bool IsWorkingDay(absl::CivilDay day, bool* provisional) const;

  bool HasYear(int year) const { return years_.contains(year); }
  const std::string& name() const { return name_; }

 private:
  // Per loaded year: day-of-year flags, 1 = working day.
  std::string name_;
  absl::flat_hash_map<int, std::string> years_;
};

// Loads one CalendarYear file. Errors: NOT_FOUND (unreadable),
// INVALID_ARGUMENT "<file>:<line>:<col>: ..." (syntax).
absl::StatusOr<jianyan::v1::CalendarYear> LoadCalendarFile(
    const std::string& path);

// Loads every *.textproto in `dir` into calendars keyed by name. Errors as
// LoadCalendarFile and AddYear, prefixed with the file name.
absl::StatusOr<std::map<std::string, std::shared_ptr<const WorkingCalendar>>>
LoadCalendarDir(const std::string& dir);

// The calendars shipped with the source tree (workflow/calendars).
std::string DefaultCalendarsDir();

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_CALENDAR_H_
