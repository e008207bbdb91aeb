// `jianyan demo load`: fills a jianyand started with --demo with a few
// hundred cases in varied states (demo_plan.h says which), so the console
// and the stats show something real at once.
//
// It acts with the demo's tokens (--tokens-file, the demo-tokens.txt that
// jianyand --demo writes): the admin adds a terminal principal per
// reporting point and a handler for the suggestions' organisation, and
// appends their tokens to the same file ("terminal-<point>",
// "handler-<org>"), so a rerun finds them. Cases are submitted at every
// point, handled by the county bureaus' handlers, escalated by the
// supervisor and rated with their query codes. With a testing clock, the
// cases meant to be overdue are submitted first and the clock is advanced
// past their deadlines. Every request has a stable id; when the load is
// complete a revoked marker principal "demo-load-done" is stored, and a
// rerun then does nothing.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "jianyan/v1/admin.grpc.pb.h"
#include "jianyan/v1/feedback.grpc.pb.h"
#include "jianyan/v1/intake.grpc.pb.h"
#include "jianyan/v1/supervision.grpc.pb.h"
#include "jianyan/v1/testing.grpc.pb.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "services/cli/admin_commands.h"
#include "services/cli/app.h"
#include "services/cli/demo_plan.h"
#include "services/cli/demo_tokens.h"
#include "services/cli/errors.h"
#include "services/cli/format.h"
#include "services/cli/paging.h"

namespace jianyan::cli {
namespace {

namespace v1 = jianyan::v1;

constexpr char kMarker[] = "demo-load-done";
// Where the demo registers suggestions (services/jianyand/demo.h); their
// study is assigned to it too.
constexpr char kSuggestionOrg[] = "taian-shgb";
// Past the petitions' 15-day routing limit and the suggestions' 10 working
// days of screening.
constexpr int kAdvanceDays = 20;

// "[#####.....] 120/300 cases" redrawn on a terminal, a line per tenth
// otherwise; on stderr.
class Progress {
 public:
  explicit Progress(int total)
      : total_(total), tty_(::isatty(STDERR_FILENO) == 1) {}
  void Set(int done, const std::string& phase) {
    if (tty_) {
      const int width = 30;
      const int filled = total_ == 0 ? width : done * width / total_;
      std::cerr << "\r[" << std::string(filled, '#')
                << std::string(width - filled, '.') << "] " << done << "/"
                << total_ << " cases  " << phase << "\033[K" << std::flush;
    } else if (done == total_ || done * 10 / total_ != last_tenth_) {
      last_tenth_ = done * 10 / total_;
      std::cerr << "demo load: " << done << "/" << total_ << " cases (" << phase
                << ")\n";
    }
  }
  void Finish() {
    if (tty_) std::cerr << "\n";
  }

 private:
  int total_;
  bool tty_;
  int last_tenth_ = -1;
};

class Loader {
 public:
  Loader(CliContext& ctx, DemoTokens& tokens)
      : ctx_(ctx),
        tokens_(tokens),
        admin_(ctx.Stub<v1::AdminService>()),
        intake_(ctx.Stub<v1::IntakeService>()),
        workflow_(ctx.Stub<v1::WorkflowService>()),
        feedback_(ctx.Stub<v1::FeedbackService>()),
        supervision_(ctx.Stub<v1::SupervisionService>()),
        testing_(ctx.Stub<v1::TestingService>()) {}

  // True when an earlier load completed (the marker principal exists).
  // Reading the principals, it also notes the supervisor's organisation and
  // the demo terminal's reporting point.
  bool AlreadyLoaded(std::string* what) {
    for (const v1::Principal& p : Principals()) {
      if (p.id() == kMarker) {
        *what = p.display_name();
        return true;
      }
      if (p.id() == tokens_.Principal("supervisor")) {
        supervisor_org_ = p.organisation_id();
      }
      if (p.id() == tokens_.Principal("terminal")) {
        terminal_point_ = p.reporting_point_id();
      }
    }
    return false;
  }

  // The reporting points, their terminals' tokens, the categories and the
  // campaign.
  void Prepare() {
    v1::ListRequest all;
    ForEachPage<v1::ListReportingPointsResponse>(
        all, true,
        [&](const v1::ListRequest& r, v1::ListReportingPointsResponse* page) {
          Check(admin_->ListReportingPoints(As("admin").get(), r, page),
                "list reporting points");
        },
        [&](const v1::ListReportingPointsResponse& page) {
          for (const auto& p : page.reporting_points()) {
            if (p.active()) points_.push_back(p);
          }
        });
    if (points_.empty()) {
      FailUsage("demo load: the server has no reporting point");
    }
    for (const auto& p : points_) {
      EnsurePrincipal(absl::StrCat("terminal-", p.id()), v1::ROLE_TERMINAL, "",
                      p.id());
    }
    EnsurePrincipal(absl::StrCat("handler-", kSuggestionOrg), v1::ROLE_HANDLER,
                    kSuggestionOrg, "");
    v1::ListCategoriesResponse categories;
    Check(
        intake_->ListCategories(As("terminal").get(),
                                v1::ListIntakeCategoriesRequest(), &categories),
        "list categories");
    for (const auto& c : categories.categories()) {
      categories_.push_back(c.name());
    }
    if (categories_.empty()) categories_.push_back("其他");
    v1::ListCampaignsResponse campaigns;
    Check(admin_->ListCampaigns(As("admin").get(), all, &campaigns),
          "list campaigns");
    for (const auto& c : campaigns.campaigns()) {
      if (c.themes_size() > 0) {
        campaign_ = c;
        break;
      }
    }
  }

  // Submits the cases meant to become overdue; they are handled (escalated)
  // by SettleOverdue once the clock has moved.
  void SubmitOverdue(const std::vector<DemoCasePlan>& plans, Progress& progress,
                     int* done) {
    for (const DemoCasePlan& plan : plans) {
      if (!plan.overdue) continue;
      receipts_[plan.index] = Submit(plan);
      progress.Set(++*done, "submitting cases to become overdue");
    }
  }
  void SettleOverdue(const std::vector<DemoCasePlan>& plans) {
    for (const DemoCasePlan& plan : plans) {
      if (plan.overdue) Handle(plan, receipts_[plan.index]);
    }
  }
  // Submits and handles the other cases.
  void LoadFresh(const std::vector<DemoCasePlan>& plans, Progress& progress,
                 int* done) {
    for (const DemoCasePlan& plan : plans) {
      if (plan.overdue) continue;
      Handle(plan, Submit(plan));
      progress.Set(++*done, "submitting and handling");
    }
  }

  // TestingService.AdvanceClock; false when the server has no testing
  // clock.
  bool Advance() {
    v1::AdvanceClockRequest r;
    r.mutable_by()->set_seconds(int64_t{kAdvanceDays} * 24 * 3600);
    v1::AdvanceClockResponse response;
    auto call = As("admin", /*long_call=*/true);
    grpc::Status s = testing_->AdvanceClock(call.get(), r, &response);
    if (s.error_code() == grpc::StatusCode::UNIMPLEMENTED) return false;
    Check(s, "advance the testing clock");
    server_now_ = absl::FromUnixSeconds(response.now().seconds());
    return true;
  }

  void StoreMarker(const std::string& what) {
    v1::CreatePrincipalRequest r;
    r.set_request_id("dl-marker-create");
    r.mutable_principal()->set_id(kMarker);
    r.mutable_principal()->set_role(v1::ROLE_SUPERVISOR);
    r.mutable_principal()->set_organisation_id(supervisor_org_);
    r.mutable_principal()->set_display_name(what);
    v1::CreatePrincipalResponse created;
    Check(admin_->CreatePrincipal(As("admin").get(), r, &created),
          "store the demo-load marker");
    v1::RevokePrincipalRequest revoke;
    revoke.set_request_id("dl-marker-revoke");
    revoke.set_principal_id(kMarker);
    v1::Principal revoked;
    Check(admin_->RevokePrincipal(As("admin").get(), revoke, &revoked),
          "revoke the demo-load marker");
  }

  int acts() const { return acts_; }
  int ratings() const { return ratings_; }
  int escalations() const { return escalations_; }
  int skipped() const { return skipped_; }

 private:
  std::unique_ptr<grpc::ClientContext> As(const std::string& who,
                                          bool long_call = false) {
    auto call = std::make_unique<grpc::ClientContext>();
    const std::string& token = tokens_.Token(who);
    if (!token.empty()) call->AddMetadata("authorization", "Bearer " + token);
    const double seconds = long_call
                               ? std::max(120.0, ctx_.options().timeout_seconds)
                               : ctx_.options().timeout_seconds;
    call->set_deadline(
        std::chrono::system_clock::now() +
        std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
    return call;
  }

  void Check(const grpc::Status& s, const std::string& what) {
    ctx_.Check(s, absl::StrCat("demo load: ", what));
  }

  std::vector<v1::Principal> Principals() {
    std::vector<v1::Principal> out;
    ForEachPage<v1::ListPrincipalsResponse>(
        v1::ListRequest(), true,
        [&](const v1::ListRequest& r, v1::ListPrincipalsResponse* page) {
          Check(admin_->ListPrincipals(As("admin").get(), r, page),
                "list principals");
        },
        [&](const v1::ListPrincipalsResponse& page) {
          out.insert(out.end(), page.principals().begin(),
                     page.principals().end());
        });
    return out;
  }

  // Makes sure the tokens file has `name`: creates principal "dl-<name>"
  // and appends its token. When the principal exists but its token is not
  // in the file, the name stays missing (its cases fall back, see Who).
  void EnsurePrincipal(const std::string& name, v1::Role role,
                       const std::string& org, const std::string& point) {
    if (tokens_.Has(name)) return;
    if (role == v1::ROLE_TERMINAL && point == terminal_point_) return;
    v1::CreatePrincipalRequest r;
    std::string id = absl::StrCat("dl-p-", name).substr(0, 64);
    for (char& ch : id) {
      if (ch == '.') ch = '_';
    }
    r.set_request_id(id);
    v1::Principal* p = r.mutable_principal();
    p->set_id(absl::StrCat("dl-", name));
    p->set_role(role);
    p->set_organisation_id(org);
    p->set_reporting_point_id(point);
    p->set_display_name(absl::StrCat("demo load ", name));
    v1::CreatePrincipalResponse created;
    grpc::Status s = admin_->CreatePrincipal(As("admin").get(), r, &created);
    if (s.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      std::cerr << "demo load: principal " << p->id()
                << " exists but its token is not in the tokens file; using "
                   "the demo's own tokens instead\n";
      return;
    }
    Check(s, absl::StrCat("create principal ", p->id()));
    tokens_.Append(name, created.principal().id(), created.token());
  }

  // The token name a case's step or submission uses.
  std::string Terminal(const v1::ReportingPoint& point) {
    const std::string name = absl::StrCat("terminal-", point.id());
    return tokens_.Has(name) ? name : "terminal";
  }
  std::string Handler(const DemoCasePlan& plan,
                      const v1::ReportingPoint& point) {
    if (plan.kind == v1::CASE_KIND_SUGGESTION) {
      return absl::StrCat("handler-", kSuggestionOrg);
    }
    std::string org = point.organisation_id();
    if (absl::EndsWith(org, "-xfj")) org.resize(org.size() - 4);
    return absl::StrCat("handler-", org);
  }

  // The point case `plan` is submitted at: one in turn, or the demo
  // terminal's own point when that point's terminal has no token.
  const v1::ReportingPoint& PointOf(const DemoCasePlan& plan) {
    const v1::ReportingPoint& p = points_[plan.index % points_.size()];
    if (tokens_.Has(absl::StrCat("terminal-", p.id()))) return p;
    for (const v1::ReportingPoint& own : points_) {
      if (own.id() == terminal_point_) return own;
    }
    return p;
  }

  v1::Receipt Submit(const DemoCasePlan& plan) {
    const v1::ReportingPoint& point = PointOf(plan);
    v1::SubmitCaseRequest r;
    r.set_request_id(DemoRequestId(plan.index, "submit"));
    r.set_kind(plan.kind);
    r.set_channel(v1::CHANNEL_TERMINAL);
    r.set_region_code(point.region_code());
    const std::string& category = categories_[plan.index % categories_.size()];
    std::string who = Terminal(point);
    if (plan.kind == v1::CASE_KIND_PETITION) {
      r.set_petition_type(v1::PETITION_TYPE_CLAIM);
      r.set_category(category);
      r.set_title(
          absl::StrFormat("%s方面的诉求(演示%04d)", category, plan.index));
      r.set_content(absl::StrCat("演示数据:群众反映", category,
                                 "方面的问题,请求依法处理。"));
      auto* person = r.mutable_submitter()->add_representatives();
      person->set_name(absl::StrFormat("演示信访人%04d", plan.index));
      person->set_phone(absl::StrFormat("1380000%04d", plan.index % 10000));
    } else {
      who = "suggester";
      if (plan.campaign && campaign_.themes_size() > 0) {
        r.set_campaign_id(campaign_.id());
        r.set_theme_id(
            campaign_.themes(plan.index % campaign_.themes_size()).id());
      }
      r.set_title(absl::StrFormat("关于改进%s工作的建议(演示%04d)", category,
                                  plan.index));
      r.set_content("演示数据:建议完善相关制度,提升群众满意度。");
    }
    v1::SubmitCaseResponse response;
    Check(intake_->SubmitCase(As(who).get(), r, &response),
          absl::StrCat("submit case ", plan.index));
    return response.receipt();
  }

  // Takes the plan's steps, rating and escalation that the case still
  // needs.
  void Handle(const DemoCasePlan& plan, const v1::Receipt& receipt) {
    const v1::ReportingPoint& point = PointOf(plan);
    const std::string handler = Handler(plan, point);
    v1::GetCaseRequest get;
    get.set_case_number(receipt.case_number());
    v1::Case c;
    // The handler sees its county's (or the suggestions') cases; the city
    // supervisor may not see the suggestions' organisation.
    const std::string reader = tokens_.Has(handler) ? handler : "supervisor";
    Check(workflow_->GetCase(As(reader).get(), get, &c),
          absl::StrCat("read case ", receipt.case_number()));
    for (const DemoStep& step : plan.steps) {
      const std::string who =
          step.actor == DemoActor::kHandler ? handler : "supervisor";
      if (c.state() != step.from_state || !tokens_.Has(who)) {
        ++skipped_;
        continue;
      }
      v1::ActRequest act;
      act.set_request_id(DemoRequestId(plan.index, step.action));
      act.set_case_number(c.case_number());
      act.set_expected_version(c.version());
      act.set_action(step.action);
      for (const auto& [k, v] : step.fields) (*act.mutable_fields())[k] = v;
      v1::ActResponse acted;
      Check(workflow_->Act(As(who).get(), act, &acted),
            absl::StrCat(step.action, " ", c.case_number()));
      c = acted.case_();
      ++acts_;
    }
    if (plan.rating != v1::RATING_LEVEL_UNSPECIFIED) Rate(plan, receipt);
    if (plan.escalation > c.escalation_level()) Escalate(plan, c);
  }

  void Rate(const DemoCasePlan& plan, const v1::Receipt& receipt) {
    v1::SubmitRatingRequest r;
    r.set_request_id(DemoRequestId(plan.index, "rate"));
    r.set_case_number(receipt.case_number());
    r.set_query_code(receipt.query_code());
    r.set_level(plan.rating);
    r.set_channel(v1::CHANNEL_TERMINAL);
    v1::SubmitRatingResponse response;
    grpc::Status s = feedback_->SubmitRating(As("").get(), r, &response);
    if (s.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
      ++skipped_;  // rated by an earlier run
      return;
    }
    Check(s, absl::StrCat("rate ", receipt.case_number()));
    ++ratings_;
  }

  void Escalate(const DemoCasePlan& plan, const v1::Case& c) {
    v1::EscalateRequest r;
    r.set_request_id(DemoRequestId(plan.index, "escalate"));
    r.set_case_number(c.case_number());
    r.set_expected_version(c.version());
    r.set_level(plan.escalation);
    r.set_note("演示:请加快办理并按期回复。");
    if (plan.escalation >= v1::ESCALATION_LEVEL_SUPERVISE) {
      // The handling body's reply is due in ten days of the server's clock.
      r.mutable_reply_due_time()->set_seconds(
          absl::ToUnixSeconds(server_now_ + absl::Hours(24 * 10)));
    }
    v1::EscalateResponse response;
    Check(supervision_->Escalate(As("supervisor").get(), r, &response),
          absl::StrCat("escalate ", c.case_number()));
    ++escalations_;
  }

  CliContext& ctx_;
  DemoTokens& tokens_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::unique_ptr<v1::IntakeService::Stub> intake_;
  std::unique_ptr<v1::WorkflowService::Stub> workflow_;
  std::unique_ptr<v1::FeedbackService::Stub> feedback_;
  std::unique_ptr<v1::SupervisionService::Stub> supervision_;
  std::unique_ptr<v1::TestingService::Stub> testing_;
  std::vector<v1::ReportingPoint> points_;
  std::vector<std::string> categories_;
  v1::Campaign campaign_;
  std::string supervisor_org_;
  std::string terminal_point_;           // the demo's own terminal's point
  std::map<int, v1::Receipt> receipts_;  // of the overdue cases
  // The server's time as far as known: the client's, or the testing
  // clock's after Advance().
  absl::Time server_now_ = absl::Now();
  int acts_ = 0, ratings_ = 0, escalations_ = 0, skipped_ = 0;
};

void Summary(CliContext& ctx, int cases, bool advanced, const Loader& l) {
  if (ctx.json()) {
    google::protobuf::Struct s;
    auto& f = *s.mutable_fields();
    f["cases"].set_number_value(cases);
    f["actions"].set_number_value(l.acts());
    f["ratings"].set_number_value(l.ratings());
    f["escalations"].set_number_value(l.escalations());
    f["skipped"].set_number_value(l.skipped());
    f["clock_advanced_days"].set_number_value(advanced ? kAdvanceDays : 0);
    ctx.out().Json(s);
    return;
  }
  ctx.out().Record(
      {{"cases", absl::StrCat(cases)},
       {"actions", absl::StrCat(l.acts())},
       {"ratings", absl::StrCat(l.ratings())},
       {"escalations", absl::StrCat(l.escalations())},
       {"skipped", absl::StrCat(l.skipped(), " (done by an earlier run)")},
       {"testing clock", advanced
                             ? absl::StrCat("advanced ", kAdvanceDays, " days")
                             : std::string("off: no case made overdue")}});
}

}  // namespace

void AddDemoCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* demo = app.add_subcommand(
      "demo", "demo data for a jianyand started with --demo");
  demo->require_subcommand(1);
  SetExample(demo, "jianyan demo load --tokens-file data/demo-tokens.txt");
  struct Flags {
    int cases = 300;
    std::string tokens_file;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* load = demo->add_subcommand(
      "load",
      "create cases in varied states across the demo's organisations and "
      "reporting points (overdue ones when the testing clock is on); a "
      "rerun after a complete load does nothing");
  load->add_option("--cases", f->cases, "how many")
      ->check(CLI::Range(1, 9999))
      ->capture_default_str();
  load->add_option("--tokens-file", f->tokens_file,
                   "the demo-tokens.txt of jianyand --demo (default: "
                   "--token-file); tokens made here are appended to it");
  SetExample(load,
             "jianyand --demo --testing_clock --data_dir data &\n"
             "jianyan demo load --tokens-file data/demo-tokens.txt --cases "
             "300\njianyan --token-file data/demo-tokens.txt --as supervisor "
             "supervise overdue");
  load->callback([f, &ctx] {
    const std::string path =
        f->tokens_file.empty() ? ctx.options().token_file : f->tokens_file;
    if (path.empty()) FailUsage("demo load: --tokens-file is required");
    DemoTokens tokens = DemoTokens::Read(path);
    for (const char* name : {"admin", "supervisor", "terminal", "suggester"}) {
      if (!tokens.Has(name)) {
        FailUsage(absl::StrCat("demo load: ", path, " has no '", name,
                               "' token: is it jianyand --demo's file?"));
      }
    }
    Loader loader(ctx, tokens);
    std::string earlier;
    if (loader.AlreadyLoaded(&earlier)) {
      std::cerr << "demo load: already done (" << earlier
                << "); nothing to do\n";
      return;
    }
    loader.Prepare();
    std::vector<DemoCasePlan> plans;
    for (int i = 0; i < f->cases; ++i) {
      plans.push_back(PlanDemoCase(i, kSuggestionOrg));
    }
    Progress progress(f->cases);
    int done = 0;
    progress.Set(0, "starting");
    loader.SubmitOverdue(plans, progress, &done);
    const bool advanced = loader.Advance();
    loader.SettleOverdue(plans);
    loader.LoadFresh(plans, progress, &done);
    progress.Finish();
    loader.StoreMarker(absl::StrCat("demo load: ", f->cases, " cases"));
    Summary(ctx, f->cases, advanced, loader);
  });
}

}  // namespace jianyan::cli
