// CaseCommands: the read operations (GetCase, ListCases, GetHistory,
// ListActions).
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/core/case_commands.h"
#include "services/core/request_checks.h"
#include "workflow/command_check.h"
#include "workflow/status_macros.h"
#include "workflow/time_util.h"

namespace jianyan {
namespace {

using jianyan::v1::Case;
using jianyan::v1::Principal;

constexpr int kListDefault = 50, kListMax = 500;
constexpr int kHistoryDefault = 200, kHistoryMax = 1000;

absl::StatusOr<storage::CaseQuery> QueryOf(
    const jianyan::v1::ListCasesRequest& r) {
  storage::CaseQuery q;
  if (!r.state().empty()) {
    JY_RETURN_IF_ERROR(CheckText(r.state(), "state", 64));
    q.state = r.state();
  }
  JY_RETURN_IF_ERROR(
      CheckOptionalIdentifier(r.organisation_id(), "organisation_id"));
  if (!r.organisation_id().empty()) q.organisation_ids = {r.organisation_id()};
  JY_RETURN_IF_ERROR(
      CheckOptionalIdentifier(r.reporting_point_id(), "reporting_point_id"));
  q.reporting_point_id = r.reporting_point_id();
  JY_RETURN_IF_ERROR(CheckOptionalIdentifier(r.campaign_id(), "campaign_id"));
  q.campaign_id = r.campaign_id();
  if (!jianyan::v1::CaseKind_IsValid(r.kind())) {
    return absl::InvalidArgumentError("kind: unknown value");
  }
  q.kind = r.kind();
  if (r.has_created_after()) q.created_after = FromProto(r.created_after());
  if (r.has_created_before()) q.created_before = FromProto(r.created_before());
  if (q.created_after && q.created_before &&
      *q.created_after >= *q.created_before) {
    return absl::InvalidArgumentError(
        "created_before: must be later than created_after");
  }
  switch (r.order()) {
    case jianyan::v1::CASE_ORDER_UNSPECIFIED:
      q.order = storage::CaseOrder::kCreateAsc;
      break;
    case jianyan::v1::CASE_ORDER_CREATE_TIME_DESC:
      q.order = storage::CaseOrder::kCreateDesc;
      break;
    case jianyan::v1::CASE_ORDER_DUE_TIME_ASC:
      q.order = storage::CaseOrder::kDueAsc;
      break;
    default:
      return absl::InvalidArgumentError("order: unknown value");
  }
  return q;
}

// The field specs of `action` as ListActions shows them.
jianyan::v1::AvailableAction Available(const Definition& def,
                                       const jianyan::v1::ActionDef& action,
                                       const std::string& state) {
  jianyan::v1::AvailableAction out;
  out.set_action(action.name());
  *out.mutable_label() = action.label();
  const std::string& to = action.to_state().empty() ? state : action.to_state();
  out.set_to_state(to);
  if (const auto* s = def.FindState(to))
    *out.mutable_to_state_label() = s->label();
  for (const auto& f : action.fields()) {
    // Filled by the core from the directory, not by the caller.
    if (action.routes_to_parent_organisation() &&
        f.name() == "organisation_id") {
      continue;
    }
    auto* spec = out.add_fields();
    spec->set_name(f.name());
    *spec->mutable_label() = f.label();
    spec->set_required(f.required());
    *spec->mutable_allowed_values() = f.allowed_values();
  }
  return out;
}

}  // namespace

absl::StatusOr<Case> CaseCommands::GetCase(
    const Principal& caller, const jianyan::v1::GetCaseRequest& request) {
  JY_ASSIGN_OR_RETURN(
      Case c, VisibleCase(caller, "case_number", request.case_number()));
  return ViewFor(caller, std::move(c));
}

absl::StatusOr<jianyan::v1::ListCasesResponse> CaseCommands::ListCases(
    const Principal& caller, const jianyan::v1::ListCasesRequest& request) {
  JY_ASSIGN_OR_RETURN(storage::CaseQuery query, QueryOf(request));
  JY_ASSIGN_OR_RETURN(query, policy_.NarrowQuery(caller, std::move(query)));
  storage::PageRequest page;
  JY_ASSIGN_OR_RETURN(page.page_size, CheckPageSize(request.page_size(),
                                                    kListDefault, kListMax));
  JY_RETURN_IF_ERROR(CheckText(request.page_token(), "page_token", 4096));
  page.page_token = request.page_token();
  JY_ASSIGN_OR_RETURN(storage::CasePage found, store_.ListCases(query, page));
  jianyan::v1::ListCasesResponse out;
  for (const Case& c : found.cases) *out.add_cases() = Summarize(c);
  out.set_next_page_token(found.next_page_token);
  return out;
}

absl::StatusOr<jianyan::v1::GetHistoryResponse> CaseCommands::GetHistory(
    const Principal& caller, const jianyan::v1::GetHistoryRequest& request) {
  JY_ASSIGN_OR_RETURN(
      Case c, VisibleCase(caller, "case_number", request.case_number()));
  storage::PageRequest page;
  JY_ASSIGN_OR_RETURN(
      page.page_size,
      CheckPageSize(request.page_size(), kHistoryDefault, kHistoryMax));
  JY_RETURN_IF_ERROR(CheckText(request.page_token(), "page_token", 4096));
  page.page_token = request.page_token();
  JY_ASSIGN_OR_RETURN(storage::EventPage events,
                      store_.GetEvents(c.case_number(), page));
  jianyan::v1::GetHistoryResponse out;
  // Who submitted an anonymous or confidential case is personal data too.
  const bool hide_submitter = (c.confidential() || c.submitter().anonymous()) &&
                              !policy_.SeesSubmitter(caller, c);
  for (auto& e : events.events) {
    const auto role = e.actor().role();
    if (hide_submitter && (role == jianyan::v1::ROLE_SUGGESTER ||
                           role == jianyan::v1::ROLE_TERMINAL ||
                           role == jianyan::v1::ROLE_PETITIONER)) {
      e.mutable_actor()->clear_principal_id();
    }
    *out.add_events() = std::move(e);
  }
  out.set_next_page_token(events.next_page_token);
  return out;
}

absl::StatusOr<jianyan::v1::ListActionsResponse> CaseCommands::ListActions(
    const Principal& caller, const jianyan::v1::ListActionsRequest& request) {
  JY_ASSIGN_OR_RETURN(
      Case c, VisibleCase(caller, "case_number", request.case_number()));
  JY_ASSIGN_OR_RETURN(
      DefinitionPtr def,
      registry_.Pinned(c.definition_name(), c.definition_version()));
  jianyan::v1::ListActionsResponse out;
  out.set_case_number(c.case_number());
  out.set_version(c.version());
  out.set_state(c.state());
  const absl::Time now = clock_.Now();
  Command probe;
  probe.actor = ActorOf(caller);
  for (const auto& action : def->proto().actions()) {
    if (action.system_only() || action.name() == def->proto().create_action()) {
      continue;
    }
    probe.action = action.name();
    const jianyan::v1::ActionDef* checked = nullptr;
    // Fields are the caller's to fill: availability ignores them.
    if (IsAvailable(*def, c, probe, now, &checked)) {
      *out.add_actions() = Available(*def, action, c.state());
    }
  }
  return out;
}

}  // namespace jianyan
