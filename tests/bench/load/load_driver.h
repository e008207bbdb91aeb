// LoadRun: drives one jianyand (or the baseline server) with a scenario at
// a fixed number of outstanding calls, on gRPC's callback client API: each
// of `outstanding` workers has one call in flight and starts its next one
// from the completion of the last, so no thread waits per call.
//
// Scenarios (each call is one RPC, timed alone):
//   submit     IntakeService.SubmitCase as the terminal: petitions and
//              suggestions of realistic size (load_requests.h);
//   lifecycle  per case: submit (terminal), accept, respond, deliver
//              (handler, WorkflowService.Act, answered in `act_view`), rate
//              (FeedbackService with the receipt's number and query code);
//   status     FeedbackService.GetPublicStatus by number and query code, over
//              cases submitted before the timed part (Prepare);
//   console    ListOverdue, GetStats, ListCases by organisation (supervisor);
//   mixed      a day's shape: 8 in 10 status reads, 1 a submission, 1 the
//              worker's next lifecycle step.
//
// Thread-safety: Run once per LoadRun; Snapshot may be called from another
// thread while it runs.
#ifndef JIANYAN_TESTS_BENCH_LOAD_LOAD_DRIVER_H_
#define JIANYAN_TESTS_BENCH_LOAD_LOAD_DRIVER_H_

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "tests/bench/load/latency_histogram.h"
#include "tests/bench/load/load_requests.h"

namespace jianyan::bench {

enum class Scenario { kSubmit, kLifecycle, kStatus, kConsole, kMixed };

// INVALID_ARGUMENT naming the accepted names for anything else.
absl::StatusOr<Scenario> ParseScenario(absl::string_view name);
const char* ScenarioName(Scenario scenario);

// Bearer tokens by role; "" sends no token (the baseline ignores them).
struct Tokens {
  std::string terminal;
  std::string handler;
  std::string supervisor;
};

// Reads a token file: either jianyand --demo's demo-tokens.txt (lines of
// name TAB principal TAB token; '#' comments), taking the tokens named
// "terminal", `handler_name` and "supervisor", or a file holding a single
// token, used for every role.
absl::StatusOr<Tokens> ReadTokenFile(const std::string& path,
                                     const std::string& handler_name);

struct LoadOptions {
  Scenario scenario = Scenario::kSubmit;
  int outstanding = 64;
  absl::Duration duration = absl::Seconds(10);
  int64_t count = 0;  // > 0: stop after this many calls instead
  Tokens tokens;
  Directory directory;
  std::string tag = "load";  // request id prefix; unique per run
  uint64_t seed = 1;
  int status_cases = 256;  // submitted by Prepare for status and mixed
  // What the lifecycle's Act answers carry: the handler's terminal already
  // shows the case, so by default only what the command changed.
  jianyan::v1::CaseView act_view = jianyan::v1::CASE_VIEW_BASIC;
  absl::Duration call_timeout = absl::Seconds(30);
};

struct LoadSnapshot {
  double seconds = 0;
  uint64_t calls = 0;  // finished
  uint64_t ok = 0;
  std::map<std::string, uint64_t> errors;  // by code name
  double p50_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0;
  double per_second() const { return seconds > 0 ? calls / seconds : 0; }
};

class LoadRun {
 public:
  LoadRun(std::shared_ptr<grpc::Channel> channel, LoadOptions options);
  ~LoadRun();
  LoadRun(const LoadRun&) = delete;
  LoadRun& operator=(const LoadRun&) = delete;

  // Untimed set-up: the cases the status and mixed scenarios read. Fails
  // with the first error of a submission.
  absl::Status Prepare();
  // Runs the scenario to its duration or count; returns the final figures.
  LoadSnapshot Run();
  // The figures so far (for a progress display).
  LoadSnapshot Snapshot() const;

  class Worker;

 private:
  friend class Worker;
  struct Stubs;

  // Called by workers before each call: false once the run is over.
  bool Admit();
  void Record(absl::Duration latency, int code);
  void WorkerFinished();
  // A case to read, chosen at random by the caller's generator.
  const std::pair<std::string, std::string>& ReadTarget(uint64_t random) const;

  const LoadOptions options_;
  std::unique_ptr<Stubs> stubs_;
  std::vector<std::unique_ptr<Worker>> workers_;
  // (case number, query code) pairs; fixed once Run starts.
  std::vector<std::pair<std::string, std::string>> read_targets_;

  LatencyHistogram latency_;
  std::atomic<uint64_t> issued_{0};
  std::atomic<uint64_t> ok_{0};
  std::array<std::atomic<uint64_t>, 17> by_code_{};
  // When Run started, in Unix microseconds: read by Snapshot from another
  // thread while Run sets it.
  std::atomic<int64_t> start_micros_{0};
  absl::Time start() const {
    return absl::FromUnixMicros(start_micros_.load(std::memory_order_acquire));
  }
  absl::Time end_ = absl::InfiniteFuture();
  std::atomic<int64_t> finished_at_micros_{0};

  std::mutex mu_;
  std::condition_variable all_done_;
  int running_ = 0;
};

}  // namespace jianyan::bench

#endif  // JIANYAN_TESTS_BENCH_LOAD_LOAD_DRIVER_H_
