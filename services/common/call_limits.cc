#include "services/common/call_limits.h"

#include "absl/strings/str_cat.h"

namespace jianyan {
namespace {

// The services a Jianyan server hosts; any other name shares the last
// counter.
constexpr const char* kServices[] = {
    "IntakeService", "FeedbackService", "WorkflowService", "SupervisionService",
    "AdminService",  "CoreInternal",    "TestingService",  "other"};
constexpr char kWatch[] = "WatchEscalations";

absl::string_view ServiceOf(absl::string_view name) {
  const size_t dot = name.find('.');
  return dot == absl::string_view::npos ? name : name.substr(0, dot);
}

}  // namespace

CallBounds CallBounds::FromConfig(const jianyan::v1::LimitsConfig& limits) {
  CallBounds b;
  if (limits.max_inflight_calls() > 0) {
    b.calls_per_service = limits.max_inflight_calls();
  }
  if (limits.max_watch_streams() > 0) {
    b.watch_streams = limits.max_watch_streams();
  }
  return b;
}

CallLimits::CallLimits(CallBounds bounds) {
  auto add = [this](const char* name, const char* field, uint32_t bound) {
    auto c = std::make_unique<Counter>();
    c->name = name;
    c->field = field;
    c->bound = bound;
    counters_.push_back(std::move(c));
  };
  add(kWatch, "limits.max_watch_streams", bounds.watch_streams);
  for (const char* s : kServices) {
    add(s, "limits.max_inflight_calls", bounds.calls_per_service);
  }
}

CallLimits::Counter& CallLimits::Find(absl::string_view service) {
  const absl::string_view name = ServiceOf(service);
  for (auto& c : counters_) {
    if (c->name == name) return *c;
  }
  return *counters_.back();
}

const CallLimits::Counter& CallLimits::Find(absl::string_view service) const {
  return const_cast<CallLimits*>(this)->Find(service);
}

absl::StatusOr<CallSlot> CallLimits::Take(Counter& c) {
  uint32_t now = c.now.load(std::memory_order_relaxed);
  do {
    if (now >= c.bound) {
      return absl::ResourceExhaustedError(
          absl::StrCat(c.name, ": ", now, " calls in flight (", c.field, " = ",
                       c.bound, "); retry with backoff"));
    }
  } while (
      !c.now.compare_exchange_weak(now, now + 1, std::memory_order_acq_rel));
  uint32_t peak = c.peak.load(std::memory_order_relaxed);
  while (peak < now + 1 && !c.peak.compare_exchange_weak(
                               peak, now + 1, std::memory_order_relaxed)) {
  }
  Counter* counter = &c;
  return CallSlot(nullptr, [counter](void*) {
    counter->now.fetch_sub(1, std::memory_order_acq_rel);
  });
}

absl::StatusOr<CallSlot> CallLimits::Enter(absl::string_view service) {
  return Take(Find(service));
}

absl::StatusOr<CallSlot> CallLimits::EnterWatch() { return Take(Find(kWatch)); }

absl::StatusOr<CallSlot> EnterCall(CallLimits* limits,
                                   absl::string_view service) {
  if (limits == nullptr) return CallSlot();
  return limits->Enter(service);
}

uint32_t CallLimits::InFlight(absl::string_view service) const {
  return Find(service).now.load();
}

uint32_t CallLimits::Peak(absl::string_view service) const {
  return Find(service).peak.load();
}

}  // namespace jianyan
