// Fault-injecting FileSystems for the store's tests (real RocksDB, no mocks):
//   - ReadFaultFileSystem: once armed, every read of a table file (*.sst)
//     fails with an IOError, like a disk returning read errors.
//   - SyncGateFileSystem: counts the bytes appended to and synced of WAL
//     files (*.log), and can hold WAL syncs at a gate.
#ifndef JIANYAN_TESTS_STORAGE_FAULT_FILE_SYSTEMS_H_
#define JIANYAN_TESTS_STORAGE_FAULT_FILE_SYSTEMS_H_

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/notification.h"
#include "rocksdb/file_system.h"

namespace jianyan::storage::testing {

class ReadFaultFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  ReadFaultFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "ReadFault"; }

  // Armed: reads fail; of the files whose names end with one of `only`
  // when it is not empty (e.g. the table files of one column family).
  void Arm(bool armed, std::vector<std::string> only = {}) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      only_ = std::move(only);
    }
    armed_ = armed;
  }
  // Reads failed so far.
  int failed() const { return failed_.load(); }

  rocksdb::IOStatus NewRandomAccessFile(
      const std::string& fname, const rocksdb::FileOptions& opts,
      std::unique_ptr<rocksdb::FSRandomAccessFile>* r,
      rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewRandomAccessFile(fname, opts, r, dbg);
    if (s.ok() && absl::EndsWith(fname, ".sst")) {
      *r = std::make_unique<FaultyFile>(std::move(*r), this, fname);
    }
    return s;
  }

 private:
  class FaultyFile final : public rocksdb::FSRandomAccessFileOwnerWrapper {
   public:
    FaultyFile(std::unique_ptr<rocksdb::FSRandomAccessFile> f,
               ReadFaultFileSystem* fs, std::string name)
        : FSRandomAccessFileOwnerWrapper(std::move(f)),
          fs_(fs),
          name_(std::move(name)) {}
    rocksdb::IOStatus Read(uint64_t offset, size_t n,
                           const rocksdb::IOOptions& o, rocksdb::Slice* result,
                           char* scratch,
                           rocksdb::IODebugContext* dbg) const override {
      if (fs_->Fail(name_)) return rocksdb::IOStatus::IOError("injected read");
      return target()->Read(offset, n, o, result, scratch, dbg);
    }
    rocksdb::IOStatus MultiRead(rocksdb::FSReadRequest* reqs, size_t num_reqs,
                                const rocksdb::IOOptions& o,
                                rocksdb::IODebugContext* dbg) override {
      if (fs_->Fail(name_)) {
        for (size_t i = 0; i < num_reqs; ++i) {
          reqs[i].status = rocksdb::IOStatus::IOError("injected read");
        }
        return rocksdb::IOStatus::IOError("injected read");
      }
      return target()->MultiRead(reqs, num_reqs, o, dbg);
    }

   private:
    ReadFaultFileSystem* fs_;
    const std::string name_;
  };

  bool Fail(const std::string& name) {
    if (!armed_.load()) return false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!only_.empty() &&
          std::none_of(only_.begin(), only_.end(), [&](const std::string& o) {
            return absl::EndsWith(name, o);
          })) {
        return false;
      }
    }
    failed_.fetch_add(1);
    return true;
  }

  std::mutex mu_;
  std::vector<std::string> only_;  // guarded by mu_
  std::atomic<bool> armed_{false};
  std::atomic<int> failed_{0};
};

class SyncGateFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  SyncGateFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "SyncGate"; }

  // WAL bytes appended and synced so far, over all WAL files.
  uint64_t appended() const { return appended_.load(); }
  uint64_t synced() const { return synced_.load(); }

  // The next WAL sync notifies `entered` and waits for `release` before
  // syncing (both outlive the sync).
  void HoldNextSync(absl::Notification* entered, absl::Notification* release) {
    release_ = release;
    entered_.store(entered);
  }

  rocksdb::IOStatus NewWritableFile(const std::string& fname,
                                    const rocksdb::FileOptions& opts,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r,
                                    rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewWritableFile(fname, opts, r, dbg);
    if (s.ok() && absl::EndsWith(fname, ".log")) {
      *r = std::make_unique<CountedFile>(std::move(*r), this);
    }
    return s;
  }

 private:
  class CountedFile final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    CountedFile(std::unique_ptr<rocksdb::FSWritableFile> f,
                SyncGateFileSystem* fs)
        : FSWritableFileOwnerWrapper(std::move(f)), fs_(fs) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data,
                             const rocksdb::IOOptions& o,
                             rocksdb::IODebugContext* dbg) override {
      rocksdb::IOStatus s = target()->Append(data, o, dbg);
      if (s.ok()) {
        written_ += data.size();
        fs_->appended_.fetch_add(data.size());
      }
      return s;
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data,
                             const rocksdb::IOOptions& o,
                             const rocksdb::DataVerificationInfo& /*info*/,
                             rocksdb::IODebugContext* dbg) override {
      return Append(data, o, dbg);
    }
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& o,
                           rocksdb::IODebugContext* dbg) override {
      fs_->Gate();
      return Synced(target()->Sync(o, dbg));
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& o,
                            rocksdb::IODebugContext* dbg) override {
      fs_->Gate();
      return Synced(target()->Fsync(o, dbg));
    }

   private:
    rocksdb::IOStatus Synced(rocksdb::IOStatus s) {
      if (s.ok()) {
        const uint64_t now = written_.load();
        fs_->synced_.fetch_add(now - synced_here_.exchange(now));
      }
      return s;
    }
    SyncGateFileSystem* fs_;
    std::atomic<uint64_t> written_{0};
    std::atomic<uint64_t> synced_here_{0};
  };

  void Gate() {
    absl::Notification* entered = entered_.exchange(nullptr);
    if (entered == nullptr) return;
    entered->Notify();
    release_->WaitForNotification();
  }

  std::atomic<uint64_t> appended_{0};
  std::atomic<uint64_t> synced_{0};
  std::atomic<absl::Notification*> entered_{nullptr};
  absl::Notification* release_ = nullptr;
};

}  // namespace jianyan::storage::testing

#endif  // JIANYAN_TESTS_STORAGE_FAULT_FILE_SYSTEMS_H_
