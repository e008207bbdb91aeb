// AtomicHistogram: a fixed-bucket histogram that many threads observe into
// without locks (relaxed atomics), read by a metrics scrape. Buckets are
// cumulative on reading, as the Prometheus format wants them: bucket i
// counts observations <= bounds[i]; the last bucket (+Inf) counts all.
//
// Thread-safety: Observe() and Read() are safe for concurrent use. A Read()
// concurrent with observations may see an observation in its bucket but not
// yet in the sum; the count is derived from the buckets, so it always equals
// the +Inf bucket.
#ifndef JIANYAN_WORKFLOW_ATOMIC_HISTOGRAM_H_
#define JIANYAN_WORKFLOW_ATOMIC_HISTOGRAM_H_

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace jianyan {

class AtomicHistogram {
 public:
  struct Snapshot {
    std::vector<double> bounds;        // upper bounds, ascending (no +Inf)
    std::vector<uint64_t> cumulative;  // bounds.size() + 1 entries; last: +Inf
    double sum = 0;
    uint64_t count() const {
      return cumulative.empty() ? 0 : cumulative.back();
    }
  };

  // `bounds`: finite upper bounds, strictly ascending.
  explicit AtomicHistogram(std::vector<double> bounds)
      : bounds_(std::move(bounds)),
        counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
    for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0);
  }
  AtomicHistogram(const AtomicHistogram&) = delete;
  AtomicHistogram& operator=(const AtomicHistogram&) = delete;

  void Observe(double value) {
    const size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), value) -
                     bounds_.begin();
    counts_[i].fetch_add(1, std::memory_order_relaxed);
    double sum = sum_.load(std::memory_order_relaxed);
    while (!sum_.compare_exchange_weak(sum, sum + value,
                                       std::memory_order_relaxed)) {
    }
  }

  Snapshot Read() const {
    Snapshot s;
    s.bounds = bounds_;
    s.cumulative.resize(bounds_.size() + 1);
    uint64_t total = 0;
    for (size_t i = 0; i <= bounds_.size(); ++i) {
      total += counts_[i].load(std::memory_order_relaxed);
      s.cumulative[i] = total;
    }
    s.sum = sum_.load(std::memory_order_relaxed);
    return s;
  }

  // Bounds start, start*factor, ... (`n` of them), like Prometheus clients'
  // ExponentialBuckets.
  static std::vector<double> Exponential(double start, double factor, int n) {
    std::vector<double> out;
    for (double b = start; n-- > 0; b *= factor) out.push_back(b);
    return out;
  }

 private:
  const std::vector<double> bounds_;
  const std::unique_ptr<std::atomic<uint64_t>[]> counts_;
  std::atomic<double> sum_{0};
};

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_ATOMIC_HISTOGRAM_H_
