#include "services/common/log.h"

#include <atomic>
#include <cstdio>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/support/log.h"
#include "workflow/clock.h"

namespace jianyan {
namespace {

std::atomic<LogLevel> min_level{LogLevel::kInfo};

absl::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "error";
}

bool Enabled(LogLevel level) {
  return static_cast<int>(level) >=
         static_cast<int>(min_level.load(std::memory_order_relaxed));
}

// Writes `{"time":...,"level":...` + `fields` + `}` as one line.
void WriteLine(LogLevel level, absl::string_view fields) {
  std::string line = absl::StrCat(
      "{\"time\":",
      JsonString(absl::FormatTime("%Y-%m-%dT%H:%M:%E3S%Ez", Clock::Real().Now(),
                                  ChinaTimeZone())),
      ",\"level\":\"", LevelName(level), "\"", fields, "}\n");
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

void AddField(std::string* out, absl::string_view name,
              absl::string_view value) {
  if (value.empty()) return;
  absl::StrAppend(out, ",\"", name, "\":", JsonString(value));
}

}  // namespace

absl::StatusOr<LogLevel> ParseLogLevel(absl::string_view name) {
  for (LogLevel level :
       {LogLevel::kInfo, LogLevel::kWarning, LogLevel::kError}) {
    if (name == LevelName(level)) return level;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "log_level: \"", name, "\" is not one of info, warning, error"));
}

void SetLogLevel(LogLevel level) {
  min_level.store(level, std::memory_order_relaxed);
}

std::string JsonString(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (u < 0x20 || u == 0x7f) {
      out += absl::StrFormat("\\u%04x", static_cast<unsigned>(u));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

void LogLine(LogLevel level, absl::string_view message) {
  if (!Enabled(level)) return;
  WriteLine(level, absl::StrCat(",\"msg\":", JsonString(message)));
}

void LogRpc(const RpcLogRecord& record) {
  if (!Enabled(LogLevel::kInfo)) return;
  std::string fields;
  AddField(&fields, "rpc", record.rpc);
  AddField(&fields, "code", record.code);
  absl::StrAppend(
      &fields, ",\"latency_ms\":", absl::StrFormat("%.3f", record.latency_ms));
  AddField(&fields, "principal_id", record.principal_id);
  AddField(&fields, "request_id", record.request_id);
  AddField(&fields, "case_number", record.case_number);
  AddField(&fields, "peer", record.peer);
  WriteLine(LogLevel::kInfo, fields);
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
