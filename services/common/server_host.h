// ServerHost: one gRPC server hosting a set of Jianyan services, with gRPC
// health checking and server reflection, on the addresses of the config.
//
// Lifecycle: Start() binds every address (port 0 picks a free port; the
// bound addresses are reported), marks each hosted service SERVING and
// returns. Shutdown() marks them NOT_SERVING, stops accepting calls, lets
// in-flight calls finish until the grace period ends, then cancels the rest;
// once no call is left it closes the connections clients keep open
// (server_drain.h), so that idle clients do not hold it to the end of the
// grace period. Wait() returns once the server has stopped.
//
// Thread-safety: Shutdown() may be called from any thread, once or more.
#ifndef JIANYAN_SERVICES_COMMON_SERVER_HOST_H_
#define JIANYAN_SERVICES_COMMON_SERVER_HOST_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "grpcpp/support/server_interceptor.h"
#include "jianyan/v1/config.pb.h"
#include "services/common/server_drain.h"

namespace jianyan {

struct HostedService {
  std::string full_name;   // e.g. "jianyan.v1.IntakeService"
  grpc::Service* service;  // not owned; outlives the host
};

class ServerHost {
 public:
  // Returns UNAVAILABLE "listen X: cannot bind" when an address is taken or
  // invalid (SO_REUSEPORT is off, so a taken port fails loudly),
  // INVALID_ARGUMENT / NOT_FOUND for unusable TLS files.
  // `interceptors` (may be empty) see every call of the server.
  static absl::StatusOr<std::unique_ptr<ServerHost>> Start(
      const jianyan::v1::ServerConfig& config,
      const std::vector<HostedService>& services,
      std::vector<std::unique_ptr<
          grpc::experimental::ServerInterceptorFactoryInterface>>
          interceptors = {});

  // Reads and checks the TLS files of `tls` as Start() does, so a process
  // can refuse bad files before it opens anything else. OK when TLS is off.
  static absl::Status CheckTls(const jianyan::v1::TlsConfig& tls);

  ~ServerHost();
  ServerHost(const ServerHost&) = delete;
  ServerHost& operator=(const ServerHost&) = delete;

  // "host:port" for each listen address, with the port actually bound.
  const std::vector<std::string>& bound_addresses() const { return bound_; }

  // An in-process channel to this server (edge → core in all-in-one mode).
  std::shared_ptr<grpc::Channel> InProcessChannel();

  // Marks every hosted service (and the server as a whole) SERVING or
  // NOT_SERVING in gRPC health checking; ignored once shut down.
  void SetServing(bool serving);
  // The server's overall status in gRPC health checking: true while
  // SERVING (false once shut down).
  bool serving() const;

  void Shutdown(absl::Duration grace);
  void Wait();

 private:
  ServerHost() = default;

  std::unique_ptr<ServerDrain> drain_;  // outlives server_'s calls
  std::unique_ptr<grpc::Server> server_;
  std::vector<std::string> bound_;
  std::vector<std::string> service_names_;
  mutable absl::Mutex mu_;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
  bool serving_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_COMMON_SERVER_HOST_H_
