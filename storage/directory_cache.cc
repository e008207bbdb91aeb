#include "storage/directory_cache.h"

#include <utility>

namespace jianyan::storage {

std::optional<std::string> DirectoryCache::Find(const std::string& key) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = bytes_.find(key);
  if (it == bytes_.end()) return std::nullopt;
  return it->second;
}

uint64_t DirectoryCache::Generation() const {
  absl::ReaderMutexLock lock(&mu_);
  return generation_;
}

void DirectoryCache::Fill(const std::string& key, std::string bytes,
                          uint64_t generation) {
  absl::MutexLock lock(&mu_);
  if (generation != generation_) return;  // a write came in between
  if (bytes_.size() >= max_entries_) bytes_.clear();
  bytes_[key] = std::move(bytes);
}

void DirectoryCache::Invalidate(const std::string& key) {
  absl::MutexLock lock(&mu_);
  ++generation_;
  bytes_.erase(key);
}

}  // namespace jianyan::storage
