// CaseQuery: the general case list of WorkflowService.ListCases, and the
// pure parts of answering it: choosing an index (PlanQuery), filtering index
// entries by their values (MatchesQuery), and binding page tokens to the
// query (QueryDigest). CaseStore::ListCases (case_store_list.cc) runs the
// plan; docs/storage.md describes the indexes and the per-page budget.
//
// Thread-safety: plain data and pure functions.
#ifndef JIANYAN_STORAGE_CASE_QUERY_H_
#define JIANYAN_STORAGE_CASE_QUERY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "jianyan/v1/case.pb.h"
#include "jianyan/v1/common.pb.h"
#include "storage/index_keys.h"

namespace jianyan::storage {

enum class CaseOrder { kCreateAsc, kCreateDesc, kDueAsc };

// Filters AND together; an unset filter matches every case. Times have
// microsecond precision (finer parts are dropped).
struct CaseQuery {
  std::string state;  // empty: any
  // Any of (handling org, co-handler org, or — while the case is unrouted —
  // routing org); empty: any. An organisation's subtree is listed by giving
  // every organisation of it here (one index range each, merged).
  std::vector<std::string> organisation_ids;
  std::string reporting_point_id;  // empty: any
  std::string campaign_id;         // empty: any
  std::string suggester_id;        // submitter.suggester_id; empty: any
  jianyan::v1::CaseKind kind = jianyan::v1::CASE_KIND_UNSPECIFIED;  // any
  std::optional<absl::Time> created_after;                          // inclusive
  std::optional<absl::Time> created_before;                         // exclusive
  // kDueAsc: open cases with a due_time only, soonest first. Ties (same
  // time) are ordered by case number, in the direction of the order.
  CaseOrder order = CaseOrder::kCreateAsc;
  // kDueAsc only: bounds on the case's due_time (the index position), so
  // "overdue" (due_before = now) and "due soon" (due_after = now) are index
  // ranges: a page costs O(page size), not a scan.
  std::optional<absl::Time> due_after;   // inclusive
  std::optional<absl::Time> due_before;  // exclusive
  // Only cases at this escalation level or above; NONE: any.
  jianyan::v1::EscalationLevel min_escalation_level =
      jianyan::v1::ESCALATION_LEVEL_NONE;
  // kDueAsc only: cases whose earliest running deadline's warn_time is at
  // or before this (due soon = due_after now, warned_by now). A case with
  // no warn_time does not match.
  std::optional<absl::Time> warned_by;
};

// OK, or INVALID_ARGUMENT naming the field: due_after, due_before and
// warned_by need the due-time order.
absl::Status ValidateQuery(const CaseQuery& query);

// How a query is answered: ranges of one idx_list index, merged in order.
struct QueryPlan {
  ListIndex index = ListIndex::kAll;
  // One range per prefix (one per organisation for the per-org indexes),
  // sorted and unique.
  std::vector<std::string> prefixes;
  // Positions (ListPosition / ListTimeBound) every range is cut to: at or
  // after `lower`, before `upper`; "" for no bound. Creation times for the
  // creation orders, due times (due_after, due_before) for kDueAsc.
  std::string lower;
  std::string upper;
  bool descending = false;
  // Nothing can match (created_after >= created_before, or due_after >=
  // due_before).
  bool empty = false;
};

// The index with the fewest entries to examine, by a fixed preference:
// kDueAsc reads d (D per organisation when organisations are given); the
// creation orders read the first of u (suggester), p (point), O (per
// organisation, with a state) or o (per organisation), c (campaign),
// s (state), a (every case) whose filter the query sets.
QueryPlan PlanQuery(const CaseQuery& query);

// True when the entry passes every filter of `query`.
bool MatchesQuery(const CaseQuery& query, const ListEntry& entry);

// 8 bytes identifying the query's meaning (organisation order and
// duplicates do not count): page tokens carry it.
std::string QueryDigest(const CaseQuery& query);

// Index entries one page may examine: max(10 × page size, 1000). A page
// that runs out of budget ends early (possibly empty) with a next token.
uint64_t ListBudget(int page_size);

// What one ListCases call did (for tests and metrics).
struct ListCasesStats {
  ListIndex index = ListIndex::kAll;
  size_t ranges = 0;              // index ranges merged
  uint64_t entries_examined = 0;  // index entries taken from the merge
  uint64_t cases_read = 0;        // case records read (the page's cases)
};

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_CASE_QUERY_H_
