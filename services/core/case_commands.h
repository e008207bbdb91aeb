// CaseCommands: the workflow core's operations on cases, as WorkflowService
// exposes them, without gRPC. Each validates its request (INVALID_ARGUMENT
// naming the field by its proto name), checks the caller's scope through the
// AccessPolicy, runs the pure transition function of workflow/ against the
// case's pinned definition and hands the change to the store.
//
// Commands (CreateCase, Act) complete asynchronously: `done` runs once the
// command's commit group is durable (on a store thread), so no caller thread
// waits on the WAL. A retry with the same (principal, request id) returns
// the first result, rebuilt from the store by the same code as a first
// answer. Reads run on the caller's thread.
//
// Thread-safety: safe for concurrent use.
#ifndef JIANYAN_SERVICES_CORE_CASE_COMMANDS_H_
#define JIANYAN_SERVICES_CORE_CASE_COMMANDS_H_

#include <functional>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jianyan/v1/workflow_service.pb.h"
#include "services/core/access_policy.h"
#include "services/core/case_view.h"
#include "services/core/definition_registry.h"
#include "storage/case_store.h"
#include "workflow/clock.h"

namespace jianyan {

template <typename T>
using Done = std::function<void(absl::StatusOr<T>)>;

class CaseCommands {
 public:
  CaseCommands(storage::CaseStore& store, const DefinitionRegistry& registry,
               const OrgDirectory& orgs, const AccessPolicy& policy,
               const Clock& clock)
      : store_(store),
        registry_(registry),
        orgs_(orgs),
        policy_(policy),
        clock_(clock) {}

  // `deadline`: the caller's (the gRPC call's); a command not yet written
  // when it passes is not written (storage::ApplyRequest::deadline).
  void CreateCase(const jianyan::v1::Principal& caller,
                  const jianyan::v1::CreateCaseRequest& request,
                  Done<jianyan::v1::CreateCaseResponse> done,
                  absl::Time deadline = absl::InfiniteFuture());
  void Act(const jianyan::v1::Principal& caller,
           const jianyan::v1::ActRequest& request,
           Done<jianyan::v1::ActResponse> done,
           absl::Time deadline = absl::InfiniteFuture());

  absl::StatusOr<jianyan::v1::Case> GetCase(
      const jianyan::v1::Principal& caller,
      const jianyan::v1::GetCaseRequest& request);
  absl::StatusOr<jianyan::v1::ListCasesResponse> ListCases(
      const jianyan::v1::Principal& caller,
      const jianyan::v1::ListCasesRequest& request);
  absl::StatusOr<jianyan::v1::GetHistoryResponse> GetHistory(
      const jianyan::v1::Principal& caller,
      const jianyan::v1::GetHistoryRequest& request);
  absl::StatusOr<jianyan::v1::ListActionsResponse> ListActions(
      const jianyan::v1::Principal& caller,
      const jianyan::v1::ListActionsRequest& request);

 private:
  // The case `number` (validated) if `caller` may see it; NOT_FOUND else.
  absl::StatusOr<jianyan::v1::Case> VisibleCase(
      const jianyan::v1::Principal& caller, const std::string& field,
      const std::string& number);
  // The same, as read for a command on the case (storage::ApplyRequest::read).
  absl::StatusOr<storage::CaseRead> VisibleCaseForUpdate(
      const jianyan::v1::Principal& caller, const std::string& field,
      const std::string& number);
  jianyan::v1::Case ViewFor(const jianyan::v1::Principal& caller,
                            jianyan::v1::Case c) const;
  using Replay = storage::ApplyResult;
  // The earlier result of the same (principal, request id) when the request
  // matches it, nullopt when there is none, ALREADY_EXISTS when the id was
  // used for another request, or the read error.
  absl::StatusOr<std::optional<Replay>> SeenRequest(
      const storage::IdempotencyInput& in);
  // The command to apply, or (in *replay) the earlier result to answer.
  absl::StatusOr<storage::ApplyRequest> PrepareCreate(
      const jianyan::v1::Principal& caller,
      const jianyan::v1::CreateCaseRequest& request,
      std::optional<Replay>* replay);
  absl::StatusOr<storage::ApplyRequest> PrepareAct(
      const jianyan::v1::Principal& caller,
      const jianyan::v1::ActRequest& request, std::optional<Replay>* replay);
  // The case to answer with: the case the command wrote (moved out of
  // `result`) when it has one, else (a replay) the stored case, reduced to
  // number and version when it has left the caller's scope.
  absl::StatusOr<jianyan::v1::Case> AnsweredCase(
      const jianyan::v1::Principal& caller, storage::ApplyResult& result);

  storage::CaseStore& store_;
  const DefinitionRegistry& registry_;
  const OrgDirectory& orgs_;
  const AccessPolicy& policy_;
  const Clock& clock_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_CASE_COMMANDS_H_
