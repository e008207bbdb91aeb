// AdminServiceImpl: the gRPC face of AdminOps (directory, principals,
// definitions, calendars, backup, verify). Admin role only (the access
// table); each handler admits the caller, calls AdminOps and finishes.
#ifndef JIANYAN_SERVICES_ADMIN_ADMIN_SERVICE_H_
#define JIANYAN_SERVICES_ADMIN_ADMIN_SERVICE_H_

#include <functional>

#include "jianyan/v1/admin.grpc.pb.h"
#include "services/common/unary_call.h"
#include "services/core/admin_ops.h"
#include "services/core/blocking_worker.h"

namespace jianyan {

class AdminServiceImpl final
    : public jianyan::v1::AdminService::CallbackService {
 public:
  // `worker` runs the operations, which block on synced writes, backups
  // and verification, off the gRPC threads.
  AdminServiceImpl(const CallGate& gate, AdminOps& ops, BlockingWorker& worker)
      : gate_(gate), ops_(ops), worker_(worker) {}

  grpc::ServerUnaryReactor* PutOrganisation(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::PutOrganisationRequest* request,
      jianyan::v1::Organisation* response) override;
  grpc::ServerUnaryReactor* ListOrganisations(
      grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
      jianyan::v1::ListOrganisationsResponse* response) override;
  grpc::ServerUnaryReactor* PutReportingPoint(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::PutReportingPointRequest* request,
      jianyan::v1::ReportingPoint* response) override;
  grpc::ServerUnaryReactor* ListReportingPoints(
      grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
      jianyan::v1::ListReportingPointsResponse* response) override;
  grpc::ServerUnaryReactor* PutSuggester(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::PutSuggesterRequest* request,
      jianyan::v1::Suggester* response) override;
  grpc::ServerUnaryReactor* ListSuggesters(
      grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
      jianyan::v1::ListSuggestersResponse* response) override;
  grpc::ServerUnaryReactor* PutCampaign(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::PutCampaignRequest* request,
      jianyan::v1::Campaign* response) override;
  grpc::ServerUnaryReactor* ListCampaigns(
      grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
      jianyan::v1::ListCampaignsResponse* response) override;
  grpc::ServerUnaryReactor* PutCategory(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::PutCategoryRequest* request,
      jianyan::v1::Category* response) override;
  grpc::ServerUnaryReactor* ListCategories(
      grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
      jianyan::v1::ListCategoriesResponse* response) override;
  grpc::ServerUnaryReactor* PutRegion(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::PutRegionRequest* request,
      jianyan::v1::Region* response) override;
  grpc::ServerUnaryReactor* ListRegions(
      grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
      jianyan::v1::ListRegionsResponse* response) override;
  grpc::ServerUnaryReactor* CreatePrincipal(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::CreatePrincipalRequest* request,
      jianyan::v1::CreatePrincipalResponse* response) override;
  grpc::ServerUnaryReactor* RevokePrincipal(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::RevokePrincipalRequest* request,
      jianyan::v1::Principal* response) override;
  grpc::ServerUnaryReactor* ListPrincipals(
      grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
      jianyan::v1::ListPrincipalsResponse* response) override;
  grpc::ServerUnaryReactor* PutWorkflowDefinition(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::PutWorkflowDefinitionRequest* request,
      jianyan::v1::WorkflowDefinition* response) override;
  grpc::ServerUnaryReactor* ListWorkflowDefinitions(
      grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
      jianyan::v1::ListWorkflowDefinitionsResponse* response) override;
  grpc::ServerUnaryReactor* GetWorkflowDefinition(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::GetWorkflowDefinitionRequest* request,
      jianyan::v1::WorkflowDefinition* response) override;
  grpc::ServerUnaryReactor* PutCalendarYear(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::PutCalendarYearRequest* request,
      jianyan::v1::CalendarYear* response) override;
  grpc::ServerUnaryReactor* ListCalendarYears(
      grpc::CallbackServerContext* ctx, const jianyan::v1::ListRequest* request,
      jianyan::v1::ListCalendarYearsResponse* response) override;
  grpc::ServerUnaryReactor* Backup(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::BackupRequest* request,
      jianyan::v1::BackupResponse* response) override;
  grpc::ServerUnaryReactor* Verify(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::VerifyRequest* request,
      jianyan::v1::VerifyResponse* response) override;

 private:
  // Admits the caller for `method`, then runs `op` on the worker, which
  // finishes the call.
  template <typename Request, typename Response, typename Op>
  grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* ctx,
                                absl::string_view method,
                                const Request* request, Response* response,
                                Op op) {
    return AnswerLater(
        ctx, gate_, method, response,
        [this, request, op](const jianyan::v1::Principal&, auto done) {
          worker_.Run([this, request, op, done = std::move(done)] {
            absl::StatusOr<Response> result = std::invoke(op, ops_, *request);
            done(std::move(result));
          });
        });
  }

  const CallGate& gate_;
  AdminOps& ops_;
  BlockingWorker& worker_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_ADMIN_ADMIN_SERVICE_H_
