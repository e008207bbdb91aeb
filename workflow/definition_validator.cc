#include "workflow/definition_validator.h"

#include <algorithm>
#include <deque>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace jianyan {
namespace {

using jianyan::v1::ActionDef;
using jianyan::v1::DurationSpec;
using jianyan::v1::Label;
using jianyan::v1::StateDef;
using jianyan::v1::TimerDef;
using jianyan::v1::WorkflowDefinition;

bool IsIdentifier(const std::string& s) {
  if (s.empty() || s.size() > 64 || s[0] < 'a' || s[0] > 'z') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

class Validator {
 public:
  Validator(const WorkflowDefinition& def, DefinitionOrigin origin)
      : def_(def), origin_(origin) {}

  std::vector<DefinitionError> Run() {
    CheckDefinition();
    IndexNames("states", "state", def_.states(), &states_);
    IndexNames("actions", "action", def_.actions(), &actions_);
    IndexNames("timers", "timer", def_.timers(), &timers_);
    if (timers_.contains(kRatingWindowTimer)) {
      Add("timers", timers_[kRatingWindowTimer],
          absl::StrCat("timer name '", kRatingWindowTimer,
                       "' is reserved for the rating window"));
    }
    for (const char* builtin :
         {kDeadlineExpiredAction, kDeadlineWarningAction}) {
      if (actions_.contains(builtin)) {
        Add("actions", actions_[builtin],
            absl::StrCat("action name '", builtin,
                         "' is reserved for the engine's built-in action"));
      }
    }
    if (!actions_.contains(def_.create_action())) {
      Add("", -1,
          absl::StrCat("create_action '", def_.create_action(),
                       "' is not a declared action"));
    }
    for (int i = 0; i < def_.states_size(); ++i) CheckState(i);
    for (int i = 0; i < def_.actions_size(); ++i) CheckAction(i);
    for (int i = 0; i < def_.timers_size(); ++i) CheckTimer(i);
    CheckRating();
    CheckRateRules();
    if (errors_.empty()) CheckGraph();
    return std::move(errors_);
  }

 private:
  void Add(const std::string& list, int index, std::string message) {
    errors_.push_back({list, index, std::move(message)});
  }

  void CheckLabel(const std::string& list, int index, const std::string& what,
                  const Label& label) {
    if (label.zh().empty()) Add(list, index, what + ": missing label (zh)");
    if (label.en().empty()) Add(list, index, what + ": missing label (en)");
  }

  template <typename Defs>
  void IndexNames(const std::string& list, const std::string& noun,
                  const Defs& defs,
                  absl::flat_hash_map<std::string, int>* out) {
    for (int i = 0; i < defs.size(); ++i) {
      const std::string& name = defs[i].name();
      if (!IsIdentifier(name)) {
        Add(list, i,
            absl::StrCat(noun, " name '", name,
                         "' is not an identifier [a-z][a-z0-9_]*"));
      } else if (!out->emplace(name, i).second) {
        Add(list, i, absl::StrCat("duplicate ", noun, " name '", name, "'"));
      }
    }
  }

  bool StateKnown(const std::string& list, int index, const std::string& what,
                  const std::string& state) {
    if (states_.contains(state)) return true;
    Add(list, index, absl::StrCat(what, " names unknown state '", state, "'"));
    return false;
  }
  void ActionKnown(const std::string& list, int index, const std::string& what,
                   const std::string& action) {
    if (!actions_.contains(action)) {
      Add(list, index,
          absl::StrCat(what, " names unknown action '", action, "'"));
    }
  }
  void TimerKnown(const std::string& list, int index, const std::string& what,
                  const std::string& timer) {
    if (!timers_.contains(timer) &&
        !(timer == kRatingWindowTimer && def_.has_rating_policy())) {
      Add(list, index,
          absl::StrCat(what, " names unknown timer '", timer, "'"));
    }
  }
  void CheckDuration(const std::string& list, int index,
                     const std::string& what, const DurationSpec& d,
                     bool allow_zero) {
    if (d.amount() == 0 && allow_zero) return;
    if (d.amount() == 0 || d.amount() > 3660) {
      Add(list, index, absl::StrCat(what, ": amount must be 1..3660"));
    }
    if (d.unit() == jianyan::v1::DURATION_UNIT_UNSPECIFIED ||
        !jianyan::v1::DurationUnit_IsValid(d.unit())) {
      Add(list, index, absl::StrCat(what, ": unit is missing or unknown"));
    }
    if (d.unit() == jianyan::v1::DURATION_UNIT_WORKING_DAYS &&
        def_.calendar().empty()) {
      Add(list, index,
          absl::StrCat(what, ": working days need the definition's calendar"));
    }
  }

  void CheckDefinition() {
    if (!IsIdentifier(def_.name())) {
      Add("", -1,
          absl::StrCat("definition name '", def_.name(),
                       "' is not an identifier"));
    }
    CheckLabel("", -1, "definition", def_.label());
    if (def_.kind() == jianyan::v1::CASE_KIND_UNSPECIFIED) {
      Add("", -1, "definition kind is missing");
    }
  }

  void CheckState(int i) {
    const StateDef& s = def_.states(i);
    CheckLabel("states", i, absl::StrCat("state '", s.name(), "'"), s.label());
    if (s.terminal() && !s.closed()) {
      Add("states", i,
          absl::StrCat("terminal state '", s.name(), "' must be closed"));
    }
    if (s.rateable()) rateable_.push_back(i);
  }

  void CheckAction(int i) {
    const ActionDef& a = def_.actions(i);
    const std::string what = absl::StrCat("action '", a.name(), "'");
    CheckLabel("actions", i, what, a.label());
    for (const std::string& s : a.from_states()) {
      if (StateKnown("actions", i, what, s) &&
          def_.states(states_[s]).terminal()) {
        Add("actions", i,
            absl::StrCat("terminal state '", s, "' has an exit: action '",
                         a.name(), "'"));
      }
    }
    if (!a.to_state().empty()) StateKnown("actions", i, what, a.to_state());
    if (a.name() != def_.create_action() && a.from_states().empty()) {
      Add("actions", i, what + " has no from_states");
    }
    absl::flat_hash_set<std::string> fields;
    for (const auto& f : a.fields()) {
      if (!IsIdentifier(f.name()) || !fields.insert(f.name()).second) {
        Add("actions", i,
            absl::StrCat(what, ": duplicate or invalid field '", f.name(),
                         "'"));
      }
      CheckLabel("actions", i, absl::StrCat(what, " field '", f.name(), "'"),
                 f.label());
    }
    for (const auto& b : a.branches()) {
      StateKnown("actions", i, what + " branch", b.to_state());
      if (b.case_attribute().empty() && !fields.contains(b.field())) {
        Add("actions", i,
            absl::StrCat(what, " branch names unknown field '", b.field(),
                         "'"));
      }
    }
    if (a.system_only()) {
      for (int r : a.roles()) {
        if (r != jianyan::v1::ROLE_SYSTEM) {
          Add("actions", i, what + " is system_only but names other roles");
        }
      }
    } else if (a.roles().empty()) {
      Add("actions", i, what + " names no roles");
    }
    for (int r : a.roles()) {
      if (r == jianyan::v1::ROLE_UNSPECIFIED || !jianyan::v1::Role_IsValid(r)) {
        Add("actions", i, absl::StrCat(what, " names unknown role ", r));
      }
    }
    for (const auto& t : a.cancel_timers()) TimerKnown("actions", i, what, t);
    for (const auto& t : a.start_timers()) TimerKnown("actions", i, what, t);
    if (!a.requires_running_timer().empty()) {
      TimerKnown("actions", i, what, a.requires_running_timer());
    }
    if (a.has_extend_timer()) {
      TimerKnown("actions", i, what, a.extend_timer().timer());
      CheckDuration("actions", i, what + " extension", a.extend_timer().by(),
                    false);
      if (a.extend_timer().max_times() == 0) {
        Add("actions", i, what + " extension: max_times must be at least 1");
      }
    }
    if (a.has_extend_timer() && !a.extend_timer().amount_field().empty() &&
        !fields.contains(a.extend_timer().amount_field())) {
      Add("actions", i,
          absl::StrCat(what, " extension: amount_field '",
                       a.extend_timer().amount_field(),
                       "' is not a field of the action"));
    }
    for (const auto& t : a.start_timers()) {
      auto it = timers_.find(t);
      if (it == timers_.end()) continue;
      const TimerDef& timer = def_.timers(it->second);
      for (const auto& [kind, field] :
           {std::pair<const char*, const std::string&>("amount_field",
                                                       timer.amount_field()),
            {"due_time_field", timer.due_time_field()}}) {
        if (!field.empty() && !fields.contains(field)) {
          Add("actions", i,
              absl::StrCat(what, " starts timer '", t, "' whose ", kind, " '",
                           field, "' is not a field of the action"));
        }
      }
    }
    CheckSupervision(i, what);
    if (a.has_notice()) {
      if (!IsIdentifier(a.notice().kind())) {
        Add("actions", i, what + ": notice kind must be an identifier");
      }
      CheckLabel("actions", i, what + " notice", a.notice().label());
      const std::string& how = a.notice().delivery_field();
      if (!how.empty() && !fields.contains(how)) {
        Add("actions", i,
            absl::StrCat(what, ": notice delivery_field '", how,
                         "' is not a field of the action"));
      }
    }
    if (a.links_case() && !fields.contains("linked_case_number")) {
      Add("actions", i,
          what + " links a case but has no field 'linked_case_number'");
    }
    if (a.sets_handling_organisation() && !fields.contains("organisation_id")) {
      Add("actions", i,
          what +
              " sets the organisation but has no field "
              "'organisation_id'");
    }
    if (a.sets_merged_into() && !fields.contains("merged_into")) {
      Add("actions", i,
          what +
              " sets merged_into but has no field "
              "'merged_into'");
    }
    if (a.records_rating() && !fields.contains("rating")) {
      Add("actions", i, what + " records a rating but has no field 'rating'");
    }
    for (const auto& f : a.fields()) {
      if (!a.records_rating() || f.name() != "rating") continue;
      for (const auto& v : f.allowed_values()) {
        if (v != "satisfied" && v != "basically_satisfied" &&
            v != "unsatisfied") {
          Add("actions", i,
              absl::StrCat(what, ": rating value '", v,
                           "' is not satisfied, "
                           "basically_satisfied or unsatisfied"));
        }
      }
      if (f.allowed_values().empty() || !f.required()) {
        Add("actions", i,
            what +
                ": field 'rating' must be required and list "
                "its allowed values");
      }
    }
  }

  // Supervision effects: notices and rising escalation.
  void CheckSupervision(int i, const std::string& what) {
    const ActionDef& a = def_.actions(i);
    if (!jianyan::v1::NoticeKind_IsValid(a.raises_notice())) {
      Add("actions", i,
          absl::StrCat(what, " raises unknown notice kind ",
                       a.raises_notice()));
    }
    if (a.escalation_must_rise() &&
        a.set_escalation() == jianyan::v1::ESCALATION_LEVEL_NONE) {
      Add("actions", i,
          what + " has escalation_must_rise but sets no escalation level");
    }
  }

  void CheckTimer(int i) {
    const TimerDef& t = def_.timers(i);
    const std::string what = absl::StrCat("timer '", t.name(), "'");
    CheckLabel("timers", i, what, t.label());
    // A timer whose due time is chosen on the form needs no duration.
    CheckDuration("timers", i, what + " duration", t.duration(),
                  !t.due_time_field().empty());
    CheckDuration("timers", i, what + " warn_before", t.warn_before(), true);
    if (t.window() && t.warn_before().amount() > 0 &&
        origin_ == DefinitionOrigin::kNew) {
      Add("timers", i,
          what +
              " is a window: it takes no warn_before (windows raise no "
              "notice)");
    }
    for (const auto& s : t.start_on_enter()) StateKnown("timers", i, what, s);
    for (const auto& s : t.running_states()) StateKnown("timers", i, what, s);
    for (const auto& s : t.paused_states()) StateKnown("timers", i, what, s);
    if (t.running_states().empty()) {
      Add("timers", i, what + " has no running_states");
    }
    if (!t.amount_field().empty() &&
        (!t.start_on_enter().empty() || t.from_creation())) {
      Add("timers", i,
          what + " has an amount_field: only actions' start_timers start it");
    }
    if (!t.due_time_field().empty()) {
      if (!IsIdentifier(t.due_time_field())) {
        Add("timers", i, what + ": due_time_field must be an identifier");
      }
      if (!t.amount_field().empty()) {
        Add("timers", i,
            what + " has both a due_time_field and an amount_field");
      }
      if (!t.start_on_enter().empty() || t.from_creation()) {
        Add("timers", i,
            what +
                " has a due_time_field: only actions' start_timers start it");
      }
    }
    // A deadline without an expiry action only marks the case overdue (the
    // built-in 'deadline_expired' event); a window always names one.
    if (t.on_expiry().empty() && !t.window()) return;
    CheckExpiry("timers", i, what, t.on_expiry());
    auto expiry = actions_.find(t.on_expiry());
    if (expiry == actions_.end()) return;
    if (t.window() && def_.actions(expiry->second).raises_notice() !=
                          jianyan::v1::NOTICE_KIND_UNSPECIFIED) {
      Add("timers", i,
          absl::StrCat(what, " is a window: its expiry action '", t.on_expiry(),
                       "' may not raise a notice"));
    }
    const auto& from = def_.actions(expiry->second).from_states();
    for (const auto& s : t.running_states()) {
      if (std::find(from.begin(), from.end(), s) == from.end()) {
        Add("timers", i,
            absl::StrCat(what, ": expiry action '", t.on_expiry(),
                         "' is not allowed in running state '", s, "'"));
      }
    }
  }

  void CheckExpiry(const std::string& list, int i, const std::string& what,
                   const std::string& action) {
    if (action.empty()) {
      Add(list, i, what + " has no expiry action");
    } else if (!actions_.contains(action)) {
      ActionKnown(list, i, what, action);
    } else if (!def_.actions(actions_[action]).system_only()) {
      Add(list, i,
          absl::StrCat(what, ": expiry action '", action,
                       "' must be system_only"));
    }
  }

  void CheckRating() {
    const auto& p = def_.rating_policy();
    if (!def_.has_rating_policy()) {
      for (int i : rateable_) {
        Add("states", i,
            absl::StrCat("rateable state '", def_.states(i).name(),
                         "' but the definition has no "
                         "rating_policy"));
      }
      return;
    }
    CheckDuration("", -1, "rating_policy window", p.window(), false);
    if (!actions_.contains(p.rate_action())) {
      ActionKnown("", -1, "rating_policy rate_action", p.rate_action());
    } else if (!def_.actions(actions_[p.rate_action()]).records_rating()) {
      Add("", -1,
          "rating_policy rate_action '" + p.rate_action() +
              "' does not record a rating");
    }
    CheckExpiry("", -1, "rating_policy on_window_expiry", p.on_window_expiry());
    auto expiry = actions_.find(p.on_window_expiry());
    auto rate = actions_.find(p.rate_action());
    for (int i : rateable_) {
      const std::string& s = def_.states(i).name();
      for (auto it : {expiry, rate}) {
        if (it == actions_.end()) continue;
        const auto& from = def_.actions(it->second).from_states();
        if (std::find(from.begin(), from.end(), s) == from.end()) {
          Add("states", i,
              absl::StrCat("rateable state '", s,
                           "' does not allow rating action '", it->first, "'"));
        }
      }
    }
  }

  void CheckRateRules() {
    const auto& r = def_.rate_rules();
    const std::string what = "rate_rules";
    if (!r.acceptance_timer().empty()) {
      TimerKnown("", -1, what + " acceptance_timer", r.acceptance_timer());
    }
    if (!r.completion_timer().empty()) {
      TimerKnown("", -1, what + " completion_timer", r.completion_timer());
    }
    if (!r.routing_timer().empty()) {
      TimerKnown("", -1, what + " routing_timer", r.routing_timer());
    }
    std::set<std::string> outcomes;
    for (const auto& a : def_.actions()) {
      outcomes.insert(a.outcomes().begin(), a.outcomes().end());
    }
    std::vector<std::string> named = {r.first_response_outcome()};
    named.insert(named.end(), r.completion_outcomes().begin(),
                 r.completion_outcomes().end());
    named.insert(named.end(), r.repeat_outcomes().begin(),
                 r.repeat_outcomes().end());
    for (const auto& o : named) {
      if (!o.empty() && !outcomes.count(o)) {
        Add("", -1,
            absl::StrCat(what, " names outcome '", o, "' that no action has"));
      }
    }
  }

  // Edges of the state graph: from each state to the states its actions
  // (and their branches) lead to.
  std::vector<std::vector<int>> Edges() const {
    std::vector<std::vector<int>> out(def_.states_size());
    for (const auto& a : def_.actions()) {
      std::vector<int> targets;
      if (!a.to_state().empty()) targets.push_back(states_.at(a.to_state()));
      for (const auto& b : a.branches()) {
        targets.push_back(states_.at(b.to_state()));
      }
      for (const auto& s : a.from_states()) {
        for (int t : targets) out[states_.at(s)].push_back(t);
      }
    }
    return out;
  }

  void CheckGraph() {
    auto initial = states_.find(def_.initial_state());
    if (initial == states_.end()) {
      Add("", -1,
          absl::StrCat("initial_state '", def_.initial_state(),
                       "' is not a declared state"));
      return;
    }
    auto create = actions_.find(def_.create_action());
    if (create != actions_.end()) {
      const ActionDef& a = def_.actions(create->second);
      if (!a.from_states().empty() || a.to_state() != def_.initial_state()) {
        Add("actions", create->second,
            absl::StrCat("create action '", a.name(),
                         "' must have no from_states and lead to '",
                         def_.initial_state(), "'"));
      }
    }
    auto edges = Edges();
    std::vector<bool> seen(def_.states_size(), false);
    std::deque<int> queue = {initial->second};
    seen[initial->second] = true;
    while (!queue.empty()) {
      int s = queue.front();
      queue.pop_front();
      for (int t : edges[s]) {
        if (!seen[t]) seen[t] = true, queue.push_back(t);
      }
    }
    bool any_terminal = false;
    std::vector<bool> ends(def_.states_size(), false);
    for (int i = 0; i < def_.states_size(); ++i) {
      if (!seen[i]) {
        Add("states", i,
            absl::StrCat("state '", def_.states(i).name(),
                         "' is unreachable from initial state '",
                         def_.initial_state(), "'"));
      }
      if (def_.states(i).terminal()) ends[i] = true, any_terminal = true;
    }
    if (!any_terminal) Add("", -1, "definition has no terminal state");
    for (bool changed = true; changed;) {
      changed = false;
      for (int s = 0; s < def_.states_size(); ++s) {
        if (ends[s]) continue;
        for (int t : edges[s]) {
          if (ends[t]) {
            ends[s] = changed = true;
            break;
          }
        }
      }
    }
    for (int i = 0; i < def_.states_size(); ++i) {
      if (!ends[i] && any_terminal) {
        Add("states", i,
            absl::StrCat("state '", def_.states(i).name(),
                         "' has no way to a terminal state"));
      }
    }
  }

  const WorkflowDefinition& def_;
  const DefinitionOrigin origin_;
  absl::flat_hash_map<std::string, int> states_, actions_, timers_;
  std::vector<int> rateable_;
  std::vector<DefinitionError> errors_;
};

}  // namespace

std::vector<DefinitionError> ValidateDefinition(
    const jianyan::v1::WorkflowDefinition& def, DefinitionOrigin origin) {
  return Validator(def, origin).Run();
}

}  // namespace jianyan
