// End-to-end speed: jianyand against the baseline server, both real
// processes on 127.0.0.1, driven by the same load generator (load_driver.h)
// with the same settings, in alternating rounds; prints each round with
// both sides' CPU per call, the medians, what each ratio target at 64
// outstanding asks of jianyand's CPU per call, and one TARGET line per
// target of docs/performance.md.
//
//   load_bench [--rounds=3] [--seconds=10] [--fill=1000000] [--dir=/tmp]
//              [--config=FILE] [--baseline_keys=1]
//   load_bench --smoke   (ctest: every scenario a few hundred calls through
//                         the jianyan-bench binary, no targets)
//
// jianyand runs with --demo (the Tai'an directory and its tokens) on the
// default configuration (or --config's, a ServerConfig textproto: e.g. a
// smaller block cache and write buffers) and synced writes. --fill=N
// (default a million, about five minutes here; 0: none) submits N more
// cases after the rounds (--rounds=0: none) and reports jianyand's RSS
// then. --baseline_keys=N runs the baseline with --keys_per_write=N (a write
// shaped like a jianyand command); its ratios are printed without TARGET
// lines, since the targets are against the one-key baseline.
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "tests/bench/bench_util.h"
#include "tests/bench/load/load_driver.h"
#include "tests/bench/load/proc_stats.h"
#include "tests/integration/subprocess.h"

namespace jianyan::bench {
namespace {

using testing::Subprocess;

constexpr absl::Duration kStartTimeout = absl::Seconds(60);

struct Flags {
  int rounds = 3;
  double seconds = 10;
  int64_t fill = 1000000;  // the rss_after_1m_cases_mb target; 0: none
  std::string dir = "/tmp";
  std::string config;     // jianyand's --config; empty: the defaults
  int baseline_keys = 1;  // the baseline's --keys_per_write
  bool smoke = false;
};

Flags ParseFlags(int argc, char** argv) {
  Flags f;
  for (const auto& [name, value] : NamedFlags(argc, argv)) {
    if (name == "rounds") (void)absl::SimpleAtoi(value, &f.rounds);
    if (name == "seconds") (void)absl::SimpleAtod(value, &f.seconds);
    if (name == "fill") (void)absl::SimpleAtoi(value, &f.fill);
    if (name == "dir") f.dir = value;
    if (name == "config") f.config = value;
    if (name == "baseline_keys" &&
        (!absl::SimpleAtoi(value, &f.baseline_keys) || f.baseline_keys < 1 ||
         f.baseline_keys > 64)) {
      std::fprintf(stderr, "load_bench: --baseline_keys: '%s' is not 1..64\n",
                   value.c_str());
      std::exit(2);
    }
  }
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--smoke") f.smoke = true;
  }
  return f;
}

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "load_bench: %s\n", what.c_str());
  std::exit(2);
}

// A server process and where it listens.
struct Server {
  std::string name;
  std::unique_ptr<Subprocess> process;
  std::string address;
  std::shared_ptr<grpc::Channel> channel;
};

Server Start(const std::string& name, const std::vector<std::string>& argv) {
  auto child = Subprocess::Start(argv);
  if (!child.ok()) Fail(absl::StrCat(name, ": ", child.status().message()));
  auto line = (*child)->WaitForLine("listening on ", kStartTimeout);
  if (!line.ok()) Fail(absl::StrCat(name, ": ", line.status().message()));
  Server s;
  s.name = name;
  s.process = *std::move(child);
  s.address = *line;
  s.channel =
      grpc::CreateChannel(s.address, grpc::InsecureChannelCredentials());
  return s;
}

void Stop(Server& s) {
  s.process->Signal(SIGTERM);
  if (!s.process->Wait(absl::Seconds(60)).ok()) s.process.reset();
}

// One measurement: a scenario at a number of outstanding calls, and the
// least jianyand ÷ baseline ratio of calls/s its target asks for.
struct Measure {
  const char* name;
  Scenario scenario;
  int outstanding;
  double goal;
};

constexpr Measure kMeasures[] = {
    {"submit_at_64", Scenario::kSubmit, 64, 0.8},
    {"submit_at_1", Scenario::kSubmit, 1, 0.8},
    {"lifecycle_at_64", Scenario::kLifecycle, 64, 0.6},
    {"status_at_64", Scenario::kStatus, 64, 1.0},
};

// CPU microseconds per call of one run's timed part: the server's (from its
// /proc) and the load generator's (this process's; between rounds nothing
// else in it runs). Zero when /proc could not say.
struct CallCost {
  double server_us = 0;
  double client_us = 0;
};

// Runs `m` against `server`; fills *cost when given (the preparation, such
// as the status scenario's submissions, is not counted).
LoadSnapshot RunOnce(Server& server, const Tokens& tokens, const Measure& m,
                     double seconds, const std::string& tag, int64_t count = 0,
                     CallCost* cost = nullptr) {
  LoadOptions o;
  o.scenario = m.scenario;
  o.outstanding = m.outstanding;
  o.duration = absl::Seconds(seconds);
  o.count = count;
  o.tokens = tokens;
  o.tag = tag;
  LoadRun run(server.channel, o);
  if (absl::Status s = run.Prepare(); !s.ok()) {
    Fail(absl::StrCat(server.name, " ", m.name, ": ", s.message()));
  }
  if (cost == nullptr) return run.Run();
  const absl::StatusOr<ProcStats> server_before =
      ReadProcStats(server.process->pid());
  const absl::StatusOr<ProcStats> self_before = ReadProcStats(getpid());
  const LoadSnapshot got = run.Run();
  const absl::StatusOr<ProcStats> server_after =
      ReadProcStats(server.process->pid());
  const absl::StatusOr<ProcStats> self_after = ReadProcStats(getpid());
  if (server_before.ok() && server_after.ok() && self_before.ok() &&
      self_after.ok() && got.calls > 0) {
    const double calls = static_cast<double>(got.calls);
    cost->server_us =
        1e6 * (server_after->cpu_seconds - server_before->cpu_seconds) / calls;
    cost->client_us =
        1e6 * (self_after->cpu_seconds - self_before->cpu_seconds) / calls;
  }
  return got;
}

std::string Errors(const LoadSnapshot& s) {
  std::string out;
  for (const auto& [code, n] : s.errors)
    absl::StrAppend(&out, " ", code, "=", n);
  return out.empty() ? " none" : out;
}

int Smoke(const Flags& f, const std::string& dir, Server& jianyand,
          Server& baseline) {
  int failed = 0;
  const std::string tokens = absl::StrCat(dir, "/jianyand/demo-tokens.txt");
  for (const char* scenario :
       {"submit", "lifecycle", "status", "console", "mixed"}) {
    for (Server* s : {&jianyand, &baseline}) {
      if (s == &baseline && std::string(scenario) == "console") continue;
      const std::string json =
          absl::StrCat(dir, "/", s->name, "-", scenario, ".json");
      auto child = Subprocess::Start(
          {JIANYAN_BENCH_PATH, absl::StrCat("--target=", s->address),
           absl::StrCat("--token-file=", tokens),
           absl::StrCat("--scenario=", scenario), "--outstanding=8",
           "--count=200", "--status-cases=40", "--quiet",
           absl::StrCat("--json=", json),
           absl::StrCat("--server-pid=", s->process->pid())});
      if (!child.ok()) Fail(std::string(child.status().message()));
      absl::StatusOr<int> code = (*child)->Wait(absl::Seconds(300));
      std::printf("%s %s: exit %d\n%s%s", s->name.c_str(), scenario,
                  code.ok() ? *code : -1, (*child)->stdout_text().c_str(),
                  (*child)->stderr_text().c_str());
      if (!code.ok() || *code != 0 || !std::filesystem::exists(json)) ++failed;
    }
  }
  std::printf("smoke: %d of 9 runs failed\n", failed);
  (void)f;
  return failed == 0 ? 0 : 1;
}

int Main(int argc, char** argv) {
  const Flags f = ParseFlags(argc, argv);
  const std::string dir = absl::StrCat(f.dir, "/jy_load_bench_", getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "/jianyand");
  Server baseline =
      Start("baseline", {BASELINE_SERVER_PATH,
                         absl::StrCat("--data_dir=", dir, "/baseline"),
                         absl::StrCat("--keys_per_write=", f.baseline_keys)});
  // jianyand logs a JSON line per call on stderr (its default level, kept
  // so the figures include it): into a file, since nobody drains the pipe
  // while the load runs and a full pipe would stall the server. stdout
  // still carries "listening on".
  Server jianyand =
      Start("jianyand",
            {"/bin/sh", "-c",
             absl::StrCat(
                 "exec ", JIANYAND_PATH,
                 " --demo --listen=127.0.0.1:0 --data_dir=", dir, "/jianyand",
                 f.config.empty() ? std::string()
                                  : absl::StrCat(" --config=", f.config),
                 " 2>", dir, "/jianyand.log")});
  int rc = 0;
  if (f.smoke) {
    rc = Smoke(f, dir, jianyand, baseline);
  } else {
    absl::StatusOr<Tokens> tokens = ReadTokenFile(
        absl::StrCat(dir, "/jianyand/demo-tokens.txt"), "handler-taishan");
    if (!tokens.ok()) Fail(std::string(tokens.status().message()));
    // figures[measure][server] over rounds: calls/s, and jianyand's p99.
    std::map<std::string, std::map<std::string, std::vector<double>>> rate;
    std::map<std::string, std::vector<double>> p99, ratio;
    // cost[measure][server]: CPU per call, one per round.
    std::map<std::string, std::map<std::string, std::vector<CallCost>>> cost;
    for (int r = 0; r < f.rounds; ++r) {
      for (const Measure& m : kMeasures) {
        Server* order[2] = {&jianyand, &baseline};
        if ((r + static_cast<int>(&m - kMeasures)) % 2 == 1) {
          std::swap(order[0], order[1]);
        }
        for (Server* s : order) {
          CallCost c;
          const LoadSnapshot got = RunOnce(
              *s, *tokens, m, f.seconds,
              absl::StrCat("lb", r, std::string(1, m.name[0]), m.outstanding),
              0, &c);
          rate[m.name][s->name].push_back(got.per_second());
          if (s == &jianyand) p99[m.name].push_back(got.p99_ms);
          cost[m.name][s->name].push_back(c);
          std::printf(
              "round %d %-16s %-8s %8.1f calls/s  p50 %6.2f ms  p99 %6.2f ms"
              "  p99.9 %6.2f ms  max %7.2f ms  CPU/call server %4.0f us "
              "client %4.0f us  errors%s\n",
              r + 1, m.name, s->name.c_str(), got.per_second(), got.p50_ms,
              got.p99_ms, got.p999_ms, got.max_ms, c.server_us, c.client_us,
              Errors(got).c_str());
          std::fflush(stdout);
        }
        ratio[m.name].push_back(rate[m.name]["jianyand"].back() /
                                rate[m.name]["baseline"].back());
      }
    }
    for (const Measure& m : kMeasures) {
      if (f.rounds <= 0) break;
      std::printf("%-16s jianyand/baseline per round:", m.name);
      for (double x : ratio[m.name]) std::printf(" %.3f", x);
      std::printf("  (median jianyand %.1f/s, baseline %.1f/s)\n",
                  Median(rate[m.name]["jianyand"]),
                  Median(rate[m.name]["baseline"]));
    }
    // Where the CPU goes. At 64 outstanding jianyand's calls/s are the
    // cores it and this load generator use together (U) over the CPU of one
    // call, server's and client's. Assuming U stays as it is, g times the
    // baseline's rate of the same round asks for a call of at most
    // U / (g * baseline calls/s) in all, and for the server's part the
    // client's less (docs/performance.md, "What the targets ask"). Per
    // round, then the median. At 1 outstanding latency decides, not CPU.
    for (const Measure& m : kMeasures) {
      if (m.outstanding == 1) continue;
      std::vector<double> sj, cj, sb, cb, cores, server_budget;
      for (int r = 0; r < f.rounds; ++r) {
        const CallCost& j = cost[m.name]["jianyand"][r];
        const CallCost& b = cost[m.name]["baseline"][r];
        const double rb = rate[m.name]["baseline"][r];
        if (j.server_us <= 0 || b.server_us <= 0 || rb <= 0) continue;
        sj.push_back(j.server_us);
        cj.push_back(j.client_us);
        sb.push_back(b.server_us);
        cb.push_back(b.client_us);
        const double u =
            rate[m.name]["jianyand"][r] * (j.server_us + j.client_us) / 1e6;
        cores.push_back(u);
        server_budget.push_back(u * 1e6 / (m.goal * rb) - j.client_us);
      }
      if (sj.empty()) continue;
      std::printf(
          "%-16s CPU/call (medians of %zu rounds): jianyand server %.0f + "
          "client %.0f us, baseline server %.0f + client %.0f us; jianyand "
          "and client use %.2f cores; at that, %.2f x baseline's rate needs "
          "jianyand's server at <= %.0f us/call\n",
          m.name, sj.size(), Median(sj), Median(cj), Median(sb), Median(cb),
          Median(cores), m.goal, Median(server_budget));
    }
    absl::StatusOr<ProcStats> loaded = ReadProcStats(jianyand.process->pid());
    if (loaded.ok()) {
      std::printf("jianyand peak RSS under load: %.1f MB\n",
                  loaded->peak_rss_mb);
    }
    if (f.fill > 0) {
      const Measure fill{"fill", Scenario::kSubmit, 64, 0};
      const LoadSnapshot got =
          RunOnce(jianyand, *tokens, fill, 0, "lbfill", f.fill);
      std::printf("filled %llu cases at %.1f/s, errors%s\n",
                  static_cast<unsigned long long>(got.calls), got.per_second(),
                  Errors(got).c_str());
    }
    absl::StatusOr<ProcStats> after = ReadProcStats(jianyand.process->pid());
    if (f.rounds > 0) {
      ReportTarget("submit_p99_ms_at_64", Median(p99["submit_at_64"]),
                   "<=", 10);
    }
    if (f.rounds > 0 && f.baseline_keys != 1) {
      // Not the targets' baseline: the ratios are printed above, and no
      // TARGET line judges them.
      std::printf(
          "the baseline wrote %d keys per call: no TARGET lines for the "
          "ratios\n",
          f.baseline_keys);
    } else if (f.rounds > 0) {
      ReportTarget("submit_vs_baseline_at_64", Median(ratio["submit_at_64"]),
                   ">=", kMeasures[0].goal);
      ReportTarget("submit_vs_baseline_at_1", Median(ratio["submit_at_1"]),
                   ">=", kMeasures[1].goal);
      ReportTarget("lifecycle_commands_vs_baseline_at_64",
                   Median(ratio["lifecycle_at_64"]), ">=", kMeasures[2].goal);
      ReportTarget("status_reads_per_s_vs_baseline_at_64",
                   Median(ratio["status_at_64"]), ">=", kMeasures[3].goal);
    }
    if (f.fill > 0 && after.ok()) {
      // The target's name for the default fill; other fills say theirs.
      ReportTarget(f.fill == 1000000
                       ? std::string("rss_after_1m_cases_mb")
                       : absl::StrCat("rss_after_", f.fill, "_more_cases_mb"),
                   after->rss_mb, "<=", 300);
    }
  }
  Stop(jianyand);
  Stop(baseline);
  std::filesystem::remove_all(dir);
  return rc;
}

}  // namespace
}  // namespace jianyan::bench

int main(int argc, char** argv) { return jianyan::bench::Main(argc, argv); }
