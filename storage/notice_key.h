// Key codec of the `notices` column family (schema 4): the supervision
// notice log, one StoredNotice per key.
//   v1 | be64(cursor)
// Cursors are global, gap-free and start at 1, so the family is in cursor
// order and a new notice always goes at its end.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_STORAGE_NOTICE_KEY_H_
#define JIANYAN_STORAGE_NOTICE_KEY_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace jianyan::storage {

std::string NoticeKey(uint64_t cursor);
// Returns false on a malformed key.
bool DecodeNoticeKey(absl::string_view key, uint64_t* cursor);
// The prefix of every notice key.
std::string NoticePrefix();

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_NOTICE_KEY_H_
