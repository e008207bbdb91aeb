// Command: one request to move a case, as the transition function takes it.
#ifndef JIANYAN_WORKFLOW_COMMAND_H_
#define JIANYAN_WORKFLOW_COMMAND_H_

#include <map>
#include <string>
#include <vector>

#include "jianyan/v1/common.pb.h"
#include "workflow/timers.h"

namespace jianyan {

struct Command {
  std::string action;        // an action of the case's definition
  jianyan::v1::Actor actor;  // role and organisation decide permission
  std::map<std::string, std::string> fields;  // values for the action's fields
  std::string request_id;  // the client's idempotency key, recorded
  std::string timer;       // set (system role only) when a timer fired
  // The bodies above the organisation named in field "organisation_id",
  // nearest first, as the caller's directory knows them (Organisation
  // parent_id chain). Routing an accusation is refused when the accused
  // organisation is the target or any of these (Art 30).
  std::vector<std::string> organisation_ancestors;
};

// Effects of an applied command beyond the snapshot: what callers that
// schedule or notify need to know.
struct Effects {
  TimerEffects timers;
  bool rating_requested = false;  // a rating window was opened
  // The case became major or urgent (Case.major) with this command: the
  // supervisors are told at once and it is reported one level up (Art 25).
  bool major_flagged = false;
};

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_COMMAND_H_
