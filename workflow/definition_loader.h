// Loading workflow definitions from textproto files.
//
// A definition file is a jianyan.v1.WorkflowDefinition in text format
// (workflow/definitions/*.textproto). Loading parses, validates and
// versions it: the version is the digest of its content, so loading the
// same file twice gives the same version and any change a new one.
//
// Thread-safety: free functions without shared state.
#ifndef JIANYAN_WORKFLOW_DEFINITION_LOADER_H_
#define JIANYAN_WORKFLOW_DEFINITION_LOADER_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "workflow/calendar.h"
#include "workflow/definition.h"

namespace jianyan {

using CalendarMap =
    std::map<std::string, std::shared_ptr<const WorkingCalendar>>;

// Parses and validates `text`, naming `file` in messages. Errors are
// INVALID_ARGUMENT: syntax "<file>:<line>:<col>: <parser message>";
// validation "<file>:<line>: <problem>" for each problem, "; "-joined, with
// the line of the named state, action or timer (definition-wide problems
// carry no line). The definition's calendar is taken from `calendars`; a
// name not there is INVALID_ARGUMENT "<file>: definition 'x' names calendar
// 'y', which has no file".
// `origin`: kStored for a version kept from before (see DefinitionOrigin).
absl::StatusOr<std::shared_ptr<const Definition>> LoadDefinitionFromText(
    const std::string& text, const std::string& file,
    const CalendarMap& calendars,
    DefinitionOrigin origin = DefinitionOrigin::kNew);

// Reads and loads one file (NOT_FOUND when unreadable). Messages name the
// file by its base name.
absl::StatusOr<std::shared_ptr<const Definition>> LoadDefinitionFromFile(
    const std::string& path, const CalendarMap& calendars,
    DefinitionOrigin origin = DefinitionOrigin::kNew);

// Loads every *.textproto in `dir`, keyed by definition name.
// ALREADY_EXISTS when two files define the same name.
absl::StatusOr<std::map<std::string, std::shared_ptr<const Definition>>>
LoadDefinitionDir(const std::string& dir, const CalendarMap& calendars);

// Where the shipped definitions live (workflow/definitions in the source
// tree this library was built from).
std::string DefaultDefinitionsDir();

// The shipped definitions ("petition", "suggestion") with the shipped
// calendars.
absl::StatusOr<std::map<std::string, std::shared_ptr<const Definition>>>
LoadDefaultDefinitions();

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_DEFINITION_LOADER_H_
