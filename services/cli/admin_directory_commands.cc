// `jianyan admin org|point|suggester|campaign put|list`: the directory.
// A put takes the record from flags, or from --from-file (the record's
// message in JSON or textproto) with flags overriding the file's fields.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "jianyan/v1/admin.grpc.pb.h"
#include "services/cli/admin_commands.h"
#include "services/cli/admin_list.h"
#include "services/cli/app.h"
#include "services/cli/errors.h"
#include "services/cli/format.h"

namespace jianyan::cli {
namespace {

namespace v1 = jianyan::v1;

// Flags every put has (campaigns have no --inactive).
struct PutFlags {
  std::string from_file, request_id, id, zh, en;
  bool inactive = false;
};

// Adds the shared put flags to `c`; `name_help` describes --zh/--en (none
// when empty).
void AddPutFlags(CLI::App* c, PutFlags& f, const std::string& name_help,
                 bool has_active = true) {
  c->add_option("--from-file", f.from_file,
                "the record as JSON or textproto; flags override it");
  c->add_option("--request-id", f.request_id, "idempotency id");
  c->add_option("--id", f.id, "identifier, [a-z0-9][a-z0-9_.-]*");
  if (!name_help.empty()) {
    c->add_option("--zh", f.zh, name_help + " in Chinese");
    c->add_option("--en", f.en, name_help + " in English");
  }
  if (has_active) {
    c->add_flag("--inactive", f.inactive,
                "store it inactive (default: active, or as in the file)");
  }
}

// Reads the file (if any) into *record and applies the shared flags but
// --zh/--en (SetLabel, once the file is read).
template <typename Record>
void ApplyPutFlags(const PutFlags& f, Record* record) {
  if (!f.from_file.empty()) {
    ReadMessageFile(f.from_file, "--from-file", record);
  } else {
    record->set_active(true);
  }
  if (!f.id.empty()) record->set_id(f.id);
  if (record->id().empty()) FailUsage("--id is required (or in --from-file)");
  if (f.inactive) record->set_active(false);
}

void SetLabel(const PutFlags& f, v1::Label* label) {
  if (!f.zh.empty()) label->set_zh(f.zh);
  if (!f.en.empty()) label->set_en(f.en);
}

void SetIfGiven(const std::string& flag, std::string* field) {
  if (!flag.empty()) *field = flag;
}

std::string YesNo(bool b) { return b ? "yes" : "no"; }

RecordView<v1::Organisation> OrganisationView() {
  return {{"ID", "NAME", "LEVEL", "PARENT", "REGION", "ACTIVE"},
          [](const v1::Organisation& o) -> std::vector<std::string> {
            return {o.id(),
                    LabelAnd(o.name(), o.name().en()),
                    EnumShort(v1::OrganisationLevel_descriptor(), o.level()),
                    o.parent_id().empty() ? "-" : o.parent_id(),
                    o.region_code(),
                    YesNo(o.active())};
          }};
}

RecordView<v1::ReportingPoint> PointView() {
  return {{"ID", "NAME", "ORGANISATION", "REGION", "ACTIVE"},
          [](const v1::ReportingPoint& p) -> std::vector<std::string> {
            return {p.id(), p.name().zh(), p.organisation_id(), p.region_code(),
                    YesNo(p.active())};
          }};
}

RecordView<v1::Suggester> SuggesterView() {
  return {{"ID", "NAME", "AFFILIATION", "EXPERTISE", "ACTIVE"},
          [](const v1::Suggester& s) -> std::vector<std::string> {
            return {s.id(), s.name(), s.affiliation(),
                    absl::StrJoin(s.expertise(), ","), YesNo(s.active())};
          }};
}

RecordView<v1::Campaign> CampaignView() {
  return {{"ID", "TITLE", "ORGANISATION", "OPENS", "CLOSES", "THEMES"},
          [](const v1::Campaign& c) -> std::vector<std::string> {
            std::vector<std::string> themes;
            for (const auto& t : c.themes()) themes.push_back(t.id());
            return {c.id(),
                    c.title().zh(),
                    c.organisation_id(),
                    FormatTime(c.open_time()),
                    FormatTime(c.close_time()),
                    absl::StrJoin(themes, ",")};
          }};
}

void AddOrganisation(CLI::App& admin, CliContext& ctx) {
  CLI::App* group = admin.add_subcommand(
      "org", "handling and supervising organisations (承办单位)");
  group->require_subcommand(1);
  SetExample(group, "jianyan admin org list");
  struct Flags : PutFlags {
    std::string parent, level, region;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* put = group->add_subcommand("put", "add or replace one");
  AddPutFlags(put, *f, "name");
  put->add_option("--parent", f->parent, "the organisation above");
  put->add_option("--level", f->level, "province|city|county|township");
  put->add_option("--region", f->region, "6-digit region code");
  SetExample(put,
             "jianyan admin org put --id taishan-cgj --zh 泰山区城市管理局 "
             "--en \"Taishan city management\" \\\n    --parent taishan-xfj "
             "--level county --region 370902");
  put->callback([f, &ctx] {
    v1::PutOrganisationRequest r;
    r.set_request_id(RequestIdOr(f->request_id));
    v1::Organisation* o = r.mutable_organisation();
    ApplyPutFlags(*f, o);
    SetLabel(*f, o->mutable_name());
    SetIfGiven(f->parent, o->mutable_parent_id());
    SetIfGiven(f->region, o->mutable_region_code());
    if (!f->level.empty()) {
      o->set_level(static_cast<v1::OrganisationLevel>(EnumOrUsage(
          v1::OrganisationLevel_descriptor(), f->level, "--level")));
    }
    PutAndShow(ctx, "admin org put", &AdminStub::PutOrganisation, r,
               OrganisationView());
  });
  AddListCommand(
      *group, ctx, "list the organisations",
      "jianyan admin org list --all -o json", &AdminStub::ListOrganisations,
      &v1::ListOrganisationsResponse::organisations, OrganisationView());
}

void AddPoint(CLI::App& admin, CliContext& ctx) {
  CLI::App* group = admin.add_subcommand("point", "reporting points (直报点)");
  group->require_subcommand(1);
  SetExample(group, "jianyan admin point list --all");
  struct Flags : PutFlags {
    std::string org, region, address;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* put = group->add_subcommand("put", "add or replace one");
  AddPutFlags(put, *f, "name");
  put->add_option("--org", f->org, "the organisation it reports to");
  put->add_option("--region", f->region, "6-digit region code");
  put->add_option("--address", f->address, "where it is");
  SetExample(put,
             "jianyan admin point put --id rp-taishan-06 --zh 泰山区第6直报点 "
             "--org taishan-xfj --region 370902");
  put->callback([f, &ctx] {
    v1::PutReportingPointRequest r;
    r.set_request_id(RequestIdOr(f->request_id));
    v1::ReportingPoint* p = r.mutable_reporting_point();
    ApplyPutFlags(*f, p);
    SetLabel(*f, p->mutable_name());
    SetIfGiven(f->org, p->mutable_organisation_id());
    SetIfGiven(f->region, p->mutable_region_code());
    SetIfGiven(f->address, p->mutable_address());
    PutAndShow(ctx, "admin point put", &AdminStub::PutReportingPoint, r,
               PointView());
  });
  AddListCommand(
      *group, ctx, "list the reporting points",
      "jianyan admin point list --all", &AdminStub::ListReportingPoints,
      &v1::ListReportingPointsResponse::reporting_points, PointView());
}

void AddSuggester(CLI::App& admin, CliContext& ctx) {
  CLI::App* group =
      admin.add_subcommand("suggester", "invited suggesters (特邀建议人)");
  group->require_subcommand(1);
  SetExample(group, "jianyan admin suggester list");
  struct Flags : PutFlags {
    std::string name, phone, affiliation;
    std::vector<std::string> expertise;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* put = group->add_subcommand("put", "add or replace one");
  AddPutFlags(put, *f, "");
  put->add_option("--name", f->name, "the person's name");
  put->add_option("--phone", f->phone, "phone number");
  put->add_option("--affiliation", f->affiliation, "work unit or sector");
  put->add_option("--expertise", f->expertise, "a field of expertise");
  SetExample(put,
             "jianyan admin suggester put --id sg-34 --name 特邀建议人34 "
             "--affiliation 泰安学院 --expertise 文旅 规划");
  put->callback([f, &ctx] {
    v1::PutSuggesterRequest r;
    r.set_request_id(RequestIdOr(f->request_id));
    v1::Suggester* s = r.mutable_suggester();
    ApplyPutFlags(*f, s);
    SetIfGiven(f->name, s->mutable_name());
    SetIfGiven(f->phone, s->mutable_phone());
    SetIfGiven(f->affiliation, s->mutable_affiliation());
    if (!f->expertise.empty()) {
      s->clear_expertise();
      for (const auto& e : f->expertise) s->add_expertise(e);
    }
    PutAndShow(ctx, "admin suggester put", &AdminStub::PutSuggester, r,
               SuggesterView());
  });
  AddListCommand(*group, ctx,
                 "list the invited suggesters (personal data "
                 "masked)",
                 "jianyan admin suggester list --all",
                 &AdminStub::ListSuggesters,
                 &v1::ListSuggestersResponse::suggesters, SuggesterView());
}

// "ID:中文:English" of --theme.
v1::Theme ParseTheme(const std::string& text) {
  std::vector<std::string> parts =
      absl::StrSplit(text, absl::MaxSplits(':', 2));
  if (parts.size() < 2 || parts[0].empty() || parts[1].empty()) {
    FailUsage(absl::StrCat("--theme ", text, ": expected ID:中文[:English]"));
  }
  v1::Theme t;
  t.set_id(parts[0]);
  t.mutable_title()->set_zh(parts[1]);
  if (parts.size() == 3) t.mutable_title()->set_en(parts[2]);
  return t;
}

void SetTime(const std::string& text, const std::string& flag,
             google::protobuf::Timestamp* ts) {
  if (text.empty()) return;
  absl::StatusOr<absl::Time> t = ParseTimeArg(text);
  if (!t.ok()) FailUsage(absl::StrCat(flag, ": ", t.status().message()));
  ts->set_seconds(absl::ToUnixSeconds(*t));
  ts->set_nanos(0);
}

void AddCampaign(CLI::App& admin, CliContext& ctx) {
  CLI::App* group =
      admin.add_subcommand("campaign", "thematic collections (专题征集)");
  group->require_subcommand(1);
  SetExample(group, "jianyan admin campaign list");
  struct Flags : PutFlags {
    std::string description, org, open, close;
    std::vector<std::string> themes;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* put = group->add_subcommand("put", "add or replace one");
  AddPutFlags(put, *f, "title", /*has_active=*/false);
  put->add_option("--description", f->description, "what is collected");
  put->add_option("--org", f->org, "the sponsoring organisation");
  put->add_option("--open", f->open, "opens: DATE, \"DATE HH:MM\" or RFC 3339");
  put->add_option("--close", f->close, "closes: as --open");
  put->add_option("--theme", f->themes, "ID:中文[:English], repeatable");
  SetExample(put,
             "jianyan admin campaign put --id heating-2027 --zh 冬季供暖建言 "
             "--org taian-shgb \\\n    --open 2026-12-01 --close 2027-02-28 "
             "--theme pricing:供暖价格:Pricing --theme service:服务质量");
  put->callback([f, &ctx] {
    v1::PutCampaignRequest r;
    r.set_request_id(RequestIdOr(f->request_id));
    v1::Campaign* c = r.mutable_campaign();
    if (!f->from_file.empty()) {
      ReadMessageFile(f->from_file, "--from-file", c);
    }
    if (!f->id.empty()) c->set_id(f->id);
    if (c->id().empty()) FailUsage("--id is required (or in --from-file)");
    SetLabel(*f, c->mutable_title());
    SetIfGiven(f->description, c->mutable_description());
    SetIfGiven(f->org, c->mutable_organisation_id());
    SetTime(f->open, "--open", c->mutable_open_time());
    SetTime(f->close, "--close", c->mutable_close_time());
    if (!f->themes.empty()) {
      c->clear_themes();
      for (const auto& t : f->themes) *c->add_themes() = ParseTheme(t);
    }
    PutAndShow(ctx, "admin campaign put", &AdminStub::PutCampaign, r,
               CampaignView());
  });
  AddListCommand(*group, ctx, "list the campaigns",
                 "jianyan admin campaign list -o json",
                 &AdminStub::ListCampaigns,
                 &v1::ListCampaignsResponse::campaigns, CampaignView());
}

}  // namespace

void AddAdminDirectoryCommands(CLI::App& admin, CliContext& ctx) {
  AddOrganisation(admin, ctx);
  AddPoint(admin, ctx);
  AddSuggester(admin, ctx);
  AddCampaign(admin, ctx);
}

}  // namespace jianyan::cli
