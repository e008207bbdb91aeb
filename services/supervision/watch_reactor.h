// WatchReactor: one WatchEscalations stream. It subscribes to the
// NoticeHub and writes one notice at a time: when a write completes it takes
// the next; when none is ready it waits for the hub's wake. The stream ends
// with the subscription's error (RESOURCE_EXHAUSTED for a consumer that fell
// behind, UNAVAILABLE at shutdown), or CANCELLED when the client goes away.
//
// Thread-safety: the reactor's callbacks and the hub's wakes may run on any
// threads; `mu_` orders them. The wake holds only a weak link, so a wake
// after the stream ended does nothing.
#ifndef JIANYAN_SERVICES_SUPERVISION_WATCH_REACTOR_H_
#define JIANYAN_SERVICES_SUPERVISION_WATCH_REACTOR_H_

#include <memory>
#include <mutex>
#include <vector>

#include "grpcpp/support/server_callback.h"
#include "jianyan/v1/supervision.pb.h"
#include "services/common/call_limits.h"
#include "services/core/notice_hub.h"

namespace jianyan {

class WatchReactor final
    : public grpc::ServerWriteReactor<jianyan::v1::EscalationNotice> {
 public:
  // Starts the stream: subscribes `hub` with `filter` after `after_cursor`.
  // Finishes at once with the subscription error. `slot` (the stream's
  // place among the watch streams) is held until the stream is done.
  static WatchReactor* Start(NoticeHub& hub, NoticeFilter filter,
                             uint64_t after_cursor, CallSlot slot);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  struct Link;  // what the hub's wake reaches: the reactor, while it lives
  WatchReactor() = default;
  // Writes the next notice if none is in flight, or finishes on an error.
  void Pump();
  // Marks the stream ended (requires mu_); false when it already was. The
  // caller then calls Finish, without mu_.
  bool EndLocked();

  std::mutex mu_;
  std::shared_ptr<NoticeHub::Subscription> subscription_;
  std::shared_ptr<Link> link_;
  bool writing_ = false;
  bool finished_ = false;
  std::vector<NoticePtr> next_;  // fetched, not yet written
  size_t next_index_ = 0;
  jianyan::v1::EscalationNotice message_;  // the write in flight
  CallSlot slot_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_SUPERVISION_WATCH_REACTOR_H_
