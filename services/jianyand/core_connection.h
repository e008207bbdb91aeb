// CoreConnection: how the edge services one jianyand hosts reach the
// workflow core, and the CoreLink they share.
//
//   all-in-one (no core_address): the core is in this process. An internal
//     gRPC server without ports hosts WorkflowService and CoreInternal; the
//     link reaches it through grpc::Server::InProcessChannel with a
//     ROLE_SERVICE principal created in memory at start (its token is never
//     written to disk or logs). CoreInternal is not on the public listener.
//     The edges' hot calls (CreateCase, GetPublicStatus, SubmitPublicRating)
//     skip the channel: the link calls the core's functions through a
//     LocalCore (services/edge/local_core.h) as the same principal.
//   split (core_address set): a network channel to the core tier (TLS when
//     core_ca_file is set) with the token of service_token_file. A watcher
//     follows the channel's state and reports SERVING only while it is
//     READY (gRPC health), so a load balancer drops an edge whose core is
//     gone; calls meanwhile answer UNAVAILABLE, and the channel reconnects
//     by itself (backoff capped at 2 s).
//
// Thread-safety: built and destroyed by the daemon's thread; link() is safe
// for concurrent use. Destroy it after the public server has stopped.
#ifndef JIANYAN_SERVICES_JIANYAND_CORE_CONNECTION_H_
#define JIANYAN_SERVICES_JIANYAND_CORE_CONNECTION_H_

#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "jianyan/v1/config.pb.h"
#include "services/common/server_host.h"
#include "services/common/unary_call.h"
#include "services/edge/core_link.h"
#include "services/edge/local_core.h"
#include "services/jianyand/embedded_core.h"
#include "workflow/clock.h"

namespace jianyan {

class CoreConnection {
 public:
  // In process: `core` must outlive the connection; `gate` is the core's
  // caller check.
  static absl::StatusOr<std::unique_ptr<CoreConnection>> InProcess(
      EmbeddedCore& core, const CallGate& gate, const Clock& clock);

  // Over the network to config.core_address(). INVALID_ARGUMENT /
  // NOT_FOUND naming service_token_file or core_ca_file when they cannot be
  // read or hold no token / certificate. Does not wait for the core.
  static absl::StatusOr<std::unique_ptr<CoreConnection>> Network(
      const jianyan::v1::ServerConfig& config, const Clock& clock);

  // Stops the watcher, then the internal server (in-process mode).
  ~CoreConnection();
  CoreConnection(const CoreConnection&) = delete;
  CoreConnection& operator=(const CoreConnection&) = delete;

  CoreLink* link() { return link_.get(); }
  // The channel the link uses (in-process or to core_address).
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

  // Split mode: calls `report(true)` while the channel to the core is
  // READY and `report(false)` otherwise, from a thread of its own, at each
  // change, until destruction. No-op in process (the core cannot be away).
  void Watch(std::function<void(bool)> report);
  // Stops the watcher and waits for it: `report` is not called after.
  // Idempotent; call it before whatever `report` touches goes away.
  void StopWatching();

 private:
  CoreConnection() = default;
  void WatchLoop(std::function<void(bool)> report);

  std::shared_ptr<grpc::Channel> channel_;
  std::vector<std::unique_ptr<grpc::Service>> internal_services_;
  std::unique_ptr<ServerHost> internal_host_;
  std::unique_ptr<LocalCore> local_;  // in-process mode only
  std::unique_ptr<CoreLink> link_;
  bool network_ = false;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread watcher_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_JIANYAND_CORE_CONNECTION_H_
