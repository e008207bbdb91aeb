// Key codecs of the record column families (version 1):
//   idempotency: v1 | str(principal_id) | str(request_id) -> IdempotencyRecord
//   directory:   v1 | u8(DirectoryKind) | str(id)     -> the record
//   definitions: v1 | str(name) | str(version)        -> WorkflowDefinition
//   meta:        v1 | str(name)                       -> value
// Meta names: "schema_version" (decimal), "case_seq/<kind>/<year>/<shard>"
// (decimal high-water mark of reserved case-number sequences), "matter_salt"
// (schema 5: 32 random bytes, the salt of idx_matter's identity hashes).
//
// Thread-safety: pure functions.
#ifndef JIANYAN_STORAGE_RECORD_KEYS_H_
#define JIANYAN_STORAGE_RECORD_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace jianyan::storage {

// What a `directory` entry holds. Values are stable: they are in keys.
enum class DirectoryKind : uint8_t {
  kOrganisation = 1,
  kReportingPoint = 2,
  kSuggester = 3,
  kCampaign = 4,
  kPrincipal = 5,
  kPrincipalByTokenHash = 6,  // token hash -> principal id
  kCalendarYear = 7,          // id: "<calendar>/<year>"
  kCategory = 8,              // id: the category's name
  kRegion = 9,                // id: the 6-digit division code
  kLastDirectoryKind = kRegion,
};

std::string IdempotencyKey(absl::string_view principal_id,
                           absl::string_view request_id);

std::string DirectoryKey(DirectoryKind kind, absl::string_view id);
std::string DirectoryPrefix(DirectoryKind kind);
// Returns false on a malformed key.
bool DecodeDirectoryKey(absl::string_view key, DirectoryKind* kind,
                        std::string* id);

std::string DefinitionKey(absl::string_view name, absl::string_view version);
// `name` empty: every definition.
std::string DefinitionPrefix(absl::string_view name);

std::string MetaKey(absl::string_view name);

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_RECORD_KEYS_H_
