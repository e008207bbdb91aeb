// Registry: the metrics of one process, written out as one Prometheus text
// exposition (exposition.h) per scrape.
//
// Two kinds of metric:
//   - families of cells that code updates as things happen: counters and
//     histograms with fixed label names (CounterFamily, HistogramFamily).
//     A cell is created on first use of its label values and lives as long
//     as the registry; updating one is a relaxed atomic add. Label values
//     must come from small fixed sets (method names, status codes, action
//     names), never from requests.
//   - collectors: functions called at scrape time that write whole
//     families themselves (gauges read from the store, RocksDB properties).
//
// Thread-safety: all methods are safe for concurrent use. Families and
// cells are never removed, so references to them stay valid. A collector
// may run on any thread until RemoveCollector() returns.
#ifndef JIANYAN_SERVICES_METRICS_REGISTRY_H_
#define JIANYAN_SERVICES_METRICS_REGISTRY_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/metrics/exposition.h"
#include "workflow/atomic_histogram.h"

namespace jianyan::metrics {

// Label values -> cell, for the family's label names in order.
template <typename Cell>
class CellMap {
 public:
  template <typename... Args>
  Cell& Get(const std::vector<std::string>& values, const Args&... args) {
    {
      absl::ReaderMutexLock lock(&mu_);
      auto it = cells_.find(values);
      if (it != cells_.end()) return *it->second;
    }
    absl::MutexLock lock(&mu_);
    auto& cell = cells_[values];
    if (cell == nullptr) cell = std::make_unique<Cell>(args...);
    return *cell;
  }
  // Calls fn(values, cell) for each cell, in label-value order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [values, cell] : cells_) fn(values, *cell);
  }

 private:
  mutable absl::Mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Cell>> cells_
      ABSL_GUARDED_BY(mu_);
};

class CounterFamily {
 public:
  CounterFamily(std::string name, std::string help,
                std::vector<std::string> label_names)
      : name_(std::move(name)),
        help_(std::move(help)),
        label_names_(std::move(label_names)) {}
  // `values` match the label names in number and order.
  void Add(const std::vector<std::string>& values, uint64_t n = 1) {
    cells_.Get(values).fetch_add(n, std::memory_order_relaxed);
  }
  // The cell of `values`, for callers that update it often.
  std::atomic<uint64_t>& Cell(const std::vector<std::string>& values) {
    return cells_.Get(values);
  }
  void Write(ExpositionWriter& out) const;

 private:
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  CellMap<std::atomic<uint64_t>> cells_;
};

class HistogramFamily {
 public:
  HistogramFamily(std::string name, std::string help,
                  std::vector<std::string> label_names,
                  std::vector<double> bounds)
      : name_(std::move(name)),
        help_(std::move(help)),
        label_names_(std::move(label_names)),
        bounds_(std::move(bounds)) {}
  AtomicHistogram& Cell(const std::vector<std::string>& values) {
    return cells_.Get(values, bounds_);
  }
  void Write(ExpositionWriter& out) const;

 private:
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const std::vector<double> bounds_;
  CellMap<AtomicHistogram> cells_;
};

// Zips label names with values.
Labels ZipLabels(const std::vector<std::string>& names,
                 const std::vector<std::string>& values);

class Registry {
 public:
  using Collector = std::function<void(ExpositionWriter&)>;

  // The family `name` (created on first call; later calls with the same
  // name return it and must pass the same help and labels).
  CounterFamily& Counter(const std::string& name, const std::string& help,
                         const std::vector<std::string>& label_names);
  HistogramFamily& Histogram(const std::string& name, const std::string& help,
                             const std::vector<std::string>& label_names,
                             const std::vector<double>& bounds);

  // Adds a collector; returns its id for RemoveCollector.
  int AddCollector(Collector collector);
  // Removes it; waits for a scrape that is running it.
  void RemoveCollector(int id);

  // The exposition text: the families in name order, then the collectors'
  // output in the order they were added.
  std::string Scrape() const;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<CounterFamily>> counters_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::unique_ptr<HistogramFamily>> histograms_
      ABSL_GUARDED_BY(mu_);
  std::map<int, Collector> collectors_ ABSL_GUARDED_BY(mu_);
  int next_collector_ ABSL_GUARDED_BY(mu_) = 0;
};

// The process's registry (never destroyed).
Registry& DefaultRegistry();

}  // namespace jianyan::metrics

#endif  // JIANYAN_SERVICES_METRICS_REGISTRY_H_
