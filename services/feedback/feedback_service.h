// FeedbackServiceImpl: the public edge: status and rating by case number +
// query code.
//
// Skeleton: the RPCs whose issue has not landed answer UNIMPLEMENTED (the
// generated CallbackService default). Handlers will only check the caller,
// validate, call the library, map the status and finish.
#ifndef JIANYAN_SERVICES_FEEDBACK_FEEDBACK_SERVICE_H_
#define JIANYAN_SERVICES_FEEDBACK_FEEDBACK_SERVICE_H_

#include "jianyan/v1/feedback.grpc.pb.h"

namespace jianyan {

class FeedbackServiceImpl final
    : public jianyan::v1::FeedbackService::CallbackService {};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_FEEDBACK_FEEDBACK_SERVICE_H_
