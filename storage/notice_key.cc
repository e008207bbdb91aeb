#include "storage/notice_key.h"

#include "storage/key_coding.h"

namespace jianyan::storage {

std::string NoticePrefix() { return V1Key(); }

std::string NoticeKey(uint64_t cursor) {
  std::string k = NoticePrefix();
  PutFixed64BE(&k, cursor);
  return k;
}

bool DecodeNoticeKey(absl::string_view key, uint64_t* cursor) {
  return ConsumeVersion(&key) && GetFixed64BE(&key, cursor) && key.empty();
}

}  // namespace jianyan::storage
