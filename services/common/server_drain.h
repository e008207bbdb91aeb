// ServerDrain: a gRPC server's shutdown that waits for calls, not for
// clients.
//
// grpc::Server::Shutdown(deadline) stops taking calls and lets the calls in
// flight finish, but it returns only once every client connection has
// closed, and gRPC closes one only after its client has answered the PING
// of the graceful GOAWAY, or 20 s on. An idle channel whose client no
// thread polls (a sync client between calls, a proxy's pooled connection)
// never answers: each such client held the stop to the deadline or 20 s.
// ServerDrain counts the server's calls from start to end (its interceptor,
// first in the chain, sees each call once gRPC hands it to its handler)
// and, once the shutdown has begun and no call is left, closes the
// remaining connections. A stop then takes as long as the slowest call in
// flight, at most the deadline, after which gRPC cancels what is left as
// before.
//
// Not counted: gRPC health Watch streams, which the default health service
// never ends; they close with the idle connections, and their clients see
// the server go. Not protected: a call the server accepted on the wire just
// as the count fell to zero (the graceful GOAWAY lets a client's calls
// already sent still arrive) and that no handler has started yet; such a
// call fails UNAVAILABLE, as at any server's end, and clients retry.
//
// Thread-safety: safe; Shutdown() is called once, from one thread.
#ifndef JIANYAN_SERVICES_COMMON_SERVER_DRAIN_H_
#define JIANYAN_SERVICES_COMMON_SERVER_DRAIN_H_

#include <cstdint>
#include <memory>

#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "grpcpp/support/server_interceptor.h"

namespace jianyan {

class ServerDrain {
 public:
  ServerDrain();
  ServerDrain(const ServerDrain&) = delete;
  ServerDrain& operator=(const ServerDrain&) = delete;

  // The factory of the counting interceptor; it goes first into the
  // server's interceptor creators. It shares the count with this object.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
  InterceptorFactory();

  // Shuts `server` down: gRPC's shutdown begins at once, calls in flight
  // run until `deadline`, connections left open are closed once no call
  // is. Returns when the server has shut down.
  void Shutdown(grpc::Server* server, absl::Time deadline);

  // For tests and diagnostics: calls started and not yet ended, and
  // whether Shutdown() is waiting for them to end.
  int64_t calls() const;
  bool awaiting_calls() const;

  struct State;  // shared with the interceptors

 private:
  std::shared_ptr<State> state_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_COMMON_SERVER_DRAIN_H_
