#include "storage/notice_entries.h"

#include <string>

#include "absl/time/time.h"
#include "workflow/time_util.h"

namespace jianyan::storage {

std::optional<jianyan::v1::StoredNotice> NoticeOf(
    const jianyan::v1::Case& c, const jianyan::v1::Event& event) {
  if (event.supervision_notice() == jianyan::v1::NOTICE_KIND_UNSPECIFIED) {
    return std::nullopt;
  }
  jianyan::v1::StoredNotice n;
  n.set_kind(event.supervision_notice());
  n.set_case_number(event.case_number());
  n.set_event_seq(event.seq());
  *n.mutable_time() = event.time();
  n.set_case_kind(c.kind());
  n.set_level(c.escalation_level());
  auto timer = event.fields().find("timer");
  if (timer != event.fields().end()) n.set_timer(timer->second);
  n.set_organisation_id(c.handling_organisation_id().empty()
                            ? c.routing_organisation_id()
                            : c.handling_organisation_id());
  n.set_note(event.reason());
  auto reply = event.fields().find("reply_due_time");
  if (reply != event.fields().end()) {
    absl::Time t;
    std::string err;
    if (absl::ParseTime(absl::RFC3339_full, reply->second, &t, &err)) {
      *n.mutable_reply_due_time() = ToProto(t);
    }
  }
  return n;
}

}  // namespace jianyan::storage
