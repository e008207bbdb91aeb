// DirectoryCache: the stored bytes of directory records (organisations,
// reporting points, categories, regions, campaigns, principals, ...) that
// CaseStore has read, so a command's checks read each record from memory
// instead of RocksDB. These records change rarely and only through
// CaseStore's own puts, which call Invalidate once the write is done.
//
// A read that raced a write never fills the cache with what it read before
// that write: readers take Generation() before reading the store and Fill
// with it; every Invalidate moves the generation on, and Fill drops bytes
// read under an older one. Absent records are not cached. At `max_entries`
// the cache starts over (a guard: a directory holds thousands of records).
//
// Thread-safety: safe for concurrent use.
#ifndef JIANYAN_STORAGE_DIRECTORY_CACHE_H_
#define JIANYAN_STORAGE_DIRECTORY_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace jianyan::storage {

class DirectoryCache {
 public:
  explicit DirectoryCache(size_t max_entries = 16384)
      : max_entries_(max_entries) {}
  DirectoryCache(const DirectoryCache&) = delete;
  DirectoryCache& operator=(const DirectoryCache&) = delete;

  // The bytes cached for `key`, nullopt when there are none.
  std::optional<std::string> Find(const std::string& key) const;
  // The generation to pass to Fill for a store read starting now.
  uint64_t Generation() const;
  // Caches `bytes` for `key`, read from the store after Generation() gave
  // `generation`, unless a write has been invalidated since.
  void Fill(const std::string& key, std::string bytes, uint64_t generation);
  // `key` was just written: forget it, and what reads in progress return.
  void Invalidate(const std::string& key);

 private:
  const size_t max_entries_;
  mutable absl::Mutex mu_;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<std::string, std::string> bytes_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_DIRECTORY_CACHE_H_
