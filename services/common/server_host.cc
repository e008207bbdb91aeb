#include "services/common/server_host.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>

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
  errno = 0;
  absl::StatusOr<std::string> pem = ReadFileToString(path);
  if (!pem.ok()) {
    const int err = errno;
    return absl::NotFoundError(
        absl::StrCat(field, ": cannot read ", path,
                     err != 0 ? absl::StrCat(": ", std::strerror(err)) : ""));
  }
  return pem;
}

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

std::unique_ptr<BIO, BioDeleter> MemoryBio(const std::string& pem) {
  return std::unique_ptr<BIO, BioDeleter>(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// The first certificate of a PEM file, or INVALID_ARGUMENT naming the file.
// gRPC itself refuses a bad file without saying which, so check first.
absl::StatusOr<std::unique_ptr<X509, X509Deleter>> FirstCertificate(
    const std::string& field, const std::string& path, const std::string& pem) {
  auto bio = MemoryBio(pem);
  std::unique_ptr<X509, X509Deleter> cert(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (cert == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", path, " holds no PEM certificate"));
  }
  return cert;
}

absl::Status CheckKeyPair(const jianyan::v1::TlsConfig& tls,
                          const std::string& cert_pem,
                          const std::string& key_pem) {
  auto cert = FirstCertificate("tls.cert_file", tls.cert_file(), cert_pem);
  if (!cert.ok()) return cert.status();
  auto bio = MemoryBio(key_pem);
  std::unique_ptr<EVP_PKEY, KeyDeleter> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("tls.key_file: ", tls.key_file(),
                     " holds no unencrypted PEM private key"));
  }
  const int match = X509_check_private_key(cert->get(), key.get());
  ERR_clear_error();
  if (match != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tls.key_file: ", tls.key_file(),
        " is not the key of the certificate in ", tls.cert_file()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(
    const jianyan::v1::TlsConfig& tls) {
  if (tls.cert_file().empty()) return grpc::InsecureServerCredentials();
  auto cert = ReadPem("tls.cert_file", tls.cert_file());
  if (!cert.ok()) return cert.status();
  auto key = ReadPem("tls.key_file", tls.key_file());
  if (!key.ok()) return key.status();
  if (absl::Status s = CheckKeyPair(tls, *cert, *key); !s.ok()) return s;
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  options.pem_key_cert_pairs.push_back({*key, *cert});
  if (!tls.client_ca_file().empty()) {
    auto ca = ReadPem("tls.client_ca_file", tls.client_ca_file());
    if (!ca.ok()) return ca.status();
    auto ca_cert =
        FirstCertificate("tls.client_ca_file", tls.client_ca_file(), *ca);
    if (!ca_cert.ok()) return ca_cert.status();
    options.pem_root_certs = *ca;
    options.client_certificate_request =
        tls.require_client_cert()
            ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
            : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
  } else if (tls.require_client_cert()) {
    // Caught by CompleteServerConfig; kept here for direct callers.
    return absl::InvalidArgumentError(
        "tls.require_client_cert: needs tls.client_ca_file");
  }
  return grpc::SslServerCredentials(options);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServerHost>> ServerHost::Start(
    const jianyan::v1::ServerConfig& config,
    const std::vector<HostedService>& services,
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors) {
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
  // The drain's call counter first: it sees every call, whatever the
  // interceptors after it answer.
  host->drain_ = std::make_unique<ServerDrain>();
  interceptors.insert(interceptors.begin(), host->drain_->InterceptorFactory());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
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

absl::Status ServerHost::CheckTls(const jianyan::v1::TlsConfig& tls) {
  return Credentials(tls).status();
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
  serving_ = serving;
}

bool ServerHost::serving() const {
  absl::MutexLock lock(&mu_);
  return serving_ && !shut_down_;
}

void ServerHost::Shutdown(absl::Duration grace) {
  {
    absl::MutexLock lock(&mu_);
    if (shut_down_) return;
    shut_down_ = true;
  }
  server_->GetHealthCheckService()->SetServingStatus(false);
  if (grace <= absl::ZeroDuration()) {
    server_->Shutdown(absl::ToChronoTime(absl::Now()));
    return;
  }
  drain_->Shutdown(server_.get(), absl::Now() + grace);
}

void ServerHost::Wait() { server_->Wait(); }

}  // namespace jianyan
