// The one logger of Jianyan: single lines on stderr,
//   2026-11-28T08:00:00.123+08:00 I jianyand: listening on 127.0.0.1:7400
// Never pass personal data, query codes or tokens to it.
//
// Thread-safety: safe; each call writes one whole line.
#ifndef JIANYAN_SERVICES_COMMON_LOG_H_
#define JIANYAN_SERVICES_COMMON_LOG_H_

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace jianyan {

enum class LogLevel { kInfo, kWarning, kError };

void LogLine(LogLevel level, absl::string_view message);

// Routes gRPC's own log lines (gpr_log) through LogLine, so the process has
// one log format. Call once at start-up.
void RouteGrpcLogs();

template <typename... Args>
void LogInfo(const Args&... args) {
  LogLine(LogLevel::kInfo, absl::StrCat(args...));
}
template <typename... Args>
void LogWarning(const Args&... args) {
  LogLine(LogLevel::kWarning, absl::StrCat(args...));
}
template <typename... Args>
void LogError(const Args&... args) {
  LogLine(LogLevel::kError, absl::StrCat(args...));
}

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_COMMON_LOG_H_
