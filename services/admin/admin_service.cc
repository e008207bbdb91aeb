#include "services/admin/admin_service.h"

namespace jianyan {

grpc::ServerUnaryReactor* AdminServiceImpl::PutOrganisation(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::PutOrganisationRequest* request,
    jianyan::v1::Organisation* response) {
  return Run(ctx, "AdminService.PutOrganisation", request, response,
             &AdminOps::PutOrganisation);
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListOrganisations(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
    jianyan::v1::ListOrganisationsResponse* response) {
  return Run(ctx, "AdminService.ListOrganisations", request, response,
             &AdminOps::ListOrganisations);
}

grpc::ServerUnaryReactor* AdminServiceImpl::PutReportingPoint(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::PutReportingPointRequest* request,
    jianyan::v1::ReportingPoint* response) {
  return Run(ctx, "AdminService.PutReportingPoint", request, response,
             &AdminOps::PutReportingPoint);
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListReportingPoints(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
    jianyan::v1::ListReportingPointsResponse* response) {
  return Run(ctx, "AdminService.ListReportingPoints", request, response,
             &AdminOps::ListReportingPoints);
}

grpc::ServerUnaryReactor* AdminServiceImpl::PutSuggester(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::PutSuggesterRequest* request,
    jianyan::v1::Suggester* response) {
  return Run(ctx, "AdminService.PutSuggester", request, response,
             &AdminOps::PutSuggester);
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListSuggesters(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
    jianyan::v1::ListSuggestersResponse* response) {
  return Run(ctx, "AdminService.ListSuggesters", request, response,
             &AdminOps::ListSuggesters);
}

grpc::ServerUnaryReactor* AdminServiceImpl::PutCampaign(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::PutCampaignRequest* request,
    jianyan::v1::Campaign* response) {
  return Run(ctx, "AdminService.PutCampaign", request, response,
             &AdminOps::PutCampaign);
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListCampaigns(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
    jianyan::v1::ListCampaignsResponse* response) {
  return Run(ctx, "AdminService.ListCampaigns", request, response,
             &AdminOps::ListCampaigns);
}

grpc::ServerUnaryReactor* AdminServiceImpl::PutCategory(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::PutCategoryRequest* request,
    jianyan::v1::Category* response) {
  return Run(ctx, "AdminService.PutCategory", request, response,
             &AdminOps::PutCategory);
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListCategories(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
    jianyan::v1::ListCategoriesResponse* response) {
  return Run(ctx, "AdminService.ListCategories", request, response,
             &AdminOps::ListCategories);
}

grpc::ServerUnaryReactor* AdminServiceImpl::PutRegion(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::PutRegionRequest* request,
    jianyan::v1::Region* response) {
  return Run(ctx, "AdminService.PutRegion", request, response,
             &AdminOps::PutRegion);
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListRegions(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
    jianyan::v1::ListRegionsResponse* response) {
  return Run(ctx, "AdminService.ListRegions", request, response,
             &AdminOps::ListRegions);
}

grpc::ServerUnaryReactor* AdminServiceImpl::CreatePrincipal(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::CreatePrincipalRequest* request,
    jianyan::v1::CreatePrincipalResponse* response) {
  return Run(ctx, "AdminService.CreatePrincipal", request, response,
             &AdminOps::CreatePrincipal);
}

grpc::ServerUnaryReactor* AdminServiceImpl::RevokePrincipal(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::RevokePrincipalRequest* request,
    jianyan::v1::Principal* response) {
  return Run(ctx, "AdminService.RevokePrincipal", request, response,
             &AdminOps::RevokePrincipal);
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListPrincipals(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
    jianyan::v1::ListPrincipalsResponse* response) {
  return Run(ctx, "AdminService.ListPrincipals", request, response,
             &AdminOps::ListPrincipals);
}

grpc::ServerUnaryReactor* AdminServiceImpl::PutWorkflowDefinition(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::PutWorkflowDefinitionRequest* request,
    jianyan::v1::WorkflowDefinition* response) {
  return Run(ctx, "AdminService.PutWorkflowDefinition", request, response,
             &AdminOps::PutWorkflowDefinition);
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListWorkflowDefinitions(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
    jianyan::v1::ListWorkflowDefinitionsResponse* response) {
  return Run(ctx, "AdminService.ListWorkflowDefinitions", request, response,
             &AdminOps::ListWorkflowDefinitions);
}

grpc::ServerUnaryReactor* AdminServiceImpl::GetWorkflowDefinition(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::GetWorkflowDefinitionRequest* request,
    jianyan::v1::WorkflowDefinition* response) {
  return Run(ctx, "AdminService.GetWorkflowDefinition", request, response,
             &AdminOps::GetWorkflowDefinition);
}

grpc::ServerUnaryReactor* AdminServiceImpl::PutCalendarYear(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::PutCalendarYearRequest* request,
    jianyan::v1::CalendarYear* response) {
  return Run(ctx, "AdminService.PutCalendarYear", request, response,
             &AdminOps::PutCalendarYear);
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListCalendarYears(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
    jianyan::v1::ListCalendarYearsResponse* response) {
  return Run(ctx, "AdminService.ListCalendarYears", request, response,
             &AdminOps::ListCalendarYears);
}

grpc::ServerUnaryReactor* AdminServiceImpl::Backup(
    grpc::CallbackServerContext* ctx, const jianyan::v1::BackupRequest* request,
    jianyan::v1::BackupResponse* response) {
  return Run(ctx, "AdminService.Backup", request, response, &AdminOps::Backup);
}

grpc::ServerUnaryReactor* AdminServiceImpl::Verify(
    grpc::CallbackServerContext* ctx, const jianyan::v1::VerifyRequest* request,
    jianyan::v1::VerifyResponse* response) {
  return Run(ctx, "AdminService.Verify", request, response, &AdminOps::Verify);
}

}  // namespace jianyan
