#include "services/core/stats_query.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/core/request_checks.h"
#include "workflow/rates.h"
#include "workflow/status_macros.h"
#include "workflow/transition.h"

namespace jianyan {
namespace {

using jianyan::v1::GetStatsRequest;
using jianyan::v1::StatsRow;

// The counters a row reads (docs/rates.md "GetStats"), by index.
enum Metric : int {
  kReceived,
  kRateable,
  kRated,
  kSatisfied,  // 满意 + 基本满意, the satisfaction rate's numerator
  kRatedSatisfied,
  kRatedBasicallySatisfied,
  kRatedUnsatisfied,
  kRatingExcluded,
  kClosed,
  kOneTimeResolved,
  kCompletedFirstTime,
  kAcceptanceDecided,
  kAcceptedOnTime,
  kCompletionDecided,
  kCompletedOnTime,
  kMetricCount
};

constexpr const char* kMetricNames[kMetricCount] = {"received",
                                                    "rateable",
                                                    "rated",
                                                    "satisfied",
                                                    "rated_satisfied",
                                                    "rated_basically_satisfied",
                                                    "rated_unsatisfied",
                                                    "rating_excluded",
                                                    "closed",
                                                    "one_time_resolved",
                                                    "completed_first_time",
                                                    "acceptance_decided",
                                                    "accepted_on_time",
                                                    "completion_decided",
                                                    "completed_on_time"};

using Counts = std::array<uint64_t, kMetricCount>;

// The metric's index, or -1 for counters no row reads.
int MetricIndex(const std::string& name) {
  static const auto* index = [] {
    auto* m = new absl::flat_hash_map<std::string, int>();
    for (int i = 0; i < kMetricCount; ++i) (*m)[kMetricNames[i]] = i;
    return m;
  }();
  auto it = index->find(name);
  return it == index->end() ? -1 : it->second;
}

absl::Status Bad(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

absl::StatusOr<absl::CivilDay> DayOf(bool present, const jianyan::v1::Date& d,
                                     absl::string_view field) {
  if (!present) return Bad(field, "required");
  const absl::CivilDay day(d.year(), d.month(), d.day());
  if (d.year() < 1 || d.year() > 9999 || day.year() != d.year() ||
      day.month() != d.month() || day.day() != d.day()) {
    return Bad(field, "not a valid date");
  }
  return day;
}

// One period of the request: what ReadCounters is asked and the row label.
struct PeriodSpec {
  storage::Period period;
  absl::CivilDay day;  // any day of the period
  std::string label;   // "2026-11-28" or "2026-11"
};

absl::StatusOr<std::vector<PeriodSpec>> PeriodsOf(const GetStatsRequest& r) {
  if (r.period() == jianyan::v1::STATS_PERIOD_UNSPECIFIED) {
    return Bad("period", "required");
  }
  if (!jianyan::v1::StatsPeriod_IsValid(r.period())) {
    return Bad("period", "unknown value");
  }
  JY_ASSIGN_OR_RETURN(absl::CivilDay from,
                      DayOf(r.has_from(), r.from(), "from"));
  JY_ASSIGN_OR_RETURN(absl::CivilDay to, DayOf(r.has_to(), r.to(), "to"));
  if (to < from) return Bad("to", "before from");
  std::vector<PeriodSpec> out;
  if (r.period() == jianyan::v1::STATS_PERIOD_DAY) {
    if (to - from + 1 > kStatsMaxDays) {
      return Bad(
          "to", absl::StrCat("day rows span at most ", kStatsMaxDays, " days"));
    }
    for (absl::CivilDay d = from; d <= to; ++d) {
      out.push_back({storage::Period::kDay, d, absl::FormatCivilTime(d)});
    }
    return out;
  }
  const absl::CivilMonth first(from), last(to);
  if (last - first + 1 > kStatsMaxMonths) {
    return Bad("to", absl::StrCat("month rows span at most ", kStatsMaxMonths,
                                  " months"));
  }
  for (absl::CivilMonth m = first; m <= last; ++m) {
    out.push_back(
        {storage::Period::kMonth, absl::CivilDay(m), absl::FormatCivilTime(m)});
  }
  return out;
}

// Which organisations' counters a request reads and which rows they feed.
class OrgSelection {
 public:
  // `top`: the organisation whose subtree bounds the selection; empty for
  // every organisation. `own_only`: only `top`'s own counters.
  OrgSelection(const OrgDirectory& orgs, std::string top, bool own_only,
               bool subtree_rows)
      : orgs_(orgs),
        top_(std::move(top)),
        own_only_(own_only),
        subtree_rows_(subtree_rows) {
    if (!top_.empty() && !own_only_) {
      for (std::string& o : orgs_.Subtree(top_)) members_.insert(std::move(o));
    }
  }

  // True when counters attributed to `org` count at all.
  bool Includes(const std::string& org) const {
    if (top_.empty()) return true;
    return own_only_ ? org == top_ : members_.contains(org);
  }

  // The organisation rows a counter of `org` adds to: `org` itself, and
  // with subtree rows each organisation above it up to `top`.
  const std::vector<std::string>& RowsOf(const std::string& org) {
    auto [it, inserted] = rows_.try_emplace(org);
    if (!inserted) return it->second;
    it->second.push_back(org);
    if (!subtree_rows_ || org == top_) return it->second;
    for (std::string& a : orgs_.Ancestors(org)) {
      const bool last = a == top_;
      it->second.push_back(std::move(a));
      if (last) break;
    }
    return it->second;
  }

 private:
  const OrgDirectory& orgs_;
  const std::string top_;
  const bool own_only_;
  const bool subtree_rows_;
  absl::flat_hash_set<std::string> members_;
  absl::flat_hash_map<std::string, std::vector<std::string>> rows_;
};

// Group key: (kind number, "") for kind rows, (0, id) for the others, so
// that std::map orders rows as the response lists them.
using GroupKey = std::pair<int, std::string>;

// Sums one period's counters into rows. Counters come in key order, so
// consecutive ones of one (organisation, point, kind) cell share the rows
// they add to: those are looked up once per cell.
class RowSums {
 public:
  RowSums(OrgSelection& selection, jianyan::v1::StatsGroup group)
      : selection_(selection), group_(group) {}

  void Add(const storage::CounterId& id, int metric, uint64_t value) {
    if (!valid_ || id.kind != kind_ || id.organisation_id != org_ ||
        id.reporting_point_id != point_) {
      Retarget(id);
    }
    for (Counts* t : targets_) (*t)[metric] += value;
  }

  const std::map<GroupKey, Counts>& rows() const { return rows_; }

 private:
  void Retarget(const storage::CounterId& id) {
    valid_ = true;
    org_ = id.organisation_id;
    point_ = id.reporting_point_id;
    kind_ = id.kind;
    targets_.clear();
    if (!selection_.Includes(org_)) return;
    switch (group_) {
      case jianyan::v1::STATS_GROUP_ORGANISATION:
        for (const std::string& r : selection_.RowsOf(org_)) {
          targets_.push_back(&rows_[GroupKey(0, r)]);
        }
        break;
      case jianyan::v1::STATS_GROUP_REPORTING_POINT:
        targets_.push_back(&rows_[GroupKey(0, point_)]);
        break;
      default:
        targets_.push_back(&rows_[GroupKey(kind_, "")]);
        break;
    }
  }

  OrgSelection& selection_;
  const jianyan::v1::StatsGroup group_;
  bool valid_ = false;  // org_, point_, kind_ name the current cell
  std::string org_;
  std::string point_;
  jianyan::v1::CaseKind kind_ = jianyan::v1::CASE_KIND_UNSPECIFIED;
  std::vector<Counts*> targets_;  // stable: std::map nodes do not move
  std::map<GroupKey, Counts> rows_;
};

bool AllZero(const StatsRow& r) {
  return r.received() == 0 && r.rateable() == 0 && r.rated() == 0 &&
         r.satisfied() == 0 && r.basically_satisfied() == 0 &&
         r.unsatisfied() == 0 && r.closed() == 0 &&
         r.resolved_first_time() == 0 && r.accepted() == 0 &&
         r.accepted_on_time() == 0 && r.completed() == 0 &&
         r.completed_on_time() == 0;
}

// Counts and rates of one row (docs/rates.md, "GetStats").
void FillRow(const Counts& c, StatsRow* row) {
  row->set_received(c[kReceived]);
  row->set_rateable(c[kRateable]);
  row->set_rated(c[kRated]);
  row->set_satisfied(c[kRatedSatisfied]);
  row->set_basically_satisfied(c[kRatedBasicallySatisfied]);
  row->set_unsatisfied(c[kRatedUnsatisfied]);
  row->set_closed(c[kClosed]);
  row->set_resolved_first_time(c[kOneTimeResolved]);
  row->set_accepted(c[kAcceptanceDecided]);
  row->set_accepted_on_time(c[kAcceptedOnTime]);
  row->set_completed(c[kCompletionDecided]);
  row->set_completed_on_time(c[kCompletedOnTime]);
  std::map<std::string, uint64_t> totals;
  for (int i = 0; i < kMetricCount; ++i) {
    if (c[i] != 0) totals[kMetricNames[i]] = c[i];
  }
  const Rates rates = ComputeRates(totals);
  row->set_participation_rate(rates.participation);
  row->set_satisfaction_rate(rates.satisfaction);
  row->set_one_time_resolution_rate(rates.one_time_resolution);
  row->set_timely_acceptance_rate(rates.timely_acceptance);
  row->set_on_time_completion_rate(rates.on_time_completion);
}

}  // namespace

absl::StatusOr<jianyan::v1::GetStatsResponse> StatsQuery::Run(
    const jianyan::v1::Actor& caller, const GetStatsRequest& request) const {
  // Validation, in field order; nothing is read before it passes.
  JY_ASSIGN_OR_RETURN(std::vector<PeriodSpec> periods, PeriodsOf(request));
  const auto group = request.group_by();
  if (group == jianyan::v1::STATS_GROUP_UNSPECIFIED) {
    return Bad("group_by", "required");
  }
  if (!jianyan::v1::StatsGroup_IsValid(group)) {
    return Bad("group_by", "unknown value");
  }
  const std::string& org = request.organisation_id();
  JY_RETURN_IF_ERROR(CheckOptionalIdentifier(org, "organisation_id"));
  if (!org.empty() && !orgs_.Get(org).has_value()) {
    return Bad("organisation_id", "unknown organisation");
  }
  const std::string& point = request.reporting_point_id();
  JY_RETURN_IF_ERROR(CheckOptionalIdentifier(point, "reporting_point_id"));
  if (!point.empty()) {
    absl::Status s = store_.GetReportingPoint(point).status();
    if (absl::IsNotFound(s)) {
      return Bad("reporting_point_id", "unknown reporting point");
    }
    JY_RETURN_IF_ERROR(s);
  }
  const auto kind = request.kind();
  if (!jianyan::v1::CaseKind_IsValid(kind)) return Bad("kind", "unknown value");

  // Scope (access_policy.h): a supervisor's subtree, everything for
  // administrators and services.
  std::string top = org;
  switch (caller.role()) {
    case jianyan::v1::ROLE_ADMIN:
    case jianyan::v1::ROLE_SERVICE:
      break;
    case jianyan::v1::ROLE_SUPERVISOR:
      if (caller.organisation_id().empty()) {
        return absl::PermissionDeniedError(
            "a supervisor without an organisation may not read statistics");
      }
      if (org.empty()) {
        top = caller.organisation_id();
      } else if (!orgs_.IsWithin(org, caller.organisation_id())) {
        return absl::PermissionDeniedError(
            "organisation_id: outside the caller's scope (a supervisor reads "
            "its organisation and those below it)");
      }
      break;
    default:
      return absl::PermissionDeniedError(absl::StrCat(
          "role '", RoleName(caller.role()), "' may not read statistics"));
  }
  // An explicit filter without include_subtree reads that organisation's
  // own counters; the implicit supervisor scope is always its subtree.
  const bool own_only = !org.empty() && !request.include_subtree();
  OrgSelection selection(orgs_, top, own_only,
                         request.include_subtree() &&
                             group == jianyan::v1::STATS_GROUP_ORGANISATION);

  jianyan::v1::GetStatsResponse out;
  for (const PeriodSpec& p : periods) {
    // One prefix scan per period: narrowed to the organisation (and point)
    // when only its own counters count, else the whole period.
    JY_ASSIGN_OR_RETURN(std::vector<storage::CounterValue> counters,
                        own_only
                            ? store_.ReadCounters(p.period, p.day, org, point)
                            : store_.ReadCounters(p.period, p.day, "", ""));
    RowSums sums(selection, group);
    for (const storage::CounterValue& v : counters) {
      const int m = MetricIndex(v.id.metric);
      if (m < 0 || v.value == 0) continue;
      if (!point.empty() && v.id.reporting_point_id != point) continue;
      if (kind != jianyan::v1::CASE_KIND_UNSPECIFIED && v.id.kind != kind) {
        continue;
      }
      sums.Add(v.id, m, v.value);
    }
    for (const auto& [key, counts] : sums.rows()) {
      StatsRow row;
      FillRow(counts, &row);
      if (AllZero(row)) continue;
      row.set_period(p.label);
      row.set_organisation_id(
          group == jianyan::v1::STATS_GROUP_ORGANISATION ? key.second : org);
      row.set_reporting_point_id(
          group == jianyan::v1::STATS_GROUP_REPORTING_POINT ? key.second
                                                            : point);
      row.set_kind(group == jianyan::v1::STATS_GROUP_KIND
                       ? static_cast<jianyan::v1::CaseKind>(key.first)
                       : kind);
      *out.add_rows() = std::move(row);
    }
  }
  return out;
}

}  // namespace jianyan
