// Fuzz target: a workflow definition's textproto, parsed and validated as
// an operator's file or an AdminService.PutWorkflowDefinition would be.
#include <cstddef>
#include <cstdint>
#include <string>

#include "workflow/calendar.h"
#include "workflow/definition_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* calendars = [] {
    auto loaded = jianyan::LoadCalendarDir(jianyan::DefaultCalendarsDir());
    return new jianyan::CalendarMap(loaded.ok() ? *loaded
                                                : jianyan::CalendarMap());
  }();
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)jianyan::LoadDefinitionFromText(text, "fuzz.textproto", *calendars);
  return 0;
}
