#include "tests/integration/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace jianyan::testing {

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(
    const std::vector<std::string>& argv) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) return absl::InternalError("pipe");
  if (pipe2(err, O_CLOEXEC) != 0) return absl::InternalError("pipe");
  // jianyand logs a line per RPC: pipes of 1 MiB (Linux's default
  // pipe-max-size) let a test make thousands of calls between two reads of
  // the output without the child blocking on a full pipe.
  for (int fd : {out[0], err[0]}) fcntl(fd, F_SETPIPE_SZ, 1 << 20);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork");
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  return std::unique_ptr<Subprocess>(new Subprocess(pid, out[0], err[0]));
}

Subprocess::~Subprocess() {
  if (!exited_) {
    kill(pid_, SIGKILL);
    Reap(/*block=*/true);
  }
  close(out_fd_);
  close(err_fd_);
}

void Subprocess::Pump(absl::Duration timeout) {
  pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
  int ms = static_cast<int>(absl::ToInt64Milliseconds(timeout));
  if (poll(fds, 2, ms) <= 0) return;
  char buf[4096];
  for (int i = 0; i < 2; ++i) {
    if (fds[i].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) (i == 0 ? out_ : err_).append(buf, static_cast<size_t>(n));
    }
  }
}

bool Subprocess::Reap(bool block) {
  if (exited_) return true;
  int status = 0;
  pid_t r = waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (r != pid_) return false;
  exited_ = true;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

absl::StatusOr<std::string> Subprocess::WaitForLine(absl::string_view prefix,
                                                    absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    size_t nl;
    while ((nl = out_.find('\n', scanned_)) != std::string::npos) {
      absl::string_view line(out_.data() + scanned_, nl - scanned_);
      scanned_ = nl + 1;
      if (absl::StartsWith(line, prefix)) {
        return std::string(line.substr(prefix.size()));
      }
    }
    if (Reap(false)) {
      Pump(absl::ZeroDuration());
      return absl::FailedPreconditionError(
          absl::StrCat("child exited with ", exit_code_, "; stderr: ", err_));
    }
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat("stderr: ", err_));
    }
    Pump(absl::Milliseconds(50));
  }
}

void Subprocess::Signal(int signal_number) {
  if (!exited_) kill(pid_, signal_number);
}

absl::StatusOr<int> Subprocess::Wait(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!Reap(false)) {
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError("child still running");
    }
    Pump(absl::Milliseconds(20));
  }
  // Collect what the child wrote before it exited.
  for (int i = 0; i < 8; ++i) Pump(absl::ZeroDuration());
  return exit_code_;
}

bool Subprocess::Running() { return !Reap(false); }

}  // namespace jianyan::testing
