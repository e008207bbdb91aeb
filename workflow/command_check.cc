#include "workflow/command_check.h"

#include <algorithm>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "workflow/definition_validator.h"
#include "workflow/status_macros.h"
#include "workflow/time_util.h"
#include "workflow/timers.h"
#include "workflow/transition.h"

namespace jianyan {
namespace {

using jianyan::v1::ActionDef;
using jianyan::v1::Case;

constexpr uint32_t kDefaultMaxLength = 4000;  // code points

size_t CodePoints(const std::string& s) {
  return std::count_if(s.begin(), s.end(), [](char ch) {
    return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  });
}

bool AllowedIn(const ActionDef& a, const std::string& state) {
  return std::find(a.from_states().begin(), a.from_states().end(), state) !=
         a.from_states().end();
}

absl::Status CheckState(const Definition& def, const Case& c,
                        const ActionDef& action) {
  const auto* state = def.FindState(c.state());
  if (state == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("case is in state '", c.state(), "' which definition '",
                     def.name(), "' does not declare"));
  }
  if (AllowedIn(action, c.state())) return absl::OkStatus();
  std::vector<std::string> allowed;
  for (const auto& a : def.proto().actions()) {
    if (!a.system_only() && AllowedIn(a, c.state()))
      allowed.push_back(a.name());
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "action '", action.name(), "' is not allowed in state '", c.state(),
      "' (allowed: ", allowed.empty() ? "none" : absl::StrJoin(allowed, ", "),
      ")"));
}

absl::Status CheckLimits(const Case& c, const ActionDef& action,
                         absl::Time now) {
  if (action.max_per_case() > 0) {
    auto it = c.action_counts().find(action.name());
    uint32_t done = it == c.action_counts().end() ? 0 : it->second;
    if (done >= action.max_per_case()) {
      return absl::FailedPreconditionError(
          absl::StrCat("action '", action.name(), "' may be applied at most ",
                       action.max_per_case(), " time(s) per case"));
    }
  }
  if (!action.petition_types().empty() &&
      std::find(action.petition_types().begin(), action.petition_types().end(),
                c.petition_type()) == action.petition_types().end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "action '", action.name(), "' is not for petitions of type ",
        jianyan::v1::PetitionType_Name(c.petition_type())));
  }
  if (action.excludes_rating() &&
      (c.rating().level() != jianyan::v1::RATING_LEVEL_UNSATISFIED ||
       c.rating_excluded())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "action '", action.name(),
        "' screens out an unsatisfied rating, and the case has none left"));
  }
  if (action.escalation_must_rise() &&
      action.set_escalation() <= c.escalation_level()) {
    return absl::FailedPreconditionError(
        absl::StrCat("level: ", EscalationLevelName(action.set_escalation()),
                     " is not above the case's current level ",
                     EscalationLevelName(c.escalation_level()),
                     " (supervision levels only rise)"));
  }
  const std::string& needs = action.requires_running_timer();
  const auto* running = needs.empty() ? nullptr : FindDeadline(c, needs);
  if (!needs.empty() &&
      (running == nullptr ||
       (!running->paused() && now >= FromProto(running->due_time())))) {
    return absl::FailedPreconditionError(
        absl::StrCat("action '", action.name(), "' needs timer '", needs,
                     "' running (it expired or never started)"));
  }
  if (action.has_extend_timer()) {
    const auto& ext = action.extend_timer();
    const auto* d = FindDeadline(c, ext.timer());
    if (d == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("action '", action.name(), "' extends timer '",
                       ext.timer(), "' which is not running"));
    }
    // The limit holds over the case's life, across restarts of the timer
    // (a redo starts a fresh handling period but grants no new extension).
    auto used = c.action_counts().find(action.name());
    if (d->extensions() >= ext.max_times() ||
        (used != c.action_counts().end() && used->second >= ext.max_times())) {
      return absl::FailedPreconditionError(
          absl::StrCat("timer '", ext.timer(), "' may be extended at most ",
                       ext.max_times(), " time(s)"));
    }
    if (!d->paused() && now >= FromProto(d->due_time())) {
      return absl::FailedPreconditionError(
          absl::StrCat("timer '", ext.timer(),
                       "' has expired: an extension is granted before it"));
    }
  }
  return absl::OkStatus();
}

// A pre-warning (预警) is raised once per deadline instance, from its
// warn_time on.
absl::Status CheckWarning(const jianyan::v1::Deadline& d, absl::Time now) {
  if (d.warned()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "timer '", d.timer(), "' has already warned (once per deadline)"));
  }
  if (!d.has_warn_time()) {
    return absl::FailedPreconditionError(
        absl::StrCat("timer '", d.timer(), "' has no warning point"));
  }
  if (now < FromProto(d.warn_time())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "timer '", d.timer(), "' does not warn until ",
        absl::FormatTime(absl::RFC3339_sec, FromProto(d.warn_time()),
                         absl::UTCTimeZone())));
  }
  return absl::OkStatus();
}

absl::Status CheckFiredTimer(const Definition& def, const Case& c,
                             const Command& command, const ActionDef& action,
                             absl::Time now) {
  if (command.timer.empty()) {
    if (action.system_only()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "action '", action.name(), "' is fired only by a timer"));
    }
    return absl::OkStatus();
  }
  const auto* timer = def.FindTimer(command.timer);
  const bool warning = action.name() == kDeadlineWarningAction;
  if (timer == nullptr || (!warning && ExpiryAction(*timer) != action.name())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "timer '", command.timer, "' does not fire '", action.name(), "'"));
  }
  const auto* d = FindDeadline(c, command.timer);
  if (d == nullptr || d->paused()) {
    return absl::FailedPreconditionError(
        absl::StrCat("timer '", command.timer, "' is not running"));
  }
  if (warning) return CheckWarning(*d, now);
  if (now < FromProto(d->due_time())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "timer '", command.timer, "' is not due until ",
        absl::FormatTime(absl::RFC3339_sec, FromProto(d->due_time()),
                         absl::UTCTimeZone())));
  }
  return absl::OkStatus();
}

// The organisation check (definition.handlers_own_cases): a handler acts on
// a routed case only for its handling organisation, and on an unrouted one
// only for its routing organisation.
absl::Status CheckOrganisation(const Definition& def, const Case& c,
                               const ActionDef& action,
                               const jianyan::v1::Actor& actor) {
  if (std::find(c.recused_principal_ids().begin(),
                c.recused_principal_ids().end(),
                actor.principal_id()) != c.recused_principal_ids().end()) {
    return absl::PermissionDeniedError(
        absl::StrCat("principal '", actor.principal_id(),
                     "' has recused itself from this case"));
  }
  if (!def.proto().handlers_own_cases() ||
      actor.role() != jianyan::v1::ROLE_HANDLER) {
    return absl::OkStatus();
  }
  // Unrouted: the registering body routes it, nobody else (an accusation
  // must not reach the accused body before routing). Actions of the routing
  // body (verifying an objection) stay with it.
  const bool routed = !c.handling_organisation_id().empty() &&
                      !action.by_routing_organisation();
  const std::string& owner =
      routed ? c.handling_organisation_id() : c.routing_organisation_id();
  if (owner == actor.organisation_id()) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("handler of organisation '", actor.organisation_id(),
                   routed ? "' may not act on a case handled by '"
                          : "' may not route a case registered by '",
                   owner, "'"));
}

// Art 30: an accusation is never routed to the accused organisation or to
// a body under it.
absl::Status CheckAccused(const Case& c, const ActionDef& action,
                          const Command& command) {
  const std::string& accused = c.accused_organisation_id();
  auto org = command.fields.find("organisation_id");
  if (accused.empty() || !action.sets_handling_organisation() ||
      org == command.fields.end()) {
    return absl::OkStatus();
  }
  const auto& up = command.organisation_ancestors;
  if (org->second == accused ||
      std::find(up.begin(), up.end(), accused) != up.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "case may not go to '", org->second,
        "': it is or is under the accused organisation '", accused, "'"));
  }
  return absl::OkStatus();
}

// The amounts chosen on the form (extension days, assigned deadline).
absl::Status CheckAmounts(const Definition& def, const ActionDef& action,
                          const Command& command, absl::Time now) {
  if (action.has_extend_timer()) {
    const auto& ext = action.extend_timer();
    JY_RETURN_IF_ERROR(ChosenAmount(command, action.name(), ext.amount_field(),
                                    ext.by().amount())
                           .status());
  }
  for (const auto& name : action.start_timers()) {
    const auto* t = def.FindTimer(name);
    JY_RETURN_IF_ERROR(ChosenAmount(command, action.name(), t->amount_field(),
                                    t->duration().amount())
                           .status());
    JY_RETURN_IF_ERROR(
        ChosenDueTime(command, t->due_time_field(), now).status());
  }
  return absl::OkStatus();
}

// The field checks: required, allowed values, length, unknown fields.
absl::Status CheckFields(const ActionDef& action, const Command& command) {
  for (const auto& f : action.fields()) {
    auto it = command.fields.find(f.name());
    if (it == command.fields.end() || it->second.empty()) {
      if (f.required()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "fields.", f.name(), ": required by '", action.name(), "'"));
      }
      continue;
    }
    if (!f.allowed_values().empty() &&
        std::find(f.allowed_values().begin(), f.allowed_values().end(),
                  it->second) == f.allowed_values().end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "fields.", f.name(), ": '", action.name(),
          "' takes one of: ", absl::StrJoin(f.allowed_values(), ", "),
          " (got '", it->second, "')"));
    }
    uint32_t max = f.max_length() > 0 ? f.max_length() : kDefaultMaxLength;
    if (CodePoints(it->second) > max) {
      return absl::InvalidArgumentError(absl::StrCat(
          "fields.", f.name(), ": longer than ", max, " characters"));
    }
  }
  for (const auto& field : command.fields) {
    const std::string& name = field.first;  // a lambda cannot capture a binding
    bool known = std::any_of(action.fields().begin(), action.fields().end(),
                             [&](const auto& f) { return f.name() == name; });
    if (!known) {
      return absl::InvalidArgumentError(absl::StrCat(
          "fields.", name, ": not taken by '", action.name(), "'"));
    }
  }
  return absl::OkStatus();
}

// The capability an action requires beyond the role (e.g. the head of the
// handling body approving an extension).
absl::Status CheckCapability(const ActionDef& action,
                             const jianyan::v1::Actor& actor) {
  const std::string& needs = action.requires_capability();
  if (needs.empty() ||
      std::find(actor.capabilities().begin(), actor.capabilities().end(),
                needs) != actor.capabilities().end()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "'", action.name(), "' needs capability '", needs, "', which principal '",
      actor.principal_id(), "' does not have"));
}

}  // namespace

absl::StatusOr<uint32_t> ChosenAmount(const Command& command,
                                      const std::string& action,
                                      const std::string& field, uint32_t max) {
  if (field.empty()) return 0;
  auto it = command.fields.find(field);
  uint32_t n = 0;
  if (it == command.fields.end() || !absl::SimpleAtoi(it->second, &n) ||
      n < 1 || n > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("fields.", field, ": '", action,
                     "' takes a whole number from 1 to ", max));
  }
  return n;
}

absl::StatusOr<std::optional<absl::Time>> ChosenDueTime(
    const Command& command, const std::string& field, absl::Time now) {
  if (field.empty()) return std::nullopt;
  auto it = command.fields.find(field);
  if (it == command.fields.end() || it->second.empty()) return std::nullopt;
  absl::Time due;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, it->second, &due, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("fields.", field, ": not an RFC 3339 time (", error, ")"));
  }
  if (due <= now) {
    return absl::InvalidArgumentError(
        absl::StrCat("fields.", field, ": must be after now"));
  }
  if (due > now + kMaxChosenDueAhead) {
    return absl::InvalidArgumentError(
        absl::StrCat("fields.", field, ": at most ",
                     kMaxChosenDueAhead / absl::Hours(24), " days ahead"));
  }
  return due;
}

std::string EscalationLevelName(jianyan::v1::EscalationLevel level) {
  switch (level) {
    case jianyan::v1::ESCALATION_LEVEL_NONE:
      return "无 (none)";
    case jianyan::v1::ESCALATION_LEVEL_URGE:
      return "催办 (urge)";
    case jianyan::v1::ESCALATION_LEVEL_SUPERVISE:
      return "督办 (supervise)";
    case jianyan::v1::ESCALATION_LEVEL_LISTED:
      return "挂牌督办 (listed)";
    default:
      return absl::StrCat(static_cast<int>(level));
  }
}

std::string ExpiryAction(const jianyan::v1::TimerDef& timer) {
  return timer.on_expiry().empty() ? kDeadlineExpiredAction : timer.on_expiry();
}

absl::Status CheckRole(const ActionDef& action, jianyan::v1::Role role) {
  if (action.system_only()
          ? role == jianyan::v1::ROLE_SYSTEM
          : std::find(action.roles().begin(), action.roles().end(), role) !=
                action.roles().end()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "role '", RoleName(role), "' may not '", action.name(), "'"));
}

absl::Status CheckAvailable(const Definition& def, const Case& c,
                            const Command& command, absl::Time now,
                            const ActionDef** action_out) {
  if (c.definition_name() != def.name() ||
      c.definition_version() != def.version()) {
    return absl::FailedPreconditionError(
        absl::StrCat("case is pinned to definition '", c.definition_name(),
                     "' version '", c.definition_version(), "', not '",
                     def.name(), "' version '", def.version(), "'"));
  }
  const ActionDef* action = def.FindAction(command.action);
  if (action == nullptr || action->name() == def.proto().create_action()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown action '", command.action, "' in definition '",
                     def.name(), "'"));
  }
  // Who before what: a caller without the right learns nothing of the
  // case (neither its state nor whose it is) from the refusal.
  JY_RETURN_IF_ERROR(CheckRole(*action, command.actor.role()));
  JY_RETURN_IF_ERROR(CheckCapability(*action, command.actor));
  JY_RETURN_IF_ERROR(CheckOrganisation(def, c, *action, command.actor));
  JY_RETURN_IF_ERROR(CheckState(def, c, *action));
  JY_RETURN_IF_ERROR(CheckFiredTimer(def, c, command, *action, now));
  JY_RETURN_IF_ERROR(CheckLimits(c, *action, now));
  *action_out = action;
  return absl::OkStatus();
}

bool IsAvailable(const Definition& def, const Case& c, const Command& command,
                 absl::Time now, const ActionDef** action_out) {
  const ActionDef* action = def.FindAction(command.action);
  if (action != nullptr && !AllowedIn(*action, c.state())) return false;
  return CheckAvailable(def, c, command, now, action_out).ok();
}

absl::Status CheckCommand(const Definition& def, const Case& c,
                          const Command& command, absl::Time now,
                          const ActionDef** action_out) {
  const ActionDef* action = nullptr;
  JY_RETURN_IF_ERROR(CheckAvailable(def, c, command, now, &action));
  JY_RETURN_IF_ERROR(CheckAccused(c, *action, command));
  JY_RETURN_IF_ERROR(CheckFields(*action, command));
  JY_RETURN_IF_ERROR(CheckAmounts(def, *action, command, now));
  *action_out = action;
  return absl::OkStatus();
}

}  // namespace jianyan
