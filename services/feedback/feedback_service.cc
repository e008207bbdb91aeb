#include "services/feedback/feedback_service.h"

#include <utility>

#include "services/core/request_checks.h"
#include "services/edge/relay.h"
#include "workflow/query_code.h"

namespace jianyan {
namespace {

// The credential's shape: a well-formed case number (check character) and
// an 8-digit query code. Nothing about the case is known yet.
absl::Status CheckCredential(const std::string& case_number,
                             const std::string& query_code) {
  absl::StatusOr<std::string> number = CheckCaseNumber(case_number);
  if (!number.ok()) return number.status();
  return NormalizeQueryCode(query_code).status();
}

}  // namespace

grpc::ServerUnaryReactor* FeedbackServiceImpl::GetPublicStatus(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::GetPublicStatusRequest* request,
    jianyan::v1::PublicStatus* response) {
  return Relay(ctx, EnterCall(limits_, "FeedbackService"),
               CheckCredential(request->case_number(), request->query_code()),
               [this, ctx, request, response](CoreDone done) {
                 link_.GetPublicStatus(ctx, request, response, std::move(done));
               });
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::SubmitRating(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::SubmitRatingRequest* request,
    jianyan::v1::SubmitRatingResponse* response) {
  return Relay(ctx, EnterCall(limits_, "FeedbackService"),
               CheckCredential(request->case_number(), request->query_code()),
               [this, ctx, request, response](CoreDone done) {
                 link_.SubmitPublicRating(ctx, request, response,
                                          std::move(done));
               });
}

}  // namespace jianyan
