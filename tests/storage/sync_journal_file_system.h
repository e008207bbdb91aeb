// SyncJournalFileSystem: the default FileSystem, recording in a journal file
// which WAL files (*.log) were created and how many bytes of each were
// synced. The journal is written with plain write(2) calls, so it survives
// SIGKILL. After killing a writer, PowerLoss() cuts every WAL created under
// the journal back to its last synced size: what an OS crash or power loss
// would have left, the page cache gone. For crash tests of the store.
#ifndef JIANYAN_TESTS_STORAGE_SYNC_JOURNAL_FILE_SYSTEM_H_
#define JIANYAN_TESTS_STORAGE_SYNC_JOURNAL_FILE_SYSTEM_H_

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/file_system.h"

namespace jianyan::storage::testing {

class SyncJournalFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  // Appends to `journal` (created if absent).
  explicit SyncJournalFileSystem(const std::string& journal)
      : FileSystemWrapper(rocksdb::FileSystem::Default()),
        fd_(::open(journal.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
                   0644)) {}
  ~SyncJournalFileSystem() override {
    if (fd_ >= 0) ::close(fd_);
  }
  const char* Name() const override { return "SyncJournal"; }

  rocksdb::IOStatus NewWritableFile(const std::string& fname,
                                    const rocksdb::FileOptions& opts,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r,
                                    rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewWritableFile(fname, opts, r, dbg);
    if (s.ok() && absl::EndsWith(fname, ".log")) {
      Record(absl::StrCat("NEW ", fname, "\n"));
      *r = std::make_unique<JournaledFile>(std::move(*r), this, fname);
    }
    return s;
  }

  // Cuts each WAL created under `journal` to its last synced size (0 when
  // never synced). Returns an error naming the file that could not be cut.
  static absl::Status PowerLoss(const std::string& journal) {
    std::ifstream in(journal);
    std::map<std::string, uint64_t> synced;
    std::string word, name;
    while (in >> word >> name) {
      if (word == "NEW") {
        synced[name] = 0;
      } else {
        uint64_t size = 0;
        in >> size;
        synced[name] = size;
      }
    }
    for (const auto& [file, size] : synced) {
      if (::access(file.c_str(), F_OK) != 0) continue;  // deleted since
      if (::truncate(file.c_str(), static_cast<off_t>(size)) != 0) {
        return absl::InternalError(absl::StrCat("cannot truncate ", file));
      }
    }
    return absl::OkStatus();
  }

 private:
  class JournaledFile final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    JournaledFile(std::unique_ptr<rocksdb::FSWritableFile> f,
                  SyncJournalFileSystem* fs, std::string name)
        : FSWritableFileOwnerWrapper(std::move(f)),
          fs_(fs),
          name_(std::move(name)) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data,
                             const rocksdb::IOOptions& o,
                             rocksdb::IODebugContext* dbg) override {
      rocksdb::IOStatus s = target()->Append(data, o, dbg);
      if (s.ok()) written_ += data.size();
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
      return Synced(target()->Sync(o, dbg));
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& o,
                            rocksdb::IODebugContext* dbg) override {
      return Synced(target()->Fsync(o, dbg));
    }

   private:
    rocksdb::IOStatus Synced(rocksdb::IOStatus s) {
      if (s.ok())
        fs_->Record(absl::StrCat("SYNC ", name_, " ", written_.load(), "\n"));
      return s;
    }
    SyncJournalFileSystem* fs_;
    const std::string name_;
    std::atomic<uint64_t> written_{0};
  };

  void Record(const std::string& line) {
    if (fd_ >= 0) (void)!::write(fd_, line.data(), line.size());
  }

  const int fd_;
};

}  // namespace jianyan::storage::testing

#endif  // JIANYAN_TESTS_STORAGE_SYNC_JOURNAL_FILE_SYSTEM_H_
