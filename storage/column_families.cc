#include "storage/column_families.h"

#include <algorithm>

#include "rocksdb/cache.h"
#include "rocksdb/convenience.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/memtablerep.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"
#include "storage/idempotency_filter.h"
#include "storage/insert_hint_prefix.h"
#include "storage/uint64_add_operator.h"

namespace jianyan::storage {
namespace {

constexpr const char* kNames[kNumCfs] = {
    "cases",       "events",       "idx_state",    "idx_org",
    "idx_point",   "idx_campaign", "idx_deadline", "timers",
    "idempotency", "counters",     "definitions",  "directory",
    "meta",        "idx_list",     "notices",      "idx_matter"};

bool IsPointLookup(Cf cf) {
  switch (cf) {
    case Cf::kCases:
    case Cf::kIdempotency:
    case Cf::kCounters:
    case Cf::kDefinitions:
    case Cf::kDirectory:
    case Cf::kMeta:
      return true;
    default:
      return false;
  }
}

// Ordered strings before the part of the key that grows with time or
// sequence (see insert_hint_prefix.h); counters hint by whole key.
int HintStrings(Cf cf) {
  switch (cf) {
    case Cf::kIdxList:  // the index tag
      return 1;
    case Cf::kCounters:
      return -1;
    default:
      return 0;
  }
}

// Buckets of the idempotency family's hash memtable: about one per record
// a memtable holds (~200 bytes each). The bucket array (8 bytes a bucket)
// comes out of the memtable's own budget, so it stays at ~4 % of it.
size_t IdempotencyBuckets(uint64_t write_buffer_bytes) {
  return static_cast<size_t>(
      std::clamp<uint64_t>(write_buffer_bytes / 200, 1024, 1u << 20));
}

bool Supported(rocksdb::CompressionType type) {
  auto all = rocksdb::GetSupportedCompressions();
  return std::find(all.begin(), all.end(), type) != all.end();
}

}  // namespace

const char* CfName(Cf cf) { return kNames[static_cast<size_t>(cf)]; }

rocksdb::DBOptions MakeDbOptions(const StoreTuning& tuning) {
  rocksdb::DBOptions db;
  db.create_if_missing = true;
  db.create_missing_column_families = true;
  db.max_background_jobs = 2;
  db.bytes_per_sync = 1 << 20;
  // All memtables together: a few column families' worth.
  db.db_write_buffer_size = tuning.write_buffer_bytes * 4;
  db.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  db.keep_log_file_num = 4;
  // Commands reach RocksDB one group at a time (group_commit.h); the
  // idempotency family's hash memtable cannot take concurrent inserts.
  db.allow_concurrent_memtable_write = false;
  if (tuning.env != nullptr) db.env = tuning.env;
  return db;
}

std::vector<rocksdb::ColumnFamilyDescriptor> MakeCfDescriptors(
    const StoreTuning& tuning) {
  std::shared_ptr<rocksdb::Cache> cache =
      rocksdb::NewLRUCache(static_cast<size_t>(tuning.block_cache_bytes));
  bool lz4 = Supported(rocksdb::kLZ4Compression);
  bool zstd = Supported(rocksdb::kZSTD);
  std::vector<rocksdb::ColumnFamilyDescriptor> out;
  for (size_t i = 0; i < kNumCfs; ++i) {
    Cf cf = static_cast<Cf>(i);
    rocksdb::BlockBasedTableOptions table;
    table.block_cache = cache;
    // Index and filter blocks live in the block cache, so the cache bounds
    // them. They are partitioned: a large file's whole index (hundreds of
    // KB at a million cases) would otherwise be evicted by data blocks and
    // read back for every lookup; a partition is one small block, and the
    // top level of each file stays pinned, ahead of data in the cache.
    table.cache_index_and_filter_blocks = true;
    table.cache_index_and_filter_blocks_with_high_priority = true;
    table.pin_l0_filter_and_index_blocks_in_cache = true;
    table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
    table.partition_filters = true;
    table.pin_top_level_index_and_filter = true;
    table.metadata_block_size = 4096;
    table.format_version = 5;
    if (IsPointLookup(cf) || cf == Cf::kIdxMatter) {
      table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    }
    if (cf == Cf::kIdxMatter) {
      // Filters by (identity hash, category) prefix, the only lookup.
      table.whole_key_filtering = false;
    }
    rocksdb::ColumnFamilyOptions opts;
    opts.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    opts.write_buffer_size = tuning.write_buffer_bytes;
    opts.level_compaction_dynamic_level_bytes = true;
    opts.compression = lz4 ? rocksdb::kLZ4Compression : rocksdb::kNoCompression;
    opts.bottommost_compression = zstd ? rocksdb::kZSTD : opts.compression;
    // Flushes write level 0 uncompressed: a flush runs beside the commit
    // path on two cores, and its files live only until the next compaction
    // (which then reads them without decompressing). Every level below
    // keeps `compression` (the last entry stands for every level after
    // it), the last level `bottommost_compression`.
    opts.compression_per_level = {rocksdb::kNoCompression, opts.compression};
    if (IsPointLookup(cf)) {
      // Most lookups of a command miss (a new case, a new request id): a
      // memtable bloom filter answers them without a skiplist search.
      opts.memtable_prefix_bloom_size_ratio = 0.02;
      opts.memtable_whole_key_filtering = true;
    }
    if (cf == Cf::kIdxMatter) {
      // CaseStore::MatterCases scans one (identity hash, category) prefix,
      // and for almost every new petition finds nothing: prefix blooms in
      // the memtable and the tables answer that without a skiplist seek or
      // a block read. Scans of the whole family (Verify, migrations) start
      // at SeekToFirst or set total_order_seek, which no prefix filter
      // applies to.
      opts.prefix_extractor = std::make_shared<InsertHintPrefix>(2);
      opts.memtable_prefix_bloom_size_ratio = 0.02;
    }
    opts.memtable_insert_with_hint_prefix_extractor =
        std::make_shared<InsertHintPrefix>(HintStrings(cf));
    if (cf == Cf::kCounters) {
      opts.merge_operator = std::make_shared<Uint64AddOperator>();
    }
    if (cf == Cf::kIdempotency) {
      // Request ids are random: in a skiplist every insert is a full
      // search. Only point lookups ever read this family, so its memtable
      // is a hash table keyed by the whole key (flushes sort it). An
      // iterator over this family must set total_order_seek: without it
      // the hash memtable and the whole-key prefix filters hide entries.
      opts.prefix_extractor.reset(rocksdb::NewNoopTransform());
      opts.memtable_factory.reset(rocksdb::NewHashLinkListRepFactory(
          IdempotencyBuckets(tuning.write_buffer_bytes)));
      opts.memtable_insert_with_hint_prefix_extractor.reset();
      if (tuning.clock != nullptr) {
        opts.compaction_filter_factory =
            std::make_shared<IdempotencyExpiryFilterFactory>(tuning.clock);
      }
    }
    out.emplace_back(kNames[i], opts);
  }
  return out;
}

}  // namespace jianyan::storage
