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
int LineOf(const TextFormat::ParseInfoTree& tree,
           const jianyan::v1::WorkflowDefinition& def, const std::string& list,
           int index) {
  const auto* field = def.GetDescriptor()->FindFieldByName(list);
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
    const CalendarMap& calendars) {
  jianyan::v1::WorkflowDefinition def;
  TextFormat::ParseInfoTree tree;
  JY_RETURN_IF_ERROR(ParseTextProto(text, file, &def, &tree));
  def.clear_version();  // set by the loader only
  std::vector<DefinitionError> errors = ValidateDefinition(def);
  if (!errors.empty()) {
    std::string message;
    for (const auto& e : errors) {
      int line = LineOf(tree, def, e.list, e.index);
      absl::StrAppend(&message, message.empty() ? "" : "; ", file,
                      line > 0 ? absl::StrCat(":", line) : "", ": ", e.message);
    }
    return absl::InvalidArgumentError(message);
  }
  auto cal = calendars.find(def.calendar());
  return Definition::Create(std::move(def),
                            cal == calendars.end() ? nullptr : cal->second);
}

absl::StatusOr<std::shared_ptr<const Definition>> LoadDefinitionFromFile(
    const std::string& path, const CalendarMap& calendars) {
  JY_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return LoadDefinitionFromText(text, BaseName(path), calendars);
}

absl::StatusOr<std::shared_ptr<const Definition>> LoadDefinitionFromFile(
    const std::string& path) {
  JY_ASSIGN_OR_RETURN(CalendarMap calendars,
                      LoadCalendarDir(DefaultCalendarsDir()));
  return LoadDefinitionFromFile(path, calendars);
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
