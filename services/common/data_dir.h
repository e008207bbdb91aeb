// DataDir: the exclusive hold of a jianyand data directory.
//
// Open() creates the directory if missing, checks that it is a writable
// directory and takes an advisory lock (flock on DIR/jianyand.lock) that is
// released when the DataDir is destroyed or the process dies, SIGKILL
// included. A second process on the same directory fails at once.
#ifndef JIANYAN_SERVICES_COMMON_DATA_DIR_H_
#define JIANYAN_SERVICES_COMMON_DATA_DIR_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace jianyan {

class DataDir {
 public:
  // FAILED_PRECONDITION "data dir X: ..." naming the problem: not a
  // directory, not writable, in use by another process.
  static absl::StatusOr<std::unique_ptr<DataDir>> Open(const std::string& path);
  ~DataDir();
  DataDir(const DataDir&) = delete;
  DataDir& operator=(const DataDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  DataDir(std::string path, int lock_fd)
      : path_(std::move(path)), lock_fd_(lock_fd) {}
  const std::string path_;
  const int lock_fd_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_COMMON_DATA_DIR_H_
