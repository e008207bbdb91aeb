#include "workflow/definition_loader.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"
#include "workflow/definition_validator.h"
#include "workflow/status_macros.h"
#include "workflow/textproto.h"

namespace jianyan {
namespace {

using google::protobuf::TextFormat;

// The 1-based line of element `index` of `list`, or 0 when unknown.
int LineOf(const TextFormat::ParseInfoTree& tree, const std::string& list,
           int index) {
  const auto* field =
      jianyan::v1::WorkflowDefinition::descriptor()->FindFieldByName(list);
  if (field == nullptr || index < 0) return 0;
  int line = tree.GetLocation(field, index).line;
  return line < 0 ? 0 : line + 1;
}

std::string BaseName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Definition>> LoadDefinitionFromText(
    const std::string& text, const std::string& file,
    const CalendarMap& calendars, DefinitionOrigin origin) {
  jianyan::v1::WorkflowDefinition def;
  TextFormat::ParseInfoTree tree;
  JY_RETURN_IF_ERROR(ParseTextProto(text, file, &def, &tree));
  std::shared_ptr<const WorkingCalendar> calendar;
  if (!def.calendar().empty()) {
    // A misspelt calendar would silently count weekends only.
    auto cal = calendars.find(def.calendar());
    if (cal == calendars.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ": definition '", def.name(), "' names calendar '",
                       def.calendar(), "', which has no file"));
    }
    calendar = cal->second;
  }
  return Definition::Create(
      std::move(def), std::move(calendar),
      [&](const DefinitionError& e) {
        int line = LineOf(tree, e.list, e.index);
        return absl::StrCat(file, line > 0 ? absl::StrCat(":", line) : "", ": ",
                            e.message);
      },
      origin);
}

absl::StatusOr<std::shared_ptr<const Definition>> LoadDefinitionFromFile(
    const std::string& path, const CalendarMap& calendars,
    DefinitionOrigin origin) {
  JY_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return LoadDefinitionFromText(text, BaseName(path), calendars, origin);
}

absl::StatusOr<std::map<std::string, std::shared_ptr<const Definition>>>
LoadDefinitionDir(const std::string& dir, const CalendarMap& calendars) {
  JY_ASSIGN_OR_RETURN(std::vector<std::string> files, ListTextprotoFiles(dir));
  std::map<std::string, std::shared_ptr<const Definition>> out;
  for (const std::string& file : files) {
    JY_ASSIGN_OR_RETURN(auto def, LoadDefinitionFromFile(file, calendars));
    if (!out.emplace(def->name(), def).second) {
      return absl::AlreadyExistsError(absl::StrCat(
          BaseName(file), ": definition '", def->name(), "' defined twice"));
    }
  }
  return out;
}

std::string DefaultDefinitionsDir() {
  return std::string(JIANYAN_SOURCE_DIR) + "/workflow/definitions";
}

absl::StatusOr<std::map<std::string, std::shared_ptr<const Definition>>>
LoadDefaultDefinitions() {
  JY_ASSIGN_OR_RETURN(CalendarMap calendars,
                      LoadCalendarDir(DefaultCalendarsDir()));
  return LoadDefinitionDir(DefaultDefinitionsDir(), calendars);
}

}  // namespace jianyan
