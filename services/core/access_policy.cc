#include "services/core/access_policy.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "workflow/transition.h"

namespace jianyan {
namespace {

using jianyan::v1::Case;
using jianyan::v1::Principal;
using jianyan::v1::Role;

constexpr Access D = Access::kDenied;
constexpr Access A = Access::kAllowed;
constexpr Access S = Access::kScope;

RpcRule AdminOnly(const char* method) { return {method, {D, D, D, D, A, D}}; }

std::vector<RpcRule> BuildTable() {
  //                       terminal suggester handler supervisor admin service
  std::vector<RpcRule> t = {
      {"WorkflowService.CreateCase", {D, D, D, D, D, A}},
      {"WorkflowService.GetCase", {S, S, S, S, D, A}},
      {"WorkflowService.ListCases", {S, S, S, S, D, A}},
      {"WorkflowService.GetHistory", {S, S, S, S, D, A}},
      {"WorkflowService.ListActions", {S, S, S, S, D, A}},
      {"WorkflowService.Act", {S, S, S, S, D, A}},
      // The closed lists intake checks against; the intake edge reads the
      // categories it offers to terminals.
      {"AdminService.ListCategories", {D, D, D, D, A, A}},
      {"AdminService.ListRegions", {D, D, D, D, A, A}},
      AdminOnly("AdminService.PutCategory"),
      AdminOnly("AdminService.PutRegion"),
      {"SupervisionService.ListOverdue", {D, D, D, S, D, D}},
      {"SupervisionService.ListDueSoon", {D, D, D, S, D, D}},
      {"SupervisionService.Escalate", {D, D, D, S, D, D}},
      {"SupervisionService.Reassign", {D, D, D, S, D, D}},
      {"SupervisionService.GetStats", {D, D, D, S, D, D}},
      {"SupervisionService.WatchEscalations", {D, D, D, S, D, D}},
      // Internal: the edges' calls to the core (internal.proto).
      {"CoreInternal.ResolvePrincipal", {D, D, D, D, D, A}},
      {"CoreInternal.GetPublicStatus", {D, D, D, D, D, A}},
      {"CoreInternal.SubmitPublicRating", {D, D, D, D, D, A}},
  };
  for (const char* m :
       {"AdminService.PutOrganisation", "AdminService.ListOrganisations",
        "AdminService.PutReportingPoint", "AdminService.ListReportingPoints",
        "AdminService.PutSuggester", "AdminService.ListSuggesters",
        "AdminService.PutCampaign", "AdminService.ListCampaigns",
        "AdminService.CreatePrincipal", "AdminService.RevokePrincipal",
        "AdminService.ListPrincipals", "AdminService.PutWorkflowDefinition",
        "AdminService.ListWorkflowDefinitions",
        "AdminService.GetWorkflowDefinition", "AdminService.PutCalendarYear",
        "AdminService.ListCalendarYears", "AdminService.Backup",
        "AdminService.Verify", "TestingService.AdvanceClock"}) {
    t.push_back(AdminOnly(m));
  }
  return t;
}

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list,
              const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

absl::Status NotFound(const Case& c) {
  return absl::NotFoundError(
      absl::StrCat("case ", c.case_number(), " not found"));
}

absl::Status OutOfScope(absl::string_view field, absl::string_view what) {
  return absl::PermissionDeniedError(
      absl::StrCat(field, ": outside the caller's scope (", what, ")"));
}

}  // namespace

const std::vector<RpcRule>& AccessTable() {
  static const std::vector<RpcRule>* table =
      new std::vector<RpcRule>(BuildTable());
  return *table;
}

Access RpcAccess(absl::string_view method, Role role) {
  const auto* column =
      std::find(std::begin(kTableRoles), std::end(kTableRoles), role);
  if (column == std::end(kTableRoles)) return Access::kDenied;
  for (const RpcRule& rule : AccessTable()) {
    if (rule.method == method) {
      return rule.access[column - std::begin(kTableRoles)];
    }
  }
  return Access::kDenied;
}

absl::Status AccessPolicy::CheckRpc(absl::string_view method,
                                    const Principal& p) const {
  if (RpcAccess(method, p.role()) != Access::kDenied) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("role '", RoleName(p.role()), "' may not call ", method));
}

bool AccessPolicy::SupervisorSees(const std::string& org, const Case& c) const {
  // The organisations ListCases indexes a case under (storage/case_query.h):
  // the handling one, the co-handlers, and the registering one while the
  // case is unrouted. GetCase and ListCases agree.
  if (orgs_.IsWithin(c.handling_organisation_id(), org) ||
      (c.handling_organisation_id().empty() &&
       orgs_.IsWithin(c.routing_organisation_id(), org))) {
    return true;
  }
  for (const std::string& co : c.co_handler_organisation_ids()) {
    if (orgs_.IsWithin(co, org)) return true;
  }
  return false;
}

absl::Status AccessPolicy::CheckCase(const Principal& p, const Case& c) const {
  bool sees = false;
  switch (p.role()) {
    case jianyan::v1::ROLE_SERVICE:
      sees = true;
      break;
    case jianyan::v1::ROLE_TERMINAL:
      sees = c.reporting_point_id() == p.reporting_point_id();
      break;
    case jianyan::v1::ROLE_SUGGESTER:
      sees = c.submitter().suggester_id() == p.suggester_id();
      break;
    case jianyan::v1::ROLE_HANDLER:
      sees = c.handling_organisation_id() == p.organisation_id() ||
             Contains(c.co_handler_organisation_ids(), p.organisation_id()) ||
             (c.handling_organisation_id().empty() &&
              c.routing_organisation_id() == p.organisation_id());
      break;
    case jianyan::v1::ROLE_SUPERVISOR:
      sees = SupervisorSees(p.organisation_id(), c);
      break;
    case jianyan::v1::ROLE_PETITIONER:
      // Never a stored principal: PublicFeedback acts as the petitioner of
      // the one case whose query code it verified.
      sees = p.id() == absl::StrCat("petitioner:", c.case_number());
      break;
    default:
      break;
  }
  return sees ? absl::OkStatus() : NotFound(c);
}

absl::StatusOr<storage::CaseQuery> AccessPolicy::NarrowQuery(
    const Principal& p, storage::CaseQuery q) const {
  switch (p.role()) {
    case jianyan::v1::ROLE_SERVICE:
      return q;
    case jianyan::v1::ROLE_TERMINAL:
      if (!q.reporting_point_id.empty() &&
          q.reporting_point_id != p.reporting_point_id()) {
        return OutOfScope("reporting_point_id",
                          "a terminal lists its own "
                          "reporting point's cases");
      }
      q.reporting_point_id = p.reporting_point_id();
      return q;
    case jianyan::v1::ROLE_SUGGESTER:
      q.suggester_id = p.suggester_id();
      return q;
    case jianyan::v1::ROLE_HANDLER:
      if (!q.organisation_ids.empty() &&
          (q.organisation_ids.size() != 1 ||
           q.organisation_ids[0] != p.organisation_id())) {
        return OutOfScope("organisation_id",
                          "a handler lists its own organisation's cases");
      }
      q.organisation_ids = {p.organisation_id()};
      return q;
    case jianyan::v1::ROLE_SUPERVISOR:
      if (q.organisation_ids.empty()) {
        q.organisation_ids = orgs_.ListScope(p.organisation_id());
        return q;
      }
      for (const std::string& org : q.organisation_ids) {
        if (!orgs_.IsWithin(org, p.organisation_id())) {
          return OutOfScope("organisation_id",
                            "a supervisor lists its organisation and those "
                            "below it");
        }
      }
      return q;
    default:
      return absl::PermissionDeniedError(
          absl::StrCat("role '", RoleName(p.role()), "' may not list cases"));
  }
}

bool AccessPolicy::SeesSubmitter(const Principal& p, const Case& c) const {
  switch (p.role()) {
    case jianyan::v1::ROLE_SUPERVISOR:
      if (c.confidential()) {
        // Never the accused body's or the handling body's own supervisors
        // (信访工作条例 Art 30): those above the registering body only.
        return orgs_.IsWithin(c.routing_organisation_id(),
                              p.organisation_id()) &&
               p.organisation_id() != c.handling_organisation_id() &&
               !orgs_.IsWithin(p.organisation_id(),
                               c.accused_organisation_id());
      }
      return SupervisorSees(p.organisation_id(), c);
    case jianyan::v1::ROLE_HANDLER:
      if (c.confidential()) {
        return c.routing_organisation_id() == p.organisation_id();
      }
      return c.handling_organisation_id() == p.organisation_id();
    default:
      return false;
  }
}

jianyan::v1::Actor ActorOf(const Principal& p) {
  jianyan::v1::Actor a;
  a.set_principal_id(p.id());
  a.set_role(p.role());
  a.set_organisation_id(p.organisation_id());
  a.set_reporting_point_id(p.reporting_point_id());
  *a.mutable_capabilities() = p.capabilities();
  return a;
}

}  // namespace jianyan
