#include "services/testing/testing_service.h"

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/common/log.h"
#include "workflow/time_util.h"

namespace jianyan {
namespace {

// The duration of a google.protobuf.Duration, or INVALID_ARGUMENT for one
// outside the documented range or with mixed signs.
absl::StatusOr<absl::Duration> FromProtoDuration(
    const google::protobuf::Duration& d) {
  constexpr int64_t kMaxSeconds = 315576000000;  // 10,000 years
  if (d.seconds() > kMaxSeconds || d.seconds() < -kMaxSeconds ||
      d.nanos() > 999999999 || d.nanos() < -999999999 ||
      (d.seconds() > 0 && d.nanos() < 0) ||
      (d.seconds() < 0 && d.nanos() > 0)) {
    return absl::InvalidArgumentError("by: not a valid Duration");
  }
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

}  // namespace

grpc::ServerUnaryReactor* TestingServiceImpl::AdvanceClock(
    grpc::CallbackServerContext* context,
    const jianyan::v1::AdvanceClockRequest* request,
    jianyan::v1::AdvanceClockResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (absl::Status s = authorize_admin_(context); !s.ok()) {
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  }
  if (!request->has_by()) {
    reactor->Finish(ToGrpcStatus(absl::InvalidArgumentError("by: required")));
    return reactor;
  }
  absl::StatusOr<absl::Duration> by = FromProtoDuration(request->by());
  if (!by.ok()) {
    reactor->Finish(ToGrpcStatus(by.status()));
    return reactor;
  }
  absl::StatusOr<absl::Time> now = clock_.Advance(*by);
  if (!now.ok()) {
    reactor->Finish(ToGrpcStatus(now.status()));
    return reactor;
  }
  LogInfo("testing clock advanced by ", absl::FormatDuration(*by), " to ",
          absl::FormatTime(*now), " (offset ",
          absl::FormatDuration(clock_.offset()), ")");
  if (hook_) hook_(*now);
  *response->mutable_now() = ToProto(*now);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace jianyan
