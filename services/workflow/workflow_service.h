// WorkflowServiceImpl: the gRPC face of the workflow core (CaseCommands).
// Each handler admits the caller, calls the library and finishes; commands
// finish from the store's thread once durable.
#ifndef JIANYAN_SERVICES_WORKFLOW_WORKFLOW_SERVICE_H_
#define JIANYAN_SERVICES_WORKFLOW_WORKFLOW_SERVICE_H_

#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "services/common/unary_call.h"
#include "services/core/case_commands.h"

namespace jianyan {

class WorkflowServiceImpl final
    : public jianyan::v1::WorkflowService::CallbackService {
 public:
  WorkflowServiceImpl(const CallGate& gate, CaseCommands& cases)
      : gate_(gate), cases_(cases) {}

  grpc::ServerUnaryReactor* CreateCase(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::CreateCaseRequest* request,
      jianyan::v1::CreateCaseResponse* response) override;
  grpc::ServerUnaryReactor* GetCase(grpc::CallbackServerContext* ctx,
                                    const jianyan::v1::GetCaseRequest* request,
                                    jianyan::v1::Case* response) override;
  grpc::ServerUnaryReactor* ListCases(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::ListCasesRequest* request,
      jianyan::v1::ListCasesResponse* response) override;
  grpc::ServerUnaryReactor* GetHistory(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::GetHistoryRequest* request,
      jianyan::v1::GetHistoryResponse* response) override;
  grpc::ServerUnaryReactor* ListActions(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::ListActionsRequest* request,
      jianyan::v1::ListActionsResponse* response) override;
  grpc::ServerUnaryReactor* Act(grpc::CallbackServerContext* ctx,
                                const jianyan::v1::ActRequest* request,
                                jianyan::v1::ActResponse* response) override;

 private:
  const CallGate& gate_;
  CaseCommands& cases_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_WORKFLOW_WORKFLOW_SERVICE_H_
