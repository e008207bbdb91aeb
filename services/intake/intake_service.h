// IntakeServiceImpl: the edge for reporting-point terminals and invited
// suggesters.
//
// Skeleton: the RPCs whose issue has not landed answer UNIMPLEMENTED (the
// generated CallbackService default). Handlers will only check the caller,
// validate, call the library, map the status and finish.
#ifndef JIANYAN_SERVICES_INTAKE_INTAKE_SERVICE_H_
#define JIANYAN_SERVICES_INTAKE_INTAKE_SERVICE_H_

#include "jianyan/v1/intake.grpc.pb.h"

namespace jianyan {

class IntakeServiceImpl final
    : public jianyan::v1::IntakeService::CallbackService {};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_INTAKE_INTAKE_SERVICE_H_
