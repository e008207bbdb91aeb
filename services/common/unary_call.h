// The shape of every unary handler: take a place among the service's calls
// in flight (services/common/call_limits.h), admit the caller (bearer token
// and the access table, services/core/access_policy.h), run the library,
// map the status, finish. Handlers never block a gRPC thread on the WAL:
// commands use AnswerLater, whose library call finishes the reactor from the
// store's thread once the command is durable.
//
//   return Answer(ctx, gate_, "WorkflowService.GetCase", response,
//                 [&](const Principal& p) { return cases_.GetCase(p, *req); });
#ifndef JIANYAN_SERVICES_COMMON_UNARY_CALL_H_
#define JIANYAN_SERVICES_COMMON_UNARY_CALL_H_

#include <chrono>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "services/common/call_limits.h"
#include "services/common/call_notes.h"
#include "services/common/grpc_status.h"
#include "services/core/access_policy.h"
#include "services/core/authenticator.h"

namespace jianyan {

// Bounds, authenticates and authorizes one call.
class CallGate {
 public:
  // `limits` (may be null: no bound) outlives the gate.
  CallGate(Authenticator& auth, const AccessPolicy& policy,
           CallLimits* limits = nullptr)
      : auth_(auth), policy_(policy), limits_(limits) {}

  // A place among the calls in flight of `method`'s service, held until
  // the slot is dropped; RESOURCE_EXHAUSTED when the bound is reached.
  absl::StatusOr<CallSlot> Enter(absl::string_view method) const {
    return EnterCall(limits_, method);
  }
  // The same for a WatchEscalations stream.
  absl::StatusOr<CallSlot> EnterWatch() const {
    if (limits_ == nullptr) return CallSlot();
    return limits_->EnterWatch();
  }

  // The caller of `ctx`, allowed to call `method` ("Service.Method"):
  // UNAUTHENTICATED or PERMISSION_DENIED otherwise.
  absl::StatusOr<PrincipalPtr> Admit(grpc::CallbackServerContext* ctx,
                                     absl::string_view method) const {
    const auto& metadata = ctx->client_metadata();
    auto it = metadata.find("authorization");
    absl::string_view value;
    if (it != metadata.end()) {
      value = absl::string_view(it->second.data(), it->second.size());
    }
    absl::StatusOr<PrincipalPtr> principal = auth_.Authenticate(value);
    if (!principal.ok()) return principal.status();
    NoteCallPrincipal(ctx, (*principal)->id());
    absl::Status allowed = policy_.CheckRpc(method, **principal);
    if (!allowed.ok()) return allowed;
    return principal;
  }

 private:
  Authenticator& auth_;
  const AccessPolicy& policy_;
  CallLimits* const limits_;
};

// The deadline of `ctx`'s call (absl::InfiniteFuture() when it has none).
inline absl::Time CallDeadline(const grpc::ServerContextBase& ctx) {
  const auto deadline = ctx.deadline();
  // gRPC's "no deadline" is the largest time_point.
  if (deadline == std::chrono::system_clock::time_point::max()) {
    return absl::InfiniteFuture();
  }
  return absl::FromChrono(deadline);
}

// `fn(const Principal&) -> absl::StatusOr<Response>`, answered at once.
template <typename Response, typename Fn>
grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* ctx,
                                 const CallGate& gate, absl::string_view method,
                                 Response* response, Fn&& fn) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  absl::StatusOr<CallSlot> slot = gate.Enter(method);
  absl::StatusOr<PrincipalPtr> caller =
      slot.ok() ? gate.Admit(ctx, method)
                : absl::StatusOr<PrincipalPtr>(slot.status());
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  absl::StatusOr<Response> result = fn(**caller);
  if (result.ok()) *response = *std::move(result);
  slot->reset();  // free before the answer leaves: the client may call again
  reactor->Finish(ToGrpcStatus(result.status()));
  return reactor;
}

// `fn(const Principal&, Done<Response>)`: the library calls the Done
// (possibly on another thread) and that finishes the call.
template <typename Response, typename Fn>
grpc::ServerUnaryReactor* AnswerLater(grpc::CallbackServerContext* ctx,
                                      const CallGate& gate,
                                      absl::string_view method,
                                      Response* response, Fn&& fn) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  absl::StatusOr<CallSlot> slot = gate.Enter(method);
  absl::StatusOr<PrincipalPtr> caller =
      slot.ok() ? gate.Admit(ctx, method)
                : absl::StatusOr<PrincipalPtr>(slot.status());
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  // The place is held until the answer is in (the completion owns it).
  fn(**caller, [reactor, response, held = HeldSlot(*std::move(slot))](
                   absl::StatusOr<Response> result) {
    if (result.ok()) *response = *std::move(result);
    held.Release();
    reactor->Finish(ToGrpcStatus(result.status()));
  });
  return reactor;
}

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_COMMON_UNARY_CALL_H_
