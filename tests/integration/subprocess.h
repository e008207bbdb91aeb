// Subprocess: a real child process for integration tests, with its stdout
// and stderr captured. Waits are bounded by a timeout and end as soon as the
// awaited output or exit happens (no sleeping for a fixed time).
#ifndef JIANYAN_TESTS_INTEGRATION_SUBPROCESS_H_
#define JIANYAN_TESTS_INTEGRATION_SUBPROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace jianyan::testing {

class Subprocess {
 public:
  // Starts argv[0] with argv. INTERNAL when fork/exec fails.
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(
      const std::vector<std::string>& argv);
  // Kills the child (SIGKILL) if still running and reaps it.
  ~Subprocess();

  // The rest of the first stdout line starting with `prefix`, or
  // DEADLINE_EXCEEDED / FAILED_PRECONDITION (child exited) with the stderr
  // captured so far in the message.
  absl::StatusOr<std::string> WaitForLine(absl::string_view prefix,
                                          absl::Duration timeout);
  void Signal(int signal_number);
  // The exit code (or 128 + signal), DEADLINE_EXCEEDED if still running.
  absl::StatusOr<int> Wait(absl::Duration timeout);
  // True while the child has not exited.
  bool Running();

  pid_t pid() const { return pid_; }
  const std::string& stdout_text() const { return out_; }
  const std::string& stderr_text() const { return err_; }

 private:
  Subprocess(pid_t pid, int out_fd, int err_fd)
      : pid_(pid), out_fd_(out_fd), err_fd_(err_fd) {}
  // Reads what is available on the pipes, waiting at most `timeout`.
  void Pump(absl::Duration timeout);
  bool Reap(bool block);

  pid_t pid_;
  int out_fd_;
  int err_fd_;
  bool exited_ = false;
  int exit_code_ = -1;
  std::string out_;
  std::string err_;
  size_t scanned_ = 0;
};

}  // namespace jianyan::testing

#endif  // JIANYAN_TESTS_INTEGRATION_SUBPROCESS_H_
