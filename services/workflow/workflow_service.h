// WorkflowServiceImpl: the stateful core: cases, history, actions.
//
// Skeleton: the RPCs whose issue has not landed answer UNIMPLEMENTED (the
// generated CallbackService default). Handlers will only check the caller,
// validate, call the library, map the status and finish.
#ifndef JIANYAN_SERVICES_WORKFLOW_WORKFLOW_SERVICE_H_
#define JIANYAN_SERVICES_WORKFLOW_WORKFLOW_SERVICE_H_

#include "jianyan/v1/workflow_service.grpc.pb.h"

namespace jianyan {

class WorkflowServiceImpl final
    : public jianyan::v1::WorkflowService::CallbackService {};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_WORKFLOW_WORKFLOW_SERVICE_H_
