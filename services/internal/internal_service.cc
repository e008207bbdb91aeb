#include "services/internal/internal_service.h"

#include <utility>

namespace jianyan {
namespace {

using jianyan::v1::Principal;

constexpr size_t kTokenHashBytes = 32;

// One answer for every hash that opens nothing, so the edge's UNAUTHENTICATED
// tells its caller no more than that.
absl::StatusOr<jianyan::v1::ResolvePrincipalResponse> Resolve(
    Authenticator& auth, const std::string& hash) {
  if (hash.size() != kTokenHashBytes) {
    return absl::InvalidArgumentError(
        "token_hash: must be the 32-byte SHA-256 of the token");
  }
  absl::StatusOr<PrincipalPtr> found = auth.AuthenticateHash(hash);
  if (absl::IsUnauthenticated(found.status())) {
    return absl::NotFoundError("unknown principal");
  }
  if (!found.ok()) return found.status();
  jianyan::v1::ResolvePrincipalResponse out;
  *out.mutable_principal() = Authenticator::Redacted(**found);
  return out;
}

}  // namespace

grpc::ServerUnaryReactor* CoreInternalServiceImpl::ResolvePrincipal(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::ResolvePrincipalRequest* request,
    jianyan::v1::ResolvePrincipalResponse* response) {
  return Answer(
      ctx, gate_, "CoreInternal.ResolvePrincipal", response,
      [&](const Principal&) { return Resolve(auth_, request->token_hash()); });
}

grpc::ServerUnaryReactor* CoreInternalServiceImpl::GetPublicStatus(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::GetPublicStatusRequest* request,
    jianyan::v1::PublicStatus* response) {
  return Answer(
      ctx, gate_, "CoreInternal.GetPublicStatus", response,
      [&](const Principal&) { return feedback_.GetPublicStatus(*request); });
}

grpc::ServerUnaryReactor* CoreInternalServiceImpl::SubmitPublicRating(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::SubmitRatingRequest* request,
    jianyan::v1::SubmitRatingResponse* response) {
  return AnswerLater(ctx, gate_, "CoreInternal.SubmitPublicRating", response,
                     [&](const Principal&, auto done) {
                       feedback_.SubmitRating(*request, std::move(done),
                                              CallDeadline(*ctx));
                     });
}

}  // namespace jianyan
