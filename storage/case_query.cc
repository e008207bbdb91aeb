#include "storage/case_query.h"

#include <algorithm>

#include "storage/key_coding.h"
#include "workflow/sha256.h"

namespace jianyan::storage {
namespace {

// Sorted, unique.
std::vector<std::string> Organisations(const CaseQuery& q) {
  std::vector<std::string> orgs = q.organisation_ids;
  std::sort(orgs.begin(), orgs.end());
  orgs.erase(std::unique(orgs.begin(), orgs.end()), orgs.end());
  return orgs;
}

}  // namespace

QueryPlan PlanQuery(const CaseQuery& q) {
  QueryPlan plan;
  plan.descending = q.order == CaseOrder::kCreateDesc;
  const std::vector<std::string> orgs = Organisations(q);
  auto per_org = [&](ListIndex index, bool with_state) {
    plan.index = index;
    for (const std::string& org : orgs) {
      plan.prefixes.push_back(with_state
                                  ? ListIndexPrefix(index, {org, q.state})
                                  : ListIndexPrefix(index, {org}));
    }
  };
  auto single = [&](ListIndex index, const std::string& field) {
    plan.index = index;
    plan.prefixes.push_back(field.empty() ? ListIndexPrefix(index, {})
                                          : ListIndexPrefix(index, {field}));
  };
  if (q.order == CaseOrder::kDueAsc) {
    // Positions are due times here: the creation range stays a filter.
    if (q.due_after) plan.lower = ListTimeBound(*q.due_after);
    if (q.due_before) plan.upper = ListTimeBound(*q.due_before);
    if (!orgs.empty()) {
      per_org(ListIndex::kOrgDue, false);
    } else {
      single(ListIndex::kDue, "");
    }
  } else {
    if (q.created_after) plan.lower = ListTimeBound(*q.created_after);
    if (q.created_before) plan.upper = ListTimeBound(*q.created_before);
    if (!q.suggester_id.empty()) {
      single(ListIndex::kSuggester, q.suggester_id);
    } else if (!q.reporting_point_id.empty()) {
      single(ListIndex::kPoint, q.reporting_point_id);
    } else if (!orgs.empty()) {
      per_org(q.state.empty() ? ListIndex::kOrg : ListIndex::kOrgState,
              !q.state.empty());
    } else if (!q.campaign_id.empty()) {
      single(ListIndex::kCampaign, q.campaign_id);
    } else if (!q.state.empty()) {
      single(ListIndex::kState, q.state);
    } else {
      single(ListIndex::kAll, "");
    }
  }
  plan.empty =
      !plan.lower.empty() && !plan.upper.empty() && plan.lower >= plan.upper;
  if (q.created_after && q.created_before &&
      ListTimeBound(*q.created_after) >= ListTimeBound(*q.created_before)) {
    plan.empty = true;
  }
  return plan;
}

bool MatchesQuery(const CaseQuery& q, const ListEntry& e) {
  if (!q.state.empty() && e.state != q.state) return false;
  if (!q.reporting_point_id.empty() &&
      e.reporting_point_id != q.reporting_point_id) {
    return false;
  }
  if (!q.campaign_id.empty() && e.campaign_id != q.campaign_id) return false;
  if (!q.suggester_id.empty() && e.suggester_id != q.suggester_id) {
    return false;
  }
  if (q.kind != jianyan::v1::CASE_KIND_UNSPECIFIED &&
      e.kind != static_cast<int32_t>(q.kind)) {
    return false;
  }
  // Compared as stored: microseconds.
  const uint64_t created = OrderedTime(e.create_time);
  if (q.created_after && created < OrderedTime(*q.created_after)) return false;
  if (q.created_before && created >= OrderedTime(*q.created_before)) {
    return false;
  }
  if (q.order == CaseOrder::kDueAsc && !e.open) return false;
  if (e.escalation_level < static_cast<int32_t>(q.min_escalation_level)) {
    return false;
  }
  if (q.warned_by &&
      (!e.warn_time || OrderedTime(*e.warn_time) > OrderedTime(*q.warned_by))) {
    return false;
  }
  if (!q.organisation_ids.empty() &&
      std::none_of(q.organisation_ids.begin(), q.organisation_ids.end(),
                   [&](const std::string& org) {
                     return std::binary_search(e.organisation_ids.begin(),
                                               e.organisation_ids.end(), org);
                   })) {
    return false;
  }
  return true;
}

std::string QueryDigest(const CaseQuery& q) {
  std::string s;
  for (const std::string* f :
       {&q.state, &q.reporting_point_id, &q.campaign_id, &q.suggester_id}) {
    PutOrderedString(&s, *f);
  }
  PutFixed64BE(&s, static_cast<uint64_t>(q.kind));
  for (const std::optional<absl::Time>& t :
       {q.created_after, q.created_before, q.due_after, q.due_before,
        q.warned_by}) {
    s.push_back(t ? 1 : 0);
    PutFixed64BE(&s, t ? OrderedTime(*t) : 0);
  }
  s.push_back(static_cast<char>(q.order));
  PutFixed64BE(&s, static_cast<uint64_t>(q.min_escalation_level));
  for (const std::string& org : Organisations(q)) PutOrderedString(&s, org);
  return Sha256Digest(s).substr(0, 8);
}

absl::Status ValidateQuery(const CaseQuery& q) {
  if (q.order == CaseOrder::kDueAsc) return absl::OkStatus();
  if (q.due_after) {
    return absl::InvalidArgumentError("due_after: needs the due-time order");
  }
  if (q.due_before) {
    return absl::InvalidArgumentError("due_before: needs the due-time order");
  }
  if (q.warned_by) {
    return absl::InvalidArgumentError("warned_by: needs the due-time order");
  }
  return absl::OkStatus();
}

uint64_t ListBudget(int page_size) {
  return std::max<uint64_t>(10 * static_cast<uint64_t>(page_size), 1000);
}

}  // namespace jianyan::storage
