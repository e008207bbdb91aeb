// Helpers shared by the benchmarks in tests/bench. Every benchmark ends with
// one line per target it checks:
//   TARGET <name> measured=<value> goal=<op><value> PASS|MISS
#ifndef JIANYAN_TESTS_BENCH_BENCH_UTIL_H_
#define JIANYAN_TESTS_BENCH_BENCH_UTIL_H_

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace jianyan::bench {

// The `--name=value` arguments, by name (others are ignored).
inline std::map<std::string, std::string> NamedFlags(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg(argv[i]);
    const size_t eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos) continue;
    flags[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
  }
  return flags;
}

// Prints the TARGET line; `op` is "<=" or ">=". Returns whether it passed.
inline bool ReportTarget(const std::string& name, double measured,
                         const std::string& op, double goal) {
  bool pass = (op == "<=") ? measured <= goal : measured >= goal;
  std::printf("TARGET %s measured=%.4g goal=%s%.4g %s\n", name.c_str(),
              measured, op.c_str(), goal, pass ? "PASS" : "MISS");
  std::fflush(stdout);
  return pass;
}

// The q-quantile (0..1) of `v` by nearest rank; 0 for an empty `v`.
inline double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

inline double Median(std::vector<double> v) {
  return Quantile(std::move(v), 0.5);
}

}  // namespace jianyan::bench

#endif  // JIANYAN_TESTS_BENCH_BENCH_UTIL_H_
