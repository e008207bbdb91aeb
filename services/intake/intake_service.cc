#include "services/intake/intake_service.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/call_notes.h"
#include "services/common/grpc_status.h"
#include "services/core/request_checks.h"
#include "services/intake/derived_query_code.h"
#include "services/intake/submission.h"
#include "workflow/status_macros.h"

namespace jianyan {
namespace {

using jianyan::v1::Case;
using jianyan::v1::Principal;

// The core names CreateCaseRequest fields ("case.title: ..."); the edge's
// caller sent SubmitCaseRequest, whose fields carry the same names one
// level up ("title: ...").
absl::Status AsRequestField(absl::Status status) {
  absl::string_view message = status.message();
  if (!absl::ConsumePrefix(&message, "case.")) return status;
  return absl::Status(status.code(), message);
}

absl::Status NotFound(absl::string_view number) {
  return absl::NotFoundError(absl::StrCat("case ", number, " not found"));
}

// Terminals and suggesters only.
absl::Status CheckSubmitter(const Principal& caller) {
  if (caller.role() == jianyan::v1::ROLE_TERMINAL ||
      caller.role() == jianyan::v1::ROLE_SUGGESTER) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      "IntakeService is for reporting-point terminals and invited suggesters");
}

// A call to the core as the caller itself (its own bearer token), so that
// the core's scope rules decide what it may read: a terminal its point's
// cases, a suggester its own suggestions. The inbound deadline, if any.
std::unique_ptr<grpc::ClientContext> AsCaller(
    const grpc::ServerContextBase& inbound) {
  auto call = std::make_unique<grpc::ClientContext>();
  const auto& metadata = inbound.client_metadata();
  auto it = metadata.find("authorization");
  if (it != metadata.end()) {
    call->AddMetadata("authorization",
                      std::string(it->second.data(), it->second.size()));
  }
  call->set_deadline(
      std::min(inbound.deadline(),
               std::chrono::system_clock::now() + std::chrono::seconds(10)));
  return call;
}

jianyan::v1::Receipt ReceiptOf(const Case& c) {
  jianyan::v1::Receipt r;
  r.set_case_number(c.case_number());
  r.set_kind(c.kind());
  r.set_state(c.state());
  *r.mutable_state_label() = c.state_label();
  *r.mutable_receive_time() = c.create_time();
  r.set_reporting_point_id(c.reporting_point_id());
  // The running limit on deciding acceptance: "acceptance" once forwarded
  // or assigned; "routing" (15 days from registration, met by accepting
  // directly) while the registering body still holds the case.
  for (const auto& d : c.deadlines()) {
    if ((d.timer() == "acceptance" || d.timer() == "routing") &&
        d.has_due_time()) {
      *r.mutable_acceptance_due_time() = d.due_time();
    }
  }
  r.set_title(c.title());
  return r;
}

absl::Status NoLink() {
  return absl::UnavailableError("workflow core unavailable (no core link)");
}

// Runs `work` on the link's pool, holding `slot`, and finishes the call
// with its answer.
template <typename Response, typename Work>
grpc::ServerUnaryReactor* Serve(CoreLink* link, absl::StatusOr<CallSlot> slot,
                                grpc::CallbackServerContext* ctx,
                                Response* response, Work work) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  if (link == nullptr || !slot.ok()) {
    reactor->Finish(ToGrpcStatus(slot.ok() ? NoLink() : slot.status()));
    return reactor;
  }
  link->Run([reactor, response, work = std::move(work),
             held = HeldSlot(*std::move(slot))]() {
    absl::StatusOr<Response> answer = work();
    if (answer.ok()) *response = *std::move(answer);
    held.Release();
    reactor->Finish(ToGrpcStatus(answer.status()));
  });
  return reactor;
}

// The caller of `ctx`, recorded for the access log.
absl::StatusOr<Principal> AuthenticateAndNote(
    CoreLink& link, const grpc::ServerContextBase& ctx) {
  absl::StatusOr<Principal> caller = link.Authenticate(ctx);
  if (caller.ok()) NoteCallPrincipal(&ctx, caller->id());
  return caller;
}

}  // namespace

IntakeServiceImpl::IntakeServiceImpl(CoreLink* link,
                                     const IntakeOptions& options)
    : link_(link),
      options_(options),
      admin_(options.core_channel == nullptr
                 ? nullptr
                 : jianyan::v1::AdminService::NewStub(options.core_channel)) {}

absl::StatusOr<IntakeServiceImpl::Submission> IntakeServiceImpl::PrepareSubmit(
    absl::StatusOr<Principal> authenticated,
    const jianyan::v1::SubmitCaseRequest& request) {
  if (options_.query_code_secret.size() != kQueryCodeSecretBytes) {
    // A deployment fault, not the caller's: no receipt without a code.
    return absl::FailedPreconditionError(
        "intake: no query-code secret is configured");
  }
  JY_ASSIGN_OR_RETURN(Principal caller, std::move(authenticated));
  JY_RETURN_IF_ERROR(CheckSubmitter(caller));
  JY_ASSIGN_OR_RETURN(Case intake, NormaliseSubmission(request));
  jianyan::v1::CreateCaseRequest create;
  auto* who = create.mutable_on_behalf_of();
  who->set_principal_id(caller.id());
  who->set_role(caller.role());
  if (caller.role() == jianyan::v1::ROLE_SUGGESTER) {
    if (intake.kind() != jianyan::v1::CASE_KIND_SUGGESTION) {
      return absl::PermissionDeniedError(
          "kind: invited suggesters submit suggestions only");
    }
    if (intake.campaign_id().empty()) {
      if (options_.suggestion_organisation_id.empty()) {
        return absl::InvalidArgumentError(
            "campaign_id: required (this deployment takes suggesters' "
            "suggestions in campaigns only)");
      }
      intake.set_routing_organisation_id(options_.suggestion_organisation_id);
    }
  } else {
    who->set_reporting_point_id(caller.reporting_point_id());
    intake.set_reporting_point_id(caller.reporting_point_id());
  }
  DerivedQueryCode code = DeriveQueryCode(options_.query_code_secret,
                                          caller.id(), request.request_id());
  create.set_request_id(request.request_id());
  *create.mutable_case_() = std::move(intake);
  create.set_query_code_hash(code.stored_hash);
  return Submission{std::move(create), std::move(code.code)};
}

absl::StatusOr<jianyan::v1::Receipt> IntakeServiceImpl::DoGetReceipt(
    const grpc::ServerContextBase& ctx,
    const jianyan::v1::GetReceiptRequest& request) {
  JY_ASSIGN_OR_RETURN(Principal caller, AuthenticateAndNote(*link_, ctx));
  JY_RETURN_IF_ERROR(CheckSubmitter(caller));
  JY_ASSIGN_OR_RETURN(std::string number,
                      CheckCaseNumber(request.case_number()));
  jianyan::v1::GetCaseRequest get;
  get.set_case_number(number);
  Case c;
  std::unique_ptr<grpc::ClientContext> call = AsCaller(ctx);
  grpc::Status status = link_->workflow().GetCase(call.get(), get, &c);
  // Another point's (suggester's) case is indistinguishable from none.
  if (status.error_code() == grpc::StatusCode::NOT_FOUND ||
      status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
    return NotFound(number);
  }
  if (!status.ok()) return CoreLink::FromCore(status);
  return ReceiptOf(c);
}

absl::StatusOr<jianyan::v1::ListCategoriesResponse>
IntakeServiceImpl::DoListCategories(const grpc::ServerContextBase& ctx) {
  JY_ASSIGN_OR_RETURN(Principal caller, AuthenticateAndNote(*link_, ctx));
  JY_RETURN_IF_ERROR(CheckSubmitter(caller));
  if (admin_ == nullptr) {
    return absl::UnavailableError("workflow core unavailable (no channel)");
  }
  jianyan::v1::ListCategoriesResponse out;
  jianyan::v1::ListRequest page;
  page.set_page_size(1000);
  do {
    jianyan::v1::ListCategoriesResponse got;
    std::unique_ptr<grpc::ClientContext> call = link_->NewCall(&ctx);
    grpc::Status status = admin_->ListCategories(call.get(), page, &got);
    if (!status.ok()) return CoreLink::FromCore(status);
    for (auto& c : *got.mutable_categories()) {
      if (c.active()) *out.add_categories() = std::move(c);
    }
    page.set_page_token(got.next_page_token());
  } while (!page.page_token().empty());
  return out;
}

grpc::ServerUnaryReactor* IntakeServiceImpl::SubmitCase(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::SubmitCaseRequest* request,
    jianyan::v1::SubmitCaseResponse* response) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  absl::StatusOr<CallSlot> slot = EnterCall(options_.limits, "IntakeService");
  if (link_ == nullptr || !slot.ok()) {
    reactor->Finish(ToGrpcStatus(slot.ok() ? NoLink() : slot.status()));
    return reactor;
  }
  // A cached caller (the usual case) needs no thread: the request is
  // prepared here and the core called asynchronously. Only a cache miss
  // asks the core, on the link's workers.
  std::optional<absl::StatusOr<Principal>> caller =
      link_->AuthenticateCached(*ctx);
  if (caller.has_value()) {
    StartSubmit(*std::move(caller), ctx, request, response, reactor,
                *std::move(slot));
  } else {
    link_->Run([this, ctx, request, response, reactor,
                slot = *std::move(slot)]() mutable {
      StartSubmit(link_->Authenticate(*ctx), ctx, request, response, reactor,
                  std::move(slot));
    });
  }
  return reactor;
}

void IntakeServiceImpl::StartSubmit(
    absl::StatusOr<Principal> caller, grpc::CallbackServerContext* ctx,
    const jianyan::v1::SubmitCaseRequest* request,
    jianyan::v1::SubmitCaseResponse* response,
    grpc::ServerUnaryReactor* reactor, CallSlot slot) {
  if (caller.ok()) NoteCallPrincipal(ctx, caller->id());  // the access log
  absl::StatusOr<Submission> prepared =
      PrepareSubmit(std::move(caller), *request);
  if (!prepared.ok()) {
    slot.reset();
    reactor->Finish(ToGrpcStatus(prepared.status()));
    return;
  }
  // The call's state lives until its completion has run.
  struct Pending {
    Submission submission;
    jianyan::v1::CreateCaseResponse created;
  };
  auto pending = std::make_shared<Pending>(Pending{*std::move(prepared), {}});
  Pending* p = pending.get();
  link_->CreateCase(ctx, &p->submission.create, &p->created,
                    [pending, response, reactor,
                     held = HeldSlot(std::move(slot))](absl::Status status) {
                      held.Release();
                      if (!status.ok()) {
                        reactor->Finish(ToGrpcStatus(AsRequestField(status)));
                        return;
                      }
                      *response->mutable_receipt() =
                          ReceiptOf(pending->created.case_());
                      response->mutable_receipt()->set_query_code(
                          pending->submission.query_code);
                      reactor->Finish(grpc::Status::OK);
                    });
}

grpc::ServerUnaryReactor* IntakeServiceImpl::GetReceipt(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::GetReceiptRequest* request,
    jianyan::v1::Receipt* response) {
  return Serve(link_, EnterCall(options_.limits, "IntakeService"), ctx,
               response,
               [this, ctx, request] { return DoGetReceipt(*ctx, *request); });
}

grpc::ServerUnaryReactor* IntakeServiceImpl::ListCategories(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::ListIntakeCategoriesRequest* /*request*/,
    jianyan::v1::ListCategoriesResponse* response) {
  return Serve(link_, EnterCall(options_.limits, "IntakeService"), ctx,
               response, [this, ctx] { return DoListCategories(*ctx); });
}

}  // namespace jianyan
