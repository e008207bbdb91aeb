#include "storage/index_entries.h"

#include <algorithm>

#include "storage/index_keys.h"
#include "storage/timer_key.h"
#include "workflow/clock.h"
#include "workflow/time_util.h"

namespace jianyan::storage {

std::vector<IndexEntry> DeriveIndexEntries(const jianyan::v1::Case& c) {
  std::vector<IndexEntry> out;
  const std::string& no = c.case_number();
  absl::Time created = FromProto(c.create_time());
  if (!c.state().empty()) {
    out.push_back({Cf::kIdxState, StateIndexKey(c.state(), created, no), no});
  }
  if (!c.handling_organisation_id().empty()) {
    out.push_back(
        {Cf::kIdxOrg,
         OrgIndexKey(c.handling_organisation_id(), c.state(), created, no),
         no});
  }
  if (!c.reporting_point_id().empty()) {
    out.push_back({Cf::kIdxPoint,
                   PointIndexKey(c.reporting_point_id(), created, no), no});
  }
  if (!c.campaign_id().empty()) {
    out.push_back(
        {Cf::kIdxCampaign, CampaignIndexKey(c.campaign_id(), created, no), no});
  }
  if (c.open() && c.has_due_time()) {
    out.push_back(
        {Cf::kIdxDeadline, DeadlineIndexKey(FromProto(c.due_time()), no), no});
  }
  for (const auto& d : c.deadlines()) {
    if (!d.has_due_time() || d.paused()) continue;
    out.push_back(
        {Cf::kTimers, TimerKey({FromProto(d.due_time()), no, d.timer()}), ""});
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<CounterId> CounterIdsFor(const jianyan::v1::CounterRecord& r) {
  absl::CivilDay day =
      absl::ToCivilDay(FromProto(r.time()), jianyan::ChinaTimeZone());
  std::vector<CounterId> out;
  for (Period p : {Period::kDay, Period::kMonth}) {
    out.push_back({p, PeriodLabel(p, day), r.organisation_id(),
                   r.reporting_point_id(), r.kind(), r.metric()});
  }
  return out;
}

}  // namespace jianyan::storage
