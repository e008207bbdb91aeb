// Opaque page tokens: URL-safe base64 (no padding) of a token version byte
// followed by the last index key returned. A token only continues the list
// it came from: its key must lie inside that list's key range.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_STORAGE_PAGE_TOKEN_H_
#define JIANYAN_STORAGE_PAGE_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jianyan::storage {

std::string EncodePageToken(absl::string_view last_key);

// Returns the last key of the previous page, "" for an empty token, or
// INVALID_ARGUMENT ("page_token: ...") when the token is not base64, has an
// unknown version, or its key does not start with `prefix`.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view prefix);

// Tokens of CaseStore::ListCases: version 'q', an 8-byte digest of the
// query, then the position (index_keys.h ListPosition) of the last index
// entry examined.
std::string EncodeQueryPageToken(absl::string_view query_digest,
                                 absl::string_view position);
// Returns the position, "" for an empty token, or INVALID_ARGUMENT
// ("page_token: ...") when the token is not base64, has an unknown version,
// was minted for another query (digest differs) or holds no position.
absl::StatusOr<std::string> DecodeQueryPageToken(
    absl::string_view token, absl::string_view query_digest);

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_PAGE_TOKEN_H_
