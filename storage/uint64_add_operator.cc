#include "storage/uint64_add_operator.h"

#include <cstdint>

#include "storage/key_coding.h"

namespace jianyan::storage {

bool Uint64AddOperator::Merge(const rocksdb::Slice& /*key*/,
                              const rocksdb::Slice* existing_value,
                              const rocksdb::Slice& value,
                              std::string* new_value,
                              rocksdb::Logger* /*logger*/) const {
  uint64_t base = 0;
  if (existing_value != nullptr &&
      !DecodeFixed64LE(
          absl::string_view(existing_value->data(), existing_value->size()),
          &base)) {
    return false;
  }
  uint64_t add = 0;
  if (!DecodeFixed64LE(absl::string_view(value.data(), value.size()), &add)) {
    return false;
  }
  *new_value = EncodeFixed64LE(base + add);
  return true;
}

}  // namespace jianyan::storage
