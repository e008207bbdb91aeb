// jianyan-bench: a load generator for any jianyand (or the baseline server
// of tests/bench/load/baseline_server.cc). See load_driver.h for the
// scenarios; README "Benchmarks" for how load_bench compares the two.
//
//   jianyan-bench --target=127.0.0.1:7400 --token-file=DATA/demo-tokens.txt
//                 --scenario=submit --outstanding=64 --duration=30
//                 [--count=N] [--json=result.json] [--server-pid=PID]
//                 [--handler=handler-taishan] [--status-cases=256]
//                 [--act-view=basic|full] [--ca-file=ca.pem] [--tag=...]
//                 [--quiet]
//
// While it runs, one line on stderr shows the rate, p50/p99 so far and the
// errors by code (on a terminal, redrawn in place). At the end it prints
// the figures and, with --json, writes them to a file. Exit status: 0 when
// every call succeeded, 1 when some failed, 2 on bad flags or set-up.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tests/bench/bench_util.h"
#include "tests/bench/load/load_driver.h"
#include "tests/bench/load/proc_stats.h"

namespace jianyan::bench {
namespace {

struct Flags {
  std::string target = "127.0.0.1:7400";
  std::string token_file;
  std::string handler = "handler-taishan";
  std::string json;
  std::string ca_file;
  pid_t server_pid = 0;
  bool quiet = false;
  LoadOptions load;
};

[[noreturn]] void Usage(const std::string& error) {
  std::fprintf(stderr,
               "jianyan-bench: %s\n"
               "usage: jianyan-bench --target=HOST:PORT --token-file=FILE "
               "--scenario=submit|lifecycle|status|console|mixed "
               "[--outstanding=64] [--duration=SECONDS | --count=N] "
               "[--json=FILE] [--server-pid=PID] [--handler=NAME] "
               "[--status-cases=256] [--act-view=basic|full] [--ca-file=PEM] "
               "[--tag=ID] [--quiet]\n",
               error.c_str());
  std::exit(2);
}

Flags ParseFlags(int argc, char** argv) {
  Flags f;
  f.load.tag =
      absl::StrCat("jb", getpid(), "-", absl::ToUnixSeconds(absl::Now()));
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") Usage("a load generator for jianyand");
    if (arg == "--quiet") f.quiet = true;
  }
  bool scenario = false;
  for (const auto& [flag, value] : NamedFlags(argc, argv)) {
    const std::string name = absl::StrReplaceAll(flag, {{"_", "-"}});
    auto integer = [&](auto* out) {
      if (!absl::SimpleAtoi(value, out)) {
        Usage(absl::StrCat("--", name, ": not a number: ", value));
      }
    };
    if (name == "target") {
      f.target = value;
    } else if (name == "token-file") {
      f.token_file = value;
    } else if (name == "handler") {
      f.handler = value;
    } else if (name == "json") {
      f.json = value;
    } else if (name == "ca-file") {
      f.ca_file = value;
    } else if (name == "tag") {
      f.load.tag = value;
    } else if (name == "server-pid") {
      integer(&f.server_pid);
    } else if (name == "outstanding") {
      integer(&f.load.outstanding);
    } else if (name == "count") {
      integer(&f.load.count);
    } else if (name == "status-cases") {
      integer(&f.load.status_cases);
    } else if (name == "act-view") {
      if (value != "basic" && value != "full") {
        Usage("--act-view: basic or full");
      }
      f.load.act_view = value == "basic" ? jianyan::v1::CASE_VIEW_BASIC
                                         : jianyan::v1::CASE_VIEW_FULL;
    } else if (name == "duration") {
      double seconds = 0;
      if (!absl::SimpleAtod(value, &seconds) || seconds <= 0) {
        Usage("--duration: seconds, more than 0");
      }
      f.load.duration = absl::Seconds(seconds);
    } else if (name == "scenario") {
      absl::StatusOr<Scenario> s = ParseScenario(value);
      if (!s.ok()) Usage(std::string(s.status().message()));
      f.load.scenario = *s;
      scenario = true;
    } else {
      Usage(absl::StrCat("unknown flag --", name));
    }
  }
  if (!scenario) Usage("--scenario is required");
  if (f.load.outstanding < 1 || f.load.outstanding > 100000) {
    Usage("--outstanding: 1..100000");
  }
  return f;
}

std::string ErrorsText(const LoadSnapshot& s) {
  std::string out;
  for (const auto& [code, n] : s.errors) {
    absl::StrAppend(&out, out.empty() ? "" : " ", code, "=", n);
  }
  return out.empty() ? "none" : out;
}

std::string Json(const Flags& f, const LoadSnapshot& s,
                 const std::optional<ProcStats>& before,
                 const std::optional<ProcStats>& after) {
  std::ostringstream o;
  o << "{\"scenario\":\"" << ScenarioName(f.load.scenario) << "\",\"target\":\""
    << f.target << "\",\"outstanding\":" << f.load.outstanding
    << ",\"seconds\":" << s.seconds << ",\"calls\":" << s.calls
    << ",\"ok\":" << s.ok << ",\"per_second\":" << s.per_second()
    << ",\"latency_ms\":{\"p50\":" << s.p50_ms << ",\"p99\":" << s.p99_ms
    << ",\"p999\":" << s.p999_ms << ",\"max\":" << s.max_ms << "},\"errors\":{";
  bool first = true;
  for (const auto& [code, n] : s.errors) {
    o << (first ? "" : ",") << "\"" << code << "\":" << n;
    first = false;
  }
  o << "}";
  if (before.has_value() && after.has_value()) {
    o << ",\"server\":{\"pid\":" << f.server_pid
      << ",\"cpu_seconds\":" << after->cpu_seconds - before->cpu_seconds
      << ",\"rss_mb\":" << after->rss_mb
      << ",\"peak_rss_mb\":" << after->peak_rss_mb << "}";
  }
  o << "}\n";
  return o.str();
}

int Main(int argc, char** argv) {
  Flags f = ParseFlags(argc, argv);
  if (!f.token_file.empty()) {
    absl::StatusOr<Tokens> tokens = ReadTokenFile(f.token_file, f.handler);
    if (!tokens.ok()) Usage(std::string(tokens.status().message()));
    f.load.tokens = *tokens;
  }
  std::shared_ptr<grpc::ChannelCredentials> creds =
      grpc::InsecureChannelCredentials();
  if (!f.ca_file.empty()) {
    std::ifstream in(f.ca_file);
    if (!in) Usage(absl::StrCat("--ca-file: cannot read ", f.ca_file));
    std::stringstream pem;
    pem << in.rdbuf();
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = pem.str();
    creds = grpc::SslCredentials(ssl);
  }
  LoadRun run(grpc::CreateChannel(f.target, creds), f.load);
  if (absl::Status prepared = run.Prepare(); !prepared.ok()) {
    std::fprintf(stderr, "jianyan-bench: %s\n",
                 std::string(prepared.message()).c_str());
    return 2;
  }
  std::optional<ProcStats> before, after;
  if (f.server_pid > 0) {
    absl::StatusOr<ProcStats> s = ReadProcStats(f.server_pid);
    if (!s.ok()) Usage(absl::StrCat("--server-pid: ", s.status().message()));
    before = *s;
  }
  std::atomic<bool> done{false};
  std::thread progress([&] {
    const bool tty = isatty(STDERR_FILENO) == 1;
    if (f.quiet) return;
    while (!done.load()) {
      for (int i = 0; i < (tty ? 5 : 50) && !done.load(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (done.load()) break;
      const LoadSnapshot s = run.Snapshot();
      std::fprintf(stderr,
                   "%s%s %.0f s: %llu calls, %.0f/s, p50 %.2f ms, p99 %.2f "
                   "ms, errors %s%s",
                   tty ? "\r\033[K" : "", ScenarioName(f.load.scenario),
                   s.seconds, static_cast<unsigned long long>(s.calls),
                   s.per_second(), s.p50_ms, s.p99_ms, ErrorsText(s).c_str(),
                   tty ? "" : "\n");
    }
    if (tty) std::fprintf(stderr, "\r\033[K");
  });
  const LoadSnapshot s = run.Run();
  done = true;
  progress.join();
  if (f.server_pid > 0) {
    absl::StatusOr<ProcStats> st = ReadProcStats(f.server_pid);
    if (st.ok()) after = *st;
  }
  std::printf(
      "%s at %d outstanding: %llu calls in %.2f s = %.1f/s; latency p50 %.2f "
      "ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; errors %s\n",
      ScenarioName(f.load.scenario), f.load.outstanding,
      static_cast<unsigned long long>(s.calls), s.seconds, s.per_second(),
      s.p50_ms, s.p99_ms, s.p999_ms, s.max_ms, ErrorsText(s).c_str());
  if (before.has_value() && after.has_value()) {
    std::printf("server pid %d: %.2f CPU seconds, RSS %.1f MB, peak %.1f MB\n",
                f.server_pid, after->cpu_seconds - before->cpu_seconds,
                after->rss_mb, after->peak_rss_mb);
  }
  if (!f.json.empty()) {
    std::ofstream out(f.json);
    out << Json(f, s, before, after);
    if (!out) {
      std::fprintf(stderr, "jianyan-bench: cannot write %s\n", f.json.c_str());
      return 2;
    }
  }
  return s.errors.empty() ? 0 : 1;
}

}  // namespace
}  // namespace jianyan::bench

int main(int argc, char** argv) { return jianyan::bench::Main(argc, argv); }
