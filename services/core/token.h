// Bearer tokens of principals: "jy_" followed by 32 random bytes in
// unpadded base64url (43 characters), 46 characters in all. The fixed prefix
// makes a leaked token easy to scan for. Only SHA-256 of a token is stored.
//
// Thread-safety: pure functions (GenerateToken reads the OS's CSPRNG).
#ifndef JIANYAN_SERVICES_CORE_TOKEN_H_
#define JIANYAN_SERVICES_CORE_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jianyan {

inline constexpr absl::string_view kTokenPrefix = "jy_";
inline constexpr size_t kTokenLength = 46;

// A new random token. Never log it.
std::string GenerateToken();

// True when `token` has the shape of a token (prefix, length, alphabet).
bool IsWellFormedToken(absl::string_view token);

// The 32-byte SHA-256 digest kept in Principal.token_hash.
std::string HashToken(absl::string_view token);

// The token of an `authorization` metadata value "Bearer <token>" (scheme
// case-insensitive). UNAUTHENTICATED when the value is empty, has another
// scheme, or the token is not well formed; the message never repeats the
// value.
absl::StatusOr<std::string> ParseBearer(absl::string_view authorization);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_TOKEN_H_
