// SupervisionOps: the supervisor escalation console's operations (督办), as
// SupervisionService exposes them, without gRPC.
//
//   ListOverdue / ListDueSoon — open cases past their due time (still owing
//     what the deadline asked: the due time stays set until the case moves
//     on), or past a deadline's warning point but not its end; by the
//     organisation's subtree (the supervisor's own by default), kind and
//     minimum level; most overdue (soonest due) first, paged over the
//     store's due-time index (no scan).
//   Escalate — the case's definition's supervisor action for the level
//     (催办 urge / 督办 supervise / 挂牌督办 listed), with the note as its
//     reason and the reply due time as its field; levels only rise and what
//     each level requires is in the definition.
//   Reassign — the definition's `reassign` action (改派).
//   WatchFilter — the notice filter of a WatchEscalations call.
//
// Errors name the request's fields (the definition's "fields.reason" is
// this API's `note` / `reason`, "fields.reply_due_time" its
// `reply_due_time`).
//
// Thread-safety: safe for concurrent use.
#ifndef JIANYAN_SERVICES_CORE_SUPERVISION_OPS_H_
#define JIANYAN_SERVICES_CORE_SUPERVISION_OPS_H_

#include "absl/status/statusor.h"
#include "jianyan/v1/supervision.pb.h"
#include "services/core/access_policy.h"
#include "services/core/case_commands.h"
#include "services/core/definition_registry.h"
#include "services/core/notice_hub.h"
#include "services/core/org_directory.h"
#include "storage/case_store.h"
#include "workflow/clock.h"

namespace jianyan {

class SupervisionOps {
 public:
  SupervisionOps(storage::CaseStore& store, CaseCommands& cases,
                 const DefinitionRegistry& registry, const OrgDirectory& orgs,
                 const AccessPolicy& policy, const Clock& clock)
      : store_(store),
        cases_(cases),
        registry_(registry),
        orgs_(orgs),
        policy_(policy),
        clock_(clock) {}

  absl::StatusOr<jianyan::v1::ListDeadlinesResponse> ListOverdue(
      const jianyan::v1::Principal& caller,
      const jianyan::v1::ListOverdueRequest& request);
  absl::StatusOr<jianyan::v1::ListDeadlinesResponse> ListDueSoon(
      const jianyan::v1::Principal& caller,
      const jianyan::v1::ListDueSoonRequest& request);
  void Escalate(const jianyan::v1::Principal& caller,
                const jianyan::v1::EscalateRequest& request,
                Done<jianyan::v1::EscalateResponse> done,
                absl::Time deadline = absl::InfiniteFuture());
  void Reassign(const jianyan::v1::Principal& caller,
                const jianyan::v1::ReassignRequest& request,
                Done<jianyan::v1::ReassignResponse> done,
                absl::Time deadline = absl::InfiniteFuture());
  absl::StatusOr<NoticeFilter> WatchFilter(
      const jianyan::v1::Principal& caller,
      const jianyan::v1::WatchEscalationsRequest& request) const;

 private:
  struct DeadlineQuery {
    const std::string* organisation_id;
    jianyan::v1::CaseKind kind;
    jianyan::v1::EscalationLevel min_level;
    int page_size;
    const std::string* page_token;
    bool overdue;  // else due soon
  };
  absl::StatusOr<jianyan::v1::ListDeadlinesResponse> ListDeadlines(
      const jianyan::v1::Principal& caller, const DeadlineQuery& q);
  // The caller's organisation scope for `requested` (empty: its own):
  // INVALID_ARGUMENT for an unknown organisation, PERMISSION_DENIED outside
  // a supervisor's subtree.
  absl::StatusOr<std::string> ScopeRoot(const jianyan::v1::Principal& caller,
                                        const std::string& requested) const;

  storage::CaseStore& store_;
  CaseCommands& cases_;
  const DefinitionRegistry& registry_;
  const OrgDirectory& orgs_;
  const AccessPolicy& policy_;
  const Clock& clock_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_SUPERVISION_OPS_H_
