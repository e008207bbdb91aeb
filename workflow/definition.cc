#include "workflow/definition.h"

#include "absl/strings/str_cat.h"
#include "workflow/definition_validator.h"
#include "workflow/deterministic_bytes.h"
#include "workflow/sha256.h"

namespace jianyan {

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
    const ErrorFormatter& format) {
  def.clear_version();  // set here only
  std::vector<DefinitionError> errors = ValidateDefinition(def);
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

}  // namespace jianyan
