#include "tests/bench/load/proc_stats.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace jianyan::bench {

absl::StatusOr<ProcStats> ReadProcStats(pid_t pid) {
  const std::string dir = absl::StrCat("/proc/", pid);
  std::ifstream stat(dir + "/stat");
  std::ifstream status(dir + "/status");
  std::string line;
  if (!stat || !std::getline(stat, line)) {
    return absl::NotFoundError(absl::StrCat("cannot read ", dir, "/stat"));
  }
  // The command name may hold spaces: fields count from after its ')'.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) {
    return absl::NotFoundError(absl::StrCat("malformed ", dir, "/stat"));
  }
  std::vector<std::string> fields =
      absl::StrSplit(line.substr(close + 2), ' ', absl::SkipEmpty());
  // utime and stime: fields 14 and 15 of stat(5), 12 and 13 from here.
  double utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtod(fields[11], &utime) ||
      !absl::SimpleAtod(fields[12], &stime)) {
    return absl::NotFoundError(absl::StrCat("malformed ", dir, "/stat"));
  }
  ProcStats out;
  out.cpu_seconds = (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  while (std::getline(status, line)) {
    absl::string_view l = line;
    double* target = nullptr;
    if (absl::ConsumePrefix(&l, "VmRSS:")) target = &out.rss_mb;
    if (absl::ConsumePrefix(&l, "VmHWM:")) target = &out.peak_rss_mb;
    if (target == nullptr) continue;
    double kb = 0;
    absl::ConsumeSuffix(&l, "kB");
    if (absl::SimpleAtod(absl::StripAsciiWhitespace(l), &kb)) {
      *target = kb / 1024;
    }
  }
  return out;
}

}  // namespace jianyan::bench
