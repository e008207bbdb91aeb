#include "services/jianyand/testing_clock_state.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace jianyan {
namespace {

absl::Status FileError(const std::string& path, absl::string_view what) {
  return absl::InternalError(
      absl::StrCat(path, ": ", what, ": ", std::strerror(errno)));
}

absl::Status SyncFd(int fd, const std::string& path) {
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? absl::OkStatus() : FileError(path, "cannot fsync");
}

}  // namespace

absl::StatusOr<absl::Duration> LoadTestingOffset(const std::string& data_dir) {
  const std::string path = absl::StrCat(data_dir, "/", kTestingClockFile);
  std::ifstream in(path);
  if (!in) return absl::ZeroDuration();
  std::stringstream text;
  text << in.rdbuf();
  int64_t micros = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(text.str()), &micros) ||
      micros < 0) {
    return absl::DataLossError(
        absl::StrCat(path, ": not a testing clock offset"));
  }
  return absl::Microseconds(micros);
}

absl::Status SaveTestingOffset(const std::string& data_dir,
                               absl::Duration offset) {
  const std::string path = absl::StrCat(data_dir, "/", kTestingClockFile);
  const std::string temp = path + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return FileError(temp, "cannot create");
  const std::string line =
      absl::StrCat(absl::ToInt64Microseconds(offset), "\n");
  if (::write(fd, line.data(), line.size()) !=
      static_cast<ssize_t>(line.size())) {
    absl::Status s = FileError(temp, "cannot write");
    ::close(fd);
    return s;
  }
  if (absl::Status s = SyncFd(fd, temp); !s.ok()) return s;
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    return FileError(path, "cannot rename");
  }
  int dir = ::open(data_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return FileError(data_dir, "cannot open");
  return SyncFd(dir, data_dir);
}

}  // namespace jianyan
