#include "workflow/sha256.h"

#include <openssl/sha.h>

#include "absl/strings/escaping.h"

namespace jianyan {

std::string Sha256Digest(absl::string_view data) {
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

std::string ToHex(absl::string_view bytes) {
  return absl::BytesToHexString(bytes);
}

}  // namespace jianyan
