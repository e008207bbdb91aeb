// `jianyan admin category|region put|list`: the closed category list and
// the administrative divisions intake checks cases against (issue 11).
#include <memory>
#include <string>
#include <vector>

#include "jianyan/v1/admin.grpc.pb.h"
#include "services/cli/admin_commands.h"
#include "services/cli/admin_list.h"
#include "services/cli/app.h"
#include "services/cli/errors.h"
#include "services/cli/format.h"

namespace jianyan::cli {
namespace {

namespace v1 = jianyan::v1;

struct Flags {
  std::string from_file, request_id, key, zh, en, parent;
  bool inactive = false;
};

// Reads --from-file into *record (else stores it active), then the label
// flags; `key` is the record's name or code.
template <typename Record>
void Apply(const Flags& f, Record* record, std::string* key, v1::Label* label) {
  if (!f.from_file.empty()) {
    ReadMessageFile(f.from_file, "--from-file", record);
  } else {
    record->set_active(true);
  }
  if (f.inactive) record->set_active(false);
  if (!f.key.empty()) *key = f.key;
  if (!f.zh.empty()) label->set_zh(f.zh);
  if (!f.en.empty()) label->set_en(f.en);
}

CLI::App* AddPut(CLI::App* group, Flags& f, const std::string& key_flag,
                 const std::string& key_help) {
  CLI::App* put = group->add_subcommand("put", "add or replace one");
  put->add_option("--from-file", f.from_file,
                  "the record as JSON or textproto; flags override it");
  put->add_option("--request-id", f.request_id, "idempotency id");
  put->add_option(key_flag, f.key, key_help);
  put->add_option("--zh", f.zh, "label in Chinese");
  put->add_option("--en", f.en, "label in English");
  put->add_flag("--inactive", f.inactive,
                "kept for old cases, refused at intake");
  return put;
}

std::string YesNo(bool b) { return b ? "yes" : "no"; }

RecordView<v1::Category> CategoryView() {
  return {{"NAME", "LABEL", "ACTIVE"},
          [](const v1::Category& c) -> std::vector<std::string> {
            return {c.name(), c.label().en(), YesNo(c.active())};
          }};
}

RecordView<v1::Region> RegionView() {
  return {{"CODE", "NAME", "PARENT", "ACTIVE"},
          [](const v1::Region& r) -> std::vector<std::string> {
            return {r.code(), LabelAnd(r.name(), r.name().en()),
                    r.parent_code().empty() ? "-" : r.parent_code(),
                    YesNo(r.active())};
          }};
}

void AddCategory(CLI::App& admin, CliContext& ctx) {
  CLI::App* group = admin.add_subcommand(
      "category", "the closed list of case categories (信访事项分类)");
  group->require_subcommand(1);
  SetExample(group, "jianyan admin category list");
  auto f = std::make_shared<Flags>();
  CLI::App* put = AddPut(group, *f, "--name", "the category, e.g. 城乡建设");
  SetExample(put,
             "jianyan admin category put --name 物业管理 --en \"Property "
             "management\"");
  put->callback([f, &ctx] {
    v1::PutCategoryRequest r;
    r.set_request_id(RequestIdOr(f->request_id));
    v1::Category* c = r.mutable_category();
    Apply(*f, c, c->mutable_name(), c->mutable_label());
    if (c->name().empty()) FailUsage("--name is required (or in --from-file)");
    if (c->label().zh().empty()) c->mutable_label()->set_zh(c->name());
    PutAndShow(ctx, "admin category put", &AdminStub::PutCategory, r,
               CategoryView());
  });
  AddListCommand(*group, ctx, "list the categories",
                 "jianyan admin category list --all",
                 &AdminStub::ListCategories,
                 &v1::ListCategoriesResponse::categories, CategoryView());
}

void AddRegion(CLI::App& admin, CliContext& ctx) {
  CLI::App* group = admin.add_subcommand(
      "region", "administrative divisions (行政区划, GB/T 2260)");
  group->require_subcommand(1);
  SetExample(group, "jianyan admin region list --all");
  auto f = std::make_shared<Flags>();
  CLI::App* put = AddPut(group, *f, "--code", "6-digit division code");
  put->add_option("--parent", f->parent, "the division above");
  SetExample(put,
             "jianyan admin region put --code 370902 --zh 泰山区 --en "
             "Taishan --parent 370900");
  put->callback([f, &ctx] {
    v1::PutRegionRequest r;
    r.set_request_id(RequestIdOr(f->request_id));
    v1::Region* region = r.mutable_region();
    Apply(*f, region, region->mutable_code(), region->mutable_name());
    if (region->code().empty()) {
      FailUsage("--code is required (or in --from-file)");
    }
    if (!f->parent.empty()) region->set_parent_code(f->parent);
    PutAndShow(ctx, "admin region put", &AdminStub::PutRegion, r, RegionView());
  });
  AddListCommand(*group, ctx, "list the divisions",
                 "jianyan admin region list --all", &AdminStub::ListRegions,
                 &v1::ListRegionsResponse::regions, RegionView());
}

}  // namespace

void AddAdminCatalogueCommands(CLI::App& admin, CliContext& ctx) {
  AddCategory(admin, ctx);
  AddRegion(admin, ctx);
}

}  // namespace jianyan::cli
