// The one logger of Jianyan: one JSON object per line on stderr, e.g.
//   {"time":"2026-11-28T08:00:00.123+08:00","level":"info",
//    "msg":"jianyand: serving ..."}
// and, per RPC (LogRpc), the fields of RpcLogRecord instead of "msg".
// Lines below the level set by SetLogLevel (default info) are dropped.
// Never pass personal data, query codes, tokens or free text of cases to it.
//
// Thread-safety: safe; each call writes one whole line.
//
// While an AccessLogBuffer exists, LogRpc's lines collect in memory and are
// written in one write(2) at most its interval later (or sooner, when 64 KiB
// have collected); every other line is written at once, after the buffered
// ones, so the order of lines is the order of calls. Without one, every line
// is written at once.
#ifndef JIANYAN_SERVICES_COMMON_LOG_H_
#define JIANYAN_SERVICES_COMMON_LOG_H_

#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace jianyan {

enum class LogLevel { kInfo, kWarning, kError };

// "info", "warning" or "error"; INVALID_ARGUMENT otherwise.
absl::StatusOr<LogLevel> ParseLogLevel(absl::string_view name);
void SetLogLevel(LogLevel level);

void LogLine(LogLevel level, absl::string_view message);

// What the access log says of one RPC: identifiers only. Empty fields are
// left out of the line.
struct RpcLogRecord {
  std::string rpc;   // "/jianyan.v1.IntakeService/SubmitCase"
  std::string code;  // "OK", "NOT_FOUND", ...
  double latency_ms = 0;
  std::string principal_id;
  std::string request_id;
  std::string case_number;
  std::string peer;  // "ipv4:127.0.0.1:50412"
};
// Logs `record` at info level.
void LogRpc(const RpcLogRecord& record);

// Buffers the access log (LogRpc) of this process while it exists: a
// thread writes the buffered lines every `interval`; the destructor writes
// what is left. A process killed with SIGKILL loses at most `interval` of
// access log lines (never other lines). Its thread blocks every signal. At
// most one exists at a time.
class AccessLogBuffer {
 public:
  explicit AccessLogBuffer(absl::Duration interval);
  ~AccessLogBuffer();
  AccessLogBuffer(const AccessLogBuffer&) = delete;
  AccessLogBuffer& operator=(const AccessLogBuffer&) = delete;

 private:
  void Run(absl::Duration interval);

  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// `text` as a JSON string literal, quotes included (control characters,
// quote and backslash escaped; other bytes as they are).
std::string JsonString(absl::string_view text);

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
