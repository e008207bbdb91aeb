#include "services/common/server_drain.h"

#include <grpc/grpc.h>
#include <grpc/support/time.h>

#include <atomic>
#include <thread>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace jianyan {

struct ServerDrain::State {
  std::atomic<int64_t> calls{0};
  // Taken by the last call to end, so that a shutdown waiting in Await
  // re-evaluates its condition.
  absl::Mutex mu;
  bool awaiting ABSL_GUARDED_BY(mu) = false;
  bool stopped ABSL_GUARDED_BY(mu) = false;  // gRPC's Shutdown returned

  void Enter() { calls.fetch_add(1, std::memory_order_relaxed); }
  void Leave() {
    if (calls.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      absl::MutexLock lock(&mu);
    }
  }
  static bool IdleOrStopped(State* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu) {
    return s->stopped || s->calls.load(std::memory_order_acquire) == 0;
  }
};

namespace {

// The default health service never ends a Watch stream.
constexpr absl::string_view kHealthWatch = "/grpc.health.v1.Health/Watch";

// Counts one call for as long as gRPC keeps it: interceptors live as long
// as their call.
class CallCounter : public grpc::experimental::Interceptor {
 public:
  explicit CallCounter(std::shared_ptr<ServerDrain::State> state)
      : state_(std::move(state)) {
    state_->Enter();
  }
  ~CallCounter() override { state_->Leave(); }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    methods->Proceed();
  }

 private:
  std::shared_ptr<ServerDrain::State> state_;
};

class CallCounterFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallCounterFactory(std::shared_ptr<ServerDrain::State> state)
      : state_(std::move(state)) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    if (info->method() != nullptr && info->method() == kHealthWatch) {
      return nullptr;  // not intercepted, so not counted
    }
    return new CallCounter(state_);
  }

 private:
  std::shared_ptr<ServerDrain::State> state_;
};

}  // namespace

ServerDrain::ServerDrain() : state_(std::make_shared<State>()) {}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
ServerDrain::InterceptorFactory() {
  return std::make_unique<CallCounterFactory>(state_);
}

int64_t ServerDrain::calls() const { return state_->calls.load(); }

bool ServerDrain::awaiting_calls() const {
  absl::MutexLock lock(&state_->mu);
  return state_->awaiting;
}

void ServerDrain::Shutdown(grpc::Server* server, absl::Time deadline) {
  // gRPC's shutdown begins here, before the closer first looks at the
  // count: from now on the server takes no new call, and cancelling only
  // closes connections (grpc_server_cancel_all_calls is for a server whose
  // shutdown has begun). Server::Shutdown below asks the same of the core,
  // which notifies both.
  grpc_completion_queue* notified =
      grpc_completion_queue_create_for_next(nullptr);
  grpc_server_shutdown_and_notify(server->c_server(), notified, this);
  State& s = *state_;
  std::thread closer([&s, server, deadline] {
    for (;;) {
      {
        absl::MutexLock lock(&s.mu);
        s.awaiting = true;
        const bool idle = s.mu.AwaitWithDeadline(
            absl::Condition(&State::IdleOrStopped, &s), deadline);
        s.awaiting = false;
        // Past the deadline gRPC cancels what is left itself.
        if (!idle || s.stopped) return;
      }
      // No call left: close every connection (gRPC does the same at the
      // deadline), then look again until the shutdown has returned.
      grpc_server_cancel_all_calls(server->c_server());
      absl::MutexLock lock(&s.mu);
      if (s.mu.AwaitWithTimeout(absl::Condition(&s.stopped),
                                absl::Milliseconds(50))) {
        return;
      }
    }
  });
  server->Shutdown(absl::ToChronoTime(deadline));
  {
    absl::MutexLock lock(&s.mu);
    s.stopped = true;
  }
  closer.join();
  // The core has notified both by now; drain the queue and free it.
  grpc_completion_queue_shutdown(notified);
  while (grpc_completion_queue_next(notified,
                                    gpr_inf_future(GPR_CLOCK_REALTIME), nullptr)
             .type != GRPC_QUEUE_SHUTDOWN) {
  }
  grpc_completion_queue_destroy(notified);
}

}  // namespace jianyan
