// An admin-only check of a call's bearer token, for TestingService until
// the authenticator of services/core is wired in its place.
//
// Reads the `authorization: Bearer <token>` metadata, parses it with
// ParseBearer and looks up HashToken(token) with
// CaseStore::FindPrincipalByTokenHash. Returns UNAUTHENTICATED for a missing
// or malformed header, an unknown token or a revoked principal;
// PERMISSION_DENIED for a principal whose role is not ROLE_ADMIN; OK for an
// admin. Messages never repeat the token.
//
// Thread-safety: the returned function is safe for concurrent calls; `store`
// must outlive it.
#ifndef JIANYAN_SERVICES_JIANYAND_INTERIM_ADMIN_AUTH_H_
#define JIANYAN_SERVICES_JIANYAND_INTERIM_ADMIN_AUTH_H_

#include <functional>

#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "storage/case_store.h"

namespace jianyan {

std::function<absl::Status(grpc::CallbackServerContext*)>
MakeInterimAdminAuthorizer(storage::CaseStore& store);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_JIANYAND_INTERIM_ADMIN_AUTH_H_
