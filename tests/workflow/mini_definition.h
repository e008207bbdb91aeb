// A minimal valid definition in text form, for loader and validator tests.
#ifndef JIANYAN_TESTS_WORKFLOW_MINI_DEFINITION_H_
#define JIANYAN_TESTS_WORKFLOW_MINI_DEFINITION_H_

namespace jianyan::testing {

// Line numbers matter: tests check that messages name them. Line 18 is the
// first line after the text (where tests append).
// clang-format off
inline constexpr char kMiniDefinition[] =
R"txt(name: "mini"
label { zh: "小流程" en: "Mini" }
kind: CASE_KIND_PETITION
initial_state: "open"
create_action: "create"
calendar: "cn"
states { name: "open" label { zh: "办理中" en: "Open" } }
states { name: "rating" label { zh: "待评价" en: "Rating" } rateable: true }
states { name: "done" label { zh: "办结" en: "Done" } closed: true terminal: true }
actions { name: "create" label { zh: "登记" en: "Create" } to_state: "open" roles: ROLE_SERVICE }
actions { name: "finish" label { zh: "办结" en: "Finish" } from_states: "open" to_state: "rating" roles: ROLE_HANDLER outcomes: "response" }
actions { name: "rate" label { zh: "评价" en: "Rate" } from_states: "rating" to_state: "done" roles: ROLE_PETITIONER records_rating: true fields { name: "rating" label { zh: "评价" en: "Rating" } required: true allowed_values: ["satisfied", "unsatisfied"] } }
actions { name: "expire" label { zh: "逾期" en: "Overdue" } from_states: "open" system_only: true }
actions { name: "rating_expired" label { zh: "评价期满" en: "Unrated" } from_states: "rating" to_state: "done" system_only: true }
timers { name: "limit" label { zh: "期限" en: "Limit" } duration { amount: 5 unit: DURATION_UNIT_WORKING_DAYS } start_on_enter: "open" running_states: "open" on_expiry: "expire" }
rating_policy { window { amount: 3 unit: DURATION_UNIT_CALENDAR_DAYS } rate_action: "rate" on_window_expiry: "rating_expired" }
rate_rules { first_response_outcome: "response" completion_timer: "limit" }
)txt";
// clang-format on

}  // namespace jianyan::testing

#endif  // JIANYAN_TESTS_WORKFLOW_MINI_DEFINITION_H_
