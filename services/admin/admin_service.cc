#include "services/admin/admin_service.h"

namespace jianyan {

using jianyan::v1::Principal;

grpc::ServerUnaryReactor* AdminServiceImpl::PutOrganisation(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::PutOrganisationRequest* request,
    jianyan::v1::Organisation* response) {
  return Answer(
      ctx, gate_, "AdminService.PutOrganisation", response,
      [&](const Principal&) { return ops_.PutOrganisation(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListOrganisations(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
    jianyan::v1::ListOrganisationsResponse* response) {
  return Answer(
      ctx, gate_, "AdminService.ListOrganisations", response,
      [&](const Principal&) { return ops_.ListOrganisations(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::PutReportingPoint(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::PutReportingPointRequest* request,
    jianyan::v1::ReportingPoint* response) {
  return Answer(
      ctx, gate_, "AdminService.PutReportingPoint", response,
      [&](const Principal&) { return ops_.PutReportingPoint(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListReportingPoints(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
    jianyan::v1::ListReportingPointsResponse* response) {
  return Answer(
      ctx, gate_, "AdminService.ListReportingPoints", response,
      [&](const Principal&) { return ops_.ListReportingPoints(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::PutSuggester(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::PutSuggesterRequest* request,
    jianyan::v1::Suggester* response) {
  return Answer(ctx, gate_, "AdminService.PutSuggester", response,
                [&](const Principal&) { return ops_.PutSuggester(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListSuggesters(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
    jianyan::v1::ListSuggestersResponse* response) {
  return Answer(
      ctx, gate_, "AdminService.ListSuggesters", response,
      [&](const Principal&) { return ops_.ListSuggesters(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::PutCampaign(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::PutCampaignRequest* request,
    jianyan::v1::Campaign* response) {
  return Answer(ctx, gate_, "AdminService.PutCampaign", response,
                [&](const Principal&) { return ops_.PutCampaign(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListCampaigns(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
    jianyan::v1::ListCampaignsResponse* response) {
  return Answer(ctx, gate_, "AdminService.ListCampaigns", response,
                [&](const Principal&) { return ops_.ListCampaigns(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::CreatePrincipal(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::CreatePrincipalRequest* request,
    jianyan::v1::CreatePrincipalResponse* response) {
  return Answer(
      ctx, gate_, "AdminService.CreatePrincipal", response,
      [&](const Principal&) { return ops_.CreatePrincipal(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::RevokePrincipal(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::RevokePrincipalRequest* request,
    jianyan::v1::Principal* response) {
  return Answer(
      ctx, gate_, "AdminService.RevokePrincipal", response,
      [&](const Principal&) { return ops_.RevokePrincipal(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListPrincipals(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
    jianyan::v1::ListPrincipalsResponse* response) {
  return Answer(
      ctx, gate_, "AdminService.ListPrincipals", response,
      [&](const Principal&) { return ops_.ListPrincipals(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::PutWorkflowDefinition(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::PutWorkflowDefinitionRequest* request,
    jianyan::v1::WorkflowDefinition* response) {
  return Answer(
      ctx, gate_, "AdminService.PutWorkflowDefinition", response,
      [&](const Principal&) { return ops_.PutWorkflowDefinition(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListWorkflowDefinitions(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
    jianyan::v1::ListWorkflowDefinitionsResponse* response) {
  return Answer(
      ctx, gate_, "AdminService.ListWorkflowDefinitions", response,
      [&](const Principal&) { return ops_.ListWorkflowDefinitions(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::GetWorkflowDefinition(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::GetWorkflowDefinitionRequest* request,
    jianyan::v1::WorkflowDefinition* response) {
  return Answer(
      ctx, gate_, "AdminService.GetWorkflowDefinition", response,
      [&](const Principal&) { return ops_.GetWorkflowDefinition(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::PutCalendarYear(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::PutCalendarYearRequest* request,
    jianyan::v1::CalendarYear* response) {
  return Answer(
      ctx, gate_, "AdminService.PutCalendarYear", response,
      [&](const Principal&) { return ops_.PutCalendarYear(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListCalendarYears(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
    jianyan::v1::ListCalendarYearsResponse* response) {
  return Answer(
      ctx, gate_, "AdminService.ListCalendarYears", response,
      [&](const Principal&) { return ops_.ListCalendarYears(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::Backup(
    grpc::CallbackServerContext* ctx, const jianyan::v1::BackupRequest* request,
    jianyan::v1::BackupResponse* response) {
  return Answer(ctx, gate_, "AdminService.Backup", response,
                [&](const Principal&) { return ops_.Backup(*request); });
}

grpc::ServerUnaryReactor* AdminServiceImpl::Verify(
    grpc::CallbackServerContext* ctx, const jianyan::v1::VerifyRequest* request,
    jianyan::v1::VerifyResponse* response) {
  return Answer(ctx, gate_, "AdminService.Verify", response,
                [&](const Principal&) { return ops_.Verify(*request); });
}

}  // namespace jianyan
