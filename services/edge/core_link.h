// CoreLink: what an edge service (intake, feedback) needs of the workflow
// core: the channel (in-process in all-in-one mode, network in split mode),
// the service credential, a principal cache and a worker pool. In
// all-in-one mode the edges' hot calls (CreateCase, GetPublicStatus,
// SubmitPublicRating) skip the channel for the core's functions
// (Options::local, services/edge/local_core.h) with the same answers.
//
// Edges hold no database. Every call to the core carries the edge's own
// ROLE_SERVICE token; the edge's callers are authenticated by resolving the
// SHA-256 of their bearer token with CoreInternal.ResolvePrincipal (the
// token itself never leaves the edge). Resolved principals are cached for
// at most `principal_ttl` of the injected clock, so a revocation reaches
// every replica within that time; unknown tokens are never cached.
//
// Thread-safety: all methods are safe for concurrent use. The destructor
// runs the queued tasks, then joins the workers: destroy the link after the
// server whose handlers use it has shut down.
#ifndef JIANYAN_SERVICES_EDGE_CORE_LINK_H_
#define JIANYAN_SERVICES_EDGE_CORE_LINK_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server_context.h"
#include "jianyan/v1/directory.pb.h"
#include "jianyan/v1/internal.grpc.pb.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "services/core/blocking_worker.h"
#include "services/edge/local_core.h"
#include "workflow/clock.h"

namespace jianyan {

// The completion of a call to the core, its status as CoreLink::FromCore
// maps it.
using CoreDone = std::function<void(absl::Status)>;

class CoreLink {
 public:
  struct Options {
    std::shared_ptr<grpc::Channel> channel;
    std::string service_token;            // a ROLE_SERVICE principal's token
    const Clock* clock = &Clock::Real();  // workflow/clock.h
    absl::Duration principal_ttl = absl::Seconds(5);
    absl::Duration call_timeout = absl::Seconds(10);
    int workers = 4;
    // The core in this process (outlives the link), or null: the three
    // hot calls below are then made over `channel`.
    LocalCore* local = nullptr;
  };
  explicit CoreLink(Options options);
  CoreLink(const CoreLink&) = delete;
  CoreLink& operator=(const CoreLink&) = delete;

  // The caller's principal from its "authorization: Bearer <token>"
  // metadata, resolved by CoreInternal.ResolvePrincipal (token hash only
  // leaves the edge) and cached at most principal_ttl. UNAUTHENTICATED for
  // a missing, malformed, unknown, disabled or revoked token; UNAVAILABLE
  // when the core cannot be reached. Blocks on the core on a cache miss:
  // call it from Run(), not from a gRPC callback thread.
  absl::StatusOr<jianyan::v1::Principal> Authenticate(
      const grpc::ServerContextBase& inbound);
  // What Authenticate answers without asking the core: the error for a
  // missing or malformed token, the principal while it is cached; nullopt
  // when only the core can tell (then call Authenticate from Run()). Never
  // blocks on the core. `hash` (may be null) receives the token's hash on
  // nullopt.
  std::optional<absl::StatusOr<jianyan::v1::Principal>> AuthenticateCached(
      const grpc::ServerContextBase& inbound, std::string* hash = nullptr);

  // A client context carrying the service credential and a deadline (the
  // inbound call's deadline when sooner than call_timeout).
  std::unique_ptr<grpc::ClientContext> NewCall(
      const grpc::ServerContextBase* inbound = nullptr) const;

  // The edges' hot calls, through Options::local when set, else over the
  // channel with NewCall(inbound)'s credential and deadline. `request` and
  // `response` stay valid until `done` has run (on a gRPC or store thread,
  // or at once). `inbound` may be null (no deadline but call_timeout).
  void CreateCase(const grpc::ServerContextBase* inbound,
                  const jianyan::v1::CreateCaseRequest* request,
                  jianyan::v1::CreateCaseResponse* response, CoreDone done);
  void GetPublicStatus(const grpc::ServerContextBase* inbound,
                       const jianyan::v1::GetPublicStatusRequest* request,
                       jianyan::v1::PublicStatus* response, CoreDone done);
  void SubmitPublicRating(const grpc::ServerContextBase* inbound,
                          const jianyan::v1::SubmitRatingRequest* request,
                          jianyan::v1::SubmitRatingResponse* response,
                          CoreDone done);

  jianyan::v1::WorkflowService::StubInterface& workflow();
  jianyan::v1::CoreInternal::StubInterface& internal();

  // Runs `fn` on the link's worker pool: edge handlers never block a gRPC
  // thread on a call to the core.
  void Run(std::function<void()> fn);

  // The status an edge answers for `status`, a call to the core's result:
  // codes that mean the core is down, unreachable or refuses the edge's own
  // credential (UNAVAILABLE, UNAUTHENTICATED, UNKNOWN from a dropped
  // connection) become UNAVAILABLE "workflow core unavailable"; every other
  // code is kept with its message (the core's messages name the field).
  static absl::Status FromCore(const grpc::Status& status);
  // The same mapping of a LocalCore answer.
  static absl::Status FromCore(const absl::Status& status);

 private:
  // The earlier of the inbound call's deadline and call_timeout from now.
  std::chrono::system_clock::time_point Deadline(
      const grpc::ServerContextBase* inbound) const;

  struct Cached {
    jianyan::v1::Principal principal;
    absl::Time expiry;
  };

  // Constant after construction.
  const Options options_;
  const std::unique_ptr<jianyan::v1::WorkflowService::StubInterface> workflow_;
  const std::unique_ptr<jianyan::v1::CoreInternal::StubInterface> internal_;

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Cached> by_hash_ ABSL_GUARDED_BY(mu_);

  BlockingWorker pool_;  // last: its workers stop first
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_EDGE_CORE_LINK_H_
