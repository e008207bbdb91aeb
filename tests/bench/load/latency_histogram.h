// LatencyHistogram: lock-free latency recording for the load generator.
// Log-linear buckets (32 per power of two: at most ~3 % from the true
// value) over microseconds, so that many threads can record while a
// progress display reads quantiles.
//
// Thread-safety: Record and the readers are safe to call concurrently; a
// reader sees some recent state (relaxed atomics).
#ifndef JIANYAN_TESTS_BENCH_LOAD_LATENCY_HISTOGRAM_H_
#define JIANYAN_TESTS_BENCH_LOAD_LATENCY_HISTOGRAM_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace jianyan::bench {

class LatencyHistogram {
 public:
  LatencyHistogram() = default;
  LatencyHistogram(const LatencyHistogram&) = delete;
  LatencyHistogram& operator=(const LatencyHistogram&) = delete;

  void Record(uint64_t micros);
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  uint64_t max_micros() const { return max_.load(std::memory_order_relaxed); }
  // The q-quantile (0..1) by nearest rank, as the middle of its bucket
  // (never above the maximum); 0 when nothing was recorded.
  double QuantileMicros(double q) const;

 private:
  static constexpr int kSubBits = 5;
  static constexpr int kSub = 1 << kSubBits;
  static constexpr size_t kBuckets = (64 - kSubBits + 1) * kSub;
  static size_t Bucket(uint64_t v);
  static uint64_t Lower(size_t bucket);

  std::array<std::atomic<uint64_t>, kBuckets> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> max_{0};
};

}  // namespace jianyan::bench

#endif  // JIANYAN_TESTS_BENCH_LOAD_LATENCY_HISTOGRAM_H_
