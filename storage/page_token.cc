#include "storage/page_token.h"

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "storage/index_keys.h"
#include "workflow/status_macros.h"

namespace jianyan::storage {
namespace {
constexpr char kTokenV1 = 'p';
constexpr char kQueryTokenV1 = 'q';

// The token's bytes after its version byte, or INVALID_ARGUMENT.
absl::StatusOr<std::string> Unwrap(absl::string_view token, char version) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.empty()) {
    return absl::InvalidArgumentError("page_token: not a page token");
  }
  if (raw[0] != version) {
    return absl::InvalidArgumentError("page_token: unknown token version");
  }
  raw.erase(0, 1);
  return raw;
}

}  // namespace

std::string EncodePageToken(absl::string_view last_key) {
  std::string raw(1, kTokenV1);
  raw.append(last_key.data(), last_key.size());
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view prefix) {
  if (token.empty()) return std::string();
  JY_ASSIGN_OR_RETURN(std::string raw, Unwrap(token, kTokenV1));
  if (!absl::StartsWith(raw, prefix) || raw.size() == prefix.size()) {
    return absl::InvalidArgumentError(
        "page_token: token belongs to a different list");
  }
  return raw;
}

std::string EncodeQueryPageToken(absl::string_view query_digest,
                                 absl::string_view position) {
  std::string raw(1, kQueryTokenV1);
  absl::StrAppend(&raw, query_digest, position);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::string> DecodeQueryPageToken(
    absl::string_view token, absl::string_view query_digest) {
  if (token.empty()) return std::string();
  JY_ASSIGN_OR_RETURN(std::string raw, Unwrap(token, kQueryTokenV1));
  if (!absl::StartsWith(raw, query_digest)) {
    return absl::InvalidArgumentError(
        "page_token: token belongs to a different query");
  }
  raw.erase(0, query_digest.size());
  if (!IsListPosition(raw)) {
    return absl::InvalidArgumentError("page_token: malformed position");
  }
  return raw;
}

}  // namespace jianyan::storage
