// The handler's commands: case list, show, history, actions, act.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "services/cli/app.h"
#include "services/cli/case_commands.h"
#include "services/cli/errors.h"
#include "services/cli/format.h"
#include "services/cli/paging.h"
#include "services/cli/views.h"
#include "workflow/clock.h"
#include "workflow/time_util.h"

namespace jianyan::cli {
namespace {

using jianyan::v1::WorkflowService;

struct ListFlags {
  std::string state, org, point, campaign, kind, after, before, order,
      page_token;
  int page_size = 0;
  bool all = false;
};

google::protobuf::Timestamp StartOfDay(const std::string& text,
                                       absl::string_view flag) {
  absl::StatusOr<absl::CivilDay> day = ParseDay(text);
  if (!day.ok()) FailUsage(absl::StrCat(flag, ": ", day.status().message()));
  return ToProto(absl::FromCivil(*day, ChinaTimeZone()));
}

jianyan::v1::ListCasesRequest ListRequest(const ListFlags& f) {
  jianyan::v1::ListCasesRequest r;
  r.set_state(f.state);
  r.set_organisation_id(f.org);
  r.set_reporting_point_id(f.point);
  r.set_campaign_id(f.campaign);
  if (!f.kind.empty()) {
    r.set_kind(static_cast<jianyan::v1::CaseKind>(
        EnumOrUsage(jianyan::v1::CaseKind_descriptor(), f.kind, "--kind")));
  }
  if (!f.after.empty()) {
    *r.mutable_created_after() = StartOfDay(f.after, "--created-after");
  }
  if (!f.before.empty()) {
    *r.mutable_created_before() = StartOfDay(f.before, "--created-before");
  }
  if (f.order == "newest")
    r.set_order(jianyan::v1::CASE_ORDER_CREATE_TIME_DESC);
  if (f.order == "due") r.set_order(jianyan::v1::CASE_ORDER_DUE_TIME_ASC);
  r.set_page_size(f.page_size);
  r.set_page_token(f.page_token);
  return r;
}

void AddList(CLI::App& parent, CliContext& ctx) {
  auto f = std::make_shared<ListFlags>();
  CLI::App* c = parent.add_subcommand("list", "list the cases I may see");
  c->add_option("--state", f->state, "only cases in this state");
  c->add_option("--org", f->org, "handling organisation id");
  c->add_option("--point", f->point, "reporting point id");
  c->add_option("--campaign", f->campaign, "campaign id");
  c->add_option("--kind", f->kind, "petition or suggestion");
  c->add_option("--created-after", f->after, "YYYY-MM-DD (China time)");
  c->add_option("--created-before", f->before, "YYYY-MM-DD (China time)");
  c->add_option("--order", f->order, "created (default), newest or due")
      ->check(CLI::IsMember({"created", "newest", "due"}));
  c->add_option("--page-size", f->page_size, "1..500 (default 50)");
  c->add_option("--page-token", f->page_token, "from the previous page");
  c->add_flag("--all", f->all, "follow the page tokens to the end");
  SetExample(c, "jianyan case list --state registered --order due --all");
  c->callback([f, &ctx] {
    auto stub = ctx.Stub<WorkflowService>();
    Table table(SummaryHeader());
    ForEachPage<jianyan::v1::ListCasesResponse>(
        ListRequest(*f), f->all,
        [&](const jianyan::v1::ListCasesRequest& request, auto* page) {
          ctx.Check(stub->ListCases(ctx.Call().get(), request, page),
                    "case list");
        },
        [&](const auto& page) {
          for (const auto& summary : page.cases()) {
            if (ctx.json()) ctx.out().Json(summary);
            table.Add(SummaryCells(summary));
          }
        });
    if (!ctx.json()) ctx.out().Print(table);
  });
}

// Adds the NUMBER argument; the value lands in *number.
void NumberArg(CLI::App* c, std::string* number) {
  c->add_option("NUMBER", *number, "case number, e.g. P2026-00000001-5")
      ->required();
}

void AddShow(CLI::App& parent, CliContext& ctx) {
  auto number = std::make_shared<std::string>();
  CLI::App* c = parent.add_subcommand("show", "one case in full");
  NumberArg(c, number.get());
  SetExample(c, "jianyan case show P2026-00000001-5");
  c->callback([number, &ctx] {
    jianyan::v1::GetCaseRequest request;
    request.set_case_number(*number);
    jianyan::v1::Case found;
    ctx.Check(
        ctx.Stub<WorkflowService>()->GetCase(ctx.Call().get(), request, &found),
        "case show");
    ShowCase(ctx.out(), found);
  });
}

void AddHistory(CLI::App& parent, CliContext& ctx) {
  auto number = std::make_shared<std::string>();
  CLI::App* c = parent.add_subcommand("history", "a case's event log");
  NumberArg(c, number.get());
  SetExample(c, "jianyan case history P2026-00000001-5 -o json");
  c->callback([number, &ctx] {
    jianyan::v1::GetHistoryRequest request;
    request.set_case_number(*number);
    auto stub = ctx.Stub<WorkflowService>();
    Table table(EventHeader());
    do {
      jianyan::v1::GetHistoryResponse page;
      ctx.Check(stub->GetHistory(ctx.Call().get(), request, &page),
                "case history");
      for (const auto& event : page.events()) {
        if (ctx.json()) ctx.out().Json(event);
        table.Add(EventCells(event));
      }
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    if (!ctx.json()) ctx.out().Print(table);
  });
}

void AddActions(CLI::App& parent, CliContext& ctx) {
  auto number = std::make_shared<std::string>();
  CLI::App* c = parent.add_subcommand(
      "actions", "what I may do to a case now, with the fields each needs");
  NumberArg(c, number.get());
  SetExample(c, "jianyan case actions P2026-00000001-5");
  c->callback([number, &ctx] {
    jianyan::v1::ListActionsResponse actions;
    ctx.Check(ListActions(ctx, *number, &actions), "case actions");
    ShowActions(ctx.out(), actions);
  });
}

}  // namespace

grpc::Status ListActions(CliContext& ctx, const std::string& number,
                         jianyan::v1::ListActionsResponse* out) {
  jianyan::v1::ListActionsRequest request;
  request.set_case_number(number);
  return ctx.Stub<WorkflowService>()->ListActions(ctx.Call().get(), request,
                                                  out);
}

void AddHandlerCaseCommands(CLI::App& case_command, CliContext& ctx) {
  AddList(case_command, ctx);
  AddShow(case_command, ctx);
  AddHistory(case_command, ctx);
  AddActions(case_command, ctx);
  AddActCommand(case_command, ctx);
}

}  // namespace jianyan::cli
