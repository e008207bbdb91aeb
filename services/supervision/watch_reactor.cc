#include "services/supervision/watch_reactor.h"

#include <utility>

#include "services/common/grpc_status.h"

namespace jianyan {

struct WatchReactor::Link {
  std::mutex mu;
  WatchReactor* reactor = nullptr;  // null once the stream is done
};

WatchReactor* WatchReactor::Start(NoticeHub& hub, NoticeFilter filter,
                                  uint64_t after_cursor, CallSlot slot) {
  auto* reactor = new WatchReactor();
  reactor->slot_ = std::move(slot);
  reactor->link_ = std::make_shared<Link>();
  reactor->link_->reactor = reactor;
  std::weak_ptr<Link> weak = reactor->link_;
  absl::StatusOr<std::shared_ptr<NoticeHub::Subscription>> sub =
      hub.Subscribe(std::move(filter), after_cursor, [weak] {
        std::shared_ptr<Link> link = weak.lock();
        if (link == nullptr) return;
        std::lock_guard<std::mutex> lock(link->mu);
        if (link->reactor != nullptr) link->reactor->Pump();
      });
  if (!sub.ok()) {
    {
      std::lock_guard<std::mutex> lock(reactor->mu_);
      reactor->finished_ = true;
    }
    reactor->Finish(ToGrpcStatus(sub.status()));
    return reactor;
  }
  {
    std::lock_guard<std::mutex> lock(reactor->mu_);
    reactor->subscription_ = *std::move(sub);
  }
  // Headers now: a console knows it is subscribed before the first notice.
  reactor->StartSendInitialMetadata();
  // A wake that came before subscription_ was set found nothing to do: this
  // first pump starts the replay and picks up what arrived meanwhile.
  reactor->Pump();
  return reactor;
}

void WatchReactor::Pump() {
  grpc::Status end;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (writing_ || finished_ || subscription_ == nullptr) return;
    if (next_index_ >= next_.size()) {
      next_index_ = 0;
      absl::Status s = subscription_->Next(16, &next_);
      if (s.ok() && next_.empty()) return;  // the hub wakes us
      if (!s.ok()) {
        next_.clear();
        if (!EndLocked()) return;
        end = ToGrpcStatus(s);
      }
    }
    if (end.ok()) {
      message_ = *next_[next_index_++];
      writing_ = true;
    }
  }
  // gRPC's calls are made without mu_: a reaction may run at once.
  if (end.ok()) {
    StartWrite(&message_);
  } else {
    Finish(end);
  }
}

void WatchReactor::OnWriteDone(bool ok) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    writing_ = false;
    if (!ok && !EndLocked()) return;
  }
  if (!ok) {
    Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the stream closed"));
    return;
  }
  Pump();
}

void WatchReactor::OnCancel() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!EndLocked()) return;
  }
  Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
}

bool WatchReactor::EndLocked() {
  if (finished_) return false;
  finished_ = true;
  if (subscription_ != nullptr) subscription_->Cancel();
  return true;
}

void WatchReactor::OnDone() {
  {
    std::lock_guard<std::mutex> lock(link_->mu);
    link_->reactor = nullptr;
  }
  delete this;
}

}  // namespace jianyan
