// jianyand: hosts any subset of the Jianyan services (default: all, with the
// embedded store). Parses flags into a ServerConfig and hands it to Daemon
// (daemon.h), or restores a backup (restore.h) and exits.
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/mutex.h"
#include "services/common/log.h"
#include "services/common/server_config.h"
#include "services/jianyand/daemon.h"
#include "services/jianyand/demo.h"
#include "services/jianyand/restore.h"

ABSL_FLAG(std::string, config, "",
          "server config textproto (jianyan.v1.ServerConfig)");
ABSL_FLAG(std::vector<std::string>, listen, {},
          "host:port to listen on, comma-separated; port 0 picks a free port");
ABSL_FLAG(std::string, data_dir, "", "RocksDB data directory of the core");
ABSL_FLAG(std::vector<std::string>, services, {},
          "services to host: workflow,intake,feedback,supervision,admin "
          "(default: all)");
ABSL_FLAG(std::string, core_address, "",
          "split mode: HOST:PORT of the core tier that the edge services "
          "(intake, feedback) call; empty: the core in this process");
ABSL_FLAG(std::string, service_token_file, "",
          "split mode: file holding the ROLE_SERVICE token the edges present "
          "to the core");
ABSL_FLAG(std::string, core_ca_file, "",
          "split mode: PEM root certificate of the core's TLS certificate; "
          "empty: plaintext to the core (private network only)");
ABSL_FLAG(std::string, query_code_secret_file, "",
          "intake: the 32-byte query-code key (mode 0600); default "
          "DATA_DIR/query-code.key; split intake replicas must share one");
ABSL_FLAG(bool, testing_clock, false,
          "time skipping for client developers: hosts TestingService, whose "
          "AdvanceClock moves the process clock forward. Loopback listen "
          "addresses only; never in production");
ABSL_FLAG(bool, demo, false,
          "on an empty data directory, load the Tai'an demo directory and "
          "write bearer tokens to DATA_DIR/demo-tokens.txt (0600)");
ABSL_FLAG(std::string, metrics_listen, "",
          "HOST:PORT for Prometheus metrics (/metrics) and an HTTP health "
          "check (/healthz); empty: off. Port 0 picks a free port");
ABSL_FLAG(std::string, log_level, "",
          "lowest level logged: info (default; one line per RPC), warning or "
          "error");
ABSL_FLAG(std::string, restore_from, "",
          "restore the latest backup in this directory into DATA_DIR/db "
          "(DATA_DIR must be new or empty), then exit without serving");

namespace jianyan {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitRuntime = 1;

// A failure is one log line like any other (JSON, level error).
int Fail(int code, absl::string_view message) {
  LogError("jianyand: ", message);
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
  if (auto core = absl::GetFlag(FLAGS_core_address); !core.empty()) {
    config.set_core_address(core);
  }
  if (auto file = absl::GetFlag(FLAGS_service_token_file); !file.empty()) {
    config.set_service_token_file(file);
  }
  if (auto file = absl::GetFlag(FLAGS_core_ca_file); !file.empty()) {
    config.set_core_ca_file(file);
  }
  if (auto file = absl::GetFlag(FLAGS_query_code_secret_file); !file.empty()) {
    config.set_query_code_secret_file(file);
  }
  if (absl::GetFlag(FLAGS_testing_clock)) config.set_testing_clock(true);
  if (auto listen = absl::GetFlag(FLAGS_metrics_listen); !listen.empty()) {
    config.set_metrics_listen(listen);
  }
  if (auto level = absl::GetFlag(FLAGS_log_level); !level.empty()) {
    config.set_log_level(level);
  }
  if (absl::Status s = CompleteServerConfig(config); !s.ok()) return s;
  return config;
}

int Run() {
  auto config = BuildConfig();
  if (!config.ok()) return Fail(kExitUsage, config.status().message());
  if (!config->log_level().empty()) {
    SetLogLevel(*ParseLogLevel(config->log_level()));  // checked above
  }
  if (const std::string backup = absl::GetFlag(FLAGS_restore_from);
      !backup.empty()) {
    absl::Status s = RestoreDataDir(backup, config->data_dir());
    if (!s.ok()) return Fail(kExitRuntime, s.message());
    return 0;
  }
  if (absl::GetFlag(FLAGS_demo)) {
    // The demo's suggesters send daily suggestions to 社会工作部.
    if (config->suggestion_organisation_id().empty()) {
      config->set_suggestion_organisation_id(kDemoSuggestionOrganisation);
    }
    absl::Status s = PrepareDemo(*config);
    if (!s.ok()) return Fail(kExitRuntime, s.message());
  }
  return Daemon::Serve(*config);
}

}  // namespace
}  // namespace jianyan

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "jianyand --config=FILE [--listen=HOST:PORT] [--data_dir=DIR] "
      "[--services=LIST] [--testing_clock]\n"
      "jianyand --services=intake,feedback --core_address=HOST:PORT "
      "--service_token_file=FILE [--core_ca_file=PEM]\n"
      "jianyand --restore_from=BACKUP_DIR --data_dir=DIR");
  absl::ParseCommandLine(argc, argv);
#ifdef NDEBUG
  // Debian's abseil is built without NDEBUG, so every Mutex acquisition
  // would feed its deadlock detector (a global graph under a global lock).
  // Debug builds (the tests) keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
  jianyan::RouteGrpcLogs();
  // One write(2) per RPC line cost a tenth of a status read's CPU.
  jianyan::AccessLogBuffer access_log(absl::Milliseconds(200));
  return jianyan::Run();
}
