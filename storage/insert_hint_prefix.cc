#include "storage/insert_hint_prefix.h"

namespace jianyan::storage {

size_t InsertHintPrefix::PrefixLength(const rocksdb::Slice& key) const {
  if (key.empty()) return 0;
  if (strings_ < 0) return key.size();
  size_t pos = 1;  // the version byte
  for (int n = 0; n < strings_; ++n) {
    // An ordered string ends with 0x00 0x01; 0x00 0xFF is an escaped 0x00.
    while (true) {
      if (pos + 1 >= key.size()) return 0;
      if (key[pos] == '\0') {
        pos += 2;
        if (key[pos - 1] == '\x01') break;
      } else {
        ++pos;
      }
    }
  }
  return pos;
}

rocksdb::Slice InsertHintPrefix::Transform(const rocksdb::Slice& key) const {
  return rocksdb::Slice(key.data(), PrefixLength(key));
}

bool InsertHintPrefix::InDomain(const rocksdb::Slice& key) const {
  return PrefixLength(key) > 0;
}

}  // namespace jianyan::storage
