// The column families of the case store, their names, and the RocksDB
// options chosen for each (schema version 6; see docs/storage.md).
//
// Thread-safety: pure functions.
#ifndef JIANYAN_STORAGE_COLUMN_FAMILIES_H_
#define JIANYAN_STORAGE_COLUMN_FAMILIES_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "workflow/clock.h"

namespace jianyan::storage {

// Index into CaseStore's handle array; also the creation order.
enum class Cf : size_t {
  kCases = 0,
  kEvents,
  // Retired in schema 6 (the ListCases indexes of idx_list answer what they
  // did): opened, since a store's families must all be, and emptied by the
  // migration; nothing writes them, and Verify reports any entry in them.
  kIdxState,
  kIdxOrg,
  kIdxPoint,
  kIdxCampaign,
  kIdxDeadline,
  kTimers,
  kIdempotency,
  kCounters,
  kDefinitions,
  kDirectory,
  kMeta,
  kIdxList,    // schema 3: the ListCases indexes (index_keys.h)
  kNotices,    // schema 4: the supervision notice log (notice_key.h)
  kIdxMatter,  // schema 5: petitions by (identity number, category)
};
inline constexpr size_t kNumCfs = 16;

// The families schema 6 retired (see Cf).
inline constexpr Cf kRetiredCfs[] = {Cf::kIdxState, Cf::kIdxOrg, Cf::kIdxPoint,
                                     Cf::kIdxCampaign, Cf::kIdxDeadline};

// The RocksDB name of `cf` ("cases", "events", "idx_state", ...).
const char* CfName(Cf cf);

struct StoreTuning {
  uint64_t block_cache_bytes = 64ull << 20;
  uint64_t write_buffer_bytes = 32ull << 20;  // per column family
  const Clock* clock = nullptr;               // for the idempotency filter
  rocksdb::Env* env = nullptr;                // null: the default Env
};

// DB-wide options: create if missing, WAL on, bounded memtables.
rocksdb::DBOptions MakeDbOptions(const StoreTuning& tuning);

// Options of every column family, in Cf order. One block cache of
// `block_cache_bytes` is shared by all of them; point-lookup families get
// bloom filters; LZ4 on upper levels and ZSTD at the bottom when the RocksDB
// build supports them.
std::vector<rocksdb::ColumnFamilyDescriptor> MakeCfDescriptors(
    const StoreTuning& tuning);

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_COLUMN_FAMILIES_H_
