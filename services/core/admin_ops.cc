#include "services/core/admin_ops.h"

#include <filesystem>
#include <set>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/core/request_checks.h"
#include "workflow/status_macros.h"
#include "workflow/time_util.h"

namespace jianyan {
namespace {

namespace fs = std::filesystem;
using storage::DirectoryKind;

constexpr int kListDefault = 100, kListMax = 1000;
constexpr size_t kMaxTextproto = 1 << 20;

absl::Status CheckOptionalRequestId(const std::string& id) {
  return id.empty() ? absl::OkStatus() : CheckRequestId(id);
}

absl::Status CheckLabel(const jianyan::v1::Label& label,
                        const std::string& field) {
  if (label.zh().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ".zh: required"));
  }
  JY_RETURN_IF_ERROR(CheckText(label.zh(), field + ".zh", 200));
  return CheckText(label.en(), field + ".en", 200);
}

absl::StatusOr<storage::PageRequest> PageOf(const jianyan::v1::ListRequest& r) {
  storage::PageRequest page;
  JY_ASSIGN_OR_RETURN(page.page_size,
                      CheckPageSize(r.page_size(), kListDefault, kListMax));
  JY_RETURN_IF_ERROR(CheckText(r.page_token(), "page_token", 4096));
  page.page_token = r.page_token();
  return page;
}

// One page of directory records of `kind`, parsed into `add()`.
template <typename Record, typename Response, typename Add>
absl::StatusOr<Response> ListRecords(storage::CaseStore& store,
                                     DirectoryKind kind,
                                     const jianyan::v1::ListRequest& r,
                                     Add add) {
  JY_ASSIGN_OR_RETURN(storage::PageRequest page, PageOf(r));
  std::string next;
  JY_ASSIGN_OR_RETURN(std::vector<std::string> records,
                      store.ListDirectory(kind, page, &next));
  Response out;
  for (const std::string& bytes : records) {
    Record record;
    if (!record.ParseFromString(bytes)) {
      return absl::DataLossError("directory: unreadable record");
    }
    add(out, std::move(record));
  }
  out.set_next_page_token(next);
  return out;
}

absl::Status CheckDivisionCode(const std::string& code,
                               absl::string_view field) {
  if (code.size() != 6 ||
      code.find_first_not_of("0123456789") != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": must be a 6-digit administrative division code"));
  }
  return absl::OkStatus();
}

absl::Status MustExist(absl::Status found, const std::string& field,
                       absl::string_view what) {
  if (absl::IsNotFound(found)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": unknown ", what));
  }
  return found;
}

}  // namespace

absl::StatusOr<jianyan::v1::Organisation> AdminOps::PutOrganisation(
    const jianyan::v1::PutOrganisationRequest& r) {
  JY_RETURN_IF_ERROR(CheckOptionalRequestId(r.request_id()));
  jianyan::v1::Organisation org = r.organisation();
  *org.mutable_update_time() = ToProto(clock_.Now());
  JY_RETURN_IF_ERROR(orgs_.Put(org));
  return org;
}

absl::StatusOr<jianyan::v1::ListOrganisationsResponse>
AdminOps::ListOrganisations(const jianyan::v1::ListRequest& r) {
  return ListRecords<jianyan::v1::Organisation,
                     jianyan::v1::ListOrganisationsResponse>(
      store_, DirectoryKind::kOrganisation, r, [](auto& out, auto record) {
        *out.add_organisations() = std::move(record);
      });
}

absl::StatusOr<jianyan::v1::ReportingPoint> AdminOps::PutReportingPoint(
    const jianyan::v1::PutReportingPointRequest& r) {
  JY_RETURN_IF_ERROR(CheckOptionalRequestId(r.request_id()));
  jianyan::v1::ReportingPoint p = r.reporting_point();
  JY_RETURN_IF_ERROR(CheckIdentifier(p.id(), "reporting_point.id"));
  JY_RETURN_IF_ERROR(CheckLabel(p.name(), "reporting_point.name"));
  JY_RETURN_IF_ERROR(
      CheckIdentifier(p.organisation_id(), "reporting_point.organisation_id"));
  if (!orgs_.Get(p.organisation_id()).has_value()) {
    return absl::InvalidArgumentError(
        "reporting_point.organisation_id: unknown organisation");
  }
  JY_RETURN_IF_ERROR(
      CheckText(p.region_code(), "reporting_point.region_code", 12));
  JY_RETURN_IF_ERROR(CheckText(p.address(), "reporting_point.address", 500));
  *p.mutable_update_time() = ToProto(clock_.Now());
  JY_RETURN_IF_ERROR(store_.PutReportingPoint(p));
  return p;
}

absl::StatusOr<jianyan::v1::ListReportingPointsResponse>
AdminOps::ListReportingPoints(const jianyan::v1::ListRequest& r) {
  return ListRecords<jianyan::v1::ReportingPoint,
                     jianyan::v1::ListReportingPointsResponse>(
      store_, DirectoryKind::kReportingPoint, r, [](auto& out, auto record) {
        *out.add_reporting_points() = std::move(record);
      });
}

absl::StatusOr<jianyan::v1::Suggester> AdminOps::PutSuggester(
    const jianyan::v1::PutSuggesterRequest& r) {
  JY_RETURN_IF_ERROR(CheckOptionalRequestId(r.request_id()));
  jianyan::v1::Suggester s = r.suggester();
  JY_RETURN_IF_ERROR(CheckIdentifier(s.id(), "suggester.id"));
  if (s.name().empty()) {
    return absl::InvalidArgumentError("suggester.name: required");
  }
  JY_RETURN_IF_ERROR(CheckText(s.name(), "suggester.name", 100));
  JY_RETURN_IF_ERROR(CheckText(s.phone(), "suggester.phone", 32));
  JY_RETURN_IF_ERROR(CheckText(s.affiliation(), "suggester.affiliation", 200));
  if (s.expertise_size() > 20) {
    return absl::InvalidArgumentError("suggester.expertise: at most 20");
  }
  for (const std::string& e : s.expertise()) {
    JY_RETURN_IF_ERROR(CheckText(e, "suggester.expertise", 100));
  }
  *s.mutable_update_time() = ToProto(clock_.Now());
  JY_RETURN_IF_ERROR(store_.PutSuggester(s));
  return s;
}

absl::StatusOr<jianyan::v1::ListSuggestersResponse> AdminOps::ListSuggesters(
    const jianyan::v1::ListRequest& r) {
  return ListRecords<jianyan::v1::Suggester,
                     jianyan::v1::ListSuggestersResponse>(
      store_, DirectoryKind::kSuggester, r, [](auto& out, auto record) {
        *out.add_suggesters() = std::move(record);
      });
}

absl::StatusOr<jianyan::v1::Campaign> AdminOps::PutCampaign(
    const jianyan::v1::PutCampaignRequest& r) {
  JY_RETURN_IF_ERROR(CheckOptionalRequestId(r.request_id()));
  jianyan::v1::Campaign c = r.campaign();
  JY_RETURN_IF_ERROR(CheckIdentifier(c.id(), "campaign.id"));
  JY_RETURN_IF_ERROR(CheckLabel(c.title(), "campaign.title"));
  JY_RETURN_IF_ERROR(CheckText(c.description(), "campaign.description", 5000));
  std::set<std::string> themes;
  for (int i = 0; i < c.themes_size(); ++i) {
    const std::string at = absl::StrCat("campaign.themes[", i, "]");
    JY_RETURN_IF_ERROR(CheckIdentifier(c.themes(i).id(), at + ".id"));
    JY_RETURN_IF_ERROR(CheckLabel(c.themes(i).title(), at + ".title"));
    if (!themes.insert(c.themes(i).id()).second) {
      return absl::InvalidArgumentError(at + ".id: duplicate theme id");
    }
  }
  if (!c.has_open_time() || !c.has_close_time() ||
      FromProto(c.open_time()) >= FromProto(c.close_time())) {
    return absl::InvalidArgumentError(
        "campaign.close_time: open_time and close_time are required, "
        "open_time first");
  }
  JY_RETURN_IF_ERROR(
      CheckIdentifier(c.organisation_id(), "campaign.organisation_id"));
  if (!orgs_.Get(c.organisation_id()).has_value()) {
    return absl::InvalidArgumentError(
        "campaign.organisation_id: unknown organisation");
  }
  *c.mutable_update_time() = ToProto(clock_.Now());
  JY_RETURN_IF_ERROR(store_.PutCampaign(c));
  return c;
}

absl::StatusOr<jianyan::v1::ListCampaignsResponse> AdminOps::ListCampaigns(
    const jianyan::v1::ListRequest& r) {
  return ListRecords<jianyan::v1::Campaign, jianyan::v1::ListCampaignsResponse>(
      store_, DirectoryKind::kCampaign, r,
      [](auto& out, auto record) { *out.add_campaigns() = std::move(record); });
}

absl::StatusOr<jianyan::v1::Category> AdminOps::PutCategory(
    const jianyan::v1::PutCategoryRequest& r) {
  JY_RETURN_IF_ERROR(CheckOptionalRequestId(r.request_id()));
  jianyan::v1::Category c = r.category();
  if (c.name().empty()) {
    return absl::InvalidArgumentError("category.name: required");
  }
  JY_RETURN_IF_ERROR(CheckText(c.name(), "category.name", 100));
  if (absl::StripAsciiWhitespace(c.name()) != c.name()) {
    return absl::InvalidArgumentError(
        "category.name: no surrounding white space");
  }
  JY_RETURN_IF_ERROR(CheckLabel(c.label(), "category.label"));
  *c.mutable_update_time() = ToProto(clock_.Now());
  JY_RETURN_IF_ERROR(store_.PutCategory(c));
  return c;
}

absl::StatusOr<jianyan::v1::ListCategoriesResponse> AdminOps::ListCategories(
    const jianyan::v1::ListRequest& r) {
  return ListRecords<jianyan::v1::Category,
                     jianyan::v1::ListCategoriesResponse>(
      store_, DirectoryKind::kCategory, r, [](auto& out, auto record) {
        *out.add_categories() = std::move(record);
      });
}

absl::StatusOr<jianyan::v1::Region> AdminOps::PutRegion(
    const jianyan::v1::PutRegionRequest& r) {
  JY_RETURN_IF_ERROR(CheckOptionalRequestId(r.request_id()));
  jianyan::v1::Region region = r.region();
  JY_RETURN_IF_ERROR(CheckDivisionCode(region.code(), "region.code"));
  if (!region.parent_code().empty()) {
    JY_RETURN_IF_ERROR(
        CheckDivisionCode(region.parent_code(), "region.parent_code"));
    JY_RETURN_IF_ERROR(
        MustExist(store_.GetRegion(region.parent_code()).status(),
                  "region.parent_code", "region"));
  }
  JY_RETURN_IF_ERROR(CheckLabel(region.name(), "region.name"));
  *region.mutable_update_time() = ToProto(clock_.Now());
  JY_RETURN_IF_ERROR(store_.PutRegion(region));
  return region;
}

absl::StatusOr<jianyan::v1::ListRegionsResponse> AdminOps::ListRegions(
    const jianyan::v1::ListRequest& r) {
  return ListRecords<jianyan::v1::Region, jianyan::v1::ListRegionsResponse>(
      store_, DirectoryKind::kRegion, r,
      [](auto& out, auto record) { *out.add_regions() = std::move(record); });
}

absl::StatusOr<jianyan::v1::CreatePrincipalResponse> AdminOps::CreatePrincipal(
    const jianyan::v1::CreatePrincipalRequest& r) {
  JY_RETURN_IF_ERROR(CheckOptionalRequestId(r.request_id()));
  if (!r.has_principal()) {
    return absl::InvalidArgumentError("principal: required");
  }
  const jianyan::v1::Principal& p = r.principal();
  if (!jianyan::v1::Role_IsValid(p.role())) {
    return absl::InvalidArgumentError("principal.role: unknown value");
  }
  // Bindings must name existing records (the authenticator checks shape).
  JY_RETURN_IF_ERROR(CheckOptionalIdentifier(p.organisation_id(),
                                             "principal.organisation_id"));
  JY_RETURN_IF_ERROR(CheckOptionalIdentifier(p.reporting_point_id(),
                                             "principal.reporting_point_id"));
  JY_RETURN_IF_ERROR(
      CheckOptionalIdentifier(p.suggester_id(), "principal.suggester_id"));
  if (!p.organisation_id().empty() && !orgs_.Get(p.organisation_id())) {
    return absl::InvalidArgumentError(
        "principal.organisation_id: unknown organisation");
  }
  if (!p.reporting_point_id().empty()) {
    JY_RETURN_IF_ERROR(
        MustExist(store_.GetReportingPoint(p.reporting_point_id()).status(),
                  "principal.reporting_point_id", "reporting point"));
  }
  if (!p.suggester_id().empty()) {
    JY_RETURN_IF_ERROR(MustExist(store_.GetSuggester(p.suggester_id()).status(),
                                 "principal.suggester_id", "suggester"));
  }
  JY_ASSIGN_OR_RETURN(auto created, auth_.CreatePrincipal(p));
  jianyan::v1::CreatePrincipalResponse out;
  *out.mutable_principal() = std::move(created.first);
  out.set_token(std::move(created.second));
  return out;
}

absl::StatusOr<jianyan::v1::Principal> AdminOps::RevokePrincipal(
    const jianyan::v1::RevokePrincipalRequest& r) {
  JY_RETURN_IF_ERROR(CheckOptionalRequestId(r.request_id()));
  return auth_.RevokePrincipal(r.principal_id());
}

absl::StatusOr<jianyan::v1::ListPrincipalsResponse> AdminOps::ListPrincipals(
    const jianyan::v1::ListRequest& r) {
  return ListRecords<jianyan::v1::Principal,
                     jianyan::v1::ListPrincipalsResponse>(
      store_, DirectoryKind::kPrincipal, r, [](auto& out, auto record) {
        *out.add_principals() = Authenticator::Redacted(std::move(record));
      });
}

absl::StatusOr<jianyan::v1::WorkflowDefinition> AdminOps::PutWorkflowDefinition(
    const jianyan::v1::PutWorkflowDefinitionRequest& r) {
  JY_RETURN_IF_ERROR(CheckOptionalRequestId(r.request_id()));
  absl::StatusOr<DefinitionPtr> def;
  switch (r.source_case()) {
    case jianyan::v1::PutWorkflowDefinitionRequest::kDefinition:
      def = registry_.Put(r.definition());
      break;
    case jianyan::v1::PutWorkflowDefinitionRequest::kTextproto:
      if (r.textproto().size() > kMaxTextproto) {
        return absl::InvalidArgumentError("textproto: larger than 1 MiB");
      }
      def = registry_.PutText(r.textproto());
      break;
    default:
      return absl::InvalidArgumentError(
          "source: set `definition` or `textproto`");
  }
  if (!def.ok()) return def.status();
  return (*def)->proto();
}

absl::StatusOr<jianyan::v1::ListWorkflowDefinitionsResponse>
AdminOps::ListWorkflowDefinitions(const jianyan::v1::ListRequest& r) {
  JY_ASSIGN_OR_RETURN(storage::PageRequest page, PageOf(r));
  size_t offset = 0;
  if (!page.page_token.empty() && !absl::SimpleAtoi(page.page_token, &offset)) {
    return absl::InvalidArgumentError("page_token: malformed");
  }
  std::vector<DefinitionPtr> all = registry_.List("");
  if (offset > all.size()) {
    return absl::InvalidArgumentError("page_token: out of range");
  }
  jianyan::v1::ListWorkflowDefinitionsResponse out;
  size_t end = std::min(all.size(), offset + page.page_size);
  for (size_t i = offset; i < end; ++i) {
    jianyan::v1::WorkflowDefinition d = all[i]->proto();
    d.clear_states();
    d.clear_actions();
    d.clear_timers();
    *out.add_definitions() = std::move(d);
  }
  if (end < all.size()) out.set_next_page_token(absl::StrCat(end));
  return out;
}

absl::StatusOr<jianyan::v1::WorkflowDefinition> AdminOps::GetWorkflowDefinition(
    const jianyan::v1::GetWorkflowDefinitionRequest& r) {
  JY_RETURN_IF_ERROR(CheckIdentifier(r.name(), "name"));
  JY_RETURN_IF_ERROR(CheckText(r.version(), "version", 64));
  if (r.version().empty()) {
    JY_ASSIGN_OR_RETURN(DefinitionPtr def, registry_.Current(r.name()));
    return def->proto();
  }
  absl::StatusOr<DefinitionPtr> def = registry_.Pinned(r.name(), r.version());
  if (!def.ok()) {
    return absl::NotFoundError(
        absl::StrCat("definition ", r.name(), "@", r.version(), " not found"));
  }
  return (*def)->proto();
}

absl::StatusOr<jianyan::v1::CalendarYear> AdminOps::PutCalendarYear(
    const jianyan::v1::PutCalendarYearRequest& r) {
  JY_RETURN_IF_ERROR(CheckOptionalRequestId(r.request_id()));
  const jianyan::v1::CalendarYear& year = r.calendar_year();
  JY_RETURN_IF_ERROR(CheckIdentifier(year.name(), "calendar_year.name"));
  if (year.year() < 2000 || year.year() > 9999) {
    return absl::InvalidArgumentError("calendar_year.year: 2000..9999");
  }
  JY_RETURN_IF_ERROR(CheckText(year.source(), "calendar_year.source", 500));
  JY_RETURN_IF_ERROR(registry_.PutCalendarYear(year));
  return year;
}

absl::StatusOr<jianyan::v1::ListCalendarYearsResponse>
AdminOps::ListCalendarYears(const jianyan::v1::ListRequest& r) {
  return ListRecords<jianyan::v1::CalendarYear,
                     jianyan::v1::ListCalendarYearsResponse>(
      store_, DirectoryKind::kCalendarYear, r, [](auto& out, auto record) {
        *out.add_calendar_years() = std::move(record);
      });
}

absl::StatusOr<jianyan::v1::BackupResponse> AdminOps::Backup(
    const jianyan::v1::BackupRequest& r) {
  JY_RETURN_IF_ERROR(CheckOptionalRequestId(r.request_id()));
  if (backup_root_.empty()) {
    return absl::FailedPreconditionError(
        "directory: backups are off (set backup_root in the server config)");
  }
  if (r.directory().empty()) {
    return absl::InvalidArgumentError("directory: required");
  }
  JY_RETURN_IF_ERROR(CheckText(r.directory(), "directory", 1024));
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(fs::path(backup_root_), ec);
  fs::path target = fs::path(r.directory());
  if (target.is_relative()) target = root / target;
  target = fs::weakly_canonical(target, ec);
  const std::string root_s = root.string() + "/";
  if (ec || !absl::StartsWith(target.string() + "/", root_s) ||
      target == root) {
    return absl::FailedPreconditionError(absl::StrCat(
        "directory: backups are written only below the backup root ",
        root.string()));
  }
  fs::create_directories(target, ec);
  if (ec) {
    return absl::FailedPreconditionError(absl::StrCat(
        "directory: cannot create ", target.string(), ": ", ec.message()));
  }
  JY_RETURN_IF_ERROR(store_.Backup(target.string()));
  jianyan::v1::BackupResponse out;
  out.set_directory(target.string());
  for (const auto& entry : fs::recursive_directory_iterator(target, ec)) {
    if (entry.is_regular_file(ec)) {
      out.set_files(out.files() + 1);
      out.set_bytes(out.bytes() + entry.file_size(ec));
    }
  }
  uint64_t cases = 0;
  if (store_.raw_db()->GetIntProperty(store_.handle(storage::Cf::kCases),
                                      "rocksdb.estimate-num-keys", &cases)) {
    out.set_cases(cases);
  }
  return out;
}

absl::StatusOr<jianyan::v1::VerifyResponse> AdminOps::Verify(
    const jianyan::v1::VerifyRequest& r) {
  if (r.max_problems() > 10000) {
    return absl::InvalidArgumentError("max_problems: 0 (100) or 1..10000");
  }
  const size_t max = r.max_problems() == 0 ? 100 : r.max_problems();
  JY_ASSIGN_OR_RETURN(storage::VerifyReport report, store_.Verify());
  jianyan::v1::VerifyResponse out;
  out.set_ok(report.ok());
  out.set_cases_checked(report.cases);
  out.set_events_checked(report.events);
  for (size_t i = 0; i < report.problems.size() && i < max; ++i) {
    const std::string& line = report.problems[i];
    auto* p = out.add_problems();
    const size_t colon = line.find(':');
    p->set_kind(colon == std::string::npos ? "store" : line.substr(0, colon));
    p->set_detail(line);
  }
  return out;
}

}  // namespace jianyan
