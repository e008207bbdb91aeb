#include "services/common/log.h"

#include <cstdio>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/support/log.h"
#include "workflow/clock.h"

namespace jianyan {

void LogLine(LogLevel level, absl::string_view message) {
  const char tag = level == LogLevel::kInfo      ? 'I'
                   : level == LogLevel::kWarning ? 'W'
                                                 : 'E';
  std::string line =
      absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%E3S%Ez",
                                    Clock::Real().Now(), ChinaTimeZone()),
                   " ", std::string(1, tag), " ", message, "\n");
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

void RouteGrpcLogs() {
  gpr_set_log_function([](gpr_log_func_args* args) {
    LogLevel level = args->severity == GPR_LOG_SEVERITY_ERROR ? LogLevel::kError
                     : args->severity == GPR_LOG_SEVERITY_INFO
                         ? LogLevel::kInfo
                         : LogLevel::kWarning;
    LogLine(level, absl::StrCat("grpc: ", args->message));
  });
}

}  // namespace jianyan
