#include "workflow/transition.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "workflow/command_check.h"
#include "workflow/definition_validator.h"
#include "workflow/rates.h"
#include "workflow/status_macros.h"
#include "workflow/time_util.h"
#include "workflow/timers.h"

namespace jianyan {
namespace {

using jianyan::v1::ActionDef;
using jianyan::v1::Case;
using jianyan::v1::Event;

const std::string* FieldValue(const Command& command, const char* name) {
  auto it = command.fields.find(name);
  return it == command.fields.end() || it->second.empty() ? nullptr
                                                          : &it->second;
}

jianyan::v1::RatingLevel ParseRating(const std::string& value) {
  if (value == "satisfied") return jianyan::v1::RATING_LEVEL_SATISFIED;
  if (value == "basically_satisfied") {
    return jianyan::v1::RATING_LEVEL_BASICALLY_SATISFIED;
  }
  if (value == "unsatisfied") return jianyan::v1::RATING_LEVEL_UNSATISFIED;
  return jianyan::v1::RATING_LEVEL_UNSPECIFIED;
}

// The state `action` leads to given the command's fields.
const std::string& Destination(const ActionDef& action, const Case& c,
                               const Command& command) {
  for (const auto& b : action.branches()) {
    if (!b.case_attribute().empty()) {
      // An absent attribute reads as "": a branch on value "" also takes a
      // case that never had it (e.g. 改派 of a never-routed petition).
      auto it = c.attributes().find(b.case_attribute());
      const std::string& value =
          it == c.attributes().end() ? std::string() : it->second;
      if (value == b.value()) return b.to_state();
      continue;
    }
    auto it = command.fields.find(b.field());
    if (it != command.fields.end() && it->second == b.value()) {
      return b.to_state();
    }
  }
  return action.to_state().empty() ? c.state() : action.to_state();
}

Event NewEvent(const Definition& def, const Case& c, const ActionDef& action,
               const Command& command, absl::Time now) {
  Event e;
  e.set_case_number(c.case_number());
  e.set_seq(c.last_event_seq() + 1);
  e.set_action(action.name());
  *e.mutable_action_label() = action.label();
  *e.mutable_actor() = command.actor;
  if (const auto* v = FieldValue(command, "reason_code")) e.set_reason_code(*v);
  if (const auto* v = FieldValue(command, "reason")) e.set_reason(*v);
  for (const auto& [k, v] : command.fields) (*e.mutable_fields())[k] = v;
  *e.mutable_time() = ToProto(now);
  e.set_request_id(command.request_id);
  e.set_definition_version(def.version());
  // The deadline that expired or warned (its notice names it).
  if (!command.timer.empty()) (*e.mutable_fields())["timer"] = command.timer;
  // Windows are someone else's move: their end raises no notice.
  const auto* fired = def.FindTimer(command.timer);
  if (fired == nullptr || !fired->window()) {
    e.set_supervision_notice(action.raises_notice());
  }
  return e;
}

bool IsWarning(const Command& command) {
  return command.action == kDeadlineWarningAction;
}

// The notice `action` issues, as recorded on its event.
void RecordNotice(const ActionDef& action, const Command& command,
                  absl::Time now, Event* e) {
  if (!action.has_notice()) return;
  auto* n = e->mutable_notice();
  n->set_kind(action.notice().kind());
  *n->mutable_label() = action.notice().label();
  const std::string* how =
      action.notice().delivery_field().empty()
          ? nullptr
          : FieldValue(command, action.notice().delivery_field().c_str());
  n->set_delivery(how == nullptr ? "written" : *how);
  *n->mutable_time() = ToProto(now);
}

// The flags and lists an action records on the case (major, recusal,
// screened rating, linked case, the first answering body).
void ApplyMarks(const Definition& def, const ActionDef& action,
                const Command& command, Case* c) {
  if (action.sets_major()) c->set_major(true);
  if (action.records_recusal()) {
    c->add_recused_principal_ids(command.actor.principal_id());
  }
  if (action.excludes_rating()) c->set_rating_excluded(true);
  const std::string* linked = FieldValue(command, "linked_case_number");
  if (action.links_case() && linked != nullptr) {
    c->add_linked_case_numbers(*linked);
  }
  const std::string& first = def.proto().rate_rules().first_response_outcome();
  if (c->first_handling_organisation_id().empty() && !first.empty() &&
      std::find(action.outcomes().begin(), action.outcomes().end(), first) !=
          action.outcomes().end()) {
    // Accepted directly by the registering body: that body answered.
    c->set_first_handling_organisation_id(c->handling_organisation_id().empty()
                                              ? c->routing_organisation_id()
                                              : c->handling_organisation_id());
  }
}

// Records the action's values on the case (fields, organisation, rating,
// merge, quality flag, escalation).
void ApplyValues(const ActionDef& action, const Command& command,
                 absl::Time now, Case* c, Event* e) {
  for (const auto& [k, v] : command.fields) (*c->mutable_attributes())[k] = v;
  for (const auto& [k, v] : action.set_attributes()) {
    (*c->mutable_attributes())[k] = v;
  }
  if (action.clears_handling_organisation())
    c->clear_handling_organisation_id();
  const std::string* org = FieldValue(command, "organisation_id");
  if (action.sets_handling_organisation() && org != nullptr) {
    c->set_handling_organisation_id(*org);
  }
  const std::string* merged = FieldValue(command, "merged_into");
  if (action.sets_merged_into() && merged != nullptr) {
    c->set_merged_into(*merged);
  }
  if (action.sets_quality_suggestion()) c->set_quality_suggestion(true);
  if (action.records_rating()) {
    if (c->has_rating()) *c->add_previous_ratings() = c->rating();
    c->set_rating_excluded(false);
    auto* r = c->mutable_rating();
    r->Clear();
    const std::string* level = FieldValue(command, "rating");
    r->set_level(ParseRating(level == nullptr ? "" : *level));
    if (const auto* v = FieldValue(command, "comment")) r->set_comment(*v);
    *r->mutable_time() = ToProto(now);
    *e->mutable_rating() = *r;
  }
  if (action.set_escalation() != jianyan::v1::ESCALATION_LEVEL_NONE) {
    if (action.set_escalation() > c->escalation_level()) {
      c->set_escalation_level(action.set_escalation());
    }
    e->set_escalation_level(c->escalation_level());
  }
}

// A rating is requested exactly when the rating window starts.
bool StartedRatingWindow(const TimerEffects& t) {
  return std::find(t.started.begin(), t.started.end(), kRatingWindowTimer) !=
         t.started.end();
}

void ApplyTimerEffects(const Definition& def, const ActionDef& action,
                       const Command& command, bool entered, absl::Time now,
                       Case* c, Effects* effects) {
  TimerEffects& t = effects->timers;
  if (!command.timer.empty() && !IsWarning(command)) {
    ExpireTimer(def, command.timer, c);
  }
  for (const auto& name : action.cancel_timers()) {
    CancelTimer(name, true, c, &t);
  }
  ApplyStateTimers(def, entered, now, c, &t);
  // Amounts and due times were checked by CheckCommand: 0 (none chosen) on
  // any error. A timer that does not live in the case's new state is not
  // started (e.g. 改派 in handling starts no acceptance limit).
  for (const auto& name : action.start_timers()) {
    const auto& timer = *def.FindTimer(name);
    if (!TimerAliveIn(timer, c->state())) continue;
    if (!timer.due_time_field().empty()) {
      auto due = ChosenDueTime(command, timer.due_time_field(), now);
      if (due.ok() && due->has_value()) {
        StartTimerUntil(def, timer, now, **due, c, &t);
      }
      continue;
    }
    StartTimer(def, timer, now, now, c, &t,
               ChosenAmount(command, action.name(), timer.amount_field(),
                            timer.duration().amount())
                   .value_or(0));
  }
  if (action.has_extend_timer()) {
    const auto& ext = action.extend_timer();
    ExtendDeadline(def, ext, now, c, &t,
                   ChosenAmount(command, action.name(), ext.amount_field(),
                                ext.by().amount())
                       .value_or(0));
  }
  effects->rating_requested = StartedRatingWindow(t);
}

void FinishSnapshot(const Definition& def, absl::Time now, Case* c) {
  const auto* state = def.FindState(c->state());
  *c->mutable_state_label() = state->label();
  c->set_open(!state->closed());
  c->set_version(c->version() + 1);
  *c->mutable_update_time() = ToProto(now);
  RecomputeDueTime(def, c);
}

// The system command that fires (or, with `warning`, warns of) the running
// deadline `timer` of `c`, with request id "timer/..." (or "warn/...")
// "<case>/<timer>/<start unix seconds>": one per deadline instance.
absl::StatusOr<Command> SystemTimerCommand(const Definition& def, const Case& c,
                                           const std::string& timer,
                                           bool warning) {
  const auto* d = FindDeadline(c, timer);
  const auto* t = def.FindTimer(timer);
  if (d == nullptr || t == nullptr || d->paused()) {
    return absl::NotFoundError(absl::StrCat(
        "case ", c.case_number(), " has no running timer '", timer, "'"));
  }
  Command command;
  command.action =
      warning ? std::string(kDeadlineWarningAction) : ExpiryAction(*t);
  command.actor.set_principal_id("system");
  command.actor.set_role(jianyan::v1::ROLE_SYSTEM);
  command.timer = timer;
  command.request_id =
      absl::StrCat(warning ? "warn/" : "timer/", c.case_number(), "/", timer,
                   "/", d->start_time().seconds());
  return command;
}

}  // namespace

std::string RoleName(jianyan::v1::Role role) {
  std::string name = jianyan::v1::Role_Name(role);
  if (name.empty()) return absl::StrCat(static_cast<int>(role));
  return absl::AsciiStrToLower(name.substr(sizeof("ROLE_") - 1));
}

absl::StatusOr<TransitionResult> Transition(const Definition& def,
                                            const Case& current,
                                            const Command& command,
                                            absl::Time now) {
  const ActionDef* action = nullptr;
  JY_RETURN_IF_ERROR(CheckCommand(def, current, command, now, &action));
  TransitionResult out;
  Case& c = out.change.case_after;
  c = current;
  Event e = NewEvent(def, current, *action, command, now);
  const std::string& to = Destination(*action, current, command);
  e.set_from_state(current.state());
  e.set_to_state(to);
  // `current` is not changed: the fired deadline can be read in place.
  const jianyan::v1::Deadline* fired =
      command.timer.empty() || IsWarning(command)
          ? nullptr
          : FindDeadline(current, command.timer);
  const bool entered = to != current.state();
  c.set_state(to);
  ApplyValues(*action, command, now, &c, &e);
  ApplyMarks(def, *action, command, &c);
  RecordNotice(*action, command, now, &e);
  out.effects.major_flagged = c.major() && !current.major();
  (*c.mutable_action_counts())[action->name()] += 1;
  ApplyTimerEffects(def, *action, command, entered, now, &c, &out.effects);
  if (IsWarning(command)) MarkWarned(command.timer, &c);
  c.set_last_event_seq(e.seq());
  FinishSnapshot(def, now, &c);
  out.change.events.push_back(std::move(e));
  RateInput in;
  in.before = &current;
  in.after = &c;
  in.action = action;
  in.timers = &out.effects.timers;
  in.fired = fired;
  in.now = now;
  AddRateCounters(def, in, &out.change.counters);
  return out;
}

absl::StatusOr<TransitionResult> CreateCase(const Definition& def,
                                            const Case& intake,
                                            const std::string& case_number,
                                            const jianyan::v1::Actor& actor,
                                            absl::Time now) {
  const ActionDef* action = def.FindAction(def.proto().create_action());
  JY_RETURN_IF_ERROR(CheckRole(*action, actor.role()));
  if (intake.kind() != def.proto().kind()) {
    return absl::InvalidArgumentError(
        absl::StrCat("case kind ", jianyan::v1::CaseKind_Name(intake.kind()),
                     " does not match definition '", def.name(), "' (",
                     jianyan::v1::CaseKind_Name(def.proto().kind()), ")"));
  }
  if (case_number.empty()) {
    return absl::InvalidArgumentError("case_number is required");
  }
  if (!intake.theme_id().empty() && intake.campaign_id().empty()) {
    return absl::InvalidArgumentError("theme_id needs a campaign_id");
  }
  TransitionResult out;
  Case& c = out.change.case_after;
  c = intake;
  // Clear every workflow-owned field (Case fields 14..35, 40..42): intake
  // sets none. It sets routing_organisation_id, accused_organisation_id,
  // major and linked_case_numbers (36..39: a petition registered from a
  // suggestion links the suggestion).
  for (int f : {14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
                27, 28, 29, 30, 31, 32, 33, 34, 35, 40, 41, 42}) {
    c.GetReflection()->ClearField(&c, c.GetDescriptor()->FindFieldByNumber(f));
  }
  c.set_case_number(case_number);
  c.set_definition_name(def.name());
  c.set_definition_version(def.version());
  c.set_state(def.proto().initial_state());
  // Intake facts the definitions branch on (Branch.case_attribute).
  if (c.submitter().anonymous())
    (*c.mutable_attributes())["anonymous"] = "true";
  *c.mutable_create_time() = ToProto(now);
  for (int t : def.proto().confidential_types()) {
    if (t == intake.petition_type()) c.set_confidential(true);
  }
  Command command;
  command.action = action->name();
  command.actor = actor;
  Case before;  // seq 0
  before.set_case_number(case_number);
  Event e = NewEvent(def, before, *action, command, now);
  e.set_to_state(c.state());
  ApplyStateTimers(def, /*entered=*/true, now, &c, &out.effects.timers);
  (*c.mutable_action_counts())[action->name()] = 1;
  c.set_last_event_seq(1);
  FinishSnapshot(def, now, &c);
  out.effects.rating_requested = StartedRatingWindow(out.effects.timers);
  out.effects.major_flagged = c.major();
  out.change.events.push_back(std::move(e));
  RateInput in;
  in.after = &c;
  in.action = action;
  in.timers = &out.effects.timers;
  in.now = now;
  AddRateCounters(def, in, &out.change.counters);
  return out;
}

absl::StatusOr<Command> FireTimerCommand(const Definition& def, const Case& c,
                                         const std::string& timer) {
  return SystemTimerCommand(def, c, timer, /*warning=*/false);
}

absl::StatusOr<Command> WarnTimerCommand(const Definition& def, const Case& c,
                                         const std::string& timer) {
  return SystemTimerCommand(def, c, timer, /*warning=*/true);
}

bool BarsResubmission(const Definition& def, const Case& c) {
  const auto* s = def.FindState(c.state());
  return s != nullptr && s->bars_resubmission();
}

}  // namespace jianyan
