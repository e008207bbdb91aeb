// What /proc says of a process: CPU seconds used so far (user + system)
// and its resident set now and at its peak (VmRSS, VmHWM).
#ifndef JIANYAN_TESTS_BENCH_LOAD_PROC_STATS_H_
#define JIANYAN_TESTS_BENCH_LOAD_PROC_STATS_H_

#include <sys/types.h>

#include "absl/status/statusor.h"

namespace jianyan::bench {

struct ProcStats {
  double cpu_seconds = 0;
  double rss_mb = 0;
  double peak_rss_mb = 0;
};

// NOT_FOUND when the process is gone or /proc cannot be read.
absl::StatusOr<ProcStats> ReadProcStats(pid_t pid);

}  // namespace jianyan::bench

#endif  // JIANYAN_TESTS_BENCH_LOAD_PROC_STATS_H_
