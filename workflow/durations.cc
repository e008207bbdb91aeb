#include "workflow/durations.h"

#include "workflow/clock.h"

namespace jianyan {
namespace {

using jianyan::v1::DurationSpec;

absl::CivilDay DayOf(absl::Time t) {
  return absl::ToCivilDay(t, ChinaTimeZone());
}

// 24:00 of `day`, China time.
absl::Time EndOfDay(absl::CivilDay day) {
  return absl::FromCivil(day + 1, ChinaTimeZone());
}

// The day whose 24:00 is `t` when t is a midnight; otherwise the day of t.
absl::CivilDay LastDayOf(absl::Time t) {
  return DayOf(t - absl::Nanoseconds(1));
}

// Moves `n` working days from `day` in direction `step` (+1 or -1).
absl::CivilDay StepWorkingDays(absl::CivilDay day, int64_t n, int step,
                               const WorkingCalendar& calendar,
                               bool* provisional) {
  while (n > 0) {
    day += step;
    if (calendar.IsWorkingDay(day, provisional)) --n;
  }
  return day;
}

}  // namespace

LegalTime AddLegalDuration(absl::Time start, const DurationSpec& spec,
                           const WorkingCalendar& calendar) {
  LegalTime out;
  switch (spec.unit()) {
    case jianyan::v1::DURATION_UNIT_HOURS:
      out.time = start + absl::Hours(spec.amount());
      break;
    case jianyan::v1::DURATION_UNIT_WORKING_DAYS:
      out.time = EndOfDay(StepWorkingDays(DayOf(start), spec.amount(), 1,
                                          calendar, &out.provisional));
      break;
    default:  // calendar days; the validator rejects UNSPECIFIED
      out.time = EndOfDay(DayOf(start) + spec.amount());
      break;
  }
  return out;
}

LegalTime ExtendLegalDuration(absl::Time due, const DurationSpec& spec,
                              const WorkingCalendar& calendar) {
  if (spec.unit() == jianyan::v1::DURATION_UNIT_HOURS) {
    return {due + absl::Hours(spec.amount()), false};
  }
  // Continue from the last day of the current period.
  return AddLegalDuration(due - absl::Nanoseconds(1), spec, calendar);
}

LegalTime RollOffHolidays(LegalTime due, const WorkingCalendar& calendar) {
  absl::CivilDay last = LastDayOf(due.time);
  if (calendar.IsWorkingDay(last, &due.provisional)) return due;
  due.time = EndOfDay(StepWorkingDays(last, 1, 1, calendar, &due.provisional));
  return due;
}

LegalTime SubtractLegalDuration(absl::Time due, const DurationSpec& spec,
                                const WorkingCalendar& calendar) {
  LegalTime out;
  switch (spec.unit()) {
    case jianyan::v1::DURATION_UNIT_HOURS:
      out.time = due - absl::Hours(spec.amount());
      break;
    case jianyan::v1::DURATION_UNIT_WORKING_DAYS: {
      // The start of the earliest day such that `amount` working days are
      // left until the due time.
      absl::CivilDay day = LastDayOf(due);
      for (int64_t left = spec.amount(); left > 0; --day) {
        if (calendar.IsWorkingDay(day, &out.provisional) && --left == 0) break;
      }
      out.time =
          spec.amount() == 0 ? due : absl::FromCivil(day, ChinaTimeZone());
      break;
    }
    case jianyan::v1::DURATION_UNIT_CALENDAR_DAYS:
      out.time = due - absl::Hours(24 * static_cast<int64_t>(spec.amount()));
      break;
    default:
      out.time = due;
      break;
  }
  return out;
}

}  // namespace jianyan
