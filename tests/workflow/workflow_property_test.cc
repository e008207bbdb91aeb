// Property tests: thousands of random command sequences over each default
// definition. Invariants checked after every command:
// - the case is always in a declared state;
// - no timer instance (timer, start time) fires or warns twice;
// - a case in a terminal state never moves;
// - versions and event seqs advance by one; deadlines are consistent;
// - every rate stays in [0, 1];
// - refusals carry the code transition.h documents;
// - IsAvailable answers as CheckAvailable does;
// - replaying the event log re-derives the snapshot and the counters.
#include <algorithm>
#include <random>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/workflow/workflow_test_util.h"
#include "workflow/command_check.h"

namespace jianyan {
namespace {

using jianyan::v1::Case;

// True when `timer` runs or is paused in `state`.
bool AliveIn(const jianyan::v1::TimerDef& timer, const std::string& state) {
  for (const auto& s : timer.running_states()) {
    if (s == state) return true;
  }
  for (const auto& s : timer.paused_states()) {
    if (s == state) return true;
  }
  return false;
}

class Walker {
 public:
  Walker(const Definition& def, uint32_t seed) : def_(def), rng_(seed) {}

  void Walk(int steps) {
    absl::Time now =
        testing::Cst(2026, 1, 1) + absl::Hours(Uniform(0, 24 * 330));
    Case intake;
    intake.set_kind(def_.proto().kind());
    intake.set_routing_organisation_id("org-1");
    intake.set_petition_type(
        static_cast<jianyan::v1::PetitionType>(Uniform(0, 3)));
    auto made = CreateCase(def_, intake, "P2026-00000001-X",
                           testing::ActorOf(jianyan::v1::ROLE_SERVICE), now);
    ASSERT_TRUE(made.ok()) << made.status();
    Case c = made->change.case_after;
    Check(c);
    Count(*made);
    intake_ = intake;
    events_ = made->change.events;
    for (int i = 0; i < steps && !::testing::Test::HasFatalFailure(); ++i) {
      now += absl::Minutes(Uniform(0, 60 * 24 * 12));
      Command command;
      if (Uniform(0, 2) == 0 && c.deadlines_size() > 0) {
        const auto& d = c.deadlines(Uniform(0, c.deadlines_size() - 1));
        const bool warn = Uniform(0, 3) == 0;
        auto fire = warn ? WarnTimerCommand(def_, c, d.timer())
                         : FireTimerCommand(def_, c, d.timer());
        if (!fire.ok()) continue;  // paused
        const auto& point = warn ? d.warn_time() : d.due_time();
        if (Uniform(0, 3) > 0 && (!warn || d.has_warn_time())) {
          now = std::max(now, FromProto(point));
        }
        command = *fire;
      } else {
        command = RandomCommand(c, now);
      }
      const jianyan::v1::ActionDef* probed = nullptr;
      const jianyan::v1::ActionDef* checked = nullptr;
      ASSERT_EQ(IsAvailable(def_, c, command, now, &probed),
                CheckAvailable(def_, c, command, now, &checked).ok())
          << command.action << " in " << c.state();
      ASSERT_EQ(probed, checked);
      auto r = Transition(def_, c, command, now);
      const bool terminal = def_.FindState(c.state())->terminal();
      if (!r.ok()) {
        CheckRefusal(c, command, r.status(), now);
        if (::testing::Test::HasFatalFailure()) return;
        continue;
      }
      ASSERT_FALSE(terminal)
          << "terminal state " << c.state() << " moved by " << command.action;
      if (!command.timer.empty()) {
        const auto* d = FindDeadline(c, command.timer);
        ASSERT_NE(d, nullptr);
        const bool warning = command.action == kDeadlineWarningAction;
        // An instance: its start, and for warnings the point warned at (an
        // extension or a resumption makes a new one).
        auto key = std::make_pair(command.timer, FromProto(d->start_time()));
        if (warning) {
          ASSERT_TRUE(warned_
                          .insert({command.timer, FromProto(d->start_time()),
                                   FromProto(d->warn_time())})
                          .second)
              << "timer " << command.timer << " warned twice";
        }
        ASSERT_TRUE(warning || fired_.insert(key).second)
            << "timer " << command.timer << " fired twice";
        const auto& e = r->change.events[0];
        ASSERT_EQ(e.fields().at("timer"), command.timer);
        if (warning) {
          ASSERT_EQ(e.supervision_notice(), jianyan::v1::NOTICE_KIND_DUE_SOON);
          ASSERT_EQ(e.to_state(), e.from_state());
          ASSERT_TRUE(
              FindDeadline(r->change.case_after, command.timer)->warned());
        }
      }
      const Case& after = r->change.case_after;
      ASSERT_EQ(after.version(), c.version() + 1);
      ASSERT_EQ(r->change.events.size(), 1u);
      ASSERT_EQ(r->change.events[0].seq(), c.last_event_seq() + 1);
      ASSERT_EQ(after.last_event_seq(), c.last_event_seq() + 1);
      c = after;
      states_seen_.insert(c.state());
      Check(c);
      Count(*r);
      events_.push_back(r->change.events[0]);
      ++applied_;
    }
    if (!::testing::Test::HasFatalFailure()) Replay(c);
  }

  // Verify-style: the event log alone re-derives the snapshot and every
  // counter (a fired timer is the running one whose expiry action the
  // event names).
  void Replay(const Case& final_case) {
    const auto& first = events_.front();
    auto made = CreateCase(def_, intake_, first.case_number(), first.actor(),
                           FromProto(first.time()));
    ASSERT_TRUE(made.ok()) << made.status();
    Case c = made->change.case_after;
    std::map<std::string, uint64_t> counters;
    for (const auto& d : made->change.counters) counters[d.metric] += d.delta;
    for (size_t i = 1; i < events_.size(); ++i) {
      const auto& e = events_[i];
      Command command;
      command.action = e.action();
      command.actor = e.actor();
      command.request_id = e.request_id();
      command.fields.insert(e.fields().begin(), e.fields().end());
      // A system event names the timer that expired or warned.
      if (e.actor().role() == jianyan::v1::ROLE_SYSTEM) {
        command.timer = e.fields().at("timer");
        command.fields.erase("timer");
      }
      auto r = Transition(def_, c, command, FromProto(e.time()));
      ASSERT_TRUE(r.ok()) << "replaying " << e.action() << ": " << r.status();
      c = r->change.case_after;
      for (const auto& d : r->change.counters) counters[d.metric] += d.delta;
    }
    ASSERT_TRUE(
        google::protobuf::util::MessageDifferencer::Equals(c, final_case))
        << "replayed snapshot differs";
    ASSERT_EQ(counters, totals_) << "counters differ from the events'";
  }

  const std::map<std::string, uint64_t>& totals() const { return totals_; }
  int applied() const { return applied_; }
  const std::set<std::string>& states_seen() const { return states_seen_; }

 private:
  int Uniform(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng_);
  }

  // Mostly an action allowed in the case's state, sometimes any action.
  Command RandomCommand(const Case& c, absl::Time now) {
    const auto& actions = def_.proto().actions();
    std::vector<const jianyan::v1::ActionDef*> allowed;
    for (const auto& a : actions) {
      for (const auto& s : a.from_states()) {
        if (s == c.state() && !a.system_only()) allowed.push_back(&a);
      }
    }
    const auto& a = !allowed.empty() && Uniform(0, 4) > 0
                        ? *allowed[Uniform(0, allowed.size() - 1)]
                        : actions[Uniform(0, actions.size() - 1)];
    Command command;
    command.action = a.name();
    jianyan::v1::Role role =
        Uniform(0, 9) < 8 && a.roles_size() > 0
            ? static_cast<jianyan::v1::Role>(
                  a.roles(Uniform(0, a.roles_size() - 1)))
            : static_cast<jianyan::v1::Role>(Uniform(1, 8));
    command.actor = testing::ActorOf(role, "org-1");
    command.actor.set_principal_id(absl::StrCat("p", Uniform(1, 3)));
    if (!a.requires_capability().empty() && Uniform(0, 3) > 0) {
      command.actor.add_capabilities(a.requires_capability());
    }
    for (const auto& f : a.fields()) {
      if (Uniform(0, 9) == 0) continue;
      const uint32_t max = AmountMax(def_, a, f.name());
      if (IsDueTimeField(def_, a, f.name())) {  // sometimes past or malformed
        command.fields[f.name()] =
            Uniform(0, 9) == 0
                ? "soon"
                : absl::FormatTime(absl::RFC3339_full,
                                   now + absl::Hours(Uniform(-24, 24 * 30)),
                                   absl::UTCTimeZone());
        continue;
      }
      command.fields[f.name()] =
          max > 0                         ? std::to_string(Uniform(0, max + 1))
          : f.name() == "organisation_id" ? "org-1"
          : f.allowed_values().empty()
              ? "value"
              : f.allowed_values(Uniform(0, f.allowed_values_size() - 1));
    }
    if (Uniform(0, 30) == 0) command.fields["unexpected"] = "x";
    return command;
  }

  // A refusal carries the code transition.h documents for the first rule
  // the command breaks (role, organisation, state, timer/limits, fields).
  void CheckRefusal(const Case& c, const Command& command,
                    const absl::Status& status, absl::Time now) {
    const std::string why =
        absl::StrCat(command.action, " as ", RoleName(command.actor.role()),
                     " in ", c.state(), ": ", status.ToString());
    const auto* a = def_.FindAction(command.action);
    ASSERT_NE(a, nullptr) << why;
    if (a->name() == def_.proto().create_action()) {
      ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << why;
      return;
    }
    const auto role = command.actor.role();
    const bool role_ok = a->system_only()
                             ? role == jianyan::v1::ROLE_SYSTEM
                             : std::find(a->roles().begin(), a->roles().end(),
                                         role) != a->roles().end();
    const bool capable = a->requires_capability().empty() ||
                         std::find(command.actor.capabilities().begin(),
                                   command.actor.capabilities().end(),
                                   a->requires_capability()) !=
                             command.actor.capabilities().end();
    if (!role_ok || !capable) {
      ASSERT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << why;
      return;
    }
    const auto& recused = c.recused_principal_ids();
    if (std::find(recused.begin(), recused.end(),
                  command.actor.principal_id()) != recused.end()) {
      ASSERT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << why;
      return;
    }
    const std::string& owner =
        c.handling_organisation_id().empty() || a->by_routing_organisation()
            ? c.routing_organisation_id()
            : c.handling_organisation_id();
    if (def_.proto().handlers_own_cases() &&
        role == jianyan::v1::ROLE_HANDLER &&
        owner != command.actor.organisation_id()) {
      ASSERT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << why;
      return;
    }
    if (std::find(a->from_states().begin(), a->from_states().end(),
                  c.state()) == a->from_states().end()) {
      ASSERT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << why;
      return;
    }
    // Past role and state: a timer or limit (FAILED_PRECONDITION) or a
    // field (INVALID_ARGUMENT); with every field right it is the former.
    ASSERT_TRUE(status.code() == absl::StatusCode::kFailedPrecondition ||
                status.code() == absl::StatusCode::kInvalidArgument)
        << why;
    if (FieldsFit(*a, command, now)) {
      ASSERT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << why;
    }
  }

  // The largest amount field `name` of `a` may choose (an extension's days,
  // an assigned deadline); 0 when it is no amount field.
  static uint32_t AmountMax(const Definition& def,
                            const jianyan::v1::ActionDef& a,
                            const std::string& name) {
    if (a.has_extend_timer() && a.extend_timer().amount_field() == name) {
      return a.extend_timer().by().amount();
    }
    for (const auto& t : a.start_timers()) {
      const auto* timer = def.FindTimer(t);
      if (timer->amount_field() == name) return timer->duration().amount();
    }
    return 0;
  }

  // True when `name` is the due_time_field of a timer `a` starts.
  static bool IsDueTimeField(const Definition& def,
                             const jianyan::v1::ActionDef& a,
                             const std::string& name) {
    for (const auto& t : a.start_timers()) {
      if (def.FindTimer(t)->due_time_field() == name) return true;
    }
    return false;
  }

  // True when every field of `command` is taken by `a` with an allowed
  // value (amounts in range, due times after `now`) and every required
  // field is there.
  bool FieldsFit(const jianyan::v1::ActionDef& a, const Command& command,
                 absl::Time now) const {
    for (const auto& [name, value] : command.fields) {
      const uint32_t max = AmountMax(def_, a, name);
      if (max > 0 && !ChosenAmount(command, a.name(), name, max).ok()) {
        return false;
      }
      if (IsDueTimeField(def_, a, name) &&
          !ChosenDueTime(command, name, now).ok()) {
        return false;
      }
    }
    for (const auto& f : a.fields()) {
      auto it = command.fields.find(f.name());
      if (it == command.fields.end()) {
        if (f.required()) return false;
        continue;
      }
      if (!f.allowed_values().empty() &&
          std::find(f.allowed_values().begin(), f.allowed_values().end(),
                    it->second) == f.allowed_values().end()) {
        return false;
      }
    }
    for (const auto& [name, value] : command.fields) {
      if (std::none_of(a.fields().begin(), a.fields().end(),
                       [&](const auto& f) { return f.name() == name; })) {
        return false;
      }
    }
    return true;
  }

  void Check(const Case& c) {
    const auto* state = def_.FindState(c.state());
    ASSERT_NE(state, nullptr) << "undeclared state " << c.state();
    ASSERT_EQ(c.open(), !state->closed());
    ASSERT_EQ(c.state_label().en(), state->label().en());
    std::set<std::string> names;
    absl::Time earliest = absl::InfiniteFuture();
    for (const auto& d : c.deadlines()) {
      ASSERT_NE(def_.FindTimer(d.timer()), nullptr) << d.timer();
      ASSERT_TRUE(names.insert(d.timer()).second) << "duplicate " << d.timer();
      ASSERT_EQ(d.paused(), !d.has_due_time()) << d.timer();
      // Windows (objection, review request, rating) bind the petitioner or
      // the receiving body, not the handlers: never the case's due time.
      if (!d.paused() && !def_.FindTimer(d.timer())->window()) {
        earliest = std::min(earliest, FromProto(d.due_time()));
      }
      ASSERT_TRUE(AliveIn(*def_.FindTimer(d.timer()), c.state()))
          << d.timer() << " kept in " << c.state();
      // Windows never warn; a warning point lies before the due time.
      if (def_.FindTimer(d.timer())->window()) {
        ASSERT_FALSE(d.has_warn_time()) << d.timer();
      } else if (d.has_warn_time() && !d.paused()) {
        ASSERT_LE(FromProto(d.warn_time()), FromProto(d.due_time()));
      }
    }
    for (const auto& d : c.expired_deadlines()) {
      const auto* t = def_.FindTimer(d.timer());
      ASSERT_NE(t, nullptr) << d.timer();
      ASSERT_FALSE(t->window()) << "expired window " << d.timer() << " kept";
      ASSERT_EQ(FindDeadline(c, d.timer()), nullptr) << d.timer();
      ASSERT_TRUE(AliveIn(*t, c.state()))
          << "overdue " << d.timer() << " kept in " << c.state();
      earliest = std::min(earliest, FromProto(d.due_time()));
    }
    if (state->terminal()) {
      ASSERT_EQ(c.deadlines_size() + c.expired_deadlines_size(), 0);
    }
    if (earliest == absl::InfiniteFuture()) {
      ASSERT_FALSE(c.has_due_time());
    } else {
      ASSERT_EQ(FromProto(c.due_time()), earliest);
    }
  }

  void Count(const TransitionResult& r) {
    for (const auto& d : r.change.counters) totals_[d.metric] += d.delta;
    Rates rates = ComputeRates(totals_);
    for (double v :
         {rates.participation, rates.satisfaction, rates.one_time_resolution,
          rates.timely_acceptance, rates.on_time_completion,
          rates.timely_routing, rates.adoption}) {
      ASSERT_GE(v, 0.0);
      ASSERT_LE(v, 1.0);
    }
  }

  const Definition& def_;
  std::mt19937 rng_;
  Case intake_;
  std::vector<jianyan::v1::Event> events_;
  std::set<std::pair<std::string, absl::Time>> fired_;
  std::set<std::tuple<std::string, absl::Time, absl::Time>> warned_;
  std::map<std::string, uint64_t> totals_;
  int applied_ = 0;
  std::set<std::string> states_seen_;
};

constexpr int kWalks = 5000;  // random command sequences per definition

class WorkflowPropertyTest : public ::testing::TestWithParam<const char*> {};

TEST_P(WorkflowPropertyTest, RandomWalksKeepTheInvariants) {
  const Definition& def = *testing::Defaults().at(GetParam());
  int applied = 0;
  std::set<std::string> states_seen;
  for (uint32_t seed = 1; seed <= kWalks; ++seed) {
    Walker w(def, seed);
    w.Walk(80);  // long enough to reach 终结 past the supervision actions
    if (HasFatalFailure()) FAIL() << "seed " << seed;
    applied += w.applied();
    states_seen.insert(w.states_seen().begin(), w.states_seen().end());
  }
  // The walks do move cases (not just collect refusals) into every state.
  EXPECT_GT(applied, kWalks * 5);
  for (const auto& s : def.proto().states()) {
    if (s.name() != def.proto().initial_state()) {
      EXPECT_TRUE(states_seen.count(s.name())) << "never reached " << s.name();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Defaults, WorkflowPropertyTest,
                         ::testing::Values("petition", "suggestion"));

}  // namespace
}  // namespace jianyan
