// The supervisor's console: supervise overdue, due-soon, escalate,
// reassign (and watch, in watch_command.cc).
#include "services/cli/supervise_commands.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "jianyan/v1/supervision.grpc.pb.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "services/cli/app.h"
#include "services/cli/errors.h"
#include "services/cli/format.h"
#include "services/cli/paging.h"
#include "services/cli/views.h"
#include "workflow/time_util.h"

namespace jianyan::cli {
namespace {

using jianyan::v1::SupervisionService;

struct DeadlineFlags {
  std::string org, kind, min_level, page_token;
  int page_size = 0;
  bool all = false;
};

template <typename Request>
Request DeadlineRequest(const DeadlineFlags& f) {
  Request r;
  r.set_organisation_id(f.org);
  if (!f.kind.empty()) {
    r.set_kind(static_cast<jianyan::v1::CaseKind>(
        EnumOrUsage(jianyan::v1::CaseKind_descriptor(), f.kind, "--kind")));
  }
  if (!f.min_level.empty()) {
    r.set_min_level(static_cast<jianyan::v1::EscalationLevel>(
        EnumOrUsage(jianyan::v1::EscalationLevel_descriptor(), f.min_level,
                    "--min-level")));
  }
  r.set_page_size(f.page_size);
  r.set_page_token(f.page_token);
  return r;
}

// `supervise overdue` and `supervise due-soon`: the same table over
// ListOverdue or ListDueSoon.
template <typename Request, typename Call>
void AddDeadlineList(CLI::App& parent, CliContext& ctx, const char* name,
                     const char* help, Call call) {
  auto f = std::make_shared<DeadlineFlags>();
  CLI::App* c = parent.add_subcommand(name, help);
  c->add_option("--org", f->org, "organisation (with its subtree)");
  c->add_option("--kind", f->kind, "petition or suggestion");
  c->add_option("--min-level", f->min_level,
                "only cases at this level or above: urge|supervise|listed");
  c->add_option("--page-size", f->page_size, "1..500");
  c->add_option("--page-token", f->page_token, "from the previous page");
  c->add_flag("--all", f->all, "follow the page tokens to the end");
  SetExample(c, absl::StrCat("jianyan supervise ", name,
                             " --org taishan-xfj --min-level urge"));
  const std::string what = absl::StrCat("supervise ", name);
  c->callback([f, &ctx, call, what] {
    auto stub = ctx.Stub<SupervisionService>();
    Table table(DeadlineHeader());
    ForEachPage<jianyan::v1::ListDeadlinesResponse>(
        DeadlineRequest<Request>(*f), f->all,
        [&](const Request& request, auto* page) {
          ctx.Check(call(*stub, ctx.Call().get(), request, page), what);
        },
        [&](const auto& page) {
          // Time left as the core counts it (its clock may be a testing
          // clock, or ahead of ours); older servers send no as_of.
          const absl::Time now =
              page.has_as_of() ? FromProto(page.as_of()) : absl::Now();
          for (const auto& entry : page.entries()) {
            if (ctx.json()) ctx.out().Json(entry);
            table.Add(DeadlineCells(entry, now));
          }
        });
    if (!ctx.json()) ctx.out().Print(table);
  });
}

// What escalate and reassign share: the case, its expected version and
// the request id.
struct CaseChangeFlags {
  std::string number, request_id;
  uint64_t expect_version = 0;
};

void AddCaseChangeFlags(CLI::App* c, CaseChangeFlags* f) {
  c->add_option("NUMBER", f->number, "case number")->required();
  c->add_option("--expect-version", f->expect_version,
                "act only on this version; default: the current one");
  c->add_option("--request-id", f->request_id, "idempotency id");
}

// --expect-version, else the case's current version (GetCase).
uint64_t ExpectedVersion(CliContext& ctx, const CaseChangeFlags& f,
                         absl::string_view what) {
  if (f.expect_version > 0) return f.expect_version;
  jianyan::v1::GetCaseRequest request;
  request.set_case_number(f.number);
  jianyan::v1::Case found;
  ctx.Check(ctx.Stub<jianyan::v1::WorkflowService>()->GetCase(ctx.Call().get(),
                                                              request, &found),
            what);
  return found.version();
}

struct EscalateFlags : CaseChangeFlags {
  std::string level, note, reply_by;
};

void AddEscalate(CLI::App& parent, CliContext& ctx) {
  auto f = std::make_shared<EscalateFlags>();
  CLI::App* c = parent.add_subcommand(
      "escalate", "raise a case's supervision level (催办/督办/挂牌督办)");
  AddCaseChangeFlags(c, f.get());
  c->add_option("--level", f->level, "urge|supervise|listed")
      ->required()
      ->check(CLI::IsMember(
          EnumShortNames(jianyan::v1::EscalationLevel_descriptor())));
  c->add_option("--note", f->note, "the order (needed from supervise up)");
  c->add_option("--reply-by", f->reply_by,
                "reply due: YYYY-MM-DD (end of day), \"YYYY-MM-DD HH:MM\" "
                "(China time) or RFC 3339");
  SetExample(c,
             "jianyan supervise escalate P2026-00000001-5 --level supervise "
             "--note 请于三日内答复 --reply-by 2026-12-10");
  c->callback([f, &ctx] {
    jianyan::v1::EscalateRequest request;
    request.set_request_id(RequestIdOr(f->request_id));
    request.set_case_number(f->number);
    request.set_level(static_cast<jianyan::v1::EscalationLevel>(EnumOrUsage(
        jianyan::v1::EscalationLevel_descriptor(), f->level, "--level")));
    request.set_note(f->note);
    if (!f->reply_by.empty()) {
      absl::StatusOr<absl::Time> due = ParseTimeArg(f->reply_by);
      if (!due.ok()) {
        FailUsage(absl::StrCat("--reply-by: ", due.status().message()));
      }
      *request.mutable_reply_due_time() = ToProto(*due);
    }
    request.set_expected_version(
        ExpectedVersion(ctx, *f, "supervise escalate"));
    jianyan::v1::EscalateResponse response;
    ctx.Check(ctx.Stub<SupervisionService>()->Escalate(ctx.Call().get(),
                                                       request, &response),
              "supervise escalate",
              "levels only rise while a case is open: ask for a level above "
              "the current one (jianyan case show NUMBER).");
    ShowCase(ctx.out(), response.case_());
  });
}

struct ReassignFlags : CaseChangeFlags {
  std::string org, reason;
};

void AddReassign(CLI::App& parent, CliContext& ctx) {
  auto f = std::make_shared<ReassignFlags>();
  CLI::App* c = parent.add_subcommand(
      "reassign", "move a case to another handling organisation (改派)");
  AddCaseChangeFlags(c, f.get());
  c->add_option("--to", f->org, "the organisation id")->required();
  c->add_option("--reason", f->reason, "why")->required();
  SetExample(c,
             "jianyan supervise reassign P2026-00000001-5 --to feicheng-xfj "
             "--reason 属地管辖");
  c->callback([f, &ctx] {
    jianyan::v1::ReassignRequest request;
    request.set_request_id(RequestIdOr(f->request_id));
    request.set_case_number(f->number);
    request.set_organisation_id(f->org);
    request.set_reason(f->reason);
    request.set_expected_version(
        ExpectedVersion(ctx, *f, "supervise reassign"));
    jianyan::v1::ReassignResponse response;
    ctx.Check(ctx.Stub<SupervisionService>()->Reassign(ctx.Call().get(),
                                                       request, &response),
              "supervise reassign");
    ShowCase(ctx.out(), response.case_());
  });
}

}  // namespace

void AddSuperviseCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* c = app.add_subcommand(
      "supervise", "the supervisor's console: deadlines and escalation (督办)");
  c->require_subcommand(1);
  SetExample(c, "jianyan supervise overdue --all");
  AddDeadlineList<jianyan::v1::ListOverdueRequest>(
      *c, ctx, "overdue", "cases past a running deadline, most overdue first",
      [](SupervisionService::Stub& stub, grpc::ClientContext* call,
         const jianyan::v1::ListOverdueRequest& request,
         jianyan::v1::ListDeadlinesResponse* out) {
        return stub.ListOverdue(call, request, out);
      });
  AddDeadlineList<jianyan::v1::ListDueSoonRequest>(
      *c, ctx, "due-soon", "cases past a pre-warning point, soonest first",
      [](SupervisionService::Stub& stub, grpc::ClientContext* call,
         const jianyan::v1::ListDueSoonRequest& request,
         jianyan::v1::ListDeadlinesResponse* out) {
        return stub.ListDueSoon(call, request, out);
      });
  AddEscalate(*c, ctx);
  AddReassign(*c, ctx);
  AddWatchCommand(*c, ctx);
}

}  // namespace jianyan::cli
