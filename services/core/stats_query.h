// StatsQuery: the statistics behind SupervisionService.GetStats — rows per
// day or month × organisation / reporting point / kind with the raw counts
// and the five rates of docs/rates.md ("GetStats"). It reads only the
// counters column family (one prefix scan per period), never a case.
//
// Scope: administrators and services see every organisation; a supervisor
// sees its organisation and every one below it (without an organisation
// filter its rows cover exactly that subtree); other roles are refused.
//
// Thread-safety: immutable after construction; Run is safe for concurrent
// use (the store and the directory are).
#ifndef JIANYAN_SERVICES_CORE_STATS_QUERY_H_
#define JIANYAN_SERVICES_CORE_STATS_QUERY_H_

#include "absl/status/statusor.h"
#include "jianyan/v1/common.pb.h"
#include "jianyan/v1/supervision.pb.h"
#include "services/core/org_directory.h"
#include "storage/case_store.h"

namespace jianyan {

// Longest date ranges a request may span (inclusive of both ends).
inline constexpr int kStatsMaxDays = 366;
inline constexpr int kStatsMaxMonths = 120;

class StatsQuery {
 public:
  StatsQuery(storage::CaseStore& store, const OrgDirectory& orgs)
      : store_(store), orgs_(orgs) {}

  // The rows `request` asks for: day rows for each day from..to, or month
  // rows for each whole month the range touches; sorted by period then
  // group key (the organisation or reporting point id, the kind's number);
  // rows whose counts are all zero are omitted. docs/rates.md ("GetStats")
  // says which organisations' counters each row sums. Returns
  //   INVALID_ARGUMENT naming the field: period / group_by missing or
  //     unknown, from / to missing or not a calendar date, to before from,
  //     a range over kStatsMaxDays day rows or kStatsMaxMonths month rows,
  //     a malformed or unknown organisation_id or reporting_point_id, an
  //     unknown kind;
  //   PERMISSION_DENIED "organisation_id: outside the caller's scope (...)"
  //     when a supervisor filters on an organisation outside its subtree,
  //     or "role 'x' may not read statistics" for other roles;
  //   the store's error (e.g. DATA_LOSS for a malformed counter).
  absl::StatusOr<jianyan::v1::GetStatsResponse> Run(
      const jianyan::v1::Actor& caller,
      const jianyan::v1::GetStatsRequest& request) const;

 private:
  storage::CaseStore& store_;
  const OrgDirectory& orgs_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_STATS_QUERY_H_
