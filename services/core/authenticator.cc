#include "services/core/authenticator.h"

#include "absl/strings/str_cat.h"
#include "services/core/request_checks.h"
#include "services/core/token.h"
#include "workflow/status_macros.h"
#include "workflow/time_util.h"

namespace jianyan {
namespace {

// Bound on cached principals; past it the cache starts over (principals
// number in the thousands, so this is a guard, not a policy).
constexpr size_t kMaxCached = 100000;

using jianyan::v1::Principal;
using jianyan::v1::Role;

// Capabilities a principal may hold beyond its role, and the role they need.
absl::Status CheckCapabilities(const Principal& p) {
  for (const std::string& c : p.capabilities()) {
    if (c != "approve_extension") {
      return absl::InvalidArgumentError(
          absl::StrCat("principal.capabilities: unknown capability '", c,
                       "' (known: approve_extension)"));
    }
    if (p.role() != jianyan::v1::ROLE_HANDLER) {
      return absl::InvalidArgumentError(
          "principal.capabilities: approve_extension is for handlers (the "
          "head of a handling body)");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckBindings(const Principal& p) {
  auto need = [&](const std::string& value, absl::string_view field) {
    return value.empty() ? absl::InvalidArgumentError(absl::StrCat(
                               "principal.", field, ": required for role ",
                               jianyan::v1::Role_Name(p.role())))
                         : absl::OkStatus();
  };
  switch (p.role()) {
    case jianyan::v1::ROLE_TERMINAL:
      return need(p.reporting_point_id(), "reporting_point_id");
    case jianyan::v1::ROLE_SUGGESTER:
      return need(p.suggester_id(), "suggester_id");
    case jianyan::v1::ROLE_HANDLER:
    case jianyan::v1::ROLE_SUPERVISOR:
      return need(p.organisation_id(), "organisation_id");
    case jianyan::v1::ROLE_ADMIN:
    case jianyan::v1::ROLE_SERVICE:
      return absl::OkStatus();
    default:
      return absl::InvalidArgumentError(
          "principal.role: must be terminal, suggester, handler, supervisor, "
          "admin or service");
  }
}

}  // namespace

absl::StatusOr<PrincipalPtr> Authenticator::Authenticate(
    absl::string_view authorization) {
  JY_ASSIGN_OR_RETURN(std::string token, ParseBearer(authorization));
  return AuthenticateHash(HashToken(token));
}

absl::StatusOr<PrincipalPtr> Authenticator::AuthenticateHash(
    const std::string& hash) {
  uint64_t generation = 0;
  {
    absl::MutexLock lock(&mu_);
    if (auto own = in_process_.find(hash); own != in_process_.end()) {
      return own->second;
    }
    auto it = by_hash_.find(hash);
    if (it != by_hash_.end()) return it->second;
    generation = generation_;
  }
  absl::StatusOr<Principal> found = store_.FindPrincipalByTokenHash(hash);
  if (absl::IsNotFound(found.status())) {
    return absl::UnauthenticatedError("unknown bearer token");
  }
  if (!found.ok()) return found.status();
  if (found->revoked()) {
    return absl::UnauthenticatedError("bearer token was revoked");
  }
  auto principal = std::make_shared<const Principal>(*std::move(found));
  absl::MutexLock lock(&mu_);
  // A principal changed while this lookup read the store: what it read may
  // be older than the change (a revocation must never be undone by a stale
  // read), so it answers this call but is not cached.
  if (generation != generation_) return principal;
  if (by_hash_.size() >= kMaxCached) by_hash_.clear();
  by_hash_[hash] = principal;
  return principal;
}

absl::StatusOr<std::pair<Principal, std::string>>
Authenticator::CreatePrincipal(Principal principal) {
  JY_RETURN_IF_ERROR(CheckIdentifier(principal.id(), "principal.id"));
  JY_RETURN_IF_ERROR(CheckBindings(principal));
  JY_RETURN_IF_ERROR(CheckCapabilities(principal));
  JY_RETURN_IF_ERROR(
      CheckText(principal.display_name(), "principal.display_name", 200));
  absl::MutexLock write(&write_mu_);
  absl::StatusOr<Principal> existing = store_.GetPrincipal(principal.id());
  if (existing.ok()) {
    return absl::AlreadyExistsError(
        absl::StrCat("principal.id: '", principal.id(), "' already exists"));
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();
  std::string token = GenerateToken();
  principal.set_token_hash(HashToken(token));
  principal.set_revoked(false);
  *principal.mutable_create_time() = ToProto(clock_.Now());
  JY_RETURN_IF_ERROR(store_.PutPrincipal(principal));
  return std::make_pair(Redacted(std::move(principal)), std::move(token));
}

std::string Authenticator::CreateProcessPrincipal(const std::string& id) {
  Principal p;
  p.set_id(id);
  p.set_role(jianyan::v1::ROLE_SERVICE);
  p.set_display_name("in-process edge services");
  *p.mutable_create_time() = ToProto(clock_.Now());
  std::string token = GenerateToken();
  absl::MutexLock lock(&mu_);
  in_process_[HashToken(token)] = std::make_shared<const Principal>(p);
  return token;
}

absl::StatusOr<Principal> Authenticator::RevokePrincipal(absl::string_view id) {
  JY_RETURN_IF_ERROR(CheckIdentifier(id, "principal_id"));
  absl::MutexLock write(&write_mu_);
  JY_ASSIGN_OR_RETURN(Principal p, store_.GetPrincipal(id));
  if (!p.revoked()) {
    p.set_revoked(true);
    JY_RETURN_IF_ERROR(store_.PutPrincipal(p));
  }
  Forget(p.token_hash());
  return Redacted(std::move(p));
}

void Authenticator::Forget(const std::string& token_hash) {
  absl::MutexLock lock(&mu_);
  by_hash_.erase(token_hash);
  ++generation_;
}

Principal Authenticator::Redacted(Principal p) {
  p.clear_token_hash();
  return p;
}

}  // namespace jianyan
