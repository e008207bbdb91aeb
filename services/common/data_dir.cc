#include "services/common/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace jianyan {
namespace {

absl::Status Problem(const std::string& path, absl::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat("data dir ", path, ": ", what));
}

}  // namespace

absl::StatusOr<std::unique_ptr<DataDir>> DataDir::Open(
    const std::string& path) {
  if (path.empty()) return Problem(path, "empty path");
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return Problem(path, std::strerror(errno));
    if (::mkdir(path.c_str(), 0750) != 0) {
      return Problem(path,
                     absl::StrCat("cannot create: ", std::strerror(errno)));
    }
  } else if (!S_ISDIR(st.st_mode)) {
    return Problem(path, "exists and is not a directory");
  }
  std::string lock_path = path + "/jianyand.lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    return Problem(path, absl::StrCat("not writable: ", std::strerror(errno)));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) return Problem(path, "in use by another process");
    return Problem(path, absl::StrCat("cannot lock: ", std::strerror(err)));
  }
  return std::unique_ptr<DataDir>(new DataDir(path, fd));
}

DataDir::~DataDir() { ::close(lock_fd_); }

}  // namespace jianyan
