// Deadline events without a state change: the pre-warning (预警,
// WarnTimerCommand) of a running deadline, raised once per deadline
// instance, and the built-in 'deadline_expired' event of a timer without an
// expiry action. Both name their timer and raise their supervision notice.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/workflow/mini_definition.h"
#include "tests/workflow/workflow_test_util.h"

namespace jianyan {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::jianyan::testing::CaseDriver;
using ::jianyan::testing::Cst;
using ::jianyan::v1::NOTICE_KIND_DUE_SOON;
using ::jianyan::v1::NOTICE_KIND_OVERDUE;
using ::jianyan::v1::NOTICE_KIND_UNSPECIFIED;
using ::jianyan::v1::ROLE_HANDLER;
using ::testing::HasSubstr;

constexpr absl::Duration kSecond = absl::Seconds(1);

absl::Time WarnTime(const CaseDriver& d, const std::string& timer) {
  return FromProto(d.Timer(timer)->warn_time());
}

// Registered 2026-03-02 10:00; the routing limit ends 03-18 00:00 and warns
// 3 days before, 03-15 00:00.
TEST(WarningTest, RaisedOnceFromTheWarnTimeWithoutChangingTheCase) {
  CaseDriver d("petition", Cst(2026, 3, 2, 10));
  ASSERT_EQ(WarnTime(d, "routing"), Cst(2026, 3, 15));
  auto command = WarnTimerCommand(d.def(), d.c(), "routing");
  ASSERT_TRUE(command.ok()) << command.status();
  EXPECT_EQ(command->request_id,
            absl::StrCat("warn/P2026-00000001-X/routing/",
                         absl::ToUnixSeconds(Cst(2026, 3, 2, 10))));
  EXPECT_EQ(command->actor.role(), jianyan::v1::ROLE_SYSTEM);
  EXPECT_EQ(command->action, kDeadlineWarningAction);

  absl::Status early = d.Warn("routing", Cst(2026, 3, 15) - kSecond);
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(early.message(), HasSubstr("does not warn until"));

  const jianyan::v1::Case before = d.c();
  ASSERT_TRUE(d.Warn("routing", Cst(2026, 3, 15)).ok());
  const jianyan::v1::Event& e = d.event();
  EXPECT_EQ(e.action(), "deadline_warning");
  EXPECT_EQ(e.action_label().zh(), "期限预警");
  EXPECT_EQ(e.from_state(), "registered");
  EXPECT_EQ(e.to_state(), "registered");
  EXPECT_EQ(e.supervision_notice(), NOTICE_KIND_DUE_SOON);
  EXPECT_EQ(e.fields().at("timer"), "routing");
  EXPECT_EQ(e.seq(), before.last_event_seq() + 1);
  EXPECT_TRUE(d.Timer("routing")->warned());
  // Only the warned flag (and the bookkeeping) changed: not the deadline.
  jianyan::v1::Deadline unwarned = *d.Timer("routing");
  unwarned.set_warned(false);
  EXPECT_TRUE(MessageDifferencer::Equals(unwarned, before.deadlines(0)));
  EXPECT_EQ(d.c().state(), before.state());
  EXPECT_EQ(d.c().escalation_level(), before.escalation_level());
  EXPECT_EQ(FromProto(d.c().due_time()), FromProto(before.due_time()));

  absl::Status again = d.Warn("routing", Cst(2026, 3, 16));
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.message(), HasSubstr("already warned"));
  // A user may not raise it.
  EXPECT_EQ(d.Do("deadline_warning", ROLE_HANDLER, Cst(2026, 3, 16)).code(),
            absl::StatusCode::kPermissionDenied);
}

// Accepted 2026-03-02 10:00: the handling limit ends 05-02 00:00 and warns
// 04-28. An extension makes a new instance: it warns again at its own
// point (20 more days: ends 05-22, 3 working days before is 05-19).
TEST(WarningTest, AnExtensionWarnsAgain) {
  CaseDriver d("petition", Cst(2026, 3, 2, 9));
  ASSERT_TRUE(d.Do("accept", ROLE_HANDLER, Cst(2026, 3, 2, 10)).ok());
  ASSERT_TRUE(d.Warn("handling", Cst(2026, 4, 28)).ok());
  EXPECT_TRUE(d.Timer("handling")->warned());
  d.set_capabilities({"approve_extension"});
  ASSERT_TRUE(d.Do("extend", ROLE_HANDLER, Cst(2026, 4, 29),
                   {{"days", "20"}, {"reason", "site survey"}})
                  .ok());
  EXPECT_FALSE(d.Timer("handling")->warned());
  EXPECT_EQ(WarnTime(d, "handling"), Cst(2026, 5, 19));
  EXPECT_EQ(d.Warn("handling", Cst(2026, 5, 19) - kSecond).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(d.Warn("handling", Cst(2026, 5, 19)).ok());
  EXPECT_TRUE(d.Timer("handling")->warned());
}

// A restarted timer (改派 of a forwarded case: the new body's acceptance
// limit starts afresh) warns again.
TEST(WarningTest, ARestartedTimerWarnsAgain) {
  CaseDriver d("petition", Cst(2026, 3, 2, 9));
  ASSERT_TRUE(d.Do("forward", ROLE_HANDLER, Cst(2026, 3, 2, 10),
                   {{"organisation_id", "org-2"}})
                  .ok());
  const absl::Time warn = WarnTime(d, "acceptance");
  ASSERT_TRUE(d.Warn("acceptance", warn).ok());
  ASSERT_TRUE(d.Do("reassign", jianyan::v1::ROLE_SUPERVISOR, warn + kSecond,
                   {{"organisation_id", "org-3"}, {"reason", "misrouted"}})
                  .ok());
  EXPECT_FALSE(d.Timer("acceptance")->warned());
  EXPECT_GT(WarnTime(d, "acceptance"), warn);
  EXPECT_EQ(d.Warn("acceptance", warn + kSecond).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(d.Warn("acceptance", WarnTime(d, "acceptance")).ok());
}

// A deadline paused and resumed is a new instance when its warning point
// moves; resumed at the point it already warned at, it does not warn twice.
// (A mini definition: 'limit' pauses in 'hold', warns 1 working day ahead.)
TEST(WarningTest, AResumptionWarnsAgainOnlyAtANewPoint) {
  std::string text = absl::StrReplaceAll(
      testing::kMiniDefinition,
      {{"roles: ROLE_SERVICE", "roles: ROLE_TERMINAL"},
       {"running_states: \"open\" on_expiry",
        "running_states: \"open\" paused_states: \"hold\" warn_before { "
        "amount: 1 unit: DURATION_UNIT_WORKING_DAYS } on_expiry"}});
  text +=
      "states { name: \"hold\" label { zh: \"中止\" en: \"Hold\" } }\n"
      "actions { name: \"hold\" label { zh: \"中止\" en: \"Hold\" } "
      "from_states: \"open\" to_state: \"hold\" roles: ROLE_HANDLER }\n"
      "actions { name: \"resume\" label { zh: \"恢复\" en: \"Resume\" } "
      "from_states: \"hold\" to_state: \"open\" roles: ROLE_HANDLER }\n";
  auto def =
      LoadDefinitionFromText(text, "mini.textproto", testing::TestCalendars());
  ASSERT_TRUE(def.ok()) << def.status();
  // Created Monday 03-02: 5 working days end 03-10 00:00; warned 03-09.
  CaseDriver d(*def, Cst(2026, 3, 2, 10), CaseDriver::Intake());
  ASSERT_EQ(WarnTime(d, "limit"), Cst(2026, 3, 9));
  ASSERT_TRUE(d.Warn("limit", Cst(2026, 3, 9)).ok());
  ASSERT_TRUE(d.Do("hold", ROLE_HANDLER, Cst(2026, 3, 9, 12)).ok());
  EXPECT_EQ(WarnTimerCommand(**def, d.c(), "limit").status().code(),
            absl::StatusCode::kNotFound);  // paused
  ASSERT_TRUE(d.Do("resume", ROLE_HANDLER, Cst(2026, 3, 9, 12)).ok());
  EXPECT_EQ(WarnTime(d, "limit"), Cst(2026, 3, 9));
  EXPECT_TRUE(d.Timer("limit")->warned());
  EXPECT_EQ(d.Warn("limit", Cst(2026, 3, 9, 12)).code(),
            absl::StatusCode::kFailedPrecondition);
  // Held two days: the end moves to 03-12 00:00, the point to 03-11.
  ASSERT_TRUE(d.Do("hold", ROLE_HANDLER, Cst(2026, 3, 9, 13)).ok());
  ASSERT_TRUE(d.Do("resume", ROLE_HANDLER, Cst(2026, 3, 11, 13)).ok());
  EXPECT_EQ(d.Due("limit"), Cst(2026, 3, 12));
  EXPECT_EQ(WarnTime(d, "limit"), Cst(2026, 3, 11));
  EXPECT_FALSE(d.Timer("limit")->warned());
  EXPECT_TRUE(d.Warn("limit", Cst(2026, 3, 11, 13)).ok());
}

// Windows are someone else's move: no warning point, no warning, and their
// end raises no notice.
TEST(WarningTest, WindowsNeverWarn) {
  CaseDriver d("petition", Cst(2026, 3, 2, 9));
  ASSERT_TRUE(d.Do("forward", ROLE_HANDLER, Cst(2026, 3, 2, 10),
                   {{"organisation_id", "org-2"}})
                  .ok());
  const auto* window = d.Timer("objection_window");
  ASSERT_NE(window, nullptr);
  EXPECT_FALSE(window->has_warn_time());
  absl::Status s = d.Warn("objection_window", d.Due("objection_window"));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("has no warning point"));
  ASSERT_TRUE(d.Fire("objection_window", d.Due("objection_window")).ok());
  EXPECT_EQ(d.event().action(), "objection_window_closed");
  EXPECT_EQ(d.event().supervision_notice(), NOTICE_KIND_UNSPECIFIED);
  EXPECT_EQ(d.event().fields().at("timer"), "objection_window");
  for (const auto& def : testing::Defaults()) {
    for (const auto& t : def.second->timers()) {
      if (t.window()) {
        EXPECT_EQ(t.warn_before().amount(), 0u) << t.name();
      }
    }
  }
}

// The warning command is refused (NOT_FOUND) for a timer that is not
// running.
TEST(WarningTest, NotFoundWithoutARunningTimer) {
  CaseDriver d("petition", Cst(2026, 3, 2, 9));
  EXPECT_EQ(WarnTimerCommand(d.def(), d.c(), "handling").status().code(),
            absl::StatusCode::kNotFound);
}

// An overdue action raises OVERDUE and names its timer.
TEST(WarningTest, OverdueActionsRaiseOverdue) {
  CaseDriver d("petition", Cst(2026, 3, 2, 10));
  ASSERT_TRUE(d.Fire("routing", Cst(2026, 3, 18)).ok());
  EXPECT_EQ(d.event().action(), "routing_overdue");
  EXPECT_EQ(d.event().supervision_notice(), NOTICE_KIND_OVERDUE);
  EXPECT_EQ(d.event().fields().at("timer"), "routing");
  for (const auto& def : testing::Defaults()) {
    for (const auto& a : def.second->proto().actions()) {
      if (absl::EndsWith(a.name(), "_overdue")) {
        EXPECT_EQ(a.raises_notice(), NOTICE_KIND_OVERDUE) << a.name();
      }
    }
  }
}

// A timer without an expiry action only marks the case overdue: the fire
// still leaves an event, the built-in 'deadline_expired'.
TEST(WarningTest, ATimerWithoutExpiryActionLeavesABuiltinEvent) {
  std::string text =
      absl::StrReplaceAll(testing::kMiniDefinition,
                          {{" on_expiry: \"expire\"", ""},
                           {"roles: ROLE_SERVICE", "roles: ROLE_TERMINAL"}});
  auto def =
      LoadDefinitionFromText(text, "mini.textproto", testing::TestCalendars());
  ASSERT_TRUE(def.ok()) << def.status();
  CaseDriver d(*def, Cst(2026, 3, 2, 10), CaseDriver::Intake());
  const absl::Time due = d.Due("limit");
  auto command = FireTimerCommand(**def, d.c(), "limit");
  ASSERT_TRUE(command.ok()) << command.status();
  EXPECT_EQ(command->action, kDeadlineExpiredAction);
  EXPECT_EQ(d.Fire("limit", due - kSecond).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(d.Fire("limit", due).ok());
  const jianyan::v1::Event& e = d.event();
  EXPECT_EQ(e.action(), "deadline_expired");
  EXPECT_EQ(e.action_label().zh(), "期限届满");
  EXPECT_EQ(e.action_label().en(), "Deadline expired");
  EXPECT_EQ(e.from_state(), "open");
  EXPECT_EQ(e.to_state(), "open");
  EXPECT_EQ(e.supervision_notice(), NOTICE_KIND_OVERDUE);
  EXPECT_EQ(e.fields().at("timer"), "limit");
  EXPECT_EQ(d.Timer("limit"), nullptr);
  ASSERT_EQ(d.c().expired_deadlines_size(), 1);
  EXPECT_EQ(d.c().expired_deadlines(0).timer(), "limit");
  // Fired once: nothing is left to fire.
  EXPECT_EQ(d.Fire("limit", due).code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace jianyan
