// The merge operator of the `counters` column family: operands and values
// are uint64 little-endian (8 bytes), merged by wrapping addition. Name()
// is stable ("jianyan.Uint64Add"): it is recorded in the store's OPTIONS.
// A malformed operand fails the merge (RocksDB reports corruption); nothing
// throws.
//
// Thread-safety: stateless, safe for concurrent use.
#ifndef JIANYAN_STORAGE_UINT64_ADD_OPERATOR_H_
#define JIANYAN_STORAGE_UINT64_ADD_OPERATOR_H_

#include <string>

#include "rocksdb/merge_operator.h"

namespace jianyan::storage {

class Uint64AddOperator final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& key, const rocksdb::Slice* existing_value,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger* logger) const override;
  const char* Name() const override { return "jianyan.Uint64Add"; }
};

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_UINT64_ADD_OPERATOR_H_
