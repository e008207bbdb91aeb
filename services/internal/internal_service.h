// CoreInternalServiceImpl: the gRPC face of the core's internal service
// (internal.proto): what the edges, which hold no database, ask of the
// core. ROLE_SERVICE callers only (the access table). Each handler admits
// the caller, calls the core library and finishes.
#ifndef JIANYAN_SERVICES_INTERNAL_INTERNAL_SERVICE_H_
#define JIANYAN_SERVICES_INTERNAL_INTERNAL_SERVICE_H_

#include "jianyan/v1/internal.grpc.pb.h"
#include "services/common/unary_call.h"
#include "services/core/authenticator.h"
#include "services/core/public_feedback.h"

namespace jianyan {

class CoreInternalServiceImpl final
    : public jianyan::v1::CoreInternal::CallbackService {
 public:
  CoreInternalServiceImpl(const CallGate& gate, Authenticator& auth,
                          PublicFeedback& feedback)
      : gate_(gate), auth_(auth), feedback_(feedback) {}

  grpc::ServerUnaryReactor* ResolvePrincipal(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::ResolvePrincipalRequest* request,
      jianyan::v1::ResolvePrincipalResponse* response) override;
  grpc::ServerUnaryReactor* GetPublicStatus(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::GetPublicStatusRequest* request,
      jianyan::v1::PublicStatus* response) override;
  grpc::ServerUnaryReactor* SubmitPublicRating(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::SubmitRatingRequest* request,
      jianyan::v1::SubmitRatingResponse* response) override;

 private:
  const CallGate& gate_;
  Authenticator& auth_;
  PublicFeedback& feedback_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_INTERNAL_INTERNAL_SERVICE_H_
