// MetricsEndpoint: the HTTP side of the metrics (cpp-httplib, plain HTTP).
//   GET /metrics   the registry's scrape, Prometheus text format 0.0.4
//   GET /healthz   200 "SERVING" while the health check says the server
//                  serves, 503 "NOT_SERVING" otherwise: for load balancers
//                  that speak only HTTP (it mirrors the overall status of
//                  grpc.health.v1.Health)
// Anything else is 404. Two worker threads; no TLS (bind it to loopback or
// a private network: the figures are not secret, but not public either).
//
// Thread-safety: Start() and the destructor belong to one thread; the
// callbacks run on the endpoint's threads until the destructor returns.
#ifndef JIANYAN_SERVICES_METRICS_HTTP_ENDPOINT_H_
#define JIANYAN_SERVICES_METRICS_HTTP_ENDPOINT_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "services/metrics/registry.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace jianyan::metrics {

class MetricsEndpoint {
 public:
  // Listens on `listen` ("host:port", "[v6]:port"; port 0 picks a free
  // port). INVALID_ARGUMENT for a malformed address, UNAVAILABLE when it
  // cannot bind. `registry` outlives the endpoint; `serving` answers
  // /healthz.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& listen, const Registry& registry,
      std::function<bool()> serving);

  // Stops listening and waits for the requests in progress.
  ~MetricsEndpoint();
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

  // "host:port" with the port actually bound.
  const std::string& bound_address() const { return bound_; }

 private:
  MetricsEndpoint();

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string bound_;
};

}  // namespace jianyan::metrics

#endif  // JIANYAN_SERVICES_METRICS_HTTP_ENDPOINT_H_
