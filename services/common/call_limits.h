// CallLimits: how many calls each service of one gRPC server serves at once
// (LimitsConfig.max_inflight_calls) and how many escalation watch streams
// stay open (max_watch_streams). A call beyond its bound is answered
// RESOURCE_EXHAUSTED at once, naming the bound, instead of waiting: the
// callback server would otherwise take every call the HTTP/2 stream limits
// let in, and each would wait in the store's queue holding its request and
// response. Clients retry with backoff (gRPC's retry policy treats
// RESOURCE_EXHAUSTED as retryable when configured to).
//
// A call holds a CallSlot from admission until it finishes: dropping the
// last copy frees the place. Slots are shared_ptrs so that they ride in the
// std::function completions of asynchronous calls.
//
// Thread-safety: safe for concurrent use; admission is one atomic update.
#ifndef JIANYAN_SERVICES_COMMON_CALL_LIMITS_H_
#define JIANYAN_SERVICES_COMMON_CALL_LIMITS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jianyan/v1/config.pb.h"

namespace jianyan {

using CallSlot = std::shared_ptr<void>;

struct CallBounds {
  uint32_t calls_per_service = 1024;
  uint32_t watch_streams = 64;
  // Zero fields of `limits` keep the defaults above.
  static CallBounds FromConfig(const jianyan::v1::LimitsConfig& limits);
};

class CallLimits {
 public:
  explicit CallLimits(CallBounds bounds = {});
  CallLimits(const CallLimits&) = delete;
  CallLimits& operator=(const CallLimits&) = delete;

  // A place for one call of `service` ("WorkflowService", or a method name
  // "WorkflowService.Act": the part before the dot counts), or
  // RESOURCE_EXHAUSTED when the service's bound is reached.
  absl::StatusOr<CallSlot> Enter(absl::string_view service);
  // A place for one WatchEscalations stream, or RESOURCE_EXHAUSTED.
  absl::StatusOr<CallSlot> EnterWatch();

  // Calls of `service` in flight now, and the most there were at once
  // ("WatchEscalations" for the streams). 0 for a service never seen.
  uint32_t InFlight(absl::string_view service) const;
  uint32_t Peak(absl::string_view service) const;

 private:
  struct Counter {
    std::string name;
    std::string field;  // the LimitsConfig field that sets the bound
    uint32_t bound = 0;
    std::atomic<uint32_t> now{0};
    std::atomic<uint32_t> peak{0};
  };
  // The counter of `service`; the catch-all last one for other names.
  Counter& Find(absl::string_view service);
  const Counter& Find(absl::string_view service) const;
  static absl::StatusOr<CallSlot> Take(Counter& c);

  // Fixed at construction: lookups take no lock.
  std::vector<std::unique_ptr<Counter>> counters_;
};

// A slot inside a completion: lambda captures are const, and the place is
// freed (Release) just before the answer goes out, so that a client which
// calls again at once finds it free.
class HeldSlot {
 public:
  explicit HeldSlot(CallSlot slot) : slot_(std::move(slot)) {}
  void Release() const { slot_.reset(); }

 private:
  mutable CallSlot slot_;
};

// limits->Enter(service), or a free place when `limits` is null (no bound).
absl::StatusOr<CallSlot> EnterCall(CallLimits* limits,
                                   absl::string_view service);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_COMMON_CALL_LIMITS_H_
