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
};

// Effects of an applied command beyond the snapshot: what callers that
// schedule or notify need to know.
struct Effects {
  TimerEffects timers;
  bool rating_requested = false;  // a rating window was opened
};

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_COMMAND_H_
