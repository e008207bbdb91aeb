#include "storage/case_keys.h"

#include "storage/key_coding.h"

namespace jianyan::storage {

std::string CaseKey(absl::string_view case_number) {
  return V1Key(case_number);
}

bool DecodeCaseKey(absl::string_view key, std::string* case_number) {
  return ConsumeVersion(&key) && GetOrderedString(&key, case_number) &&
         key.empty();
}

std::string EventPrefix(absl::string_view case_number) {
  return CaseKey(case_number);
}

std::string EventKey(absl::string_view case_number, uint64_t seq) {
  std::string k = EventPrefix(case_number);
  PutFixed64BE(&k, seq);
  return k;
}

bool DecodeEventKey(absl::string_view key, std::string* case_number,
                    uint64_t* seq) {
  return ConsumeVersion(&key) && GetOrderedString(&key, case_number) &&
         GetFixed64BE(&key, seq) && key.empty();
}

}  // namespace jianyan::storage
