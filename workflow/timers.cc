#include "workflow/timers.h"

#include <algorithm>

#include "workflow/clock.h"
#include "workflow/durations.h"
#include "workflow/time_util.h"

namespace jianyan {
namespace {

using jianyan::v1::Case;
using jianyan::v1::Deadline;
using jianyan::v1::TimerDef;

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list,
              const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

Deadline* MutableDeadline(Case* c, const std::string& timer) {
  for (auto& d : *c->mutable_deadlines()) {
    if (d.timer() == timer) return &d;
  }
  return nullptr;
}

// Sets the pre-warning point of a new deadline instance (a start, a
// resumption, an extension): it warns again unless it already warned at
// that very point. Windows and timers without warn_before have none.
void SetWarn(const Definition& def, const TimerDef& timer, Deadline* d) {
  if (timer.window() || timer.warn_before().amount() == 0) {
    d->clear_warn_time();
    d->set_warned(false);
    return;
  }
  LegalTime warn = SubtractLegalDuration(FromProto(d->due_time()),
                                         timer.warn_before(), def.calendar());
  const bool warned_there = d->warned() && d->has_warn_time() &&
                            FromProto(d->warn_time()) == warn.time;
  *d->mutable_warn_time() = ToProto(warn.time);
  d->set_warned(warned_there);
  if (warn.provisional) d->set_provisional(true);
}

// 00:00 China time of the day of `t`.
absl::Time StartOfDay(absl::Time t) {
  return absl::FromCivil(absl::ToCivilDay(t, ChinaTimeZone()), ChinaTimeZone());
}

// The instant a paused clock counts from (or resumes at).
absl::Time PauseInstant(const TimerDef& timer, absl::Time now) {
  return timer.pause_whole_days() ? StartOfDay(now) : now;
}

void Pause(const TimerDef& timer, absl::Time now, Deadline* d) {
  absl::Duration left = FromProto(d->due_time()) - PauseInstant(timer, now);
  d->set_remaining_seconds(std::max<int64_t>(
      0, absl::ToInt64Seconds(absl::Ceil(left, absl::Seconds(1)))));
  d->set_paused(true);
  d->clear_due_time();
  // A warned deadline keeps the point it warned at: resumed with the same
  // point, it does not warn twice.
  if (!d->warned()) d->clear_warn_time();
}

template <typename Pred>
void RemoveExpired(Case* c, Pred pred) {
  auto* list = c->mutable_expired_deadlines();
  for (int i = list->size() - 1; i >= 0; --i) {
    if (pred(list->Get(i))) list->DeleteSubrange(i, 1);
  }
}

}  // namespace

namespace {

bool IsWindow(const Definition& def, const std::string& timer) {
  const TimerDef* t = def.FindTimer(timer);
  return t != nullptr && t->window();
}

}  // namespace

void ExpireTimer(const Definition& def, const std::string& timer, Case* c) {
  RemoveExpired(c, [&](const Deadline& e) { return e.timer() == timer; });
  auto* list = c->mutable_deadlines();
  for (int i = 0; i < list->size(); ++i) {
    if (list->Get(i).timer() != timer) continue;
    if (!IsWindow(def, timer)) *c->add_expired_deadlines() = list->Get(i);
    list->DeleteSubrange(i, 1);
    return;
  }
}

bool TimerAliveIn(const TimerDef& timer, const std::string& state) {
  return Contains(timer.running_states(), state) ||
         Contains(timer.paused_states(), state);
}

void MarkWarned(const std::string& timer, Case* c) {
  Deadline* d = MutableDeadline(c, timer);
  if (d != nullptr) d->set_warned(true);
}

const Deadline* FindDeadline(const Case& c, const std::string& timer) {
  for (const auto& d : c.deadlines()) {
    if (d.timer() == timer) return &d;
  }
  return nullptr;
}

namespace {

// A fresh instance of `timer` started at `start` (replacing any running or
// expired one), its due time still to set.
Deadline* FreshDeadline(const TimerDef& timer, absl::Time start, Case* c) {
  RemoveExpired(c,
                [&](const Deadline& e) { return e.timer() == timer.name(); });
  Deadline* d = MutableDeadline(c, timer.name());
  if (d == nullptr) d = c->add_deadlines();
  d->Clear();
  d->set_timer(timer.name());
  *d->mutable_label() = timer.label();
  *d->mutable_start_time() = ToProto(start);
  return d;
}

// Sets the warning point of the started deadline `d` and pauses it at
// once when the case sits in one of the timer's paused states.
void FinishStart(const Definition& def, const TimerDef& timer, absl::Time now,
                 Case* c, Deadline* d, TimerEffects* effects) {
  SetWarn(def, timer, d);
  effects->started.push_back(timer.name());
  if (Contains(timer.paused_states(), c->state())) {
    Pause(timer, now, d);
    effects->paused.push_back(timer.name());
  }
}

}  // namespace

void StartTimer(const Definition& def, const TimerDef& timer, absl::Time start,
                absl::Time now, Case* c, TimerEffects* effects,
                uint32_t amount) {
  Deadline* d = FreshDeadline(timer, start, c);
  jianyan::v1::DurationSpec length = timer.duration();
  if (amount > 0) length.set_amount(amount);
  LegalTime due = AddLegalDuration(start, length, def.calendar());
  if (timer.roll_off_holidays() &&
      length.unit() != jianyan::v1::DURATION_UNIT_HOURS) {
    due = RollOffHolidays(due, def.calendar());
  }
  *d->mutable_due_time() = ToProto(due.time);
  d->set_provisional(due.provisional);
  FinishStart(def, timer, now, c, d, effects);
}

void StartTimerUntil(const Definition& def, const TimerDef& timer,
                     absl::Time now, absl::Time due, Case* c,
                     TimerEffects* effects) {
  Deadline* d = FreshDeadline(timer, now, c);
  *d->mutable_due_time() = ToProto(due);
  FinishStart(def, timer, now, c, d, effects);
}

void CancelTimer(const std::string& timer, bool record, Case* c,
                 TimerEffects* effects) {
  // Cancelled, it no longer holds the case overdue either.
  RemoveExpired(c, [&](const Deadline& e) { return e.timer() == timer; });
  auto* list = c->mutable_deadlines();
  for (int i = 0; i < list->size(); ++i) {
    if (list->Get(i).timer() != timer) continue;
    if (record) {
      effects->stopped.push_back(list->Get(i));
      effects->cancelled.push_back(timer);
    }
    list->DeleteSubrange(i, 1);
    return;
  }
}

void ApplyStateTimers(const Definition& def, bool entered, absl::Time now,
                      Case* c, TimerEffects* effects) {
  const std::string& state = c->state();
  RemoveExpired(c, [&](const Deadline& e) {
    const TimerDef* t = def.FindTimer(e.timer());
    return t == nullptr || !TimerAliveIn(*t, state);
  });
  for (const TimerDef& timer : def.timers()) {
    Deadline* d = MutableDeadline(c, timer.name());
    if (d != nullptr) {
      bool running = Contains(timer.running_states(), state);
      bool paused = Contains(timer.paused_states(), state);
      if (!running && !paused) {
        CancelTimer(timer.name(), true, c, effects);
      } else if (paused && !d->paused()) {
        Pause(timer, now, d);
        effects->paused.push_back(timer.name());
      } else if (running && d->paused()) {
        d->set_paused(false);
        *d->mutable_due_time() = ToProto(PauseInstant(timer, now) +
                                         absl::Seconds(d->remaining_seconds()));
        d->set_remaining_seconds(0);
        SetWarn(def, timer, d);
        effects->resumed.push_back(timer.name());
      }
      continue;
    }
    if (!entered || !Contains(timer.start_on_enter(), state)) continue;
    if (!timer.from_creation()) {
      StartTimer(def, timer, now, now, c, effects);
      continue;
    }
    bool overdue = std::any_of(
        c->expired_deadlines().begin(), c->expired_deadlines().end(),
        [&](const Deadline& e) { return e.timer() == timer.name(); });
    if (overdue) continue;
    StartTimer(def, timer, FromProto(c->create_time()), now, c, effects);
    // Already past its end (it ran out in an earlier instance): the case is
    // overdue on it at once, without firing the expiry action again.
    const Deadline* d2 = FindDeadline(*c, timer.name());
    if (d2 != nullptr && !d2->paused() && FromProto(d2->due_time()) <= now) {
      ExpireTimer(def, timer.name(), c);
    }
  }
}

void ExtendDeadline(const Definition& def, const jianyan::v1::ExtendTimer& ext,
                    absl::Time now, Case* c, TimerEffects* effects,
                    uint32_t amount) {
  Deadline* d = MutableDeadline(c, ext.timer());
  if (d == nullptr) return;
  jianyan::v1::DurationSpec by = ext.by();
  if (amount > 0) by.set_amount(amount);
  d->set_extensions(d->extensions() + 1);
  if (d->paused()) {
    LegalTime to = ExtendLegalDuration(
        now + absl::Seconds(d->remaining_seconds()), by, def.calendar());
    d->set_remaining_seconds(absl::ToInt64Seconds(to.time - now));
  } else {
    LegalTime to =
        ExtendLegalDuration(FromProto(d->due_time()), by, def.calendar());
    *d->mutable_due_time() = ToProto(to.time);
    if (to.provisional) d->set_provisional(true);
    SetWarn(def, *def.FindTimer(ext.timer()), d);
  }
  effects->extended.push_back(ext.timer());
}

void RecomputeDueTime(const Definition& def, Case* c) {
  bool any = false;
  absl::Time earliest = absl::InfiniteFuture();
  for (const auto& d : c->deadlines()) {
    if (d.paused() || !d.has_due_time() || IsWindow(def, d.timer())) continue;
    earliest = std::min(earliest, FromProto(d.due_time()));
    any = true;
  }
  for (const auto& d : c->expired_deadlines()) {
    earliest = std::min(earliest, FromProto(d.due_time()));
    any = true;
  }
  if (any) {
    *c->mutable_due_time() = ToProto(earliest);
  } else {
    c->clear_due_time();
  }
}

}  // namespace jianyan
