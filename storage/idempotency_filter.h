// Compaction filter of the `idempotency` column family: drops records whose
// expire_time has passed by the injected Clock (and records that do not
// parse). Lookups ignore expired records too, so expiry is exact for
// callers and space is reclaimed at the next compaction of the family
// (CaseStore::CompactIdempotency forces one).
//
// Thread-safety: Filter() is called concurrently by compaction threads; it
// only reads the Clock, which is thread-safe.
#ifndef JIANYAN_STORAGE_IDEMPOTENCY_FILTER_H_
#define JIANYAN_STORAGE_IDEMPOTENCY_FILTER_H_

#include <memory>
#include <string>

#include "rocksdb/compaction_filter.h"
#include "workflow/clock.h"

namespace jianyan::storage {

class IdempotencyExpiryFilter final : public rocksdb::CompactionFilter {
 public:
  explicit IdempotencyExpiryFilter(const Clock* clock) : clock_(clock) {}
  bool Filter(int level, const rocksdb::Slice& key,
              const rocksdb::Slice& existing_value, std::string* new_value,
              bool* value_changed) const override;
  const char* Name() const override { return "jianyan.IdempotencyExpiry"; }

 private:
  const Clock* clock_;
};

class IdempotencyExpiryFilterFactory final
    : public rocksdb::CompactionFilterFactory {
 public:
  explicit IdempotencyExpiryFilterFactory(const Clock* clock) : clock_(clock) {}
  std::unique_ptr<rocksdb::CompactionFilter> CreateCompactionFilter(
      const rocksdb::CompactionFilter::Context& /*context*/) override {
    return std::make_unique<IdempotencyExpiryFilter>(clock_);
  }
  const char* Name() const override {
    return "jianyan.IdempotencyExpiryFactory";
  }

 private:
  const Clock* clock_;
};

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_IDEMPOTENCY_FILTER_H_
