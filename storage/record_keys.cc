#include "storage/record_keys.h"

#include "storage/key_coding.h"

namespace jianyan::storage {

std::string IdempotencyKey(absl::string_view principal_id,
                           absl::string_view request_id) {
  std::string k = V1Key(principal_id);
  PutOrderedString(&k, request_id);
  return k;
}

std::string DirectoryPrefix(DirectoryKind kind) {
  std::string k(1, kKeyCodecV1);
  k.push_back(static_cast<char>(kind));
  return k;
}

std::string DirectoryKey(DirectoryKind kind, absl::string_view id) {
  std::string k = DirectoryPrefix(kind);
  PutOrderedString(&k, id);
  return k;
}

bool DecodeDirectoryKey(absl::string_view key, DirectoryKind* kind,
                        std::string* id) {
  if (!ConsumeVersion(&key) || key.empty()) return false;
  uint8_t k = static_cast<uint8_t>(key[0]);
  if (k < 1 || k > static_cast<uint8_t>(DirectoryKind::kLastDirectoryKind)) {
    return false;
  }
  *kind = static_cast<DirectoryKind>(k);
  key.remove_prefix(1);
  return GetOrderedString(&key, id) && key.empty();
}

std::string DefinitionPrefix(absl::string_view name) {
  std::string k(1, kKeyCodecV1);
  if (!name.empty()) PutOrderedString(&k, name);
  return k;
}

std::string DefinitionKey(absl::string_view name, absl::string_view version) {
  std::string k(1, kKeyCodecV1);
  PutOrderedString(&k, name);
  PutOrderedString(&k, version);
  return k;
}

std::string MetaKey(absl::string_view name) { return V1Key(name); }

}  // namespace jianyan::storage
