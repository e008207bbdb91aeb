// Key codecs of the `cases` and `events` column families (version 1).
//   cases:  v1 | str(case_number)              -> StoredCase
//   events: v1 | str(case_number) | be64(seq)  -> StoredEvent
// Events of one case are contiguous and in seq order.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_STORAGE_CASE_KEYS_H_
#define JIANYAN_STORAGE_CASE_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace jianyan::storage {

std::string CaseKey(absl::string_view case_number);
// Returns false on a malformed key.
bool DecodeCaseKey(absl::string_view key, std::string* case_number);

std::string EventKey(absl::string_view case_number, uint64_t seq);
// The common prefix of every event key of `case_number`.
std::string EventPrefix(absl::string_view case_number);
// Returns false on a malformed key.
bool DecodeEventKey(absl::string_view key, std::string* case_number,
                    uint64_t* seq);

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_CASE_KEYS_H_
