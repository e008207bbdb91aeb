// Fuzz target: a working-day calendar file (CalendarYear textproto), parsed
// and added to a calendar, which is then asked about every day of the
// year it names.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/time/civil_time.h"
#include "workflow/calendar.h"
#include "workflow/textproto.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  jianyan::v1::CalendarYear year;
  if (!jianyan::ParseTextProto(text, "fuzz.textproto", &year, nullptr).ok()) {
    return 0;
  }
  jianyan::WorkingCalendar calendar(year.name());
  if (!calendar.AddYear(year).ok()) return 0;
  bool provisional = false;
  const absl::CivilDay first(year.year(), 1, 1);
  for (absl::CivilDay d = first; d.year() == first.year(); ++d) {
    (void)calendar.IsWorkingDay(d, &provisional);
  }
  return 0;
}
