#include "services/jianyand/core_connection.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "services/admin/admin_service.h"
#include "services/core/token.h"
#include "services/internal/internal_service.h"
#include "services/workflow/workflow_service.h"

namespace jianyan {
namespace {

// The id of the in-memory principal the in-process edges call the core as.
constexpr char kProcessPrincipal[] = "jianyand-edges";

absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     absl::string_view field) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(field, ": cannot read '", path, "'"));
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

absl::StatusOr<std::unique_ptr<CoreConnection>> CoreConnection::InProcess(
    EmbeddedCore& core, const CallGate& gate, const Clock& clock) {
  std::unique_ptr<CoreConnection> c(new CoreConnection());
  WorkflowCore& wc = core.core();
  c->internal_services_.push_back(
      std::make_unique<WorkflowServiceImpl>(gate, wc.cases()));
  c->internal_services_.push_back(std::make_unique<CoreInternalServiceImpl>(
      gate, wc.auth(), wc.feedback()));
  // Intake's ListCategories reads the closed list from the core.
  c->internal_services_.push_back(
      std::make_unique<AdminServiceImpl>(gate, wc.admin(), wc.worker()));
  std::vector<HostedService> hosted = {
      {jianyan::v1::WorkflowService::service_full_name(),
       c->internal_services_[0].get()},
      {jianyan::v1::CoreInternal::service_full_name(),
       c->internal_services_[1].get()},
      {jianyan::v1::AdminService::service_full_name(),
       c->internal_services_[2].get()}};
  jianyan::v1::ServerConfig no_ports;  // in-process calls only
  auto host = ServerHost::Start(no_ports, hosted);
  if (!host.ok()) return host.status();
  c->internal_host_ = *std::move(host);
  c->channel_ = c->internal_host_->InProcessChannel();
  CoreLink::Options options;
  options.channel = c->channel_;
  options.service_token = wc.auth().CreateProcessPrincipal(kProcessPrincipal);
  options.clock = &clock;
  auto local = LocalCore::Create(wc, options.service_token);
  if (!local.ok()) return local.status();
  c->local_ = *std::move(local);
  options.local = c->local_.get();
  c->link_ = std::make_unique<CoreLink>(std::move(options));
  return c;
}

absl::StatusOr<std::unique_ptr<CoreConnection>> CoreConnection::Network(
    const jianyan::v1::ServerConfig& config, const Clock& clock) {
  if (config.service_token_file().empty()) {
    return absl::InvalidArgumentError(
        "service_token_file: required with core_address (a ROLE_SERVICE "
        "principal's token)");
  }
  auto token_text = ReadFile(config.service_token_file(), "service_token_file");
  if (!token_text.ok()) return token_text.status();
  std::string token(absl::StripAsciiWhitespace(*token_text));
  if (!IsWellFormedToken(token)) {
    return absl::InvalidArgumentError(
        "service_token_file: does not hold a token ('jy_' and 43 base64url "
        "characters)");
  }
  std::shared_ptr<grpc::ChannelCredentials> creds =
      grpc::InsecureChannelCredentials();
  if (!config.core_ca_file().empty()) {
    auto ca = ReadFile(config.core_ca_file(), "core_ca_file");
    if (!ca.ok()) return ca.status();
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = *ca;
    creds = grpc::SslCredentials(ssl);
  }
  grpc::ChannelArguments args;
  // A returning core is found within seconds, not gRPC's default 2 minutes.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  std::unique_ptr<CoreConnection> c(new CoreConnection());
  c->network_ = true;
  c->channel_ = grpc::CreateCustomChannel(config.core_address(), creds, args);
  CoreLink::Options options;
  options.channel = c->channel_;
  options.service_token = std::move(token);
  options.clock = &clock;
  c->link_ = std::make_unique<CoreLink>(std::move(options));
  return c;
}

void CoreConnection::Watch(std::function<void(bool)> report) {
  if (!network_) return;
  watcher_ = std::thread(
      [this, report = std::move(report)] { WatchLoop(std::move(report)); });
}

void CoreConnection::WatchLoop(std::function<void(bool)> report) {
  bool reported = false;
  bool first = true;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    // GetState(true) starts connecting when idle: the edge learns the core
    // is there before the first call needs it.
    grpc_connectivity_state state = channel_->GetState(true);
    const bool ready = state == GRPC_CHANNEL_READY;
    if (first || ready != reported) report(ready);
    first = false;
    reported = ready;
    // Wakes on a change, or after a second to look at the stop flag.
    channel_->WaitForStateChange(
        state, std::chrono::system_clock::now() + std::chrono::seconds(1));
  }
}

void CoreConnection::StopWatching() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (watcher_.joinable()) watcher_.join();
}

CoreConnection::~CoreConnection() {
  StopWatching();
  link_.reset();
  if (internal_host_ != nullptr) {
    internal_host_->Shutdown(absl::ZeroDuration());
    internal_host_->Wait();
  }
}

}  // namespace jianyan
