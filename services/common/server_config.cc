#include "services/common/server_config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "jianyan/v1/admin.grpc.pb.h"
#include "jianyan/v1/feedback.grpc.pb.h"
#include "jianyan/v1/intake.grpc.pb.h"
#include "jianyan/v1/supervision.grpc.pb.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "services/common/log.h"
#include "workflow/textproto.h"

namespace jianyan {
namespace {

absl::Status CheckListen(const std::string& address,
                         absl::string_view field = "listen",
                         absl::string_view example = "127.0.0.1:7400") {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": '", address, "' is not host:port (e.g. ", example, ")"));
  }
  int port = -1;
  if (!absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": '", address, "' has no port in 0..65535"));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsLoopbackListenAddress(absl::string_view address) {
  size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos) return false;
  std::string host(address.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") return true;
  in_addr v4;
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6);
  }
  return false;
}

namespace {

struct KnownService {
  const char* name;
  const char* full_name;  // from the generated code, never retyped
};

// In start order.
constexpr KnownService kServices[] = {
    {"workflow", jianyan::v1::WorkflowService::service_full_name()},
    {"intake", jianyan::v1::IntakeService::service_full_name()},
    {"feedback", jianyan::v1::FeedbackService::service_full_name()},
    {"supervision", jianyan::v1::SupervisionService::service_full_name()},
    {"admin", jianyan::v1::AdminService::service_full_name()},
};

}  // namespace

const std::vector<std::string>& AllServiceNames() {
  static const auto* names = [] {
    auto* v = new std::vector<std::string>;
    for (const KnownService& s : kServices) v->push_back(s.name);
    return v;
  }();
  return *names;
}

std::string ServiceFullName(absl::string_view name) {
  for (const KnownService& s : kServices) {
    if (name == s.name) return s.full_name;
  }
  return "";
}

absl::StatusOr<jianyan::v1::ServerConfig> LoadServerConfigFile(
    const std::string& path) {
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (!text.ok()) {
    return absl::NotFoundError(absl::StrCat("config ", path, ": cannot read"));
  }
  jianyan::v1::ServerConfig config;
  absl::Status parsed = ParseTextProto(*text, path, &config, nullptr);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("config ", parsed.message()));
  }
  return config;
}

absl::Status CompleteServerConfig(jianyan::v1::ServerConfig& config) {
  if (config.listen().empty()) config.add_listen("127.0.0.1:7400");
  for (const std::string& address : config.listen()) {
    if (absl::Status s = CheckListen(address); !s.ok()) return s;
  }
  if (config.services().empty()) {
    for (const std::string& name : AllServiceNames()) config.add_services(name);
  }
  absl::flat_hash_set<std::string> seen;
  for (const std::string& name : config.services()) {
    if (ServiceFullName(name).empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "services: unknown service '", name,
          "' (known: ", absl::StrJoin(AllServiceNames(), ", "), ")"));
    }
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("services: '", name, "' is listed twice"));
    }
  }
  if (!config.metrics_listen().empty()) {
    if (absl::Status s = CheckListen(config.metrics_listen(), "metrics_listen",
                                     "127.0.0.1:9464");
        !s.ok()) {
      return s;
    }
  }
  if (!config.log_level().empty()) {
    if (absl::Status s = ParseLogLevel(config.log_level()).status(); !s.ok()) {
      return s;
    }
  }
  if (config.data_dir().empty()) config.set_data_dir("./data");
  if (config.store().shard_id() > 9) {
    return absl::InvalidArgumentError("store.shard_id: must be 0..9");
  }
  const auto& tls = config.tls();
  if (tls.cert_file().empty() != tls.key_file().empty()) {
    return absl::InvalidArgumentError(
        "tls: cert_file and key_file must be set together");
  }
  if (!tls.client_ca_file().empty() && tls.cert_file().empty()) {
    return absl::InvalidArgumentError(
        "tls.client_ca_file: mutual TLS needs cert_file and key_file");
  }
  if (tls.require_client_cert() && tls.client_ca_file().empty()) {
    return absl::InvalidArgumentError(
        "tls.require_client_cert: needs tls.client_ca_file (the CA that "
        "signs client certificates)");
  }
  if (config.testing_clock()) {
    for (const std::string& address : config.listen()) {
      if (!IsLoopbackListenAddress(address)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--testing_clock is refused on the non-loopback listen address ",
            address, " (loopback only: 127.0.0.0/8, [::1], localhost)"));
      }
    }
    if (std::count(config.services().begin(), config.services().end(),
                   "workflow") == 0) {
      return absl::InvalidArgumentError(
          "--testing_clock needs the workflow service (the core) in this "
          "process");
    }
  }
  return absl::OkStatus();
}

}  // namespace jianyan
