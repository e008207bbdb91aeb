#include "services/core/intake_checks.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/core/request_checks.h"
#include "workflow/status_macros.h"
#include "workflow/time_util.h"
#include "workflow/transition.h"

namespace jianyan {
namespace {

using jianyan::v1::Case;

absl::Status Bad(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("case.", field, ": ", what));
}

absl::Status Required(const std::string& value, absl::string_view field,
                      size_t max) {
  if (value.empty()) return Bad(field, "required");
  return CheckText(value, absl::StrCat("case.", field), max);
}

bool IsHex64(absl::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) &&
        !(c >= 'a' && c <= 'f')) {
      return false;
    }
  }
  return true;
}

absl::Status CheckSubmitter(const Case& c) {
  const auto& s = c.submitter();
  if (s.representatives_size() > kMaxRepresentatives) {
    return Bad("submitter.representatives",
               absl::StrCat("at most ", kMaxRepresentatives));
  }
  if (s.anonymous() && c.kind() != jianyan::v1::CASE_KIND_SUGGESTION) {
    return Bad("submitter.anonymous", "allowed for suggestions only");
  }
  if (c.kind() == jianyan::v1::CASE_KIND_PETITION &&
      s.representatives_size() == 0) {
    return Bad("submitter.representatives", "a petition names 1..5 people");
  }
  for (int i = 0; i < s.representatives_size(); ++i) {
    const auto& p = s.representatives(i);
    const std::string at =
        absl::StrCat("case.submitter.representatives[", i, "].");
    if (p.name().empty())
      return Bad(absl::StrCat(at.substr(5), "name"), "required");
    JY_RETURN_IF_ERROR(CheckText(p.name(), at + "name", 100));
    // The edge folds full-width digits; the core takes ASCII only, so that
    // masking by position stays valid UTF-8.
    if (p.phone().size() > 20 ||
        p.phone().find_first_not_of("0123456789+- ") != std::string::npos) {
      return absl::InvalidArgumentError(
          at + "phone: at most 20 of the characters 0-9 + - and space");
    }
    JY_RETURN_IF_ERROR(CheckText(p.id_number(), at + "id_number", 18));
    JY_RETURN_IF_ERROR(CheckText(p.address(), at + "address", 500));
  }
  return CheckOptionalIdentifier(s.suggester_id(),
                                 "case.submitter.suggester_id");
}

// OK when `kind` holds no record at all (the deployment keeps no list) or
// `found` is an active record; INVALID_ARGUMENT naming `field` otherwise.
template <typename Record>
absl::Status InClosedList(storage::CaseStore& store,
                          storage::DirectoryKind kind,
                          const absl::StatusOr<Record>& found,
                          absl::string_view field, absl::string_view what) {
  if (found.ok()) {
    return found->active() ? absl::OkStatus()
                           : Bad(field, absl::StrCat("inactive ", what));
  }
  if (!absl::IsNotFound(found.status())) return found.status();
  storage::PageRequest page;
  page.page_size = 1;
  std::string next;
  JY_ASSIGN_OR_RETURN(std::vector<std::string> any,
                      store.ListDirectory(kind, page, &next));
  return any.empty() ? absl::OkStatus()
                     : Bad(field, absl::StrCat("unknown ", what));
}

absl::Status CheckCampaign(storage::CaseStore& store, absl::Time now,
                           const Case& c) {
  absl::StatusOr<jianyan::v1::Campaign> campaign =
      store.GetCampaign(c.campaign_id());
  if (absl::IsNotFound(campaign.status())) {
    return Bad("campaign_id", "unknown campaign");
  }
  if (!campaign.ok()) return campaign.status();
  bool theme_found = c.theme_id().empty();
  for (const auto& t : campaign->themes()) {
    theme_found = theme_found || t.id() == c.theme_id();
  }
  if (!theme_found) return Bad("theme_id", "not a theme of the campaign");
  if (campaign->has_open_time() && now < FromProto(campaign->open_time())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "case.campaign_id: campaign ", c.campaign_id(), " is not open yet"));
  }
  if (campaign->has_close_time() && now >= FromProto(campaign->close_time())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "case.campaign_id: campaign ", c.campaign_id(), " is closed"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckCaseIntake(storage::CaseStore& store, absl::Time now,
                             Case& c) {
  if (c.kind() == jianyan::v1::CASE_KIND_UNSPECIFIED ||
      !jianyan::v1::CaseKind_IsValid(c.kind())) {
    return Bad("kind", "must be CASE_KIND_PETITION or CASE_KIND_SUGGESTION");
  }
  if (!jianyan::v1::PetitionType_IsValid(c.petition_type())) {
    return Bad("petition_type", "unknown value");
  }
  if (c.kind() == jianyan::v1::CASE_KIND_PETITION &&
      c.petition_type() == jianyan::v1::PETITION_TYPE_UNSPECIFIED) {
    return Bad("petition_type", "required for petitions");
  }
  if (c.kind() == jianyan::v1::CASE_KIND_SUGGESTION &&
      c.petition_type() != jianyan::v1::PETITION_TYPE_UNSPECIFIED) {
    return Bad("petition_type", "only petitions have a petition type");
  }
  if (!jianyan::v1::Channel_IsValid(c.channel())) {
    return Bad("channel", "unknown value");
  }
  JY_RETURN_IF_ERROR(Required(c.title(), "title", kMaxTitle));
  JY_RETURN_IF_ERROR(Required(c.content(), "content", kMaxContent));
  JY_RETURN_IF_ERROR(CheckText(c.category(), "case.category", 100));
  JY_RETURN_IF_ERROR(CheckText(c.region_code(), "case.region_code", 12));
  if (!c.region_code().empty()) {
    JY_RETURN_IF_ERROR(InClosedList(store, storage::DirectoryKind::kRegion,
                                    store.GetRegion(c.region_code()),
                                    "region_code",
                                    "division of this deployment"));
  }
  if (!c.category().empty()) {
    JY_RETURN_IF_ERROR(InClosedList(store, storage::DirectoryKind::kCategory,
                                    store.GetCategory(c.category()), "category",
                                    "category"));
  }
  if (c.attachments_size() > kMaxAttachments) {
    return Bad("attachments", absl::StrCat("at most ", kMaxAttachments));
  }
  for (int i = 0; i < c.attachments_size(); ++i) {
    const auto& a = c.attachments(i);
    const std::string at = absl::StrCat("attachments[", i, "].");
    if (!IsHex64(a.sha256())) {
      return Bad(at + "sha256", "64 lower-case hex characters");
    }
    JY_RETURN_IF_ERROR(
        CheckText(a.media_type(), "case." + at + "media_type", 100));
    JY_RETURN_IF_ERROR(CheckText(a.name(), "case." + at + "name", 255));
  }
  JY_RETURN_IF_ERROR(CheckSubmitter(c));

  JY_RETURN_IF_ERROR(CheckOptionalIdentifier(c.reporting_point_id(),
                                             "case.reporting_point_id"));
  if (!c.reporting_point_id().empty()) {
    absl::StatusOr<jianyan::v1::ReportingPoint> point =
        store.GetReportingPoint(c.reporting_point_id());
    if (absl::IsNotFound(point.status())) {
      return Bad("reporting_point_id", "unknown reporting point");
    }
    if (!point.ok()) return point.status();
    if (c.routing_organisation_id().empty()) {
      c.set_routing_organisation_id(point->organisation_id());
    }
  }
  if (c.routing_organisation_id().empty() && !c.campaign_id().empty()) {
    // A suggester's campaign suggestion: registered by the sponsor.
    absl::StatusOr<jianyan::v1::Campaign> campaign =
        store.GetCampaign(c.campaign_id());
    if (absl::IsNotFound(campaign.status())) {
      return Bad("campaign_id", "unknown campaign");
    }
    if (!campaign.ok()) return campaign.status();
    c.set_routing_organisation_id(campaign->organisation_id());
  }
  JY_RETURN_IF_ERROR(CheckIdentifier(c.routing_organisation_id(),
                                     "case.routing_organisation_id"));
  absl::StatusOr<jianyan::v1::Organisation> org =
      store.GetOrganisation(c.routing_organisation_id());
  if (absl::IsNotFound(org.status())) {
    return Bad("routing_organisation_id", "unknown organisation");
  }
  if (!org.ok()) return org.status();

  JY_RETURN_IF_ERROR(
      CheckOptionalIdentifier(c.campaign_id(), "case.campaign_id"));
  JY_RETURN_IF_ERROR(CheckOptionalIdentifier(c.theme_id(), "case.theme_id"));
  if (!c.theme_id().empty() && c.campaign_id().empty()) {
    return Bad("theme_id", "needs campaign_id");
  }
  if (!c.campaign_id().empty())
    JY_RETURN_IF_ERROR(CheckCampaign(store, now, c));
  return absl::OkStatus();
}

absl::Status CheckRepeatedMatter(storage::CaseStore& store,
                                 const DefinitionRegistry& registry, Case& c) {
  c.clear_possible_repeat_of();
  if (c.kind() != jianyan::v1::CASE_KIND_PETITION || c.category().empty()) {
    return absl::OkStatus();
  }
  std::vector<std::string> open;
  const auto& people = c.submitter().representatives();
  for (int i = 0; i < people.size(); ++i) {
    JY_ASSIGN_OR_RETURN(std::vector<std::string> earlier,
                        store.MatterCases(people[i].id_number(), c.category()));
    for (const std::string& no : earlier) {
      JY_ASSIGN_OR_RETURN(jianyan::v1::StoredCase stored, store.GetCase(no));
      const Case& old = stored.case_();
      absl::StatusOr<DefinitionPtr> def =
          registry.Pinned(old.definition_name(), old.definition_version());
      if (!def.ok()) {
        return absl::InternalError(absl::StrCat(
            "case ", no, " (same matter): ", def.status().message()));
      }
      if (BarsResubmission(**def, old)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "case.submitter.representatives[", i,
            "].id_number: the same matter (category ", c.category(),
            ") was concluded in case ", no, " (state ", old.state(),
            "); it may not be raised again (信访工作条例 Art 36)"));
      }
      if (old.open()) open.push_back(no);
    }
  }
  std::sort(open.begin(), open.end());
  open.erase(std::unique(open.begin(), open.end()), open.end());
  for (std::string& no : open) c.add_possible_repeat_of(std::move(no));
  return absl::OkStatus();
}

}  // namespace jianyan
