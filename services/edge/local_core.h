// LocalCore: the workflow core's answers to the edges' hot calls as plain
// function calls, for edges in the same process as the core (all-in-one
// jianyand). A CoreLink given one (CoreLink::Options::local) makes
// CreateCase, GetPublicStatus and SubmitPublicRating through it instead of
// the in-process channel: no second gRPC call, no serialisation of the
// request and of the answer's Case, no copy between them.
//
// The answers are those of the gRPC calls: the same library calls
// (CaseCommands, PublicFeedback) as WorkflowService and CoreInternal make,
// as the edges' ROLE_SERVICE principal, whose access to the three methods
// is checked against the access table once, at Create. Not counted: the
// core's own bound on WorkflowService / CoreInternal calls in flight (the
// edge's bound holds instead) and the internal server's access-log line.
//
// Thread-safety: safe for concurrent use; the core outlives it.
#ifndef JIANYAN_SERVICES_EDGE_LOCAL_CORE_H_
#define JIANYAN_SERVICES_EDGE_LOCAL_CORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jianyan/v1/feedback.pb.h"
#include "jianyan/v1/workflow_service.pb.h"
#include "services/core/workflow_core.h"

namespace jianyan {

class LocalCore {
 public:
  // The calls of `core` as the principal whose token is `service_token`
  // (a ROLE_SERVICE principal, e.g. Authenticator::CreateProcessPrincipal's).
  // UNAUTHENTICATED for an unknown token, PERMISSION_DENIED when the access
  // table does not let it make the three calls. The principal is resolved
  // once, here: a later revocation of a stored principal does not reach
  // this object, so give it one that lives only in memory.
  static absl::StatusOr<std::unique_ptr<LocalCore>> Create(
      WorkflowCore& core, const std::string& service_token);

  // As WorkflowService.CreateCase; `done` runs once the case is durable
  // (on a store thread) or at once with the error.
  void CreateCase(const jianyan::v1::CreateCaseRequest& request,
                  absl::Time deadline,
                  Done<jianyan::v1::CreateCaseResponse> done);
  // As CoreInternal.GetPublicStatus, on the caller's thread.
  absl::StatusOr<jianyan::v1::PublicStatus> GetPublicStatus(
      const jianyan::v1::GetPublicStatusRequest& request);
  // As CoreInternal.SubmitPublicRating; `done` as for CreateCase.
  void SubmitPublicRating(const jianyan::v1::SubmitRatingRequest& request,
                          absl::Time deadline,
                          Done<jianyan::v1::SubmitRatingResponse> done);

 private:
  LocalCore(WorkflowCore& core, PrincipalPtr principal)
      : core_(core), principal_(std::move(principal)) {}

  WorkflowCore& core_;
  const PrincipalPtr principal_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_EDGE_LOCAL_CORE_H_
