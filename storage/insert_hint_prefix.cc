#include "storage/insert_hint_prefix.h"

#include <string>

#include "absl/strings/string_view.h"
#include "storage/key_coding.h"

namespace jianyan::storage {

InsertHintPrefix::InsertHintPrefix(int strings)
    : strings_(strings),
      name_("jianyan.InsertHintPrefix." + std::to_string(strings)) {}

size_t InsertHintPrefix::PrefixLength(const rocksdb::Slice& key) const {
  if (key.empty()) return 0;
  if (strings_ < 0) return key.size();
  absl::string_view rest(key.data() + 1, key.size() - 1);  // after version
  for (int n = 0; n < strings_; ++n) {
    if (!SkipOrderedString(&rest)) return 0;
  }
  return key.size() - rest.size();
}

rocksdb::Slice InsertHintPrefix::Transform(const rocksdb::Slice& key) const {
  return rocksdb::Slice(key.data(), PrefixLength(key));
}

bool InsertHintPrefix::InDomain(const rocksdb::Slice& key) const {
  return PrefixLength(key) > 0;
}

}  // namespace jianyan::storage
