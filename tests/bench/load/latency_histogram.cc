#include "tests/bench/load/latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace jianyan::bench {

size_t LatencyHistogram::Bucket(uint64_t v) {
  if (v < kSub) return static_cast<size_t>(v);
  const int e = 63 - __builtin_clzll(v);  // >= kSubBits
  const uint64_t sub = (v >> (e - kSubBits)) & (kSub - 1);
  return static_cast<size_t>(e - kSubBits + 1) * kSub + sub;
}

uint64_t LatencyHistogram::Lower(size_t bucket) {
  if (bucket < kSub) return bucket;
  const int e = static_cast<int>(bucket / kSub) + kSubBits - 1;
  return (kSub + bucket % kSub) << (e - kSubBits);
}

void LatencyHistogram::Record(uint64_t micros) {
  buckets_[Bucket(micros)].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  uint64_t seen = max_.load(std::memory_order_relaxed);
  while (micros > seen &&
         !max_.compare_exchange_weak(seen, micros, std::memory_order_relaxed)) {
  }
}

double LatencyHistogram::QuantileMicros(double q) const {
  uint64_t total = 0;
  for (const auto& b : buckets_) total += b.load(std::memory_order_relaxed);
  if (total == 0) return 0;
  const uint64_t rank = std::max<uint64_t>(
      1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(total))));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i].load(std::memory_order_relaxed);
    if (seen >= rank) {
      const double lower = static_cast<double>(Lower(i));
      const double upper =
          i + 1 < kBuckets ? static_cast<double>(Lower(i + 1)) : lower;
      return std::min((lower + upper) / 2, static_cast<double>(max_micros()));
    }
  }
  return static_cast<double>(max_micros());
}

}  // namespace jianyan::bench
