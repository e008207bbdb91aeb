// Helpers shared by the benchmarks in tests/bench. Every benchmark ends with
// one line per target it checks:
//   TARGET <name> measured=<value> goal=<op><value> PASS|MISS
#ifndef JIANYAN_TESTS_BENCH_BENCH_UTIL_H_
#define JIANYAN_TESTS_BENCH_BENCH_UTIL_H_

#include <cstdio>
#include <string>

namespace jianyan::bench {

// Prints the TARGET line; `op` is "<=" or ">=". Returns whether it passed.
inline bool ReportTarget(const std::string& name, double measured,
                         const std::string& op, double goal) {
  bool pass = (op == "<=") ? measured <= goal : measured >= goal;
  std::printf("TARGET %s measured=%.4g goal=%s%.4g %s\n", name.c_str(),
              measured, op.c_str(), goal, pass ? "PASS" : "MISS");
  std::fflush(stdout);
  return pass;
}

}  // namespace jianyan::bench

#endif  // JIANYAN_TESTS_BENCH_BENCH_UTIL_H_
