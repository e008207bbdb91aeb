// Rate rules (docs/rates.md): the counters each applied command adds, and
// the five rates computed from counter totals.
//
// Metrics (CounterDelta.metric; docs/rates.md has the full table):
//   received            a case was created
//   rateable            the case first entered a rateable state (per case;
//                       confidential cases are outside rating)
//   rated, satisfied    its first rating was recorded (and was 满意/基本满意);
//                       rated_round counts every round
//   rating_excluded     an unsatisfied first rating was screened out (甄别)
//   completed_first_time  the first written answer was issued
//   closed              the case entered a closed state from an open one
//   one_time_resolved   the case ended for good (terminal state) answered
//                       once, rated satisfied, no repeat outcome ever
//   routing_decided / routed_on_time       the routing timer (bureau)
//   acceptance_decided / accepted_on_time  the acceptance timer (body)
//   completion_decided / completed_on_time the completion timer, stopped by
//                       an action with a completion outcome, or expired
//   concluded / adopted (suggestions) an adoption outcome was recorded
//
// Thread-safety: pure functions.
#ifndef JIANYAN_WORKFLOW_RATES_H_
#define JIANYAN_WORKFLOW_RATES_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "jianyan/v1/case.pb.h"
#include "workflow/case_change.h"
#include "workflow/definition.h"
#include "workflow/timers.h"

namespace jianyan {

// What one command did, as the rate rules see it.
struct RateInput {
  const jianyan::v1::Case* before = nullptr;  // null on creation
  const jianyan::v1::Case* after = nullptr;
  const jianyan::v1::ActionDef* action = nullptr;
  const TimerEffects* timers = nullptr;
  const jianyan::v1::Deadline* fired = nullptr;  // the timer that expired
  absl::Time now;
};

// Appends the counters `in` adds, attributed to the case's handling
// organisation, reporting point and kind at `in.now`.
void AddRateCounters(const Definition& def, const RateInput& in,
                     std::vector<CounterDelta>* out);

struct Rates {
  double participation = 0;  // 参评率 = rated / rateable (per case)
  // 满意率 = satisfied / (rated - rating_excluded) (per case, first rating)
  double satisfaction = 0;
  // 一次性化解率 = one_time_resolved / completed_first_time
  double one_time_resolution = 0;
  double timely_acceptance = 0;  // 及时受理率 (body's acceptance notice)
  double on_time_completion = 0;  // 按期办结率 = completed_on_time / decided
  double timely_routing = 0;      // 及时受理率 (bureau's routing)
  double adoption = 0;            // 采纳率 = adopted / concluded
};

// Rates from counter totals by metric; a rate with a zero denominator is 0.
Rates ComputeRates(const std::map<std::string, uint64_t>& totals);

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_RATES_H_
