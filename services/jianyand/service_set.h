// ServiceSet: the service objects one jianyand hosts, chosen by the
// config's `services` list, and owned for the life of the server. Core-tier
// services (workflow, supervision, admin) need the embedded core; edge
// services (intake, feedback) need a CoreLink.
#ifndef JIANYAN_SERVICES_JIANYAND_SERVICE_SET_H_
#define JIANYAN_SERVICES_JIANYAND_SERVICE_SET_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "jianyan/v1/config.pb.h"
#include "services/common/server_host.h"
#include "services/common/unary_call.h"
#include "services/edge/core_link.h"
#include "services/intake/intake_service.h"
#include "services/jianyand/embedded_core.h"

namespace jianyan {

// The intake edge's options from the config: the query-code key (loaded,
// or created in the data directory in all-in-one mode), the suggestion
// organisation and the channel to the core. Empty when intake is not
// hosted. INVALID_ARGUMENT / FAILED_PRECONDITION naming
// query_code_secret_file when the key is missing in split mode or unusable.
absl::StatusOr<IntakeOptions> IntakeOptionsFor(
    const jianyan::v1::ServerConfig& config,
    std::shared_ptr<grpc::ChannelInterface> core_channel);

class ServiceSet {
 public:
  // Expects a config completed by CompleteServerConfig(). Returns
  // INVALID_ARGUMENT for an unknown service name, FAILED_PRECONDITION for a
  // core-tier service without a core or an edge service without a link.
  // `core` and `link` may be null; they must outlive the set. A core tier
  // (a core and no edge service) also hosts CoreInternal for remote edges.
  static absl::StatusOr<std::unique_ptr<ServiceSet>> Create(
      const jianyan::v1::ServerConfig& config, EmbeddedCore* core,
      CoreLink* link, const IntakeOptions& intake);

  // Hosts one more service under `full_name` (e.g. TestingService, which is
  // not in the config's list). Call before the server starts.
  void Add(const std::string& full_name, std::unique_ptr<grpc::Service> s);

  const std::vector<HostedService>& hosted() const { return hosted_; }
  // The caller check of core-tier services; null without a core.
  const CallGate* gate() const { return gate_.get(); }
  // The bounds on calls in flight of this server's services (from
  // config.limits).
  CallLimits& limits() { return *limits_; }

 private:
  ServiceSet() = default;
  std::unique_ptr<CallLimits> limits_;
  std::unique_ptr<CallGate> gate_;
  std::vector<std::unique_ptr<grpc::Service>> owned_;
  std::vector<HostedService> hosted_;
};

// True when one of `config`'s services needs the embedded core.
bool NeedsCore(const jianyan::v1::ServerConfig& config);
// True when `config` hosts an edge service (intake, feedback).
bool HasEdge(const jianyan::v1::ServerConfig& config);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_JIANYAND_SERVICE_SET_H_
