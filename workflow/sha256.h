// SHA-256 (OpenSSL's implementation, with the CPU's SHA extensions where
// present): the digest of definition versions and of the per-case event
// hash chain. One place for it, so both agree on bytes and hex.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_WORKFLOW_SHA256_H_
#define JIANYAN_WORKFLOW_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace jianyan {

// The 32-byte SHA-256 digest of `data`.
std::string Sha256Digest(absl::string_view data);

// Lower-case hex of `bytes` (for versions, messages and tests).
std::string ToHex(absl::string_view bytes);

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_SHA256_H_
