// Malformed definitions: each is rejected with its expected message.
#include <string>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/workflow/mini_definition.h"
#include "tests/workflow/workflow_test_util.h"
#include "workflow/definition_loader.h"

namespace jianyan {
namespace {

using ::testing::HasSubstr;

struct Malformed {
  const char* name;
  const char* find;     // text replaced in the mini definition ("" = none)
  const char* replace;  // replacement, or appended text when find is ""
  const char* message;  // expected substring of the error
};

const Malformed kCases[] = {
    {"SyntaxError", "kind:", "knid:",
     "mini.textproto:3:5: Message type \"jianyan.v1.WorkflowDefinition\" has "
     "no field named \"knid\""},
    {"UnknownRoleName", "roles: ROLE_HANDLER", "roles: ROLE_KING",
     "mini.textproto:11:"},
    {"UnknownRoleNumber", "roles: ROLE_HANDLER", "roles: 42",
     "mini.textproto:11: action 'finish' names unknown role 42"},
    {"UnreachableState", "",
     "states { name: \"limbo\" label { zh: \"悬\" en: \"Limbo\" } }\n",
     "mini.textproto:18: state 'limbo' is unreachable from initial state "
     "'open'"},
    {"ExitFromTerminalState", "from_states: \"open\" to_state: \"rating\"",
     "from_states: [\"open\", \"done\"] to_state: \"rating\"",
     "mini.textproto:11: terminal state 'done' has an exit: action 'finish'"},
    {"NoWayToTerminal", "",
     "states { name: \"stuck\" label { zh: \"卡\" en: \"Stuck\" } }\n"
     "actions { name: \"park\" label { zh: \"搁置\" en: \"Park\" } "
     "from_states: \"open\" to_state: \"stuck\" roles: ROLE_HANDLER }\n",
     "mini.textproto:18: state 'stuck' has no way to a terminal state"},
    {"DuplicateState", "",
     "states { name: \"open\" label { zh: \"开\" en: \"Open\" } }\n",
     "mini.textproto:18: duplicate state name 'open'"},
    {"DuplicateAction", "",
     "actions { name: \"finish\" label { zh: \"办\" en: \"F\" } from_states: "
     "\"open\" to_state: \"rating\" roles: ROLE_HANDLER }\n",
     "mini.textproto:18: duplicate action name 'finish'"},
    {"DuplicateTimer", "",
     "timers { name: \"limit\" label { zh: \"期\" en: \"L\" } duration { "
     "amount: 1 unit: DURATION_UNIT_HOURS } running_states: \"open\" "
     "on_expiry: \"expire\" }\n",
     "mini.textproto:18: duplicate timer name 'limit'"},
    {"AmountFieldOnAStateStartedTimer",
     "start_on_enter: \"open\" running_states",
     "start_on_enter: \"open\" amount_field: \"days\" running_states",
     "mini.textproto:15: timer 'limit' has an amount_field: only actions' "
     "start_timers start it"},
    {"NoticeDeliveryFieldUnknown", "outcomes: \"response\" }",
     "outcomes: \"response\" notice { kind: \"letter\" label { zh: \"函\" "
     "en: \"Letter\" } delivery_field: \"how\" } }",
     "mini.textproto:11: action 'finish': notice delivery_field 'how' is not "
     "a field of the action"},
    {"ExtensionAmountFieldUnknown", "outcomes: \"response\" }",
     "outcomes: \"response\" extend_timer { timer: \"limit\" by { amount: 3 "
     "unit: DURATION_UNIT_WORKING_DAYS } max_times: 1 amount_field: "
     "\"days\" } }",
     "mini.textproto:11: action 'finish' extension: amount_field 'days' is "
     "not a field of the action"},
    {"TimerNamesUnknownAction", "on_expiry: \"expire\"",
     "on_expiry: \"explode\"",
     "mini.textproto:15: timer 'limit' names unknown action 'explode'"},
    {"TimerNamesUnknownState", "running_states: \"open\"",
     "running_states: \"nowhere\"",
     "mini.textproto:15: timer 'limit' names unknown state 'nowhere'"},
    {"EffectNamesUnknownTimer", "outcomes: \"response\"",
     "outcomes: \"response\" start_timers: \"ghost\"",
     "mini.textproto:11: action 'finish' names unknown timer 'ghost'"},
    {"ActionToUnknownState", "to_state: \"rating\"", "to_state: \"ratng\"",
     "mini.textproto:11: action 'finish' names unknown state 'ratng'"},
    {"RateableWithoutPolicy",
     "rating_policy { window { amount: 3 unit: DURATION_UNIT_CALENDAR_DAYS } "
     "rate_action: \"rate\" on_window_expiry: \"rating_expired\" }",
     "",
     "mini.textproto:8: rateable state 'rating' but the definition has no "
     "rating_policy"},
    {"MissingStateLabelZh", "label { zh: \"办理中\" en: \"Open\" }",
     "label { en: \"Open\" }",
     "mini.textproto:7: state 'open': missing label (zh)"},
    {"MissingActionLabelEn", "label { zh: \"办结\" en: \"Finish\" }",
     "label { zh: \"办结\" }",
     "mini.textproto:11: action 'finish': missing label (en)"},
    {"MissingFieldLabel",
     "fields { name: \"rating\" label { zh: \"评价\" en: "
     "\"Rating\" }",
     "fields { name: \"rating\"",
     "mini.textproto:12: action 'rate' field 'rating': missing label (zh)"},
    {"MissingDefinitionLabel", "label { zh: \"小流程\" en: \"Mini\" }", "",
     "mini.textproto: definition: missing label (zh)"},
    {"UnknownInitialState", "initial_state: \"open\"",
     "initial_state: \"opened\"",
     "initial_state 'opened' is not a declared state"},
    {"UnknownCreateAction", "create_action: \"create\"",
     "create_action: \"make\"",
     "create_action 'make' is not a declared action"},
    {"DurationWithoutUnit", "amount: 5 unit: DURATION_UNIT_WORKING_DAYS",
     "amount: 5",
     "mini.textproto:15: timer 'limit' duration: unit is missing or unknown"},
    {"ExpiryActionNotSystem", "on_expiry: \"expire\"", "on_expiry: \"finish\"",
     "mini.textproto:15: timer 'limit': expiry action 'finish' must be "
     "system_only"},
    {"ExpiryNotAllowedInRunningState", "running_states: \"open\"",
     "running_states: [\"open\", \"rating\"]",
     "mini.textproto:15: timer 'limit': expiry action 'expire' is not allowed "
     "in running state 'rating'"},
    {"BadIdentifier", "name: \"finish\"", "name: \"Finish It\"",
     "mini.textproto:11: action name 'Finish It' is not an identifier"},
    {"SystemOnlyWithRoles", "from_states: \"open\" system_only: true",
     "from_states: \"open\" system_only: true roles: ROLE_ADMIN",
     "mini.textproto:13: action 'expire' is system_only but names other "
     "roles"},
    {"ActionWithoutRoles", "to_state: \"rating\" roles: ROLE_HANDLER",
     "to_state: \"rating\"",
     "mini.textproto:11: action 'finish' names no roles"},
    {"TerminalNotClosed", "closed: true terminal: true", "terminal: true",
     "mini.textproto:9: terminal state 'done' must be closed"},
    {"BranchToUnknownState", "records_rating: true",
     "records_rating: true branches { field: \"rating\" value: \"bad\" "
     "to_state: \"hell\" }",
     "mini.textproto:12: action 'rate' branch names unknown state 'hell'"},
    {"RateRuleUnknownOutcome", "first_response_outcome: \"response\"",
     "first_response_outcome: \"answer\"",
     "rate_rules names outcome 'answer' that no action has"},
    {"WorkingDaysWithoutCalendar", "calendar: \"cn\"", "",
     "timer 'limit' duration: working days need the definition's calendar"},
    {"ReservedTimerName", "name: \"limit\"", "name: \"rating_window\"",
     "timer name 'rating_window' is reserved"},
    {"RatingActionDoesNotRecord", "records_rating: true", "",
     "rating_policy rate_action 'rate' does not record a rating"},
    {"UnknownRatingValue", "allowed_values: [\"satisfied\", \"unsatisfied\"]",
     "allowed_values: [\"happy\"]",
     "mini.textproto:12: action 'rate': rating value 'happy' is not "
     "satisfied, basically_satisfied or unsatisfied"},
    {"MissingKind", "kind: CASE_KIND_PETITION", "",
     "definition kind is missing"},
    {"WarnBeforeOnAWindow", "running_states: \"open\" on_expiry",
     "running_states: \"open\" window: true warn_before { amount: 1 unit: "
     "DURATION_UNIT_WORKING_DAYS } on_expiry",
     "mini.textproto:15: timer 'limit' is a window: it takes no warn_before"},
    {"WindowWithoutExpiry", "running_states: \"open\" on_expiry: \"expire\"",
     "running_states: \"open\" window: true",
     "mini.textproto:15: timer 'limit' has no expiry action"},
    {"WindowExpiryRaisesANotice", "",
     "actions { name: \"lapse\" label { zh: \"期满\" en: \"Lapse\" } "
     "from_states: \"open\" system_only: true raises_notice: "
     "NOTICE_KIND_OVERDUE }\n"
     "timers { name: \"window\" label { zh: \"窗口\" en: \"Window\" } "
     "duration { amount: 1 unit: DURATION_UNIT_HOURS } running_states: "
     "\"open\" window: true on_expiry: \"lapse\" }\n",
     "mini.textproto:19: timer 'window' is a window: its expiry action "
     "'lapse' may not raise a notice"},
    {"DueTimeFieldNotAFieldOfTheStarter", "",
     "actions { name: \"ask\" label { zh: \"督办\" en: \"Ask\" } "
     "from_states: \"open\" roles: ROLE_SUPERVISOR start_timers: "
     "\"reply\" }\n"
     "timers { name: \"reply\" label { zh: \"回复\" en: \"Reply\" } "
     "due_time_field: \"due\" running_states: \"open\" on_expiry: "
     "\"expire\" }\n",
     "mini.textproto:18: action 'ask' starts timer 'reply' whose "
     "due_time_field 'due' is not a field of the action"},
    {"DueTimeFieldWithAmountField", "",
     "timers { name: \"reply\" label { zh: \"回复\" en: \"Reply\" } "
     "duration { amount: 3 unit: DURATION_UNIT_CALENDAR_DAYS } "
     "due_time_field: \"due\" amount_field: \"days\" running_states: "
     "\"open\" on_expiry: \"expire\" }\n",
     "mini.textproto:18: timer 'reply' has both a due_time_field and an "
     "amount_field"},
    {"DueTimeFieldOnAStateStartedTimer",
     "start_on_enter: \"open\" running_states",
     "start_on_enter: \"open\" due_time_field: \"due\" running_states",
     "mini.textproto:15: timer 'limit' has a due_time_field: only actions' "
     "start_timers start it"},
    {"ReservedBuiltinActionName", "name: \"expire\"",
     "name: \"deadline_warning\"",
     "mini.textproto:13: action name 'deadline_warning' is reserved"},
    {"MustRiseWithoutALevel", "outcomes: \"response\" }",
     "outcomes: \"response\" escalation_must_rise: true }",
     "mini.textproto:11: action 'finish' has escalation_must_rise but sets no "
     "escalation level"},
};

class MalformedDefinitionTest : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedDefinitionTest, IsRejectedWithItsMessage) {
  const Malformed& m = GetParam();
  std::string text = testing::kMiniDefinition;
  if (std::string(m.find).empty()) {
    text += m.replace;
  } else {
    ASSERT_NE(text.find(m.find), std::string::npos) << m.find;
    text = absl::StrReplaceAll(text, {{m.find, m.replace}});
  }
  auto def =
      LoadDefinitionFromText(text, "mini.textproto", testing::TestCalendars());
  ASSERT_FALSE(def.ok()) << m.name;
  EXPECT_EQ(def.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(def.status().message()), HasSubstr(m.message));
}

INSTANTIATE_TEST_SUITE_P(All, MalformedDefinitionTest,
                         ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param.name; });

TEST(MalformedDefinitionTest, TheMiniDefinitionItselfLoads) {
  auto def = LoadDefinitionFromText(testing::kMiniDefinition, "mini.textproto",
                                    testing::TestCalendars());
  ASSERT_TRUE(def.ok()) << def.status();
  EXPECT_EQ((*def)->version().size(), 16u);
}

// The rating window exists only with a rating policy: naming it without one
// is an unknown timer (it used to pass and crash the first transition).
TEST(MalformedDefinitionTest, RatingWindowNeedsARatingPolicy) {
  std::string text = absl::StrReplaceAll(
      testing::kMiniDefinition,
      {{" rateable: true", ""},
       {"rating_policy { window { amount: 3 unit: DURATION_UNIT_CALENDAR_DAYS "
        "} rate_action: \"rate\" on_window_expiry: \"rating_expired\" }",
        ""},
       {"outcomes: \"response\" }",
        "outcomes: \"response\" start_timers: \"rating_window\" }"}});
  auto def =
      LoadDefinitionFromText(text, "mini.textproto", testing::TestCalendars());
  ASSERT_FALSE(def.ok());
  EXPECT_THAT(def.status().message(),
              HasSubstr("action 'finish' names unknown timer 'rating_window'"));
}

// A deadline (not a window) may go without an expiry action: it only marks
// the case overdue (the built-in 'deadline_expired' event).
TEST(MalformedDefinitionTest, ADeadlineWithoutExpiryActionLoads) {
  std::string text = absl::StrReplaceAll(testing::kMiniDefinition,
                                         {{" on_expiry: \"expire\"", ""}});
  auto def =
      LoadDefinitionFromText(text, "mini.textproto", testing::TestCalendars());
  EXPECT_TRUE(def.ok()) << def.status();
}

}  // namespace
}  // namespace jianyan
