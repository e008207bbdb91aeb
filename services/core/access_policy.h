// AccessPolicy: who may call what, and which cases each caller sees. The
// one place authorization is decided; docs/security.md holds the same table
// and a test checks that the two agree cell by cell.
//
//   RPC level  (CheckRpc): the table below, per role: allowed, scope
//              (allowed, on the cases of the caller's scope only), denied
//              (PERMISSION_DENIED).
//   Case level (CheckCase / NarrowQuery): a case outside the caller's scope
//              is NOT_FOUND, so its existence is not revealed.
//   Personal data (SeesSubmitter): who gets the unmasked Submitter.
//
// Scopes: terminal — cases of its reporting point; suggester — its own
// suggestions; handler — cases its organisation handles or co-handles, and
// unrouted cases it registered; supervisor — cases of its organisation and
// every organisation below it; service — every case (the edges act on
// behalf of terminals, suggesters and petitioners); petitioner — the one
// case named in its id "petitioner:<case number>" (never a stored
// principal: the core's PublicFeedback acts so after checking the query
// code).
//
// Thread-safety: immutable after construction; safe for concurrent use.
#ifndef JIANYAN_SERVICES_CORE_ACCESS_POLICY_H_
#define JIANYAN_SERVICES_CORE_ACCESS_POLICY_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jianyan/v1/case.pb.h"
#include "jianyan/v1/directory.pb.h"
#include "services/core/org_directory.h"
#include "storage/case_query.h"

namespace jianyan {

enum class Access { kDenied, kAllowed, kScope };

// The roles of the table's columns, in order.
inline constexpr jianyan::v1::Role kTableRoles[] = {
    jianyan::v1::ROLE_TERMINAL, jianyan::v1::ROLE_SUGGESTER,
    jianyan::v1::ROLE_HANDLER,  jianyan::v1::ROLE_SUPERVISOR,
    jianyan::v1::ROLE_ADMIN,    jianyan::v1::ROLE_SERVICE};

struct RpcRule {
  std::string method;          // "WorkflowService.GetCase"
  std::vector<Access> access;  // one per kTableRoles entry
};

// Every RPC that reads a bearer token, in the order of docs/security.md.
const std::vector<RpcRule>& AccessTable();

// The rule's access for `role`; kDenied for methods not in the table and
// for roles without a column (petitioner, system).
Access RpcAccess(absl::string_view method, jianyan::v1::Role role);

class AccessPolicy {
 public:
  explicit AccessPolicy(const OrgDirectory& orgs) : orgs_(orgs) {}

  // OK when `p`'s role may call `method` ("WorkflowService.GetCase"), else
  // PERMISSION_DENIED "role 'x' may not call WorkflowService.GetCase".
  absl::Status CheckRpc(absl::string_view method,
                        const jianyan::v1::Principal& p) const;

  // OK when `c` lies in `p`'s scope; NOT_FOUND "case X not found" otherwise
  // (the same answer as for a case that does not exist).
  absl::Status CheckCase(const jianyan::v1::Principal& p,
                         const jianyan::v1::Case& c) const;

  // `query` narrowed to `p`'s scope. PERMISSION_DENIED naming the filter
  // when the caller asks for a point, suggester or organisation outside it.
  absl::StatusOr<storage::CaseQuery> NarrowQuery(
      const jianyan::v1::Principal& p, storage::CaseQuery query) const;

  // True when `p` may see `c`'s submitter unmasked: the handling
  // organisation's handlers and supervisors in scope; for confidential
  // cases only the registering body's handlers and supervisors.
  bool SeesSubmitter(const jianyan::v1::Principal& p,
                     const jianyan::v1::Case& c) const;

 private:
  bool SupervisorSees(const std::string& org, const jianyan::v1::Case& c) const;
  const OrgDirectory& orgs_;
};

// The Actor recorded in events for `p`.
jianyan::v1::Actor ActorOf(const jianyan::v1::Principal& p);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_ACCESS_POLICY_H_
