// Daemon: everything one serving jianyand owns, and the order in which it
// is built and torn down.
//
//   built in this order            torn down in the reverse order
//   1. testing clock (optional)    6. server: shut down, in-flight calls
//   2. core: data-dir lock, store,    drained up to the grace period, then
//      definitions, admin principal   waited for (no handler runs after)
//      (EmbeddedCore)              5. services (handlers hold references to
//   3. the edges' connection to       the core, the link and the clock)
//      the core (CoreConnection:   4. the connection: the link's queued
//      in process, or split mode)     calls finish, the internal server
//   4. services (ServiceSet, and      stops
//      TestingService with the     3. core: the store closes (pending
//      testing clock)                 commands finish), then the lock
//   5. server (ServerHost)         2. the testing clock
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
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_JIANYAND_DAEMON_H_
