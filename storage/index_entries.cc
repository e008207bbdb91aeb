#include "storage/index_entries.h"

#include <algorithm>

#include "storage/index_keys.h"
#include "storage/timer_key.h"
#include "workflow/clock.h"
#include "workflow/time_util.h"

namespace jianyan::storage {

std::vector<IndexEntry> DeriveIndexEntries(const jianyan::v1::Case& c,
                                           absl::string_view matter_salt) {
  std::vector<IndexEntry> out;
  const std::string& no = c.case_number();
  for (const auto& d : c.deadlines()) {
    if (!d.has_due_time() || d.paused()) continue;
    const absl::Time due = FromProto(d.due_time());
    out.push_back({Cf::kTimers, TimerKey({due, no, d.timer()}), ""});
    if (d.has_warn_time() && !d.warned() && FromProto(d.warn_time()) < due) {
      out.push_back({Cf::kTimers,
                     TimerKey({FromProto(d.warn_time()), no, d.timer(), true}),
                     ""});
    }
  }
  for (IndexEntry& e : ListEntries(c)) out.push_back(std::move(e));
  for (IndexEntry& e : MatterEntries(c, matter_salt)) {
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<IndexEntry> MatterEntries(const jianyan::v1::Case& c,
                                      absl::string_view matter_salt) {
  std::vector<IndexEntry> out;
  if (c.kind() != jianyan::v1::CASE_KIND_PETITION || c.category().empty()) {
    return out;
  }
  for (const auto& p : c.submitter().representatives()) {
    if (p.id_number().empty()) continue;
    out.push_back({Cf::kIdxMatter,
                   MatterIndexKey(MatterIdHash(matter_salt, p.id_number()),
                                  c.category(), c.case_number()),
                   c.case_number()});
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> ListOrganisations(const jianyan::v1::Case& c) {
  std::vector<std::string> orgs(c.co_handler_organisation_ids().begin(),
                                c.co_handler_organisation_ids().end());
  orgs.push_back(c.handling_organisation_id().empty()
                     ? c.routing_organisation_id()
                     : c.handling_organisation_id());
  orgs.erase(std::remove(orgs.begin(), orgs.end(), std::string()), orgs.end());
  std::sort(orgs.begin(), orgs.end());
  orgs.erase(std::unique(orgs.begin(), orgs.end()), orgs.end());
  return orgs;
}

ListEntry ListEntryOf(const jianyan::v1::Case& c) {
  ListEntry e;
  e.case_number = c.case_number();
  e.kind = static_cast<int32_t>(c.kind());
  e.create_time = FromProto(c.create_time());
  e.open = c.open();
  e.state = c.state();
  e.reporting_point_id = c.reporting_point_id();
  e.campaign_id = c.campaign_id();
  e.suggester_id = c.submitter().suggester_id();
  e.organisation_ids = ListOrganisations(c);
  e.escalation_level = static_cast<int32_t>(c.escalation_level());
  for (const auto& d : c.deadlines()) {
    if (!d.has_due_time() || d.paused() || !d.has_warn_time()) continue;
    const absl::Time warn = FromProto(d.warn_time());
    if (!e.warn_time || warn < *e.warn_time) e.warn_time = warn;
  }
  return e;
}

std::vector<IndexEntry> ListEntries(const jianyan::v1::Case& c) {
  const ListEntry entry = ListEntryOf(c);
  const std::string value = EncodeListEntry(entry);
  const std::string created = ListPosition(entry.create_time, c.case_number());
  std::vector<IndexEntry> out;
  auto add = [&](const std::string& prefix, const std::string& position) {
    out.push_back({Cf::kIdxList, prefix + position, value});
  };
  auto add_if = [&](ListIndex index, const std::string& field) {
    if (!field.empty()) add(ListIndexPrefix(index, {field}), created);
  };
  add(ListIndexPrefix(ListIndex::kAll, {}), created);
  add_if(ListIndex::kState, entry.state);
  add_if(ListIndex::kPoint, entry.reporting_point_id);
  add_if(ListIndex::kCampaign, entry.campaign_id);
  add_if(ListIndex::kSuggester, entry.suggester_id);
  for (const std::string& org : entry.organisation_ids) {
    add(ListIndexPrefix(ListIndex::kOrg, {org}), created);
    if (!entry.state.empty()) {
      add(ListIndexPrefix(ListIndex::kOrgState, {org, entry.state}), created);
    }
  }
  if (c.open() && c.has_due_time()) {
    const std::string due =
        ListPosition(FromProto(c.due_time()), c.case_number());
    add(ListIndexPrefix(ListIndex::kDue, {}), due);
    for (const std::string& org : entry.organisation_ids) {
      add(ListIndexPrefix(ListIndex::kOrgDue, {org}), due);
    }
  }
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
