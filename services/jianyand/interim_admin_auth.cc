#include "services/jianyand/interim_admin_auth.h"

#include <string>

#include "services/core/token.h"

namespace jianyan {

std::function<absl::Status(grpc::CallbackServerContext*)>
MakeInterimAdminAuthorizer(storage::CaseStore& store) {
  return [&store](grpc::CallbackServerContext* context) -> absl::Status {
    const auto& metadata = context->client_metadata();
    auto it = metadata.find("authorization");
    if (it == metadata.end()) {
      return absl::UnauthenticatedError(
          "missing metadata authorization: Bearer <token>");
    }
    absl::StatusOr<std::string> token =
        ParseBearer(absl::string_view(it->second.data(), it->second.size()));
    if (!token.ok()) return token.status();
    auto principal = store.FindPrincipalByTokenHash(HashToken(*token));
    if (absl::IsNotFound(principal.status())) {
      return absl::UnauthenticatedError("unknown bearer token");
    }
    if (!principal.ok()) {
      return absl::UnavailableError("cannot check the bearer token");
    }
    if (principal->revoked()) {
      return absl::UnauthenticatedError("revoked bearer token");
    }
    if (principal->role() != jianyan::v1::ROLE_ADMIN) {
      return absl::PermissionDeniedError("admin role required");
    }
    return absl::OkStatus();
  };
}

}  // namespace jianyan
