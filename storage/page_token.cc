#include "storage/page_token.h"

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"

namespace jianyan::storage {
namespace {
constexpr char kTokenV1 = 'p';
}  // namespace

std::string EncodePageToken(absl::string_view last_key) {
  std::string raw(1, kTokenV1);
  raw.append(last_key.data(), last_key.size());
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view prefix) {
  if (token.empty()) return std::string();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.empty()) {
    return absl::InvalidArgumentError("page_token: not a page token");
  }
  if (raw[0] != kTokenV1) {
    return absl::InvalidArgumentError("page_token: unknown token version");
  }
  raw.erase(0, 1);
  if (!absl::StartsWith(raw, prefix) || raw.size() == prefix.size()) {
    return absl::InvalidArgumentError(
        "page_token: token belongs to a different list");
  }
  return raw;
}

}  // namespace jianyan::storage
