// What `jianyan demo load` does to each case it creates: a fixed,
// deterministic plan per case index, so a rerun asks for the same things
// (with the same request ids) and the mix of states is the same each time.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_SERVICES_CLI_DEMO_PLAN_H_
#define JIANYAN_SERVICES_CLI_DEMO_PLAN_H_

#include <map>
#include <string>
#include <vector>

#include "jianyan/v1/common.pb.h"

namespace jianyan::cli {

// Who performs a step.
enum class DemoActor { kHandler, kSupervisor };

// One WorkflowService.Act, taken only while the case is in `from_state`
// (so a rerun skips the steps an earlier run did).
struct DemoStep {
  DemoActor actor;
  std::string from_state;
  std::string action;
  std::map<std::string, std::string> fields;
};

struct DemoCasePlan {
  int index = 0;
  jianyan::v1::CaseKind kind = jianyan::v1::CASE_KIND_PETITION;
  // Submitted before the testing clock is advanced, then left waiting: its
  // first deadline passes.
  bool overdue = false;
  // Suggestions: answers the demo campaign.
  bool campaign = false;
  std::vector<DemoStep> steps;
  // Rated by the petitioner (query code) after the steps; UNSPECIFIED: not.
  jianyan::v1::RatingLevel rating = jianyan::v1::RATING_LEVEL_UNSPECIFIED;
  // Raised by the supervisor after the steps; NONE: not.
  jianyan::v1::EscalationLevel escalation = jianyan::v1::ESCALATION_LEVEL_NONE;
};

// The plan of case `index` (0-based). One case in five is a suggestion. A
// suggestion's study is assigned to `suggestion_org`.
DemoCasePlan PlanDemoCase(int index, const std::string& suggestion_org);

// "dl-0042-accept": the request id of a step of case `index`, stable across
// runs (8..64 characters of [A-Za-z0-9_-]).
std::string DemoRequestId(int index, const std::string& what);

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_DEMO_PLAN_H_
