// WalHookFileSystem: the default FileSystem, except that every append to a
// WAL file (*.log) first goes through a hook, which may hold it, tear it or
// fail it. For fault-injection tests of the store (real RocksDB, no mocks).
#ifndef JIANYAN_TESTS_STORAGE_WAL_HOOK_FILE_SYSTEM_H_
#define JIANYAN_TESTS_STORAGE_WAL_HOOK_FILE_SYSTEM_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "rocksdb/file_system.h"

namespace jianyan::storage::testing {

class WalHookFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  // Called for each WAL append with the real file and the data; what it
  // returns is the append's result (call file.Append to let it through).
  using Hook = std::function<rocksdb::IOStatus(
      rocksdb::FSWritableFile& file, const rocksdb::Slice& data,
      const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg)>;

  explicit WalHookFileSystem(Hook hook)
      : FileSystemWrapper(rocksdb::FileSystem::Default()),
        hook_(std::move(hook)) {}
  const char* Name() const override { return "WalHook"; }

  rocksdb::IOStatus NewWritableFile(const std::string& fname,
                                    const rocksdb::FileOptions& opts,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r,
                                    rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewWritableFile(fname, opts, r, dbg);
    if (s.ok() && absl::EndsWith(fname, ".log")) {
      *r = std::make_unique<HookedFile>(std::move(*r), &hook_);
    }
    return s;
  }

 private:
  class HookedFile final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    HookedFile(std::unique_ptr<rocksdb::FSWritableFile> f, const Hook* hook)
        : FSWritableFileOwnerWrapper(std::move(f)), hook_(hook) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data,
                             const rocksdb::IOOptions& o,
                             rocksdb::IODebugContext* dbg) override {
      return (*hook_)(*target(), data, o, dbg);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data,
                             const rocksdb::IOOptions& o,
                             const rocksdb::DataVerificationInfo& /*info*/,
                             rocksdb::IODebugContext* dbg) override {
      return Append(data, o, dbg);
    }

   private:
    const Hook* hook_;
  };

  const Hook hook_;
};

}  // namespace jianyan::storage::testing

#endif  // JIANYAN_TESTS_STORAGE_WAL_HOOK_FILE_SYSTEM_H_
