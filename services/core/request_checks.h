// Field checks shared by every service: each returns INVALID_ARGUMENT with
// a message that starts with the field's proto name ("request_id: ...").
//
// Thread-safety: pure functions.
#ifndef JIANYAN_SERVICES_CORE_REQUEST_CHECKS_H_
#define JIANYAN_SERVICES_CORE_REQUEST_CHECKS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace jianyan {

// 8..64 characters of [A-Za-z0-9_-].
absl::Status CheckRequestId(absl::string_view id,
                            absl::string_view field = "request_id");
// 1..64 characters of [a-z0-9][a-z0-9_.-]* (directory and principal ids).
absl::Status CheckIdentifier(absl::string_view id, absl::string_view field);
// Like CheckIdentifier, but empty is allowed.
absl::Status CheckOptionalIdentifier(absl::string_view id,
                                     absl::string_view field);
// Valid UTF-8 of at most `max_code_points` code points.
absl::Status CheckText(absl::string_view text, absl::string_view field,
                       size_t max_code_points);
// A well-formed case number (check character included); returns it
// normalised.
absl::StatusOr<std::string> CheckCaseNumber(
    absl::string_view text, absl::string_view field = "case_number");
// 0 (the default `fallback`) or 1..max.
absl::StatusOr<int> CheckPageSize(int size, int fallback, int max,
                                  absl::string_view field = "page_size");
// A timestamp within 0001-01-01..9999-12-31 with nanos in 0..999999999.
absl::StatusOr<absl::Time> CheckTimestamp(const google::protobuf::Timestamp& ts,
                                          absl::string_view field);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_REQUEST_CHECKS_H_
