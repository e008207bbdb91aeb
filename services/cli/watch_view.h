// What `supervise watch` shows: WatchView receives the stream's events;
// JsonLinesView prints one JSON line per notice on stdout (status on
// stderr); LiveTableView redraws a table in place on a terminal.
//
// Thread-safety: the events come from the watch loop's thread; Tick may
// come from another one (LiveTableView locks).
#ifndef JIANYAN_SERVICES_CLI_WATCH_VIEW_H_
#define JIANYAN_SERVICES_CLI_WATCH_VIEW_H_

#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/support/status.h"
#include "jianyan/v1/supervision.pb.h"

namespace jianyan::cli {

class WatchView {
 public:
  virtual ~WatchView() = default;
  // The stream is open (the server subscribed us) after `cursor`.
  virtual void Connected(const std::string& server, uint64_t cursor) = 0;
  virtual void Notice(const jianyan::v1::EscalationNotice& notice) = 0;
  // A case already overdue when the watch starts (ListOverdue), shown until
  // a notice of it arrives; ignored by views that show notices only.
  virtual void Seed(const jianyan::v1::DeadlineEntry& entry) { (void)entry; }
  // Called about ten times a second: a view that holds back redraws
  // catches up here.
  virtual void Tick() {}
  // The stream ended with `status`; the next attempt is in `retry_in`.
  virtual void Disconnected(const grpc::Status& status,
                            absl::Duration retry_in) = 0;
};

// JSON lines on `out`; connection changes on `status`.
std::unique_ptr<WatchView> NewJsonLinesView(std::ostream& out,
                                            std::ostream& status);

// A table of the cases seen, latest notice per case, most overdue first,
// coloured by level, under a status line; redrawn on `out` in place.
std::unique_ptr<WatchView> NewLiveTableView(std::ostream& out);

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_WATCH_VIEW_H_
