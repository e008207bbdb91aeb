// Rate rules (docs/rates.md): the counters each applied command adds, and
// the five rates computed from counter totals.
//
// Metrics (CounterDelta.metric):
//   received            a case was created
//   rateable            the case entered a state marked rateable
//   rated               a rating was recorded
//   satisfied           ... and it was satisfied or basically satisfied
//   closed              the case entered a closed state from an open one
//   one_time_resolved   ... on its first response, rated satisfied or
//                       basically satisfied, no repeat outcome ever applied
//   acceptance_decided  the acceptance timer stopped or expired
//   accepted_on_time    ... it stopped (was not expired) and now <= due
//   completion_decided  the completion timer stopped or expired
//   completed_on_time   ... it stopped and now <= due
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
  double participation = 0;        // 参评率 = rated / rateable
  double satisfaction = 0;         // 满意率 = satisfied / rated
  double one_time_resolution = 0;  // 一次性化解率 = one_time_resolved / closed
  double timely_acceptance = 0;  // 及时受理率 = accepted_on_time / decided
  double on_time_completion = 0;  // 按期办结率 = completed_on_time / decided
};

// Rates from counter totals by metric; a rate with a zero denominator is 0.
Rates ComputeRates(const std::map<std::string, uint64_t>& totals);

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_RATES_H_
