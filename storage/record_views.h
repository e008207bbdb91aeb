// Partial parses of stored records: the fields a reader needs, parsed from
// the stored bytes without the rest (wire_fields.h). Parsing a stored case
// checks every string field's UTF-8, and the content (about 1.5 KB of
// Chinese text) and the submitter are most of its bytes; the public status
// shows neither, so it neither parses them nor copies the submitter's
// personal data into a message. Only the kept fields are checked: damage
// inside a left-out field goes unnoticed here (Verify parses everything).
//
// Thread-safety: pure functions.
#ifndef JIANYAN_STORAGE_RECORD_VIEWS_H_
#define JIANYAN_STORAGE_RECORD_VIEWS_H_

#include "absl/strings/string_view.h"
#include "jianyan/v1/case.pb.h"
#include "jianyan/v1/records.pb.h"

namespace jianyan::storage {

// Parses a `cases` value (StoredCase) into `out` without the case's
// submitter, title, content and attachments (Case fields 7, 8, 9, 13): the
// case's outline. False when the value does not parse.
bool ParseCaseOutline(absl::string_view stored_case,
                      jianyan::v1::StoredCase* out);

// Parses an `events` value (StoredEvent) into the whole event. False when
// it does not parse.
bool ParseStoredEvent(absl::string_view stored_event, jianyan::v1::Event* out);

// Parses an `events` value into the event's step only: case_number, seq,
// action, action_label, time, from_state and to_state; every other field
// is left out. False when the value's wire format is malformed, when it
// holds no event, or when the kept fields do not parse.
bool ParseEventStep(absl::string_view stored_event, jianyan::v1::Event* out);

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_RECORD_VIEWS_H_
