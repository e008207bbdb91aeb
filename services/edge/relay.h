// Relay: the shape of an edge handler whose work is one call to the core:
// check the request's shape at once, then make the call on the link's
// workers (never on the gRPC thread) and finish with its status as
// CoreLink::FromCore maps it.
//
//   return Relay(ctx, link_, Check(*request), [=](grpc::ClientContext* call) {
//     return link_.internal().GetPublicStatus(call, *request, response);
//   });
#ifndef JIANYAN_SERVICES_EDGE_RELAY_H_
#define JIANYAN_SERVICES_EDGE_RELAY_H_

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "services/common/grpc_status.h"
#include "services/edge/core_link.h"

namespace jianyan {

// `call(grpc::ClientContext*) -> grpc::Status` fills the response; it runs
// only when `checked` is OK.
template <typename Call>
grpc::ServerUnaryReactor* Relay(grpc::CallbackServerContext* ctx,
                                CoreLink& link, const absl::Status& checked,
                                Call call) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  if (!checked.ok()) {
    reactor->Finish(ToGrpcStatus(checked));
    return reactor;
  }
  link.Run([ctx, &link, reactor, call = std::move(call)]() mutable {
    std::unique_ptr<grpc::ClientContext> outbound = link.NewCall(ctx);
    reactor->Finish(ToGrpcStatus(CoreLink::FromCore(call(outbound.get()))));
  });
  return reactor;
}

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_EDGE_RELAY_H_
