// Helpers for the workflow tests: the shipped definitions, China-time
// instants and a small driver that applies commands and keeps the case.
#ifndef JIANYAN_TESTS_WORKFLOW_WORKFLOW_TEST_UTIL_H_
#define JIANYAN_TESTS_WORKFLOW_WORKFLOW_TEST_UTIL_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "workflow/clock.h"
#include "workflow/definition_loader.h"
#include "workflow/rates.h"
#include "workflow/time_util.h"
#include "workflow/transition.h"

namespace jianyan::testing {

// hh:mm:ss on y-m-d, China time.
inline absl::Time Cst(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss),
                         ChinaTimeZone());
}

// The shipped calendars (loaded once).
inline const CalendarMap& TestCalendars() {
  static const auto* calendars = [] {
    auto loaded = LoadCalendarDir(DefaultCalendarsDir());
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return new CalendarMap(loaded.ok() ? *loaded : CalendarMap());
  }();
  return *calendars;
}

inline const std::map<std::string, std::shared_ptr<const Definition>>&
Defaults() {
  static const auto* defs = [] {
    auto loaded = LoadDefaultDefinitions();
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return new std::map<std::string, std::shared_ptr<const Definition>>(
        loaded.ok()
            ? *loaded
            : std::map<std::string, std::shared_ptr<const Definition>>());
  }();
  return *defs;
}

inline jianyan::v1::Actor ActorOf(jianyan::v1::Role role,
                                  const std::string& org = "") {
  jianyan::v1::Actor a;
  a.set_principal_id(absl::StrCat(jianyan::v1::Role_Name(role), "-1"));
  a.set_role(role);
  a.set_organisation_id(org);
  return a;
}

// Drives one case through a definition, keeping the snapshot and history.
class CaseDriver {
 public:
  CaseDriver(const std::string& definition, absl::Time created,
             jianyan::v1::PetitionType type = jianyan::v1::PETITION_TYPE_CLAIM)
      : CaseDriver(Defaults().at(definition), created, Intake(type)) {}

  // A case of `def` (any version) from `intake` (kind and routing
  // organisation filled in when absent).
  CaseDriver(std::shared_ptr<const Definition> def, absl::Time created,
             jianyan::v1::Case intake)
      : def_(std::move(def)) {
    intake.set_kind(def_->proto().kind());
    if (intake.kind() != jianyan::v1::CASE_KIND_PETITION) {
      intake.clear_petition_type();
    }
    if (intake.routing_organisation_id().empty()) {
      intake.set_routing_organisation_id(org_);
    }
    auto made = CreateCase(*def_, intake, "P2026-00000001-X",
                           ActorOf(jianyan::v1::ROLE_TERMINAL), created);
    EXPECT_TRUE(made.ok()) << made.status();
    if (made.ok()) Keep(*made);
  }

  // What a terminal collects for a petition of `type`.
  static jianyan::v1::Case Intake(
      jianyan::v1::PetitionType type = jianyan::v1::PETITION_TYPE_CLAIM) {
    jianyan::v1::Case intake;
    intake.set_petition_type(type);
    intake.set_channel(jianyan::v1::CHANNEL_TERMINAL);
    intake.set_reporting_point_id("point-1");
    intake.set_title("title");
    return intake;
  }

  // Applies `action` as `role` at `now`; returns the status.
  absl::Status Do(const std::string& action, jianyan::v1::Role role,
                  absl::Time now,
                  std::map<std::string, std::string> fields = {}) {
    Command c;
    c.action = action;
    c.actor = ActorOf(role, org_);
    for (const auto& cap : capabilities_) c.actor.add_capabilities(cap);
    if (!principal_.empty()) c.actor.set_principal_id(principal_);
    c.fields = std::move(fields);
    c.organisation_ancestors = ancestors_;
    c.request_id = absl::StrCat("req-", ++requests_);
    auto r = Transition(*def_, case_, c, now);
    if (!r.ok()) return r.status();
    Keep(*r);
    return absl::OkStatus();
  }

  // Fires `timer` at `now` through FireTimerCommand + Transition.
  absl::Status Fire(const std::string& timer, absl::Time now) {
    return System(FireTimerCommand(*def_, case_, timer), now);
  }

  // Raises the pre-warning of `timer` at `now` (WarnTimerCommand +
  // Transition).
  absl::Status Warn(const std::string& timer, absl::Time now) {
    return System(WarnTimerCommand(*def_, case_, timer), now);
  }

  // The last event applied.
  const jianyan::v1::Event& event() const { return last_.change.events.back(); }

  const jianyan::v1::Deadline* Timer(const std::string& name) const {
    return FindDeadline(case_, name);
  }
  absl::Time Due(const std::string& name) const {
    const auto* d = Timer(name);
    return d == nullptr ? absl::InfinitePast() : FromProto(d->due_time());
  }

  // The organisation of the actors of later Do() calls ("org-1" at first).
  void set_org(const std::string& org) { org_ = org; }
  // Capabilities and principal id of the actors of later Do() calls.
  void set_capabilities(std::vector<std::string> caps) {
    capabilities_ = std::move(caps);
  }
  void set_principal(const std::string& id) { principal_ = id; }
  // Command.organisation_ancestors of later Do() calls.
  void set_ancestors(std::vector<std::string> up) {
    ancestors_ = std::move(up);
  }
  // The notice on the last event, if any.
  const jianyan::v1::Notice& notice() const {
    return last_.change.events.back().notice();
  }

  const jianyan::v1::Case& c() const { return case_; }
  const Definition& def() const { return *def_; }
  const TransitionResult& last() const { return last_; }
  std::map<std::string, uint64_t>& counters() { return counters_; }

 private:
  absl::Status System(const absl::StatusOr<Command>& c, absl::Time now) {
    if (!c.ok()) return c.status();
    auto r = Transition(*def_, case_, *c, now);
    if (!r.ok()) return r.status();
    Keep(*r);
    return absl::OkStatus();
  }

  void Keep(const TransitionResult& r) {
    last_ = r;
    case_ = r.change.case_after;
    for (const auto& d : r.change.counters) counters_[d.metric] += d.delta;
  }

  std::shared_ptr<const Definition> def_;
  jianyan::v1::Case case_;
  TransitionResult last_;
  std::map<std::string, uint64_t> counters_;
  int requests_ = 0;
  std::string org_ = "org-1";
  std::vector<std::string> capabilities_;
  std::string principal_;
  std::vector<std::string> ancestors_;
};

}  // namespace jianyan::testing

#endif  // JIANYAN_TESTS_WORKFLOW_WORKFLOW_TEST_UTIL_H_
