#include "workflow/rates.h"

#include <algorithm>

#include "workflow/time_util.h"

namespace jianyan {
namespace {

using jianyan::v1::Case;

bool Satisfied(const Case& c) {
  return c.rating().level() == jianyan::v1::RATING_LEVEL_SATISFIED ||
         c.rating().level() == jianyan::v1::RATING_LEVEL_BASICALLY_SATISFIED;
}

// How many times actions carrying `outcome` were applied to `c`.
uint32_t OutcomeCount(const Definition& def, const Case& c,
                      const std::string& outcome) {
  uint32_t n = 0;
  for (const auto& a : def.proto().actions()) {
    if (std::find(a.outcomes().begin(), a.outcomes().end(), outcome) ==
        a.outcomes().end()) {
      continue;
    }
    auto it = c.action_counts().find(a.name());
    if (it != c.action_counts().end()) n += it->second;
  }
  return n;
}

bool OneTimeResolved(const Definition& def, const Case& c) {
  const auto& rules = def.proto().rate_rules();
  if (!Satisfied(c) || rules.first_response_outcome().empty() ||
      OutcomeCount(def, c, rules.first_response_outcome()) != 1) {
    return false;
  }
  for (const auto& o : rules.repeat_outcomes()) {
    if (OutcomeCount(def, c, o) > 0) return false;
  }
  return true;
}

double Ratio(const std::map<std::string, uint64_t>& t, const char* num,
             const char* den) {
  auto n = t.find(num);
  auto d = t.find(den);
  if (d == t.end() || d->second == 0 || n == t.end()) return 0;
  return static_cast<double>(n->second) / d->second;
}

}  // namespace

void AddRateCounters(const Definition& def, const RateInput& in,
                     std::vector<CounterDelta>* out) {
  const Case& after = *in.after;
  auto add = [&](const char* metric) {
    CounterDelta d;
    d.metric = metric;
    d.time = in.now;
    // The handling body once routed; before that the registering body, so
    // that intake counts ("received") belong to an organisation too.
    d.organisation_id = after.handling_organisation_id().empty()
                            ? after.routing_organisation_id()
                            : after.handling_organisation_id();
    d.reporting_point_id = after.reporting_point_id();
    d.kind = after.kind();
    out->push_back(std::move(d));
  };
  const auto& rules = def.proto().rate_rules();
  const bool entered =
      in.before == nullptr || in.before->state() != after.state();
  if (in.before == nullptr) add("received");
  if (entered && def.FindState(after.state())->rateable()) add("rateable");
  if (in.action != nullptr && in.action->records_rating()) {
    add("rated");
    if (Satisfied(after)) add("satisfied");
    switch (after.rating().level()) {
      case jianyan::v1::RATING_LEVEL_SATISFIED:
        add("rated_satisfied");
        break;
      case jianyan::v1::RATING_LEVEL_BASICALLY_SATISFIED:
        add("rated_basically_satisfied");
        break;
      case jianyan::v1::RATING_LEVEL_UNSATISFIED:
        add("rated_unsatisfied");
        break;
      default:
        break;
    }
  }
  if (in.before != nullptr && in.before->open() && !after.open()) {
    add("closed");
    if (OneTimeResolved(def, after)) add("one_time_resolved");
  }
  auto timer_metrics = [&](const std::string& timer, const char* decided,
                           const char* on_time) {
    if (timer.empty()) return;
    if (in.fired != nullptr && in.fired->timer() == timer) add(decided);
    for (const auto& d : in.timers->stopped) {
      if (d.timer() != timer) continue;
      add(decided);
      // Due is the first instant that is late (24:00 of the last day).
      if (d.paused() || in.now < FromProto(d.due_time())) add(on_time);
    }
  };
  if (in.timers != nullptr) {
    timer_metrics(rules.acceptance_timer(), "acceptance_decided",
                  "accepted_on_time");
    timer_metrics(rules.completion_timer(), "completion_decided",
                  "completed_on_time");
  }
}

Rates ComputeRates(const std::map<std::string, uint64_t>& t) {
  Rates r;
  r.participation = Ratio(t, "rated", "rateable");
  r.satisfaction = Ratio(t, "satisfied", "rated");
  r.one_time_resolution = Ratio(t, "one_time_resolved", "closed");
  r.timely_acceptance = Ratio(t, "accepted_on_time", "acceptance_decided");
  r.on_time_completion = Ratio(t, "completed_on_time", "completion_decided");
  return r;
}

}  // namespace jianyan
