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
// Callers choose the paths they call. The methods of the protobuf services
// linked into the binary each have their series; other paths too, up to 256
// distinct ones, then the rest are counted together under
// grpc_service="" and grpc_method="other" (the log line keeps the path).
//
// Thread-safety: the factory is shared by every call; each interceptor
// belongs to its call.
#ifndef JIANYAN_SERVICES_METRICS_GRPC_INTERCEPTOR_H_
#define JIANYAN_SERVICES_METRICS_GRPC_INTERCEPTOR_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/support/server_interceptor.h"
#include "services/metrics/registry.h"

namespace jianyan::metrics {

class RpcObserverFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // Registers the three families in `registry`, which outlives this.
  explicit RpcObserverFactory(Registry& registry);
  ~RpcObserverFactory() override;

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

  // What the calls of one method share (grpc_interceptor.cc).
  struct Method;

 private:
  // The method of `info`, made by its first call.
  Method& MethodOf(const grpc::experimental::ServerRpcInfo& info);

  CounterFamily& started_;
  CounterFamily& handled_;
  HistogramFamily& seconds_;
  absl::Mutex mu_;
  // By full method name, never shrinks: each method of the protobuf
  // services linked in, at most 256 other names, and "other" for the rest.
  absl::flat_hash_map<std::string, std::unique_ptr<Method>> methods_
      ABSL_GUARDED_BY(mu_);
  size_t unknown_methods_ ABSL_GUARDED_BY(mu_) = 0;
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
