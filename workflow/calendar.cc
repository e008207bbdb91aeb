#include "workflow/calendar.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "workflow/status_macros.h"
#include "workflow/textproto.h"

namespace jianyan {
namespace {

bool IsWeekend(absl::CivilDay day) {
  absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

absl::StatusOr<absl::CivilDay> ToDay(const jianyan::v1::Date& d, int year) {
  absl::CivilDay day(d.year(), d.month(), d.day());
  if (day.year() != d.year() || day.month() != d.month() ||
      day.day() != d.day()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "invalid date %04d-%02d-%02d", d.year(), d.month(), d.day()));
  }
  if (d.year() != year) {
    return absl::InvalidArgumentError(
        absl::StrFormat("date %04d-%02d-%02d is outside year %d", d.year(),
                        d.month(), d.day(), year));
  }
  return day;
}

int DayIndex(absl::CivilDay day) {
  return static_cast<int>(day - absl::CivilDay(day.year(), 1, 1));
}

}  // namespace

absl::Status WorkingCalendar::AddYear(const jianyan::v1::CalendarYear& y) {
  if (!name_.empty() && y.name() != name_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "calendar year names '", y.name(), "', expected '", name_, "'"));
  }
  if (y.name().empty()) return absl::InvalidArgumentError("calendar: no name");
  name_ = y.name();
  if (y.year() < 2000 || y.year() > 9999) {
    return absl::InvalidArgumentError(
        absl::StrCat("calendar year ", y.year(), " out of range"));
  }
  if (years_.contains(y.year())) {
    return absl::AlreadyExistsError(
        absl::StrCat("calendar '", name_, "' already has year ", y.year()));
  }
  absl::CivilDay first(y.year(), 1, 1);
  int days = static_cast<int>(absl::CivilDay(y.year() + 1, 1, 1) - first);
  std::string flags(days, '0');
  for (int i = 0; i < days; ++i) flags[i] = IsWeekend(first + i) ? '0' : '1';
  std::vector<bool> holiday(days, false);  // inside a holidays range
  for (const auto& range : y.holidays()) {
    JY_ASSIGN_OR_RETURN(absl::CivilDay a, ToDay(range.first(), y.year()));
    JY_ASSIGN_OR_RETURN(absl::CivilDay b, ToDay(range.last(), y.year()));
    if (b < a) {
      return absl::InvalidArgumentError(
          absl::StrCat("holiday range ", absl::FormatCivilTime(a), " .. ",
                       absl::FormatCivilTime(b), " is reversed"));
    }
    for (absl::CivilDay d = a; d <= b; ++d) {
      flags[DayIndex(d)] = '0';
      holiday[DayIndex(d)] = true;
    }
  }
  for (const auto& date : y.working_days()) {
    JY_ASSIGN_OR_RETURN(absl::CivilDay d, ToDay(date, y.year()));
    if (!IsWeekend(d)) {
      return absl::InvalidArgumentError(
          absl::StrCat("make-up working day ", absl::FormatCivilTime(d),
                       " is not a Saturday or Sunday"));
    }
    if (holiday[DayIndex(d)]) {
      return absl::InvalidArgumentError(absl::StrCat("make-up working day ",
                                                     absl::FormatCivilTime(d),
                                                     " is also a holiday"));
    }
    flags[DayIndex(d)] = '1';
  }
  years_.emplace(y.year(), std::move(flags));
  return absl::OkStatus();
}

bool WorkingCalendar::IsWorkingDay(absl::CivilDay day,
                                   bool* provisional) const {
  auto it = years_.find(static_cast<int>(day.year()));
  if (it == years_.end()) {
    if (provisional != nullptr) *provisional = true;
    return !IsWeekend(day);
  }
  return it->second[DayIndex(day)] == '1';
}

absl::StatusOr<jianyan::v1::CalendarYear> LoadCalendarFile(
    const std::string& path) {
  JY_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  jianyan::v1::CalendarYear year;
  JY_RETURN_IF_ERROR(ParseTextProto(
      text, std::filesystem::path(path).filename().string(), &year, nullptr));
  return year;
}

absl::StatusOr<std::map<std::string, std::shared_ptr<const WorkingCalendar>>>
LoadCalendarDir(const std::string& dir) {
  JY_ASSIGN_OR_RETURN(std::vector<std::string> files, ListTextprotoFiles(dir));
  std::map<std::string, std::shared_ptr<WorkingCalendar>> building;
  for (const std::string& file : files) {
    JY_ASSIGN_OR_RETURN(jianyan::v1::CalendarYear year, LoadCalendarFile(file));
    auto& cal = building[year.name()];
    if (cal == nullptr) cal = std::make_shared<WorkingCalendar>(year.name());
    absl::Status st = cal->AddYear(year);
    if (!st.ok()) {
      return absl::Status(
          st.code(),
          absl::StrCat(std::filesystem::path(file).filename().string(), ": ",
                       st.message()));
    }
  }
  std::map<std::string, std::shared_ptr<const WorkingCalendar>> out;
  for (auto& [name, cal] : building) out.emplace(name, std::move(cal));
  return out;
}

std::string DefaultCalendarsDir() {
  return std::string(JIANYAN_SOURCE_DIR) + "/workflow/calendars";
}

}  // namespace jianyan
