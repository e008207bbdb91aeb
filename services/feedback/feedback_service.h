// FeedbackServiceImpl: the public edge: status and rating by case number +
// query code, for petitioners and suggesters without accounts.
//
// The edge holds no database and reads no bearer token: it checks the case
// number's and the query code's shape (INVALID_ARGUMENT naming the field,
// before the core is asked), then relays to CoreInternal, which verifies
// the code against the stored salted hash with the wrong-attempt count
// shared by every replica (services/core/public_feedback.h). Calls to the
// core use the stub's callback API (edge/relay.h): no thread waits for the
// core. The core being unreachable is UNAVAILABLE. Calls beyond the
// server's bound (call_limits.h) get RESOURCE_EXHAUSTED at once.
#ifndef JIANYAN_SERVICES_FEEDBACK_FEEDBACK_SERVICE_H_
#define JIANYAN_SERVICES_FEEDBACK_FEEDBACK_SERVICE_H_

#include "jianyan/v1/feedback.grpc.pb.h"
#include "services/common/call_limits.h"
#include "services/edge/core_link.h"

namespace jianyan {

class FeedbackServiceImpl final
    : public jianyan::v1::FeedbackService::CallbackService {
 public:
  // `link` and `limits` (may be null: no bound) must outlive the service.
  explicit FeedbackServiceImpl(CoreLink* link, CallLimits* limits = nullptr)
      : link_(*link), limits_(limits) {}

  grpc::ServerUnaryReactor* GetPublicStatus(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::GetPublicStatusRequest* request,
      jianyan::v1::PublicStatus* response) override;
  grpc::ServerUnaryReactor* SubmitRating(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::SubmitRatingRequest* request,
      jianyan::v1::SubmitRatingResponse* response) override;

 private:
  CoreLink& link_;
  CallLimits* const limits_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_FEEDBACK_FEEDBACK_SERVICE_H_
