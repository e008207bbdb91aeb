// The supervision notice an event raises (Event.supervision_notice),
// derived from the event and its case only. Apply stages exactly this for
// every event of a command, the schema-4 migration derives the notices of
// stored events with it, and Verify checks the log against it, so the three
// cannot disagree about which events have a notice.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_STORAGE_NOTICE_ENTRIES_H_
#define JIANYAN_STORAGE_NOTICE_ENTRIES_H_

#include <optional>

#include "jianyan/v1/case.pb.h"
#include "jianyan/v1/records.pb.h"

namespace jianyan::storage {

// The notice `event` raises, without its cursor (the group committer
// assigns it), or nullopt when its supervision_notice is unspecified. `c` is
// the case after the event's command: level is its escalation level,
// organisation_id its handling organisation (its routing organisation while
// that is empty). timer, note (the event's reason) and reply_due_time come
// from the event: fields["timer"], and fields["reply_due_time"] parsed as
// RFC 3339 (left unset when absent or unparsable).
std::optional<jianyan::v1::StoredNotice> NoticeOf(
    const jianyan::v1::Case& c, const jianyan::v1::Event& event);

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_NOTICE_ENTRIES_H_
