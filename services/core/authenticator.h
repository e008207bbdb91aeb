// Authenticator: bearer token -> principal, and the only writer of
// principals, so its cache is invalidated on every change.
//
// A token is looked up by its SHA-256 in the store's token-hash index once;
// the principal is then cached by hash, so the hot path adds no RocksDB
// read. CreatePrincipal/RevokePrincipal write through the store and drop the
// cached entry before they return: a revocation takes effect on the next
// call. Unknown tokens are not cached (a flood of forged tokens cannot grow
// memory); they cost one bloom-filtered lookup each.
//
// Thread-safety: all methods are safe for concurrent use.
#ifndef JIANYAN_SERVICES_CORE_AUTHENTICATOR_H_
#define JIANYAN_SERVICES_CORE_AUTHENTICATOR_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "jianyan/v1/directory.pb.h"
#include "storage/case_store.h"
#include "workflow/clock.h"

namespace jianyan {

using PrincipalPtr = std::shared_ptr<const jianyan::v1::Principal>;

class Authenticator {
 public:
  Authenticator(storage::CaseStore& store, const Clock& clock)
      : store_(store), clock_(clock) {}

  // The principal holding the token of `authorization` ("Bearer <token>").
  // UNAUTHENTICATED when it is missing, malformed, unknown or revoked; other
  // codes only for store read errors. Messages never contain the token.
  absl::StatusOr<PrincipalPtr> Authenticate(absl::string_view authorization);

  // The principal whose token's SHA-256 is `token_hash` (what an edge sends
  // to CoreInternal.ResolvePrincipal), by the same cache. UNAUTHENTICATED
  // when it is unknown or revoked; other codes only for store read errors.
  absl::StatusOr<PrincipalPtr> AuthenticateHash(const std::string& token_hash);

  // Stores a new principal with a fresh token and returns both (the token
  // only here, once). INVALID_ARGUMENT for a bad id, role or binding,
  // ALREADY_EXISTS when the id is taken.
  absl::StatusOr<std::pair<jianyan::v1::Principal, std::string>>
  CreatePrincipal(jianyan::v1::Principal principal);

  // A ROLE_SERVICE principal `id` that exists only in this object's memory,
  // never in the store: the credential of the edges an all-in-one process
  // hosts. Returns its token (the only copy; never log or write it). Its
  // events name `id`; it is gone when the process ends.
  std::string CreateProcessPrincipal(const std::string& id);

  // Marks the principal revoked (its token stops working at once).
  // NOT_FOUND for an unknown id. Revoking twice is OK.
  absl::StatusOr<jianyan::v1::Principal> RevokePrincipal(absl::string_view id);

  // The principal record without its token hash, for responses.
  static jianyan::v1::Principal Redacted(jianyan::v1::Principal p);

 private:
  void Forget(const std::string& token_hash);

  storage::CaseStore& store_;
  const Clock& clock_;
  // Serialises principal writes with their cache invalidation.
  absl::Mutex write_mu_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, PrincipalPtr> by_hash_ ABSL_GUARDED_BY(mu_);
  // Process principals by token hash: never evicted, never stored.
  absl::flat_hash_map<std::string, PrincipalPtr> in_process_
      ABSL_GUARDED_BY(mu_);
  // Incremented by every principal change; a lookup caches its store read
  // only if no change happened meanwhile.
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_AUTHENTICATOR_H_
