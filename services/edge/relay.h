// Relay: the shape of an edge handler whose work is one call to the core:
// take a place among the service's calls in flight (call_limits.h) and
// check the request's shape at once, then start the call on the link
// (CoreLink's asynchronous calls) and finish with its status as
// CoreLink::FromCore maps it. Nothing waits for the core on a thread: the
// number of calls in flight is bounded by the server's limits, not by a
// worker pool.
//
//   return Relay(ctx, EnterCall(limits_, "FeedbackService"), Check(*request),
//                [=](CoreDone done) {
//                  link_.GetPublicStatus(ctx, request, response,
//                                        std::move(done));
//                });
#ifndef JIANYAN_SERVICES_EDGE_RELAY_H_
#define JIANYAN_SERVICES_EDGE_RELAY_H_

#include <utility>

#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "services/common/call_limits.h"
#include "services/common/grpc_status.h"
#include "services/edge/core_link.h"

namespace jianyan {

// `start(CoreDone)` starts the call that fills the response; it runs only
// when `slot` and `checked` are OK. The slot is held until the core has
// answered.
template <typename Start>
grpc::ServerUnaryReactor* Relay(grpc::CallbackServerContext* ctx,
                                absl::StatusOr<CallSlot> slot,
                                const absl::Status& checked, Start start) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  if (!slot.ok() || !checked.ok()) {
    reactor->Finish(ToGrpcStatus(slot.ok() ? checked : slot.status()));
    return reactor;
  }
  start([reactor, held = HeldSlot(*std::move(slot))](absl::Status status) {
    held.Release();
    reactor->Finish(ToGrpcStatus(status));
  });
  return reactor;
}

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_EDGE_RELAY_H_
