// SHA-256 (FIPS 180-4), small and dependency-free: the hash of the per-case
// event chain and of tokens. Not constant-time; hashes only public or
// already-hashed data here.
//
// Thread-safety: a Sha256 object is not shared; the free function is pure.
#ifndef JIANYAN_STORAGE_SHA256_H_
#define JIANYAN_STORAGE_SHA256_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace jianyan::storage {

class Sha256 {
 public:
  Sha256();
  void Update(absl::string_view data);
  // Returns the 32-byte digest. The object must not be used afterwards.
  std::string Finish();

 private:
  void Block(const uint8_t* p);

  std::array<uint32_t, 8> h_;
  std::array<uint8_t, 64> buf_{};
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

// The 32-byte SHA-256 digest of `data`.
std::string Sha256Digest(absl::string_view data);

// Lower-case hex of `bytes` (for messages and tests).
std::string ToHex(absl::string_view bytes);

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_SHA256_H_
