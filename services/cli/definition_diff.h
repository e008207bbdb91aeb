// What changed between two versions of a workflow definition, item by
// item: states, actions and timers matched by name (added, removed or
// changed, with the fields that differ), and the definition's own fields.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_SERVICES_CLI_DEFINITION_DIFF_H_
#define JIANYAN_SERVICES_CLI_DEFINITION_DIFF_H_

#include <string>
#include <vector>

#include "google/protobuf/struct.pb.h"
#include "jianyan/v1/workflow_definition.pb.h"

namespace jianyan::cli {

struct DefinitionChange {
  std::string kind;    // "definition", "state", "action" or "timer"
  std::string name;    // the item's name; the definition's for "definition"
  std::string change;  // "added", "removed" or "changed"
  jianyan::v1::Label label;         // the new one (the old one when removed)
  std::vector<std::string> fields;  // changed: the top-level fields that differ
};

// The changes from `from` to `to`, definition first, then states, actions
// and timers, each in the order of `to` followed by the removed ones.
// The version field is ignored.
std::vector<DefinitionChange> DiffDefinitions(
    const jianyan::v1::WorkflowDefinition& from,
    const jianyan::v1::WorkflowDefinition& to);

// A change as a JSON object (google.protobuf.Struct) with the keys kind,
// name, change, label {zh, en} and fields.
google::protobuf::Struct ChangeToStruct(const DefinitionChange& change);

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_DEFINITION_DIFF_H_
