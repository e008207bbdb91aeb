#include "services/common/server_host.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "workflow/textproto.h"

namespace jianyan {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& field,
                                    const std::string& path) {
  absl::StatusOr<std::string> pem = ReadFileToString(path);
  if (!pem.ok()) {
    return absl::NotFoundError(absl::StrCat(field, ": cannot read ", path));
  }
  return pem;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(
    const jianyan::v1::TlsConfig& tls) {
  if (tls.cert_file().empty()) return grpc::InsecureServerCredentials();
  auto cert = ReadPem("tls.cert_file", tls.cert_file());
  if (!cert.ok()) return cert.status();
  auto key = ReadPem("tls.key_file", tls.key_file());
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  options.pem_key_cert_pairs.push_back({*key, *cert});
  if (!tls.client_ca_file().empty()) {
    auto ca = ReadPem("tls.client_ca_file", tls.client_ca_file());
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *ca;
    options.client_certificate_request =
        tls.require_client_cert()
            ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
            : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServerHost>> ServerHost::Start(
    const jianyan::v1::ServerConfig& config,
    const std::vector<HostedService>& services) {
  auto creds = Credentials(config.tls());
  if (!creds.ok()) return creds.status();

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<ServerHost> host(new ServerHost());
  grpc::ServerBuilder builder;
  // A second server on a taken port must fail, not share the connections.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  const auto& limits = config.limits();
  builder.SetMaxReceiveMessageSize(
      limits.max_message_bytes() > 0
          ? static_cast<int>(limits.max_message_bytes())
          : 4 << 20);
  builder.AddChannelArgument(
      GRPC_ARG_MAX_CONCURRENT_STREAMS,
      limits.max_concurrent_streams() > 0
          ? static_cast<int>(limits.max_concurrent_streams())
          : 256);
  std::vector<int> ports(config.listen_size(), 0);
  for (int i = 0; i < config.listen_size(); ++i) {
    builder.AddListeningPort(config.listen(i), *creds, &ports[i]);
  }
  for (const HostedService& s : services) builder.RegisterService(s.service);
  host->server_ = builder.BuildAndStart();
  if (host->server_ == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("listen ", config.listen(0),
                     ": cannot start the server (port taken?)"));
  }
  for (int i = 0; i < config.listen_size(); ++i) {
    const std::string& address = config.listen(i);
    if (ports[i] == 0) {
      host->server_->Shutdown();
      return absl::UnavailableError(
          absl::StrCat("listen ", address, ": cannot bind (port taken?)"));
    }
    host->bound_.push_back(
        absl::StrCat(address.substr(0, address.rfind(':')), ":", ports[i]));
  }
  for (const HostedService& s : services) {
    host->service_names_.push_back(s.full_name);
  }
  host->SetServing(true);
  return host;
}

ServerHost::~ServerHost() {
  if (server_ == nullptr) return;  // failed to start
  Shutdown(absl::ZeroDuration());
  Wait();
}

std::shared_ptr<grpc::Channel> ServerHost::InProcessChannel() {
  return server_->InProcessChannel(grpc::ChannelArguments());
}

void ServerHost::SetServing(bool serving) {
  absl::MutexLock lock(&mu_);
  if (shut_down_) return;
  auto* health = server_->GetHealthCheckService();
  for (const std::string& name : service_names_) {
    health->SetServingStatus(name, serving);
  }
  health->SetServingStatus(serving);
}

void ServerHost::Shutdown(absl::Duration grace) {
  {
    absl::MutexLock lock(&mu_);
    if (shut_down_) return;
    shut_down_ = true;
  }
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
}

void ServerHost::Wait() { server_->Wait(); }

}  // namespace jianyan
