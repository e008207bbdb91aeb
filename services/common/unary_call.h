// The shape of every unary handler: admit the caller (bearer token and the
// access table, services/core/access_policy.h), run the library, map the
// status, finish. Handlers never block a gRPC thread on the WAL: commands
// use AnswerLater, whose library call finishes the reactor from the store's
// thread once the command is durable.
//
//   return Answer(ctx, gate_, "WorkflowService.GetCase", response,
//                 [&](const Principal& p) { return cases_.GetCase(p, *req); });
#ifndef JIANYAN_SERVICES_COMMON_UNARY_CALL_H_
#define JIANYAN_SERVICES_COMMON_UNARY_CALL_H_

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "services/common/call_notes.h"
#include "services/common/grpc_status.h"
#include "services/core/access_policy.h"
#include "services/core/authenticator.h"

namespace jianyan {

// Authenticates and authorizes one call.
class CallGate {
 public:
  CallGate(Authenticator& auth, const AccessPolicy& policy)
      : auth_(auth), policy_(policy) {}

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
};

// `fn(const Principal&) -> absl::StatusOr<Response>`, answered at once.
template <typename Response, typename Fn>
grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* ctx,
                                 const CallGate& gate, absl::string_view method,
                                 Response* response, Fn&& fn) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  absl::StatusOr<PrincipalPtr> caller = gate.Admit(ctx, method);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  absl::StatusOr<Response> result = fn(**caller);
  if (result.ok()) *response = *std::move(result);
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
  absl::StatusOr<PrincipalPtr> caller = gate.Admit(ctx, method);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  fn(**caller, [reactor, response](absl::StatusOr<Response> result) {
    if (result.ok()) *response = *std::move(result);
    reactor->Finish(ToGrpcStatus(result.status()));
  });
  return reactor;
}

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_COMMON_UNARY_CALL_H_
