// `jianyan case act NUMBER ACTION`: applies one action of the case's
// workflow. Without --expect-version it reads the version (ListActions),
// acts, and on ABORTED retries once, only if ListActions still offers the
// action. A refusal lists the actions allowed now.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"
#include "services/cli/app.h"
#include "services/cli/case_commands.h"
#include "services/cli/errors.h"
#include "services/cli/format.h"
#include "services/cli/views.h"

namespace jianyan::cli {
namespace {

struct ActFlags {
  std::string number, action, reason, reason_code, request_id;
  std::vector<std::string> fields;
  uint64_t expect_version = 0;
  bool has_version = false;
};

bool Offers(const jianyan::v1::ListActionsResponse& actions,
            const std::string& action) {
  for (const auto& a : actions.actions()) {
    if (a.action() == action) return true;
  }
  return false;
}

// The next step after a refusal: the actions allowed now, when ListActions
// answers.
std::string AllowedNow(CliContext& ctx, const std::string& number) {
  jianyan::v1::ListActionsResponse actions;
  if (!ListActions(ctx, number, &actions).ok()) return "";
  return absl::StrCat("allowed now (state '", actions.state(),
                      "'): ", ActionNames(actions), "; `jianyan case actions ",
                      number, "` shows their fields.");
}

// The next step after INVALID_ARGUMENT: the fields the action takes, when
// ListActions offers it.
std::string FieldsHint(CliContext& ctx, const std::string& number,
                       const std::string& action) {
  jianyan::v1::ListActionsResponse actions;
  if (!ListActions(ctx, number, &actions).ok()) return "";
  for (const auto& a : actions.actions()) {
    if (a.action() == action) {
      return absl::StrCat("'", action, "' takes ", FieldsText(a),
                          " (* required): --field NAME=VALUE.");
    }
  }
  return "";
}

jianyan::v1::ActRequest BuildAct(const ActFlags& f) {
  jianyan::v1::ActRequest r;
  r.set_request_id(RequestIdOr(f.request_id));
  r.set_case_number(f.number);
  r.set_action(f.action);
  r.set_reason(f.reason);
  r.set_reason_code(f.reason_code);
  for (const std::string& field : f.fields) {
    const size_t eq = field.find('=');
    if (eq == std::string::npos || eq == 0) {
      FailUsage(absl::StrCat("--field ", field, ": expected NAME=VALUE"));
    }
    (*r.mutable_fields())[field.substr(0, eq)] = field.substr(eq + 1);
  }
  return r;
}

void ShowActed(Output& out, const jianyan::v1::ActResponse& acted,
               const std::string& action) {
  if (out.json()) return out.Json(acted);
  const jianyan::v1::Case& c = acted.case_();
  out.Record({{"case", c.case_number()},
              {"action", action},
              {"state", LabelAnd(c.state_label(), c.state())},
              {"version", absl::StrCat(c.version())},
              {"due", FormatTime(c.due_time())}});
}

void Act(CliContext& ctx, const ActFlags& f) {
  jianyan::v1::ActRequest request = BuildAct(f);
  if (f.has_version) {
    request.set_expected_version(f.expect_version);
  } else {
    jianyan::v1::ListActionsResponse actions;
    ctx.Check(ListActions(ctx, f.number, &actions), "case act");
    request.set_expected_version(actions.version());
  }
  auto stub = ctx.Stub<jianyan::v1::WorkflowService>();
  jianyan::v1::ActResponse acted;
  grpc::Status status = stub->Act(ctx.Call().get(), request, &acted);
  if (status.error_code() == grpc::StatusCode::ABORTED && !f.has_version) {
    // Someone else acted between our read and our command: retry once, on
    // the new version, if the action is still open to us.
    jianyan::v1::ListActionsResponse actions;
    ctx.Check(ListActions(ctx, f.number, &actions), "case act");
    if (Offers(actions, f.action)) {
      request.set_expected_version(actions.version());
      request.set_request_id(NewRequestId());
      status = stub->Act(ctx.Call().get(), request, &acted);
    }
  }
  std::string hint;
  if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
      status.error_code() == grpc::StatusCode::ABORTED) {
    hint = AllowedNow(ctx, f.number);
  } else if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
    hint = FieldsHint(ctx, f.number, f.action);
  }
  if (!status.ok() && !hint.empty()) {
    FailCall(status, "case act", ctx.options().server, hint);
  }
  ctx.Check(status, "case act");
  ShowActed(ctx.out(), acted, f.action);
}

}  // namespace

void AddActCommand(CLI::App& case_command, CliContext& ctx) {
  auto f = std::make_shared<ActFlags>();
  CLI::App* c = case_command.add_subcommand(
      "act", "apply an action to a case (see `case actions`)");
  c->add_option("NUMBER", f->number, "case number")->required();
  c->add_option("ACTION", f->action, "action name, e.g. accept")->required();
  c->add_option("--field", f->fields, "NAME=VALUE of a field (repeatable)");
  c->add_option("--reason", f->reason, "free text, at most 2000 characters");
  c->add_option("--reason-code", f->reason_code, "reason code");
  c->add_option("--request-id", f->request_id, "idempotency id");
  CLI::Option* version = c->add_option(
      "--expect-version", f->expect_version,
      "act only on this version (ABORTED otherwise); default: the current "
      "one, retried once");
  SetExample(c,
             "jianyan case act P2026-00000001-5 respond --field "
             "opinion=support --reason 已协调供热公司");
  c->callback([f, version, &ctx] {
    f->has_version = version->count() > 0;
    Act(ctx, *f);
  });
}

}  // namespace jianyan::cli
