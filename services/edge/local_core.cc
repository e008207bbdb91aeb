#include "services/edge/local_core.h"

#include <utility>

#include "services/core/token.h"

namespace jianyan {

absl::StatusOr<std::unique_ptr<LocalCore>> LocalCore::Create(
    WorkflowCore& core, const std::string& service_token) {
  absl::StatusOr<PrincipalPtr> principal =
      core.auth().AuthenticateHash(HashToken(service_token));
  if (!principal.ok()) return principal.status();
  for (const char* method :
       {"WorkflowService.CreateCase", "CoreInternal.GetPublicStatus",
        "CoreInternal.SubmitPublicRating"}) {
    absl::Status allowed = core.policy().CheckRpc(method, **principal);
    if (!allowed.ok()) return allowed;
  }
  return std::unique_ptr<LocalCore>(new LocalCore(core, *std::move(principal)));
}

void LocalCore::CreateCase(const jianyan::v1::CreateCaseRequest& request,
                           absl::Time deadline,
                           Done<jianyan::v1::CreateCaseResponse> done) {
  core_.cases().CreateCase(*principal_, request, std::move(done), deadline);
}

absl::StatusOr<jianyan::v1::PublicStatus> LocalCore::GetPublicStatus(
    const jianyan::v1::GetPublicStatusRequest& request) {
  return core_.feedback().GetPublicStatus(request);
}

void LocalCore::SubmitPublicRating(
    const jianyan::v1::SubmitRatingRequest& request, absl::Time deadline,
    Done<jianyan::v1::SubmitRatingResponse> done) {
  core_.feedback().SubmitRating(request, std::move(done), deadline);
}

}  // namespace jianyan
