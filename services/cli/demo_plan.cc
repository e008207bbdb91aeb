#include "services/cli/demo_plan.h"

#include "absl/strings/str_format.h"

namespace jianyan::cli {
namespace {

namespace v1 = jianyan::v1;

const DemoActor kHandler = DemoActor::kHandler;

void PetitionPlan(int s, DemoCasePlan& p) {
  const DemoStep accept{
      kHandler, "registered", "accept", {{"notice_delivery", "written"}}};
  const DemoStep respond{kHandler,
                         "handling",
                         "respond",
                         {{"opinion", s % 3 == 0 ? "explain" : "support"},
                          {"reason", "已会同有关部门核实并提出处理意见。"}}};
  const DemoStep deliver{
      kHandler, "responded", "deliver", {{"delivery", "written"}}};
  switch (s) {
    case 0:
    case 1:
    case 2:  // waiting for routing until the deadline passes
      p.overdue = true;
      if (s == 1) p.escalation = v1::ESCALATION_LEVEL_SUPERVISE;
      if (s == 2) p.escalation = v1::ESCALATION_LEVEL_LISTED;
      return;
    case 3:  // just registered
      return;
    case 4:
      p.steps = {{kHandler,
                  "registered",
                  "decline",
                  {{"reason_code", "not_petition_matter"},
                   {"reason", "不属于信访事项,已告知依法途径。"},
                   {"notice_delivery", "written"}}}};
      return;
    case 5:
    case 6:
    case 18:  // being handled, some under supervision
      p.steps = {accept};
      if (s == 6) p.escalation = v1::ESCALATION_LEVEL_URGE;
      if (s == 18) p.escalation = v1::ESCALATION_LEVEL_SUPERVISE;
      return;
    case 7:
      p.steps = {accept, respond};
      return;
    default:  // answered; rated at each level or not at all
      p.steps = {accept, respond, deliver};
      if (s >= 10 && s <= 12) p.rating = v1::RATING_LEVEL_SATISFIED;
      if (s == 13 || s == 14) p.rating = v1::RATING_LEVEL_BASICALLY_SATISFIED;
      if (s == 15 || s == 16) p.rating = v1::RATING_LEVEL_UNSATISFIED;
      if (s == 17 || s == 19) p.rating = v1::RATING_LEVEL_SATISFIED;
      return;
  }
}

void SuggestionPlan(int t, const std::string& org, DemoCasePlan& p) {
  const DemoStep screen{kHandler, "received", "screen", {{"verdict", "valid"}}};
  const DemoStep assign{
      kHandler, "screened", "assign", {{"organisation_id", org}}};
  const char* outcomes[] = {"adopted",     "adopted",       "partly_adopted",
                            "not_adopted", "for_reference", "planned"};
  const v1::RatingLevel ratings[] = {
      v1::RATING_LEVEL_UNSPECIFIED,         v1::RATING_LEVEL_SATISFIED,
      v1::RATING_LEVEL_BASICALLY_SATISFIED, v1::RATING_LEVEL_UNSATISFIED,
      v1::RATING_LEVEL_SATISFIED,           v1::RATING_LEVEL_UNSPECIFIED};
  switch (t) {
    case 0:  // waiting for screening until the deadline passes
      p.overdue = true;
      return;
    case 1:
      return;
    case 2:
      p.steps = {screen};
      return;
    case 3:
      p.steps = {screen, assign};
      return;
    default: {
      const int o = t - 4;
      p.steps = {screen,
                 assign,
                 {kHandler,
                  "studying",
                  "conclude",
                  {{"outcome", outcomes[o]},
                   {"reason", "经研究,建议具有可行性,已纳入相关工作安排。"}}},
                 {kHandler,
                  "concluded",
                  "give_feedback",
                  {{"feedback", "感谢您的建议,办理情况已反馈。"}}}};
      p.rating = ratings[o];
      return;
    }
  }
}

}  // namespace

DemoCasePlan PlanDemoCase(int index, const std::string& suggestion_org) {
  DemoCasePlan p;
  p.index = index;
  if (index % 5 == 4) {
    p.kind = v1::CASE_KIND_SUGGESTION;
    p.campaign = (index / 5) % 2 == 1;
    SuggestionPlan((index / 5) % 10, suggestion_org, p);
  } else {
    p.kind = v1::CASE_KIND_PETITION;
    PetitionPlan((index * 7 + index / 20) % 20, p);
  }
  return p;
}

std::string DemoRequestId(int index, const std::string& what) {
  return absl::StrFormat("dl-%04d-%s", index, what);
}

}  // namespace jianyan::cli
