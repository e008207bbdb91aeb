// Query codes (查询码): given to the petitioner at intake, read out on the
// phone, and used with the case number to follow the case and rate it
// without an account.
//
// A code is 8 random decimal digits, shown as "1234-5678". It is never
// stored in clear: the intake edge stores only its salted hash
// (CreateCaseRequest.query_code_hash → StoredCase.query_code_hash):
//   hash = salt (16 bytes) || SHA-256("jianyan-query-code-v1" || salt || code)
// 8 digits are guessable by brute force alone, so the feedback edge must
// limit wrong attempts per case (RESOURCE_EXHAUSTED, feedback.proto).
//
// Thread-safety: pure functions; GenerateQueryCode uses the caller's
// generator.
#ifndef JIANYAN_WORKFLOW_QUERY_CODE_H_
#define JIANYAN_WORKFLOW_QUERY_CODE_H_

#include <string>

#include "absl/random/bit_gen_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jianyan {

inline constexpr int kQueryCodeDigits = 8;
inline constexpr size_t kQueryCodeSaltBytes = 16;

// A fresh code, "NNNN-NNNN", uniform over 10^8 values.
std::string GenerateQueryCode(absl::BitGenRef gen);

// The 8 digits of a code as people type it: spaces and hyphens ignored.
// INVALID_ARGUMENT "query_code: ..." for anything else.
absl::StatusOr<std::string> NormalizeQueryCode(absl::string_view text);

// The stored form of `code` with a fresh salt from `gen`, or
// INVALID_ARGUMENT as NormalizeQueryCode.
absl::StatusOr<std::string> HashQueryCode(absl::string_view code,
                                          absl::BitGenRef gen);

// The stored form of `code` with `salt`, which must be kQueryCodeSaltBytes
// bytes (INVALID_ARGUMENT "salt: ..." otherwise, or as NormalizeQueryCode).
absl::StatusOr<std::string> HashQueryCodeWithSalt(absl::string_view code,
                                                  absl::string_view salt);

// True when `text` is the code whose stored form is `stored`. Compares in
// constant time; false for a malformed code or stored value.
bool QueryCodeMatches(absl::string_view text, absl::string_view stored);

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_QUERY_CODE_H_
