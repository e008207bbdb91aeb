#include "services/metrics/http_endpoint.h"

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace jianyan::metrics {

MetricsEndpoint::MetricsEndpoint() : server_(new httplib::Server()) {}

MetricsEndpoint::~MetricsEndpoint() {
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
  }
}

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& listen, const Registry& registry,
    std::function<bool()> serving) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics_listen: \"", listen, "\" is not HOST:PORT"));
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
  httplib::Server& server = *endpoint->server_;
  server.new_task_queue = [] { return new httplib::ThreadPool(2); };
  // httplib's default sets SO_REUSEPORT, which lets a second process share
  // a taken port silently; SO_REUSEADDR alone makes it fail loudly.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  server.Get("/metrics",
             [&registry](const httplib::Request&, httplib::Response& res) {
               res.set_content(registry.Scrape(), kContentType);
             });
  server.Get("/healthz", [serving = std::move(serving)](
                             const httplib::Request&, httplib::Response& res) {
    const bool ok = serving();
    res.status = ok ? 200 : 503;
    res.set_content(ok ? "SERVING\n" : "NOT_SERVING\n", "text/plain");
  });
  int bound = port;
  if (port == 0) {
    bound = server.bind_to_any_port(host);
  } else if (!server.bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound <= 0) {
    return absl::UnavailableError(
        absl::StrCat("metrics_listen ", listen, ": cannot bind (port taken?)"));
  }
  endpoint->bound_ = absl::StrCat(listen.substr(0, colon), ":", bound);
  endpoint->thread_ = std::thread([&server] { server.listen_after_bind(); });
  // stop() does nothing to a server whose loop has not begun: wait for it,
  // so that the destructor always ends the loop.
  for (int i = 0; i < 5000 && !server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return endpoint;
}

}  // namespace jianyan::metrics
