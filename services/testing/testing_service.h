// TestingServiceImpl: jianyan.v1.TestingService, time skipping for client
// developers (Temporal's test server). Hosted only by a jianyand started with
// --testing_clock, which is loopback-only.
//
// AdvanceClock: authorizes the caller with `authorize_admin` (its status is
// returned as is: UNAUTHENTICATED / PERMISSION_DENIED), checks `by`
// (INVALID_ARGUMENT when missing, malformed or negative: time never goes
// back), advances the clock, calls `hook` with the new time (which fires the
// timers that became due before the call is answered) and answers the new
// time.
//
// Thread-safety: handlers run on gRPC's threads; the clock is thread-safe,
// and `authorize_admin` and `hook` must be too.
#ifndef JIANYAN_SERVICES_TESTING_TESTING_SERVICE_H_
#define JIANYAN_SERVICES_TESTING_TESTING_SERVICE_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "jianyan/v1/testing.grpc.pb.h"
#include "services/common/offset_clock.h"

namespace jianyan {

class TestingServiceImpl final
    : public jianyan::v1::TestingService::CallbackService {
 public:
  using AuthorizeFn = std::function<absl::Status(grpc::CallbackServerContext*)>;
  using HookFn = std::function<void(absl::Time)>;

  // `clock` must outlive the service; `hook` may be empty.
  TestingServiceImpl(OffsetClock& clock, AuthorizeFn authorize_admin,
                     HookFn hook)
      : clock_(clock),
        authorize_admin_(std::move(authorize_admin)),
        hook_(std::move(hook)) {}

  grpc::ServerUnaryReactor* AdvanceClock(
      grpc::CallbackServerContext* context,
      const jianyan::v1::AdvanceClockRequest* request,
      jianyan::v1::AdvanceClockResponse* response) override;

 private:
  OffsetClock& clock_;
  const AuthorizeFn authorize_admin_;
  const HookFn hook_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_TESTING_TESTING_SERVICE_H_
