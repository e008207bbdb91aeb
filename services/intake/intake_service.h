// IntakeServiceImpl: the edge for reporting-point terminals (ROLE_TERMINAL)
// and invited suggesters (ROLE_SUGGESTER). It holds no database: callers
// are authenticated through the CoreLink, requests are validated and
// normalised here (services/intake/submission.h) and cases are created in
// the core with WorkflowService.CreateCase on the caller's behalf, with the
// service credential.
//
// Attribution comes from the caller's token, never from the request: a
// terminal's reporting point (the core fills the routing organisation, 登记
// 机关, from the point's organisation); a suggester's suggester_id (the core
// sets it from the principal). A suggester's suggestion outside a campaign
// is routed to IntakeOptions.suggestion_organisation_id; in a campaign, to
// the campaign's sponsor.
//
// Query codes are derived (services/intake/derived_query_code.h), so a
// retry with the same request_id returns an identical receipt.
//
// SubmitCase authenticates a cached caller and normalises on the gRPC
// thread (a principal cache miss asks the core from the link's worker
// pool) and then calls CreateCase asynchronously through the link (the
// stub's callback API, or the core's function in all-in-one mode): no
// thread waits for the core or the commit, so the number of submissions in
// flight is not bounded by the pool's size.
//
// Thread-safety: handlers run on the link's worker pool and gRPC's callback
// threads; the service keeps no mutable state.
#ifndef JIANYAN_SERVICES_INTAKE_INTAKE_SERVICE_H_
#define JIANYAN_SERVICES_INTAKE_INTAKE_SERVICE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "jianyan/v1/admin.grpc.pb.h"
#include "jianyan/v1/intake.grpc.pb.h"
#include "services/common/call_limits.h"
#include "services/edge/core_link.h"

namespace jianyan {

struct IntakeOptions {
  // The query-code key, kQueryCodeSecretBytes bytes (SubmitCase answers
  // FAILED_PRECONDITION without it): jianyand reads it with
  // LoadOrCreateSecretFile(DATA_DIR/query-code.key) in all-in-one mode, or
  // from the file a split edge is configured with (every edge replica must
  // use the same one).
  std::string query_code_secret;
  // Where a suggester's daily suggestion (no campaign) is registered;
  // empty: such suggestions are refused (INVALID_ARGUMENT campaign_id).
  std::string suggestion_organisation_id;
  // The channel to the core that the link uses (all-in-one: the in-process
  // channel; split: the core's address): ListCategories reads the core's
  // AdminService.ListCategories, which the service role may call.
  std::shared_ptr<grpc::ChannelInterface> core_channel;
  // The server's bounds on calls in flight (null: none); outlives the
  // service.
  CallLimits* limits = nullptr;
};

class IntakeServiceImpl final
    : public jianyan::v1::IntakeService::CallbackService {
 public:
  // `link` must outlive the service; null (no core wired): every RPC
  // answers UNAVAILABLE.
  IntakeServiceImpl(CoreLink* link, const IntakeOptions& options);

  grpc::ServerUnaryReactor* SubmitCase(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::SubmitCaseRequest* request,
      jianyan::v1::SubmitCaseResponse* response) override;
  grpc::ServerUnaryReactor* GetReceipt(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::GetReceiptRequest* request,
      jianyan::v1::Receipt* response) override;
  grpc::ServerUnaryReactor* ListCategories(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::ListIntakeCategoriesRequest* request,
      jianyan::v1::ListCategoriesResponse* response) override;

 private:
  // What SubmitCase asks of the core, and the code its receipt shows.
  struct Submission {
    jianyan::v1::CreateCaseRequest create;
    std::string query_code;
  };
  // The CreateCase request for `request` from the authenticated caller
  // (or the authentication's error).
  absl::StatusOr<Submission> PrepareSubmit(
      absl::StatusOr<jianyan::v1::Principal> caller,
      const jianyan::v1::SubmitCaseRequest& request);
  // Prepares and starts the call to the core, which finishes `reactor`.
  void StartSubmit(absl::StatusOr<jianyan::v1::Principal> caller,
                   grpc::CallbackServerContext* ctx,
                   const jianyan::v1::SubmitCaseRequest* request,
                   jianyan::v1::SubmitCaseResponse* response,
                   grpc::ServerUnaryReactor* reactor, CallSlot slot);
  absl::StatusOr<jianyan::v1::Receipt> DoGetReceipt(
      const grpc::ServerContextBase& ctx,
      const jianyan::v1::GetReceiptRequest& request);
  absl::StatusOr<jianyan::v1::ListCategoriesResponse> DoListCategories(
      const grpc::ServerContextBase& ctx);

  // Constant after construction.
  CoreLink* const link_;
  const IntakeOptions options_;
  const std::unique_ptr<jianyan::v1::AdminService::Stub> admin_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_INTAKE_INTAKE_SERVICE_H_
