#include "services/common/log.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/support/log.h"
#include "services/common/log_format.h"
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

// Where every line goes: stderr, in the order of the calls that made them.
// The access log's lines may wait in `buffer` while an AccessLogBuffer
// exists; whoever writes takes them out first, under `write_mu`.
struct Sink {
  absl::Mutex write_mu;
  absl::Mutex buffer_mu ABSL_ACQUIRED_AFTER(write_mu);
  std::string buffer ABSL_GUARDED_BY(buffer_mu);
  bool buffering ABSL_GUARDED_BY(buffer_mu) = false;
};

Sink& TheSink() {
  static Sink* const sink = new Sink;
  return *sink;
}

// Past this, the line's caller writes the buffer itself.
constexpr size_t kBufferLimit = 64 << 10;

// Writes the buffered lines, then `line` (which may be empty).
void WriteNow(absl::string_view line) {
  Sink& sink = TheSink();
  absl::MutexLock write(&sink.write_mu);
  std::string pending;
  {
    absl::MutexLock lock(&sink.buffer_mu);
    pending.swap(sink.buffer);
  }
  pending.append(line.data(), line.size());
  if (pending.empty()) return;
  std::fwrite(pending.data(), 1, pending.size(), stderr);
  std::fflush(stderr);
  pending.clear();
  absl::MutexLock lock(&sink.buffer_mu);
  if (sink.buffer.empty()) sink.buffer.swap(pending);  // keeps the capacity
}

// Buffers `line` while an AccessLogBuffer exists and the buffer has room;
// writes it now otherwise.
void WriteOrBuffer(absl::string_view line) {
  Sink& sink = TheSink();
  {
    absl::MutexLock lock(&sink.buffer_mu);
    if (sink.buffering && sink.buffer.size() < kBufferLimit) {
      sink.buffer.append(line.data(), line.size());
      return;
    }
  }
  WriteNow(line);
}

// `{"time":...,"level":...` into `line`, which the caller completes with
// its fields and LineEnd.
void LineStart(LogLevel level, std::string* line) {
  line->append("{\"time\":");
  AppendLogTime(line, Clock::Real().Now());
  line->append(",\"level\":\"");
  const absl::string_view name = LevelName(level);
  line->append(name.data(), name.size());
  line->push_back('"');
}

void LineEnd(std::string* line) { line->append("}\n"); }

void AddField(std::string* out, absl::string_view name,
              absl::string_view value) {
  if (value.empty()) return;
  out->append(",\"");
  out->append(name.data(), name.size());
  out->append("\":");
  AppendJsonString(out, value);
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
  std::string out;
  AppendJsonString(&out, text);
  return out;
}

void LogLine(LogLevel level, absl::string_view message) {
  if (!Enabled(level)) return;
  std::string line;
  LineStart(level, &line);
  line.append(",\"msg\":");
  AppendJsonString(&line, message);
  LineEnd(&line);
  WriteNow(line);
}

void LogRpc(const RpcLogRecord& record) {
  if (!Enabled(LogLevel::kInfo)) return;
  std::string line;
  line.reserve(256);
  LineStart(LogLevel::kInfo, &line);
  AddField(&line, "rpc", record.rpc);
  AddField(&line, "code", record.code);
  line.append(",\"latency_ms\":");
  AppendMilliseconds(&line, record.latency_ms);
  AddField(&line, "principal_id", record.principal_id);
  AddField(&line, "request_id", record.request_id);
  AddField(&line, "case_number", record.case_number);
  AddField(&line, "peer", record.peer);
  LineEnd(&line);
  WriteOrBuffer(line);
}

AccessLogBuffer::AccessLogBuffer(absl::Duration interval) {
  {
    Sink& sink = TheSink();
    absl::MutexLock lock(&sink.buffer_mu);
    sink.buffering = true;
  }
  // The thread takes no signal: it inherits a full mask, so a daemon's
  // stop signals still reach only the thread that sigwait()s for them.
  sigset_t all, before;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &before);
  thread_ = std::thread([this, interval] { Run(interval); });
  pthread_sigmask(SIG_SETMASK, &before, nullptr);
}

AccessLogBuffer::~AccessLogBuffer() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
  {
    Sink& sink = TheSink();
    absl::MutexLock lock(&sink.buffer_mu);
    sink.buffering = false;
  }
  WriteNow("");
}

void AccessLogBuffer::Run(absl::Duration interval) {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stop_), interval)) return;
    }
    WriteNow("");
  }
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
