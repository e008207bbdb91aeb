// AdminOps: what AdminService does, without gRPC: the directory (through
// OrgDirectory for organisations), principals (through the Authenticator),
// definitions and calendars (through the DefinitionRegistry), backup and
// verification of the store. Every request is validated before anything is
// written (INVALID_ARGUMENT naming the field).
//
// Backups are written only below `backup_root` (a directory of the server's
// configuration); any other path is FAILED_PRECONDITION.
//
// Thread-safety: safe for concurrent use.
#ifndef JIANYAN_SERVICES_CORE_ADMIN_OPS_H_
#define JIANYAN_SERVICES_CORE_ADMIN_OPS_H_

#include <string>

#include "absl/status/statusor.h"
#include "jianyan/v1/admin.pb.h"
#include "services/core/authenticator.h"
#include "services/core/definition_registry.h"
#include "services/core/org_directory.h"
#include "storage/case_store.h"
#include "workflow/clock.h"

namespace jianyan {

class AdminOps {
 public:
  AdminOps(storage::CaseStore& store, OrgDirectory& orgs, Authenticator& auth,
           DefinitionRegistry& registry, const Clock& clock,
           std::string backup_root)
      : store_(store),
        orgs_(orgs),
        auth_(auth),
        registry_(registry),
        clock_(clock),
        backup_root_(std::move(backup_root)) {}

  absl::StatusOr<jianyan::v1::Organisation> PutOrganisation(
      const jianyan::v1::PutOrganisationRequest& r);
  absl::StatusOr<jianyan::v1::ListOrganisationsResponse> ListOrganisations(
      const jianyan::v1::ListRequest& r);
  absl::StatusOr<jianyan::v1::ReportingPoint> PutReportingPoint(
      const jianyan::v1::PutReportingPointRequest& r);
  absl::StatusOr<jianyan::v1::ListReportingPointsResponse> ListReportingPoints(
      const jianyan::v1::ListRequest& r);
  absl::StatusOr<jianyan::v1::Suggester> PutSuggester(
      const jianyan::v1::PutSuggesterRequest& r);
  absl::StatusOr<jianyan::v1::ListSuggestersResponse> ListSuggesters(
      const jianyan::v1::ListRequest& r);
  absl::StatusOr<jianyan::v1::Campaign> PutCampaign(
      const jianyan::v1::PutCampaignRequest& r);
  absl::StatusOr<jianyan::v1::ListCampaignsResponse> ListCampaigns(
      const jianyan::v1::ListRequest& r);

  absl::StatusOr<jianyan::v1::Category> PutCategory(
      const jianyan::v1::PutCategoryRequest& r);
  absl::StatusOr<jianyan::v1::ListCategoriesResponse> ListCategories(
      const jianyan::v1::ListRequest& r);
  absl::StatusOr<jianyan::v1::Region> PutRegion(
      const jianyan::v1::PutRegionRequest& r);
  absl::StatusOr<jianyan::v1::ListRegionsResponse> ListRegions(
      const jianyan::v1::ListRequest& r);

  absl::StatusOr<jianyan::v1::CreatePrincipalResponse> CreatePrincipal(
      const jianyan::v1::CreatePrincipalRequest& r);
  absl::StatusOr<jianyan::v1::Principal> RevokePrincipal(
      const jianyan::v1::RevokePrincipalRequest& r);
  absl::StatusOr<jianyan::v1::ListPrincipalsResponse> ListPrincipals(
      const jianyan::v1::ListRequest& r);

  absl::StatusOr<jianyan::v1::WorkflowDefinition> PutWorkflowDefinition(
      const jianyan::v1::PutWorkflowDefinitionRequest& r);
  absl::StatusOr<jianyan::v1::ListWorkflowDefinitionsResponse>
  ListWorkflowDefinitions(const jianyan::v1::ListRequest& r);
  absl::StatusOr<jianyan::v1::WorkflowDefinition> GetWorkflowDefinition(
      const jianyan::v1::GetWorkflowDefinitionRequest& r);

  absl::StatusOr<jianyan::v1::CalendarYear> PutCalendarYear(
      const jianyan::v1::PutCalendarYearRequest& r);
  absl::StatusOr<jianyan::v1::ListCalendarYearsResponse> ListCalendarYears(
      const jianyan::v1::ListRequest& r);

  absl::StatusOr<jianyan::v1::BackupResponse> Backup(
      const jianyan::v1::BackupRequest& r);
  absl::StatusOr<jianyan::v1::VerifyResponse> Verify(
      const jianyan::v1::VerifyRequest& r);

 private:
  storage::CaseStore& store_;
  OrgDirectory& orgs_;
  Authenticator& auth_;
  DefinitionRegistry& registry_;
  const Clock& clock_;
  const std::string backup_root_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_ADMIN_OPS_H_
