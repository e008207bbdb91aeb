#include "services/jianyand/daemon.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_join.h"
#include "services/common/log.h"
#include "services/jianyand/testing_clock_state.h"
#include "services/metrics/grpc_interceptor.h"
#include "services/metrics/store_collector.h"
#include "services/testing/testing_service.h"

namespace jianyan {

absl::StatusOr<std::unique_ptr<Daemon>> Daemon::Start(
    const jianyan::v1::ServerConfig& config) {
  // Bad TLS files are refused before the store is touched.
  if (absl::Status s = ServerHost::CheckTls(config.tls()); !s.ok()) return s;
  std::unique_ptr<Daemon> daemon(new Daemon());
  const Clock* clock = &Clock::Real();
  if (config.testing_clock()) {
    daemon->testing_clock_ = std::make_unique<OffsetClock>(Clock::Real());
    clock = daemon->testing_clock_.get();
    LogWarning(
        "testing clock on: time can be advanced by AdvanceClock; never use "
        "in production");
  }
  // Edge-only processes hold no database.
  if (NeedsCore(config)) {
    auto core = EmbeddedCore::Open(config, *clock);
    if (!core.ok()) return core.status();
    daemon->core_ = *std::move(core);
  }
  // The core the edges call: in this process unless core_address says
  // otherwise.
  if (HasEdge(config)) {
    absl::StatusOr<std::unique_ptr<CoreConnection>> connection;
    if (!config.core_address().empty()) {
      connection = CoreConnection::Network(config, *clock);
    } else if (daemon->core_ != nullptr) {
      daemon->core_gate_ = std::make_unique<CallGate>(
          daemon->core_->core().auth(), daemon->core_->core().policy());
      connection = CoreConnection::InProcess(*daemon->core_,
                                             *daemon->core_gate_, *clock);
    } else {
      return absl::InvalidArgumentError(
          "core_address: required when the edge services run without the "
          "workflow core (with --service_token_file)");
    }
    if (!connection.ok()) return connection.status();
    daemon->connection_ = *std::move(connection);
  }
  auto intake = IntakeOptionsFor(
      config, daemon->connection_ ? daemon->connection_->channel() : nullptr);
  if (!intake.ok()) return intake.status();
  auto services = ServiceSet::Create(
      config, daemon->core_.get(),
      daemon->connection_ ? daemon->connection_->link() : nullptr, *intake);
  if (!services.ok()) return services.status();
  daemon->services_ = *std::move(services);
  if (daemon->testing_clock_ != nullptr) {
    if (daemon->core_ == nullptr) {
      return absl::FailedPreconditionError(
          "--testing_clock needs the workflow service in this process");
    }
    // Time never goes back, also across restarts.
    absl::StatusOr<absl::Duration> kept = LoadTestingOffset(config.data_dir());
    if (!kept.ok()) return kept.status();
    if (auto moved = daemon->testing_clock_->Advance(*kept); !moved.ok()) {
      return moved.status();
    }
    // AdvanceClock keeps the new offset, then answers once every timer due
    // by the new time has fired (and its notices are stored).
    const CallGate* gate = daemon->services_->gate();
    TimerScheduler* timers = &daemon->core_->core().timers();
    OffsetClock* testing_clock = daemon->testing_clock_.get();
    daemon->services_->Add(
        jianyan::v1::TestingService::service_full_name(),
        std::make_unique<TestingServiceImpl>(
            *daemon->testing_clock_,
            [gate](grpc::CallbackServerContext* ctx) {
              return gate->Admit(ctx, "TestingService.AdvanceClock").status();
            },
            [timers, testing_clock, dir = config.data_dir()](absl::Time now) {
              if (absl::Status kept =
                      SaveTestingOffset(dir, testing_clock->offset());
                  !kept.ok()) {
                LogWarning("testing clock: ", kept.message());
              }
              absl::StatusOr<uint64_t> fired = timers->RunDue(now);
              if (!fired.ok()) {
                LogWarning("timers: ", fired.status().message());
              }
            }));
  }
  auto host = ServerHost::Start(config, daemon->services_->hosted(),
                                metrics::RpcObservers());
  if (!host.ok()) return host.status();
  daemon->host_ = *std::move(host);
  daemon->bound_ = daemon->host_->bound_addresses();
  if (daemon->connection_ != nullptr) {
    // Split edges are NOT_SERVING while their core is unreachable.
    ServerHost* host_ptr = daemon->host_.get();
    daemon->connection_->Watch([host_ptr](bool ready) {
      if (!ready) LogWarning("workflow core unreachable: NOT_SERVING");
      host_ptr->SetServing(ready);
    });
  }
  if (daemon->core_ != nullptr) {
    // A store that cannot write (disk full, I/O error) is NOT_SERVING until
    // it recovers; commands meanwhile get UNAVAILABLE from the store.
    ServerHost* host_ptr = daemon->host_.get();
    daemon->core_->store().SetWriteHealthListener(
        [host_ptr](const absl::Status& s) {
          if (!s.ok()) LogError("store: ", s.message());
          host_ptr->SetServing(s.ok());
        });
    daemon->core_->core().StartTimers();
  }
  if (!config.metrics_listen().empty()) {
    metrics::Registry& registry = metrics::DefaultRegistry();
    ServerHost* host_ptr = daemon->host_.get();
    daemon->collectors_.push_back(
        registry.AddCollector([host_ptr](metrics::ExpositionWriter& out) {
          out.Family("jianyan_serving",
                     "1 while gRPC health checking reports the server "
                     "SERVING, else 0 (as /healthz).",
                     metrics::MetricType::kGauge);
          out.Sample("jianyan_serving", {}, host_ptr->serving() ? 1 : 0);
        }));
    if (daemon->core_ != nullptr) {
      daemon->collectors_.push_back(
          registry.AddCollector(metrics::StoreCollector(
              daemon->core_->store(), daemon->core_->core().timers(), *clock)));
    }
    auto endpoint = metrics::MetricsEndpoint::Start(
        config.metrics_listen(), registry,
        [host_ptr] { return host_ptr->serving(); });
    if (!endpoint.ok()) return endpoint.status();
    daemon->metrics_ = *std::move(endpoint);
  }
  return daemon;
}

int Daemon::Serve(const jianyan::v1::ServerConfig& config) {
  // Signals are taken by this thread with sigwait(); block them before gRPC
  // starts its threads so they inherit the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto daemon = Start(config);
  if (!daemon.ok()) {
    LogError("jianyand: ", daemon.status().message());
    return 1;
  }
  for (const std::string& address : (*daemon)->bound_addresses()) {
    std::printf("listening on %s\n", address.c_str());
  }
  if (std::string metrics = (*daemon)->metrics_address(); !metrics.empty()) {
    std::printf("metrics on %s\n", metrics.c_str());
  }
  std::fflush(stdout);
  LogInfo("jianyand: serving ", absl::StrJoin(config.services(), ","),
          config.testing_clock() ? ",testing" : "", " with data dir ",
          config.data_dir());

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  const uint32_t grace_seconds = config.limits().shutdown_grace_seconds();
  const absl::Duration grace =
      absl::Seconds(grace_seconds > 0 ? grace_seconds : 10);
  LogInfo("jianyand: signal ", signal_number, ", draining calls for up to ",
          absl::FormatDuration(grace));
  (*daemon)->Stop(grace);
  daemon->reset();
  LogInfo("jianyand: stopped");
  return 0;
}

Daemon::~Daemon() { Stop(absl::ZeroDuration()); }

const std::vector<std::string>& Daemon::bound_addresses() const {
  return bound_;
}

std::string Daemon::metrics_address() const {
  return metrics_ != nullptr ? metrics_->bound_address() : "";
}

void Daemon::Stop(absl::Duration grace) {
  // The watcher reports to the server: it stops before the server goes.
  if (connection_ != nullptr) connection_->StopWatching();
  if (core_ != nullptr) {
    core_->store().SetWriteHealthListener(nullptr);
    // Watch streams end now rather than hold the shutdown to its deadline.
    core_->core().Quiesce();
  }
  if (host_ != nullptr) {
    host_->Shutdown(grace);  // /healthz answers 503 while calls drain
    host_->Wait();
  }
  // The endpoint's callbacks read the server and the store.
  metrics_.reset();
  for (int id : collectors_) metrics::DefaultRegistry().RemoveCollector(id);
  collectors_.clear();
  host_.reset();
  services_.reset();
  connection_.reset();
  core_gate_.reset();
  core_.reset();
  testing_clock_.reset();
}

}  // namespace jianyan
