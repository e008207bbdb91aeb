// Query codes derived, not drawn: the intake edge computes a submission's
// query code as HMAC-SHA256(secret, principal id || 0x00 || request id), so a
// retried SubmitCase (same caller, same request id) gets the same code and
// the same stored hash without the code ever being stored in clear. The
// stored form is workflow/query_code.h's salted hash, with its salt taken
// from other bytes of the same HMAC, so the core's request fingerprint of
// the retry matches the first attempt.
//
// The secret is the deployment's: 32 random bytes in a 0600 file
// (LoadOrCreateSecretFile). Whoever holds it can recompute every code, so
// it never leaves the edge's host and is never logged.
//
// Thread-safety: pure functions, except the file function (filesystem).
#ifndef JIANYAN_SERVICES_INTAKE_DERIVED_QUERY_CODE_H_
#define JIANYAN_SERVICES_INTAKE_DERIVED_QUERY_CODE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jianyan {

inline constexpr size_t kQueryCodeSecretBytes = 32;
// The key's default file name in the data directory (all-in-one mode).
inline constexpr char kQueryCodeSecretFile[] = "query-code.key";

struct DerivedQueryCode {
  std::string code;         // "NNNN-NNNN", shown once on the receipt
  std::string stored_hash;  // CreateCaseRequest.query_code_hash
};

// The code of (principal_id, request_id) under `secret`.
DerivedQueryCode DeriveQueryCode(absl::string_view secret,
                                 absl::string_view principal_id,
                                 absl::string_view request_id);

// The secret in `path`: read when the file exists (FAILED_PRECONDITION
// unless it holds exactly kQueryCodeSecretBytes bytes and is not readable
// by group or others), else created with fresh random bytes, mode 0600.
absl::StatusOr<std::string> LoadOrCreateSecretFile(const std::string& path);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_INTAKE_DERIVED_QUERY_CODE_H_
