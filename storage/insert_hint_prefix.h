// Memtable insert hints (ColumnFamilyOptions::
// memtable_insert_with_hint_prefix_extractor): the memtable remembers where
// the last key of each prefix went, so a key inserted next to it skips the
// skiplist search. Keys of one index prefix arrive in order in practice (new
// cases carry "now" as their creation time, numbers are allocated in
// sequence, a counter's merge operands sort next to each other), which
// makes most inserts O(1) instead of ~log(n) cache misses. Hints are only
// used by serial memtable inserts, which is what a batch holding counter
// merges gets.
//
// The prefix is the key's version byte followed by its first `strings`
// ordered strings (key_coding.h), or the whole key when `strings` < 0.
// The same transform serves as a family's prefix_extractor (idx_matter's
// prefix bloom filters); its name carries `strings`, so that RocksDB never
// applies a table's prefix filter built with another count.
//
// DeleteRange on a family with this option only from a begin key outside
// the domain (the empty key, as the migrations' DeleteFamily does): RocksDB
// 7.8 keeps one table of insert hints for a memtable's point keys and its
// range tombstones and applies one's hint to the other (facebook/rocksdb#5118,
// fixed upstream in 2024). With a begin key in the domain the next put of
// that prefix corrupts the memtable (Debian's build stops on a skiplist
// assertion); insert_hint_prefix_test refills a family after the empty-key
// range delete.
//
// Thread-safety: immutable after construction.
#ifndef JIANYAN_STORAGE_INSERT_HINT_PREFIX_H_
#define JIANYAN_STORAGE_INSERT_HINT_PREFIX_H_

#include <string>

#include "rocksdb/slice.h"
#include "rocksdb/slice_transform.h"

namespace jianyan::storage {

// Where a range delete of a whole family begins: the empty key, outside
// every InsertHintPrefix's domain (see above).
inline constexpr char kWholeFamilyBegin[] = "";

class InsertHintPrefix : public rocksdb::SliceTransform {
 public:
  explicit InsertHintPrefix(int strings);

  const char* Name() const override { return name_.c_str(); }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override;
  // False for keys without a version byte or with fewer strings than the
  // prefix needs (they are inserted without a hint).
  bool InDomain(const rocksdb::Slice& key) const override;

 private:
  // Length of the prefix of `key`, or 0 when it has none.
  size_t PrefixLength(const rocksdb::Slice& key) const;

  const int strings_;
  const std::string name_;
};

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_INSERT_HINT_PREFIX_H_
