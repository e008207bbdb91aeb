// RpcObserver: a gRPC server interceptor that counts and times every call
// of the public server the way go-grpc-prometheus names it, and writes the
// access log line of each call (services/common/log.h, LogRpc):
//   grpc_server_started_total{grpc_service,grpc_method,grpc_type}
//   grpc_server_handled_total{grpc_service,grpc_method,grpc_type,grpc_code}
//   grpc_server_handling_seconds{grpc_service,grpc_method,grpc_type}
// A call is started when its initial metadata arrives and handled when its
// status is sent; a call cancelled before the server sends a status is
// started but never handled (as in go-grpc-prometheus).
//
// The log line carries identifiers only: the method, the status code, the
// latency, the principal the handler authenticated (call_notes.h), the
// `request_id` and `case_number` fields of the request when its message
// type has them (read by name through protobuf reflection, jianyan.v1
// services only), and the peer address. Never the message itself.
//
// Thread-safety: the factory is shared by every call; each interceptor
// belongs to its call.
#ifndef JIANYAN_SERVICES_METRICS_GRPC_INTERCEPTOR_H_
#define JIANYAN_SERVICES_METRICS_GRPC_INTERCEPTOR_H_

#include <memory>
#include <vector>

#include "grpcpp/support/server_interceptor.h"
#include "services/metrics/registry.h"

namespace jianyan::metrics {

class RpcObserverFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // Registers the three families in `registry`, which outlives this.
  explicit RpcObserverFactory(Registry& registry);

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  CounterFamily& started_;
  CounterFamily& handled_;
  HistogramFamily& seconds_;
};

// The factories to give a grpc::ServerBuilder: one RpcObserverFactory over
// DefaultRegistry().
std::vector<
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
RpcObservers();

// "OK", "CANCELLED", ... for a gRPC status code.
const char* GrpcCodeName(int code);

}  // namespace jianyan::metrics

#endif  // JIANYAN_SERVICES_METRICS_GRPC_INTERCEPTOR_H_
