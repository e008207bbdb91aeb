#include "services/jianyand/demo.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/log.h"
#include "services/jianyand/embedded_core.h"
#include "services/jianyand/service_set.h"
#include "workflow/status_macros.h"
#include "workflow/time_util.h"

namespace jianyan {
namespace {

using jianyan::v1::Role;

struct County {
  const char* key;   // id stem
  const char* zh;    // division name
  const char* code;  // division code
  int points;        // reporting points
};

constexpr County kCounties[] = {
    {"taishan", "泰山区", "370902", 5},  {"daiyue", "岱岳区", "370911", 5},
    {"ningyang", "宁阳县", "370921", 4}, {"dongping", "东平县", "370923", 4},
    {"xintai", "新泰市", "370982", 4},   {"feicheng", "肥城市", "370983", 4},
};

struct Dept {
  const char* id;
  const char* zh;
  const char* en;
  const char* parent;
  const char* region;
};

constexpr Dept kDepartments[] = {
    {"taian-zjj", "泰安市住房和城乡建设局", "City housing bureau", "taian-xfj",
     "370900"},
    {"taian-rsj", "泰安市人力资源和社会保障局", "City human resources bureau",
     "taian-xfj", "370900"},
    {"taian-jyj", "泰安市教育局", "City education bureau", "taian-xfj",
     "370900"},
    {"taian-wjw", "泰安市卫生健康委员会", "City health commission", "taian-xfj",
     "370900"},
    {"taian-zrzyj", "泰安市自然资源和规划局", "City natural resources bureau",
     "taian-xfj", "370900"},
    {"taian-sthjj", "泰安市生态环境局", "City ecology bureau", "taian-xfj",
     "370900"},
    {"taian-scjgj", "泰安市市场监督管理局", "City market regulation bureau",
     "taian-xfj", "370900"},
    {"taian-jtysj", "泰安市交通运输局", "City transport bureau", "taian-xfj",
     "370900"},
    {"taishan-zjj", "泰山区住房和城乡建设局", "Taishan housing bureau",
     "taishan-xfj", "370902"},
    {"daiyue-rsj", "岱岳区人力资源和社会保障局",
     "Daiyue human resources bureau", "daiyue-xfj", "370911"},
    {"xintai-jyj", "新泰市教育和体育局", "Xintai education bureau",
     "xintai-xfj", "370982"},
    {"feicheng-wjj", "肥城市卫生健康局", "Feicheng health bureau",
     "feicheng-xfj", "370983"},
};

constexpr const char* kCategories[][2] = {
    {"城乡建设", "Urban and rural construction"},
    {"劳动社保", "Labour and social security"},
    {"教育文体", "Education, culture and sport"},
    {"卫生健康", "Health"},
    {"农业农村", "Agriculture and rural affairs"},
    {"自然资源", "Natural resources"},
    {"生态环境", "Ecology and environment"},
    {"交通运输", "Transport"},
    {"市场监管", "Market regulation"},
    {"民政", "Civil affairs"},
    {"文化旅游", "Culture and tourism"},
    {"其他", "Other"},
};

constexpr const char* kThemes[][3] = {
    {"culture-tourism", "文旅融合发展", "Culture and tourism"},
    {"urban-renewal", "城市更新", "Urban renewal"},
    {"rural-revival", "乡村振兴", "Rural revitalisation"},
    {"business", "优化营商环境", "Business environment"},
    {"livelihood", "民生服务", "Public services"},
};

jianyan::v1::Label Label(const std::string& zh, const std::string& en) {
  jianyan::v1::Label l;
  l.set_zh(zh);
  l.set_en(en);
  return l;
}

class Loader {
 public:
  Loader(AdminOps& ops, const Clock& clock) : ops_(ops), clock_(clock) {}

  absl::Status Regions() {
    JY_RETURN_IF_ERROR(Region("370900", "泰安市", "Tai'an", ""));
    for (const County& c : kCounties) {
      JY_RETURN_IF_ERROR(Region(c.code, c.zh, c.key, "370900"));
    }
    return absl::OkStatus();
  }

  absl::Status Organisations() {
    JY_RETURN_IF_ERROR(Org("taian-xfj", "泰安市信访局",
                           "Tai'an petition bureau", "",
                           jianyan::v1::ORGANISATION_LEVEL_CITY, "370900"));
    JY_RETURN_IF_ERROR(Org(kDemoSuggestionOrganisation,
                           "中共泰安市委社会工作部",
                           "Tai'an social work department", "",
                           jianyan::v1::ORGANISATION_LEVEL_CITY, "370900"));
    for (const County& c : kCounties) {
      JY_RETURN_IF_ERROR(
          Org(absl::StrCat(c.key, "-xfj"), absl::StrCat(c.zh, "信访局"),
              absl::StrCat(c.key, " petition bureau"), "taian-xfj",
              jianyan::v1::ORGANISATION_LEVEL_COUNTY, c.code));
    }
    for (const Dept& d : kDepartments) {
      const bool city = std::string(d.region) == "370900";
      JY_RETURN_IF_ERROR(Org(d.id, d.zh, d.en, d.parent,
                             city ? jianyan::v1::ORGANISATION_LEVEL_CITY
                                  : jianyan::v1::ORGANISATION_LEVEL_COUNTY,
                             d.region));
    }
    return absl::OkStatus();
  }

  absl::Status Points() {
    for (const County& c : kCounties) {
      for (int i = 1; i <= c.points; ++i) {
        jianyan::v1::PutReportingPointRequest r;
        auto* p = r.mutable_reporting_point();
        p->set_id(absl::StrFormat("rp-%s-%02d", c.key, i));
        *p->mutable_name() =
            Label(absl::StrFormat("%s第%d直报点", c.zh, i),
                  absl::StrFormat("%s reporting point %d", c.key, i));
        p->set_organisation_id(absl::StrCat(c.key, "-xfj"));
        p->set_region_code(c.code);
        p->set_active(true);
        JY_RETURN_IF_ERROR(ops_.PutReportingPoint(r).status());
      }
    }
    return absl::OkStatus();
  }

  absl::Status Suggesters() {
    for (int i = 1; i <= 33; ++i) {
      jianyan::v1::PutSuggesterRequest r;
      auto* s = r.mutable_suggester();
      s->set_id(absl::StrFormat("sg-%02d", i));
      // Placeholders, not people.
      s->set_name(absl::StrFormat("特邀建议人%02d", i));
      s->set_affiliation("示例单位");
      s->set_active(true);
      JY_RETURN_IF_ERROR(ops_.PutSuggester(r).status());
    }
    return absl::OkStatus();
  }

  absl::Status CampaignAndCategories() {
    for (const auto& c : kCategories) {
      jianyan::v1::PutCategoryRequest r;
      r.mutable_category()->set_name(c[0]);
      *r.mutable_category()->mutable_label() = Label(c[0], c[1]);
      r.mutable_category()->set_active(true);
      JY_RETURN_IF_ERROR(ops_.PutCategory(r).status());
    }
    jianyan::v1::PutCampaignRequest r;
    auto* c = r.mutable_campaign();
    c->set_id("taishan-jianyan-2026");
    *c->mutable_title() = Label("“泰山建言”专题征集", "Taishan suggestions");
    c->set_description("围绕全市中心工作征集意见建议(演示数据)。");
    for (const auto& t : kThemes) {
      auto* theme = c->add_themes();
      theme->set_id(t[0]);
      *theme->mutable_title() = Label(t[1], t[2]);
    }
    const absl::Time now = clock_.Now();
    *c->mutable_open_time() = ToProto(now - absl::Hours(24));
    *c->mutable_close_time() = ToProto(now + absl::Hours(24 * 90));
    c->set_organisation_id(kDemoSuggestionOrganisation);
    return ops_.PutCampaign(r).status();
  }

  // Creates a principal; appends its token line to `lines`.
  absl::Status Principal(const std::string& name, const std::string& id,
                         Role role, const std::string& org,
                         const std::string& point,
                         const std::string& suggester) {
    jianyan::v1::CreatePrincipalRequest r;
    auto* p = r.mutable_principal();
    p->set_id(id);
    p->set_role(role);
    p->set_organisation_id(org);
    p->set_reporting_point_id(point);
    p->set_suggester_id(suggester);
    p->set_display_name(name);
    JY_ASSIGN_OR_RETURN(jianyan::v1::CreatePrincipalResponse created,
                        ops_.CreatePrincipal(r));
    lines_ += absl::StrCat(name, "\t", id, "\t", created.token(), "\n");
    return absl::OkStatus();
  }

  absl::Status Principals() {
    JY_RETURN_IF_ERROR(Principal("terminal", "demo-terminal",
                                 jianyan::v1::ROLE_TERMINAL, "",
                                 "rp-taishan-01", ""));
    JY_RETURN_IF_ERROR(Principal("suggester", "demo-suggester",
                                 jianyan::v1::ROLE_SUGGESTER, "", "", "sg-01"));
    for (const County& c : kCounties) {
      JY_RETURN_IF_ERROR(Principal(
          absl::StrCat("handler-", c.key), absl::StrCat("demo-handler-", c.key),
          jianyan::v1::ROLE_HANDLER, absl::StrCat(c.key, "-xfj"), "", ""));
    }
    // The city's petitions are supervised from the petition bureau, its
    // suggestions from the social work department that runs 泰山建言.
    JY_RETURN_IF_ERROR(Principal("supervisor", "demo-supervisor",
                                 jianyan::v1::ROLE_SUPERVISOR, "taian-xfj", "",
                                 ""));
    JY_RETURN_IF_ERROR(Principal(
        "supervisor-suggestions", "demo-supervisor-shgb",
        jianyan::v1::ROLE_SUPERVISOR, kDemoSuggestionOrganisation, "", ""));
    return Principal("admin", "demo-admin", jianyan::v1::ROLE_ADMIN, "", "",
                     "");
  }

  const std::string& lines() const { return lines_; }

 private:
  absl::Status Region(const std::string& code, const std::string& zh,
                      const std::string& en, const std::string& parent) {
    jianyan::v1::PutRegionRequest r;
    r.mutable_region()->set_code(code);
    *r.mutable_region()->mutable_name() = Label(zh, en);
    r.mutable_region()->set_parent_code(parent);
    r.mutable_region()->set_active(true);
    return ops_.PutRegion(r).status();
  }

  absl::Status Org(const std::string& id, const std::string& zh,
                   const std::string& en, const std::string& parent,
                   jianyan::v1::OrganisationLevel level,
                   const std::string& region) {
    jianyan::v1::PutOrganisationRequest r;
    auto* o = r.mutable_organisation();
    o->set_id(id);
    *o->mutable_name() = Label(zh, en);
    o->set_parent_id(parent);
    o->set_level(level);
    o->set_region_code(region);
    o->set_active(true);
    return ops_.PutOrganisation(r).status();
  }

  AdminOps& ops_;
  const Clock& clock_;
  std::string lines_;
};

absl::Status WriteTokens(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create ", path, ": ", std::strerror(errno)));
  }
  const bool ok = ::write(fd, text.data(), text.size()) ==
                      static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<bool> LoadDemoDirectory(WorkflowCore& core, const Clock& clock,
                                       const std::string& data_dir) {
  jianyan::v1::ListRequest any;
  any.set_page_size(1);
  JY_ASSIGN_OR_RETURN(jianyan::v1::ListOrganisationsResponse existing,
                      core.admin().ListOrganisations(any));
  if (existing.organisations_size() > 0) return false;
  Loader loader(core.admin(), clock);
  JY_RETURN_IF_ERROR(loader.Regions());
  JY_RETURN_IF_ERROR(loader.Organisations());
  JY_RETURN_IF_ERROR(loader.Points());
  JY_RETURN_IF_ERROR(loader.Suggesters());
  JY_RETURN_IF_ERROR(loader.CampaignAndCategories());
  JY_RETURN_IF_ERROR(loader.Principals());
  JY_RETURN_IF_ERROR(WriteTokens(
      absl::StrCat(data_dir, "/", kDemoTokensFile),
      absl::StrCat("# jianyand --demo: bearer tokens (name, principal, "
                   "token). Keep private.\n",
                   loader.lines())));
  return true;
}

absl::Status PrepareDemo(const jianyan::v1::ServerConfig& config) {
  if (!NeedsCore(config)) {
    return absl::InvalidArgumentError(
        "--demo: needs the workflow core in this process (services)");
  }
  JY_ASSIGN_OR_RETURN(std::unique_ptr<EmbeddedCore> core,
                      EmbeddedCore::Open(config, Clock::Real()));
  JY_ASSIGN_OR_RETURN(
      bool loaded,
      LoadDemoDirectory(core->core(), Clock::Real(), config.data_dir()));
  const std::string path =
      absl::StrCat(config.data_dir(), "/", kDemoTokensFile);
  if (loaded) {
    LogInfo("demo: Tai'an directory loaded; bearer tokens in ", path);
  } else {
    LogInfo(
        "demo: the directory is not empty, nothing loaded; tokens of an "
        "earlier demo are in ",
        path);
  }
  return absl::OkStatus();
}

}  // namespace jianyan
