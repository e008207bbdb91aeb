#include "workflow/definition.h"

#include "absl/strings/str_cat.h"
#include "workflow/definition_validator.h"
#include "workflow/deterministic_bytes.h"
#include "workflow/sha256.h"

namespace jianyan {
namespace {

// A built-in system action allowed in every state of `def`, changing none.
jianyan::v1::ActionDef BuiltinAction(const jianyan::v1::WorkflowDefinition& def,
                                     const char* name, const char* zh,
                                     const char* en,
                                     jianyan::v1::NoticeKind notice) {
  jianyan::v1::ActionDef a;
  a.set_name(name);
  a.mutable_label()->set_zh(zh);
  a.mutable_label()->set_en(en);
  a.set_system_only(true);
  a.set_raises_notice(notice);
  for (const auto& s : def.states()) a.add_from_states(s.name());
  return a;
}

}  // namespace

std::string DefinitionDigest(const jianyan::v1::WorkflowDefinition& def) {
  if (def.version().empty()) {
    return ToHex(Sha256Digest(DeterministicBytes(def)).substr(0, 8));
  }
  jianyan::v1::WorkflowDefinition copy = def;
  copy.clear_version();
  return DefinitionDigest(copy);
}

absl::StatusOr<std::shared_ptr<const Definition>> Definition::Create(
    jianyan::v1::WorkflowDefinition def,
    std::shared_ptr<const WorkingCalendar> calendar,
    const ErrorFormatter& format, DefinitionOrigin origin) {
  def.clear_version();  // set here only
  std::vector<DefinitionError> errors = ValidateDefinition(def, origin);
  if (!errors.empty()) {
    std::string message;
    for (const auto& e : errors) {
      absl::StrAppend(&message, message.empty() ? "" : "; ",
                      format ? format(e) : e.message);
    }
    return absl::InvalidArgumentError(message);
  }
  auto out = std::shared_ptr<Definition>(new Definition());
  out->def_ = std::move(def);
  out->def_.set_version(DefinitionDigest(out->def_));
  out->calendar_ =
      calendar != nullptr
          ? std::move(calendar)
          : std::make_shared<WorkingCalendar>(out->def_.calendar());
  for (const auto& s : out->def_.states()) out->states_[s.name()] = &s;
  for (const auto& a : out->def_.actions()) out->actions_[a.name()] = &a;
  out->builtin_actions_ = {
      BuiltinAction(out->def_, kDeadlineExpiredAction, "期限届满",
                    "Deadline expired", jianyan::v1::NOTICE_KIND_OVERDUE),
      BuiltinAction(out->def_, kDeadlineWarningAction, "期限预警",
                    "Deadline warning", jianyan::v1::NOTICE_KIND_DUE_SOON)};
  // Filled once: the vector is never resized, so the pointers stay valid.
  for (const auto& a : out->builtin_actions_) out->actions_[a.name()] = &a;
  out->timers_.assign(out->def_.timers().begin(), out->def_.timers().end());
  if (out->def_.has_rating_policy()) {
    jianyan::v1::TimerDef rating;
    rating.set_name(kRatingWindowTimer);
    rating.set_window(true);
    rating.mutable_label()->set_zh("评价期限");
    rating.mutable_label()->set_en("Rating window");
    *rating.mutable_duration() = out->def_.rating_policy().window();
    rating.set_on_expiry(out->def_.rating_policy().on_window_expiry());
    rating.set_roll_off_holidays(out->def_.rating_policy().roll_off_holidays());
    for (const auto& s : out->def_.states()) {
      if (!s.rateable()) continue;
      rating.add_start_on_enter(s.name());
      rating.add_running_states(s.name());
    }
    out->timers_.push_back(std::move(rating));
  }
  for (size_t i = 0; i < out->timers_.size(); ++i) {
    out->timer_index_[out->timers_[i].name()] = static_cast<int>(i);
  }
  return std::shared_ptr<const Definition>(std::move(out));
}

const jianyan::v1::StateDef* Definition::FindState(
    absl::string_view name) const {
  auto it = states_.find(name);
  return it == states_.end() ? nullptr : it->second;
}

const jianyan::v1::ActionDef* Definition::FindAction(
    absl::string_view name) const {
  auto it = actions_.find(name);
  return it == actions_.end() ? nullptr : it->second;
}

const jianyan::v1::TimerDef* Definition::FindTimer(
    absl::string_view name) const {
  auto it = timer_index_.find(name);
  return it == timer_index_.end() ? nullptr : &timers_[it->second];
}

const jianyan::v1::ActionDef* EscalationAction(
    const Definition& def, jianyan::v1::EscalationLevel level) {
  if (level == jianyan::v1::ESCALATION_LEVEL_NONE) return nullptr;
  for (const auto& a : def.proto().actions()) {
    if (a.set_escalation() != level || a.system_only()) continue;
    for (int r : a.roles()) {
      if (r == jianyan::v1::ROLE_SUPERVISOR) return &a;
    }
  }
  return nullptr;
}

}  // namespace jianyan
