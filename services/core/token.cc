#include "services/core/token.h"

#include <openssl/rand.h>

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "workflow/sha256.h"

namespace jianyan {
namespace {

constexpr size_t kRandomBytes = 32;

bool IsBase64UrlChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_';
}

}  // namespace

std::string GenerateToken() {
  unsigned char bytes[kRandomBytes];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    // No randomness means no safe credential: a broken invariant.
    std::abort();
  }
  return absl::StrCat(
      kTokenPrefix, absl::WebSafeBase64Escape(absl::string_view(
                        reinterpret_cast<const char*>(bytes), sizeof(bytes))));
}

bool IsWellFormedToken(absl::string_view token) {
  if (token.size() != kTokenLength || !absl::StartsWith(token, kTokenPrefix)) {
    return false;
  }
  for (char c : token.substr(kTokenPrefix.size())) {
    if (!IsBase64UrlChar(c)) return false;
  }
  return true;
}

std::string HashToken(absl::string_view token) { return Sha256Digest(token); }

absl::StatusOr<std::string> ParseBearer(absl::string_view authorization) {
  if (authorization.empty()) {
    return absl::UnauthenticatedError(
        "missing 'authorization: Bearer <token>' metadata");
  }
  constexpr absl::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(authorization.substr(0, kScheme.size()),
                              kScheme)) {
    return absl::UnauthenticatedError(
        "authorization metadata must be 'Bearer <token>'");
  }
  absl::string_view token =
      absl::StripAsciiWhitespace(authorization.substr(kScheme.size()));
  if (!IsWellFormedToken(token)) {
    return absl::UnauthenticatedError(
        "malformed bearer token (expected 'jy_' and 43 base64url characters)");
  }
  return std::string(token);
}

}  // namespace jianyan
