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

bool HasOutcome(const jianyan::v1::ActionDef* action,
                const google::protobuf::RepeatedPtrField<std::string>& any) {
  if (action == nullptr) return false;
  return std::any_of(any.begin(), any.end(), [&](const std::string& o) {
    return std::find(action->outcomes().begin(), action->outcomes().end(), o) !=
           action->outcomes().end();
  });
}

const char* LevelMetric(jianyan::v1::RatingLevel level) {
  switch (level) {
    case jianyan::v1::RATING_LEVEL_SATISFIED:
      return "rated_satisfied";
    case jianyan::v1::RATING_LEVEL_BASICALLY_SATISFIED:
      return "rated_basically_satisfied";
    case jianyan::v1::RATING_LEVEL_UNSATISFIED:
      return "rated_unsatisfied";
    default:
      return nullptr;
  }
}

}  // namespace

void AddRateCounters(const Definition& def, const RateInput& in,
                     std::vector<CounterDelta>* out) {
  const Case& after = *in.after;
  const auto& rules = def.proto().rate_rules();
  auto add_for = [&](const char* metric, const std::string& org) {
    CounterDelta d;
    d.metric = metric;
    d.time = in.now;
    d.organisation_id = org;
    d.reporting_point_id = after.reporting_point_id();
    d.kind = after.kind();
    out->push_back(std::move(d));
  };
  // The handling body once routed; before that the registering body, so
  // that intake counts ("received") belong to an organisation too.
  const std::string& current = after.handling_organisation_id().empty()
                                   ? after.routing_organisation_id()
                                   : after.handling_organisation_id();
  auto add = [&](const char* metric) { add_for(metric, current); };
  // Ratings are credited to the body that first answered (谁初次办理谁接受
  // 评价) when the definition says so.
  const std::string& rated_body =
      rules.rate_first_handler() &&
              !after.first_handling_organisation_id().empty()
          ? after.first_handling_organisation_id()
          : current;
  auto add_rating = [&](const char* metric) { add_for(metric, rated_body); };
  const bool entered =
      in.before == nullptr || in.before->state() != after.state();
  // Confidential matters (accusations) are outside rating; matters routed
  // to legal procedures never reach a rateable state.
  const bool rating_counts = !after.confidential();
  const bool first_rating = after.previous_ratings_size() == 0;
  if (in.before == nullptr) add("received");
  // Per case: the first time it is due for rating.
  if (rating_counts && entered && def.FindState(after.state())->rateable() &&
      !after.has_rating() &&
      (in.before == nullptr || !in.before->has_rating())) {
    add_rating("rateable");
  }
  if (rating_counts && in.action != nullptr && in.action->records_rating()) {
    add_rating("rated_round");  // every round, a secondary figure
    if (first_rating) {
      add_rating("rated");
      if (Satisfied(after)) add_rating("satisfied");
      if (const char* m = LevelMetric(after.rating().level())) add_rating(m);
    }
  }
  // 甄别: an unreasonable 不满意 screened out, once per case.
  if (rating_counts && in.action != nullptr && in.action->excludes_rating() &&
      in.before != nullptr &&
      in.before->action_counts().count(in.action->name()) == 0 &&
      in.before->previous_ratings_size() == 0) {
    add_rating("rating_excluded");
  }
  if (in.before != nullptr && in.action != nullptr &&
      !rules.first_response_outcome().empty() &&
      OutcomeCount(def, *in.before, rules.first_response_outcome()) == 0 &&
      OutcomeCount(def, after, rules.first_response_outcome()) == 1) {
    add("completed_first_time");
  }
  if (in.before != nullptr && in.before->open() && !after.open()) {
    add("closed");
  }
  // One-time resolution is known only when the matter is over for good
  // (no review can follow): on entering a terminal state.
  if (in.before != nullptr && entered &&
      def.FindState(after.state())->terminal() && OneTimeResolved(def, after)) {
    add_rating("one_time_resolved");
  }
  // 采纳率 (suggestions): once per case, on the first adoption outcome.
  const std::string& adoption = rules.adoption_field();
  if (!adoption.empty() && in.before != nullptr &&
      !in.before->attributes().contains(adoption) &&
      after.attributes().contains(adoption)) {
    add("concluded");
    const std::string& v = after.attributes().at(adoption);
    if (std::find(rules.adopted_values().begin(), rules.adopted_values().end(),
                  v) != rules.adopted_values().end()) {
      add("adopted");
    }
  }
  if (in.action != nullptr && in.action->sets_quality_suggestion() &&
      in.before != nullptr && !in.before->quality_suggestion()) {
    add("quality");
  }
  auto timer_metrics = [&](const std::string& timer, const char* decided,
                           const char* on_time, bool any_stop) {
    if (timer.empty()) return;
    if (in.fired != nullptr && in.fired->timer() == timer) add(decided);
    for (const auto& d : in.timers->stopped) {
      if (d.timer() != timer) continue;
      // Only a stop by the action that meets the limit is a decision (an
      // objection or a merge is not a completion).
      if (!any_stop) continue;
      add(decided);
      // Due is the first instant that is late (24:00 of the last day).
      if (d.paused() || in.now < FromProto(d.due_time())) add(on_time);
    }
  };
  if (in.timers != nullptr) {
    timer_metrics(rules.routing_timer(), "routing_decided", "routed_on_time",
                  true);
    timer_metrics(rules.acceptance_timer(), "acceptance_decided",
                  "accepted_on_time", true);
    timer_metrics(rules.completion_timer(), "completion_decided",
                  "completed_on_time",
                  rules.completion_outcomes().empty() ||
                      HasOutcome(in.action, rules.completion_outcomes()));
  }
}

Rates ComputeRates(const std::map<std::string, uint64_t>& t) {
  Rates r;
  auto get = [&](const char* m) {
    auto it = t.find(m);
    return it == t.end() ? uint64_t{0} : it->second;
  };
  r.participation = Ratio(t, "rated", "rateable");
  // 甄别: screened-out dissatisfaction leaves the denominator.
  const uint64_t rated = get("rated");
  const uint64_t excluded = std::min(get("rating_excluded"), rated);
  r.satisfaction = rated == excluded
                       ? 0
                       : static_cast<double>(get("satisfied")) /
                             static_cast<double>(rated - excluded);
  r.one_time_resolution = Ratio(t, "one_time_resolved", "completed_first_time");
  r.timely_routing = Ratio(t, "routed_on_time", "routing_decided");
  r.adoption = Ratio(t, "adopted", "concluded");
  r.timely_acceptance = Ratio(t, "accepted_on_time", "acceptance_decided");
  r.on_time_completion = Ratio(t, "completed_on_time", "completion_decided");
  return r;
}

}  // namespace jianyan
