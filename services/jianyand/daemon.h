// Daemon: everything one serving jianyand owns, and the order in which it
// is built and torn down.
//
//   built in this order            torn down in the reverse order
//   1. testing clock (optional)    6./5. server: shut down (health and
//   2. core: data-dir lock, store,    /healthz say NOT_SERVING), in-flight
//      definitions, admin principal   calls drained up to the grace
//      (EmbeddedCore)                 period, then waited for (no handler
//   3. the edges' connection to       runs after); then the metrics
//      the core (CoreConnection:      endpoint and its collectors go, then
//      in process, or split mode)     the server object
//   4. services (ServiceSet, and   4. services (handlers hold references
//      TestingService with the        to the core, the link and the clock)
//      testing clock)              3. the connection: the link's queued
//   5. server (ServerHost), with      calls finish, the internal server
//      the metrics interceptor        stops
//   6. metrics (optional): the     2. core: the store closes (pending
//      collectors, the HTTP           commands finish), then the lock
//      endpoint                    1. the testing clock
//
// The core exists only when the process hosts the workflow service: edge
// processes hold no database. The clock handed to the core and its store is
// the real one, or with testing_clock an OffsetClock over it that
// TestingService.AdvanceClock moves forward.
//
// Thread-safety: not thread-safe; Start(), Stop() and the destructor belong
// to one owning thread (Serve() takes signals with sigwait() on it, so no
// other thread needs to stop the daemon).
#ifndef JIANYAN_SERVICES_JIANYAND_DAEMON_H_
#define JIANYAN_SERVICES_JIANYAND_DAEMON_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jianyan/v1/config.pb.h"
#include "services/common/offset_clock.h"
#include "services/common/server_host.h"
#include "services/jianyand/core_connection.h"
#include "services/jianyand/embedded_core.h"
#include "services/jianyand/service_set.h"
#include "services/metrics/http_endpoint.h"

namespace jianyan {

class Daemon {
 public:
  // Builds everything and starts serving. Expects a config completed by
  // CompleteServerConfig(). Errors name what failed (data dir, definitions,
  // store, admin token, TLS file, listen address).
  static absl::StatusOr<std::unique_ptr<Daemon>> Start(
      const jianyan::v1::ServerConfig& config);

  // The whole life of a serving process: blocks SIGTERM and SIGINT, Start(),
  // prints "listening on HOST:PORT" per address on stdout, waits for a
  // signal, Stop() with the configured grace. Returns the exit code: 0 after
  // a signal, 1 when the start failed (one line on stderr).
  static int Serve(const jianyan::v1::ServerConfig& config);

  // Stop(zero grace) if Stop() was not called.
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // "host:port" for each listen address, with the port actually bound.
  const std::vector<std::string>& bound_addresses() const;
  // "host:port" of the metrics endpoint; empty when metrics are off.
  std::string metrics_address() const;

  // Tears down in the order above. Idempotent.
  void Stop(absl::Duration grace);

 private:
  Daemon() = default;

  // Declared in build order, so that even implicit destruction runs in the
  // reverse order.
  std::unique_ptr<OffsetClock> testing_clock_;
  std::unique_ptr<EmbeddedCore> core_;
  std::unique_ptr<CallGate> core_gate_;  // the in-process edges' core gate
  std::unique_ptr<CoreConnection> connection_;  // when edges are hosted
  std::unique_ptr<ServiceSet> services_;
  std::unique_ptr<ServerHost> host_;
  std::vector<std::string> bound_;
  // 6. metrics (with metrics_listen): the collectors (serving status, the
  // store's figures) in the default registry, then the HTTP endpoint.
  // Torn down first.
  std::vector<int> collectors_;
  std::unique_ptr<metrics::MetricsEndpoint> metrics_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_JIANYAND_DAEMON_H_
