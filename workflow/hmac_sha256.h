// HMAC-SHA256 (RFC 2104, OpenSSL's implementation): the MAC behind derived
// query codes. Implemented in sha256.cc beside Sha256Digest: the HMAC
// algorithm is fetched once, and a thread sets up a new context (naming
// SHA-256) only when its key changes.
//
// Thread-safety: safe; each thread keeps a context keyed with the last key
// it used.
#ifndef JIANYAN_WORKFLOW_HMAC_SHA256_H_
#define JIANYAN_WORKFLOW_HMAC_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace jianyan {

// The 32-byte HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(absl::string_view key, absl::string_view data);

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_HMAC_SHA256_H_
