// `jianyan supervise watch`: follows WatchEscalations until Ctrl-C. Keeps
// the cursor of the last notice shown and, after any end of the stream
// (network failure, server restart), reconnects with it after a backoff, so
// every notice is shown once, in order. SIGINT and SIGTERM are taken by a
// thread of their own (sigtimedwait), which cancels the open call and
// lets the view catch up on held-back redraws meanwhile.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "jianyan/v1/supervision.grpc.pb.h"
#include "services/cli/app.h"
#include "services/cli/errors.h"
#include "services/cli/format.h"
#include "services/cli/supervise_commands.h"
#include "services/cli/watch_view.h"

namespace jianyan::cli {
namespace {

constexpr absl::Duration kFirstBackoff = absl::Milliseconds(200);
constexpr absl::Duration kMaxBackoff = absl::Seconds(5);

struct WatchFlags {
  std::string org, min_level;
  std::vector<std::string> kinds;
  uint64_t after_cursor = 0;
};

// Stops the watch on SIGINT or SIGTERM: blocks both in every thread
// started after it (gRPC's too) and waits for them on its own thread.
class StopSignal {
 public:
  // `tick` runs on the signal thread about ten times a second.
  explicit StopSignal(std::function<void()> tick) : tick_(std::move(tick)) {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
    thread_ = std::thread([this] { Wait(); });
  }
  ~StopSignal() {
    done_ = true;
    thread_.join();
  }

  bool stopped() const { return stopped_; }
  // The call to cancel on a signal (nullptr: none open).
  void SetCall(grpc::ClientContext* call) {
    absl::MutexLock lock(&mu_);
    call_ = call;
  }
  // Sleeps `d`, or less when a signal comes.
  void Sleep(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(
        absl::Condition(
            +[](std::atomic<bool>* s) { return s->load(); }, &stopped_),
        d);
  }

 private:
  void Wait() {
    const timespec tick = {0, 100 * 1000 * 1000};
    while (!done_) {
      if (sigtimedwait(&set_, nullptr, &tick) < 0) {
        tick_();
        continue;
      }
      absl::MutexLock lock(&mu_);
      stopped_ = true;
      if (call_ != nullptr) call_->TryCancel();
    }
  }

  const std::function<void()> tick_;
  sigset_t set_;
  std::atomic<bool> done_{false};
  std::atomic<bool> stopped_{false};
  absl::Mutex mu_;
  grpc::ClientContext* call_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::thread thread_;
};

jianyan::v1::WatchEscalationsRequest BuildRequest(const WatchFlags& f) {
  jianyan::v1::WatchEscalationsRequest r;
  r.set_organisation_id(f.org);
  if (!f.min_level.empty()) {
    r.set_min_level(static_cast<jianyan::v1::EscalationLevel>(
        EnumOrUsage(jianyan::v1::EscalationLevel_descriptor(), f.min_level,
                    "--min-level")));
  }
  for (const std::string& kind : f.kinds) {
    r.add_kinds(static_cast<jianyan::v1::NoticeKind>(
        EnumOrUsage(jianyan::v1::NoticeKind_descriptor(), kind, "--kind")));
  }
  r.set_after_cursor(f.after_cursor);
  return r;
}

// Codes after which reconnecting cannot help: the request or the token is
// wrong.
bool Fatal(grpc::StatusCode code) {
  return code == grpc::StatusCode::INVALID_ARGUMENT ||
         code == grpc::StatusCode::UNAUTHENTICATED ||
         code == grpc::StatusCode::PERMISSION_DENIED ||
         code == grpc::StatusCode::UNIMPLEMENTED;
}

// Gives `view` the cases overdue now (the first page: a console starts
// with what needs attention). A failure here is left to the watch itself.
void SeedOverdue(CliContext& ctx, jianyan::v1::SupervisionService::Stub& stub,
                 const jianyan::v1::WatchEscalationsRequest& watch,
                 WatchView& view) {
  jianyan::v1::ListOverdueRequest request;
  request.set_organisation_id(watch.organisation_id());
  request.set_min_level(watch.min_level());
  request.set_page_size(500);
  jianyan::v1::ListDeadlinesResponse overdue;
  if (!stub.ListOverdue(ctx.Call().get(), request, &overdue).ok()) return;
  for (const auto& entry : overdue.entries()) view.Seed(entry);
}

void Watch(CliContext& ctx, const WatchFlags& f) {
  jianyan::v1::WatchEscalationsRequest request = BuildRequest(f);
  const bool live = isatty(STDOUT_FILENO) && !ctx.json();
  std::unique_ptr<WatchView> view =
      live ? NewLiveTableView(std::cout)
           : NewJsonLinesView(std::cout, std::cerr);
  // Before the channel: gRPC's threads inherit the signal mask.
  StopSignal stop([&view] { view->Tick(); });
  auto stub = ctx.Stub<jianyan::v1::SupervisionService>();
  if (live) SeedOverdue(ctx, *stub, request, *view);
  absl::Duration backoff = kFirstBackoff;
  while (!stop.stopped()) {
    std::unique_ptr<grpc::ClientContext> call = ctx.StreamCall();
    stop.SetCall(call.get());
    if (stop.stopped()) call->TryCancel();
    auto reader = stub->WatchEscalations(call.get(), request);
    // The server sends its headers once it has subscribed us.
    reader->WaitForInitialMetadata();
    if (ctx.Channel()->GetState(false) == GRPC_CHANNEL_READY) {
      view->Connected(ctx.options().server, request.after_cursor());
    }
    jianyan::v1::EscalationNotice notice;
    while (reader->Read(&notice)) {
      request.set_after_cursor(notice.cursor());
      view->Notice(notice);
      backoff = kFirstBackoff;
    }
    const grpc::Status status = reader->Finish();
    stop.SetCall(nullptr);
    if (stop.stopped()) break;
    if (Fatal(status.error_code())) ctx.Check(status, "supervise watch");
    view->Disconnected(status, backoff);
    stop.Sleep(backoff);
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
  if (live) std::cout << "\n";
}

}  // namespace

void AddWatchCommand(CLI::App& supervise, CliContext& ctx) {
  auto f = std::make_shared<WatchFlags>();
  CLI::App* c = supervise.add_subcommand(
      "watch",
      "follow escalations and deadline warnings live (table on a terminal, "
      "JSON lines otherwise); Ctrl-C stops");
  c->add_option("--org", f->org, "organisation (with its subtree)");
  c->add_option("--min-level", f->min_level, "urge|supervise|listed");
  c->add_option("--kind", f->kinds,
                "notice kinds (repeatable): escalated, due_soon, overdue, "
                "replied, reply_missed, major, reassigned");
  c->add_option("--after-cursor", f->after_cursor,
                "replay every notice after this cursor first (0: live only)");
  SetExample(
      c,
      "jianyan supervise watch\n"
      "jianyan supervise watch --after-cursor 120 | jq .case.case_number");
  c->callback([f, &ctx] { Watch(ctx, *f); });
}

}  // namespace jianyan::cli
