#include "services/workflow/workflow_service.h"

namespace jianyan {

using jianyan::v1::Principal;

grpc::ServerUnaryReactor* WorkflowServiceImpl::CreateCase(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::CreateCaseRequest* request,
    jianyan::v1::CreateCaseResponse* response) {
  return AnswerLater(ctx, gate_, "WorkflowService.CreateCase", response,
                     [&](const Principal& p, auto done) {
                       cases_.CreateCase(p, *request, std::move(done),
                                         CallDeadline(*ctx));
                     });
}

grpc::ServerUnaryReactor* WorkflowServiceImpl::GetCase(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::GetCaseRequest* request, jianyan::v1::Case* response) {
  return Answer(
      ctx, gate_, "WorkflowService.GetCase", response,
      [&](const Principal& p) { return cases_.GetCase(p, *request); });
}

grpc::ServerUnaryReactor* WorkflowServiceImpl::ListCases(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::ListCasesRequest* request,
    jianyan::v1::ListCasesResponse* response) {
  return Answer(
      ctx, gate_, "WorkflowService.ListCases", response,
      [&](const Principal& p) { return cases_.ListCases(p, *request); });
}

grpc::ServerUnaryReactor* WorkflowServiceImpl::GetHistory(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::GetHistoryRequest* request,
    jianyan::v1::GetHistoryResponse* response) {
  return Answer(
      ctx, gate_, "WorkflowService.GetHistory", response,
      [&](const Principal& p) { return cases_.GetHistory(p, *request); });
}

grpc::ServerUnaryReactor* WorkflowServiceImpl::ListActions(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::ListActionsRequest* request,
    jianyan::v1::ListActionsResponse* response) {
  return Answer(
      ctx, gate_, "WorkflowService.ListActions", response,
      [&](const Principal& p) { return cases_.ListActions(p, *request); });
}

grpc::ServerUnaryReactor* WorkflowServiceImpl::Act(
    grpc::CallbackServerContext* ctx, const jianyan::v1::ActRequest* request,
    jianyan::v1::ActResponse* response) {
  return AnswerLater(ctx, gate_, "WorkflowService.Act", response,
                     [&](const Principal& p, auto done) {
                       cases_.Act(p, *request, std::move(done),
                                  CallDeadline(*ctx));
                     });
}

}  // namespace jianyan
