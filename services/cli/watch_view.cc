#include "services/cli/watch_view.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "services/cli/errors.h"
#include "services/cli/format.h"
#include "services/cli/output.h"
#include "workflow/time_util.h"

namespace jianyan::cli {
namespace {

class JsonLinesView final : public WatchView {
 public:
  JsonLinesView(std::ostream& out, std::ostream& status)
      : out_(out), status_(status) {}

  void Connected(const std::string& server, uint64_t cursor) override {
    status_ << "watch: connected to " << server << " after cursor " << cursor
            << std::endl;
  }
  void Notice(const jianyan::v1::EscalationNotice& notice) override {
    out_ << ToJsonLine(notice) << std::endl;
  }
  void Disconnected(const grpc::Status& status,
                    absl::Duration retry_in) override {
    status_ << "watch: disconnected: " << CodeName(status.error_code()) << ": "
            << status.error_message() << "; reconnecting in "
            << absl::FormatDuration(retry_in) << std::endl;
  }

 private:
  std::ostream& out_;
  std::ostream& status_;
};

const char* LevelColour(jianyan::v1::EscalationLevel level) {
  switch (level) {
    case jianyan::v1::ESCALATION_LEVEL_URGE:
      return "\x1b[33m";  // yellow
    case jianyan::v1::ESCALATION_LEVEL_SUPERVISE:
      return "\x1b[35m";  // magenta
    case jianyan::v1::ESCALATION_LEVEL_LISTED:
      return "\x1b[1;31m";  // bold red
    default:
      return "";
  }
}

int TerminalRows() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_row > 4) {
    return size.ws_row;
  }
  return 24;
}

class LiveTableView final : public WatchView {
 public:
  explicit LiveTableView(std::ostream& out) : out_(out) {}

  void Connected(const std::string& server, uint64_t cursor) override {
    absl::MutexLock lock(&mu_);
    cursor_ = std::max(cursor_, cursor);
    connection_ = absl::StrCat("\x1b[32mconnected\x1b[0m to ", server);
    Draw();
  }
  // A replay brings notices faster than a terminal can show them: redraws
  // at most every 100 ms, the rest at the next Tick.
  void Notice(const jianyan::v1::EscalationNotice& notice) override {
    absl::MutexLock lock(&mu_);
    cursor_ = notice.cursor();
    latest_[notice.case_().case_number()] = notice;
    if (absl::Now() - drawn_ >= absl::Milliseconds(100)) {
      Draw();
    } else {
      dirty_ = true;
    }
  }
  void Tick() override {
    absl::MutexLock lock(&mu_);
    if (dirty_) Draw();
  }
  void Seed(const jianyan::v1::DeadlineEntry& entry) override {
    absl::MutexLock lock(&mu_);
    jianyan::v1::EscalationNotice& row = latest_[entry.case_().case_number()];
    row.set_kind(jianyan::v1::NOTICE_KIND_OVERDUE);
    *row.mutable_case_() = entry.case_();
    *row.mutable_time() = entry.deadline().due_time();
    row.set_timer(entry.deadline().timer());
  }
  void Disconnected(const grpc::Status& status,
                    absl::Duration retry_in) override {
    absl::MutexLock lock(&mu_);
    connection_ = absl::StrCat("\x1b[31mdisconnected\x1b[0m (",
                               CodeName(status.error_code()), "), retrying in ",
                               absl::FormatDuration(retry_in));
    Draw();
  }

 private:
  void Draw() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    drawn_ = absl::Now();
    dirty_ = false;
    std::vector<const jianyan::v1::EscalationNotice*> rows;
    for (const auto& [number, notice] : latest_) rows.push_back(&notice);
    // Most overdue first: earliest due time first, cases without one last.
    std::sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
      const auto& da = a->case_().due_time();
      const auto& db = b->case_().due_time();
      const bool ha = a->case_().has_due_time(), hb = b->case_().has_due_time();
      if (ha != hb) return ha;
      if (da.seconds() != db.seconds()) return da.seconds() < db.seconds();
      return a->case_().case_number() < b->case_().case_number();
    });
    Table table({"NUMBER", "LEVEL", "NOTICE", "AT", "DUE", "ORG", "TITLE"});
    const size_t room = static_cast<size_t>(TerminalRows() - 4);
    for (const auto* n : rows) {
      if (table.size() == room) break;
      const auto& c = n->case_();
      const char* colour = LevelColour(c.escalation_level());
      const std::string reset = colour[0] == '\0' ? "" : "\x1b[0m";
      table.Add(
          {absl::StrCat(colour, c.case_number(), reset),
           absl::StrCat(colour,
                        EnumShort(jianyan::v1::EscalationLevel_descriptor(),
                                  c.escalation_level()),
                        reset),
           EnumShort(jianyan::v1::NoticeKind_descriptor(), n->kind()),
           FormatTime(n->time()), FormatTime(c.due_time()),
           c.handling_organisation_id().empty() ? "-"
                                                : c.handling_organisation_id(),
           Truncate(c.title(), 24)});
    }
    out_ << "\x1b[H\x1b[2J";  // home, clear
    table.Print(out_);
    out_ << "\n\x1b[7m cursor " << cursor_ << " · " << latest_.size()
         << " cases · " << connection_ << "\x1b[0m · "
         << absl::FormatTime("%H:%M:%S", absl::Now(), absl::LocalTimeZone())
         << "  (Ctrl-C to stop)" << std::flush;
  }

  absl::Mutex mu_;
  std::ostream& out_ ABSL_GUARDED_BY(mu_);
  uint64_t cursor_ ABSL_GUARDED_BY(mu_) = 0;
  std::string connection_ ABSL_GUARDED_BY(mu_) = "connecting";
  std::map<std::string, jianyan::v1::EscalationNotice> latest_
      ABSL_GUARDED_BY(mu_);
  absl::Time drawn_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool dirty_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

std::unique_ptr<WatchView> NewJsonLinesView(std::ostream& out,
                                            std::ostream& status) {
  return std::make_unique<JsonLinesView>(out, status);
}

std::unique_ptr<WatchView> NewLiveTableView(std::ostream& out) {
  return std::make_unique<LiveTableView>(out);
}

}  // namespace jianyan::cli
