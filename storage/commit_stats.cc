#include "storage/commit_stats.h"

namespace jianyan::storage {

CommitStats::CommitStats()
    : group_size({1, 2, 4, 8, 16, 32, 64, 128, 256, 512}),
      wal_sync_seconds(AtomicHistogram::Exponential(0.0001, 2, 16)) {}

void CommitStats::CountCommands(const std::vector<std::string>& actions) {
  if (actions.empty()) return;
  std::vector<std::atomic<uint64_t>*> cells;
  cells.reserve(actions.size());
  bool missing = false;
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const std::string& a : actions) {
      auto it = commands_.find(a);
      if (it == commands_.end()) {
        missing = true;
        break;
      }
      cells.push_back(it->second.get());
    }
  }
  if (missing) {
    absl::MutexLock lock(&mu_);
    cells.clear();
    for (const std::string& a : actions) {
      auto& cell = commands_[a];
      if (cell == nullptr) cell = std::make_unique<std::atomic<uint64_t>>(0);
      cells.push_back(cell.get());
    }
  }
  for (auto* cell : cells) cell->fetch_add(1, std::memory_order_relaxed);
}

std::map<std::string, uint64_t> CommitStats::Commands() const {
  absl::ReaderMutexLock lock(&mu_);
  std::map<std::string, uint64_t> out;
  for (const auto& [action, n] : commands_) {
    out[action] = n->load(std::memory_order_relaxed);
  }
  return out;
}

CommitStats& GlobalCommitStats() {
  static CommitStats* stats = new CommitStats();
  return *stats;
}

}  // namespace jianyan::storage
