// AdminServiceImpl: directory, credentials, definitions, calendars, backup,
// verify.
//
// Skeleton: the RPCs whose issue has not landed answer UNIMPLEMENTED (the
// generated CallbackService default). Handlers will only check the caller,
// validate, call the library, map the status and finish.
#ifndef JIANYAN_SERVICES_ADMIN_ADMIN_SERVICE_H_
#define JIANYAN_SERVICES_ADMIN_ADMIN_SERVICE_H_

#include "jianyan/v1/admin.grpc.pb.h"

namespace jianyan {

class AdminServiceImpl final
    : public jianyan::v1::AdminService::CallbackService {};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_ADMIN_ADMIN_SERVICE_H_
