// SupervisionServiceImpl: the supervisor's escalation console (督办).
//
// Skeleton: the RPCs whose issue has not landed answer UNIMPLEMENTED (the
// generated CallbackService default). Handlers will only check the caller,
// validate, call the library, map the status and finish.
#ifndef JIANYAN_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_
#define JIANYAN_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_

#include "jianyan/v1/supervision.grpc.pb.h"

namespace jianyan {

class SupervisionServiceImpl final
    : public jianyan::v1::SupervisionService::CallbackService {};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_
