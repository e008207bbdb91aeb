// The one mapping from absl::Status to grpc::Status, used by every handler.
// The canonical codes line up one to one; the message is kept.
#ifndef JIANYAN_SERVICES_COMMON_GRPC_STATUS_H_
#define JIANYAN_SERVICES_COMMON_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace jianyan {

inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_COMMON_GRPC_STATUS_H_
