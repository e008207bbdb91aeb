// jianyand: hosts any subset of the Jianyan services (default: all, with the
// embedded store). Parses flags, wires objects, serves until SIGTERM/SIGINT.
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "services/common/log.h"
#include "services/common/server_config.h"
#include "services/common/server_host.h"
#include "services/jianyand/embedded_core.h"
#include "services/jianyand/service_set.h"

ABSL_FLAG(std::string, config, "",
          "server config textproto (jianyan.v1.ServerConfig)");
ABSL_FLAG(std::vector<std::string>, listen, {},
          "host:port to listen on, comma-separated; port 0 picks a free port");
ABSL_FLAG(std::string, data_dir, "", "RocksDB data directory of the core");
ABSL_FLAG(std::vector<std::string>, services, {},
          "services to host: workflow,intake,feedback,supervision,admin "
          "(default: all)");

namespace jianyan {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitRuntime = 1;

int Fail(int code, absl::string_view message) {
  std::cerr << "jianyand: " << message << std::endl;
  return code;
}

absl::StatusOr<jianyan::v1::ServerConfig> BuildConfig() {
  jianyan::v1::ServerConfig config;
  if (!absl::GetFlag(FLAGS_config).empty()) {
    auto loaded = LoadServerConfigFile(absl::GetFlag(FLAGS_config));
    if (!loaded.ok()) return loaded.status();
    config = *std::move(loaded);
  }
  if (auto listen = absl::GetFlag(FLAGS_listen); !listen.empty()) {
    config.clear_listen();
    for (const auto& a : listen) config.add_listen(a);
  }
  if (auto dir = absl::GetFlag(FLAGS_data_dir); !dir.empty()) {
    config.set_data_dir(dir);
  }
  if (auto services = absl::GetFlag(FLAGS_services); !services.empty()) {
    config.clear_services();
    for (const auto& s : services) config.add_services(s);
  }
  if (absl::Status s = CompleteServerConfig(config); !s.ok()) return s;
  return config;
}

int Run() {
  auto config = BuildConfig();
  if (!config.ok()) return Fail(kExitUsage, config.status().message());

  // Signals are taken by one thread with sigwait(); block them before gRPC
  // starts its threads so they inherit the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // Bad TLS files are refused before the store is touched.
  if (absl::Status s = ServerHost::CheckTls(config->tls()); !s.ok()) {
    return Fail(kExitRuntime, s.message());
  }
  // The core (store + definitions) lives only where the workflow service
  // does: edge-only processes hold no database.
  std::unique_ptr<EmbeddedCore> core;
  if (std::count(config->services().begin(), config->services().end(),
                 "workflow") > 0) {
    auto opened = EmbeddedCore::Open(*config, Clock::Real());
    if (!opened.ok()) return Fail(kExitRuntime, opened.status().message());
    core = *std::move(opened);
  }
  auto services = ServiceSet::Create(*config);
  if (!services.ok()) return Fail(kExitUsage, services.status().message());
  auto host = ServerHost::Start(*config, (*services)->hosted());
  if (!host.ok()) return Fail(kExitRuntime, host.status().message());

  for (const std::string& address : (*host)->bound_addresses()) {
    std::printf("listening on %s\n", address.c_str());
  }
  std::fflush(stdout);
  LogInfo("jianyand: serving ", absl::StrJoin(config->services(), ","),
          " with data dir ", config->data_dir());

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  const uint32_t grace_seconds = config->limits().shutdown_grace_seconds();
  const absl::Duration grace =
      absl::Seconds(grace_seconds > 0 ? grace_seconds : 10);
  LogInfo("jianyand: signal ", signal_number, ", draining calls for up to ",
          absl::FormatDuration(grace));
  (*host)->Shutdown(grace);
  (*host)->Wait();
  host->reset();  // the server goes before the services and the store
  core.reset();
  LogInfo("jianyand: stopped");
  return 0;
}

}  // namespace
}  // namespace jianyan

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "jianyand --config=FILE [--listen=HOST:PORT] [--data_dir=DIR] "
      "[--services=LIST]");
  absl::ParseCommandLine(argc, argv);
  jianyan::RouteGrpcLogs();
  return jianyan::Run();
}
