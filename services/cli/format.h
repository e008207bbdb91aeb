// How the jianyan client shows and reads values: times and dates in China
// Standard Time, enums by their short lower-case names ("urge" for
// ESCALATION_LEVEL_URGE), bilingual labels.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_SERVICES_CLI_FORMAT_H_
#define JIANYAN_SERVICES_CLI_FORMAT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"
#include "jianyan/v1/common.pb.h"

namespace jianyan::cli {

// "2026-12-01 18:20" (China time); "-" for an unset timestamp.
std::string FormatTime(const google::protobuf::Timestamp& ts);

// "3d 4h" for a positive duration, "-3d 4h" for a negative one.
std::string ShortDuration(absl::Duration d);

// "办理中 handling": the Chinese label and the machine name.
std::string LabelAnd(const jianyan::v1::Label& label, absl::string_view name);

// "urge" for ESCALATION_LEVEL_URGE of EscalationLevel: the value's name
// without the enum's prefix, lower-cased.
std::string EnumShort(const google::protobuf::EnumDescriptor* type, int value);

// The short names of every value but the zero one, for --help and checks.
std::vector<std::string> EnumShortNames(
    const google::protobuf::EnumDescriptor* type);

// The value whose short name (or full name) is `text`; INVALID_ARGUMENT
// listing the names otherwise.
absl::StatusOr<int> ParseEnum(const google::protobuf::EnumDescriptor* type,
                              absl::string_view text);

// "2026-12-01" as a civil day; INVALID_ARGUMENT otherwise.
absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view text);

// A point in time: "2026-12-01" (the end of that day, China time),
// "2026-12-01 18:00" (China time) or RFC 3339.
absl::StatusOr<absl::Time> ParseTimeArg(absl::string_view text);

// A fresh client request id: "cli-" and 24 random hex digits.
std::string NewRequestId();
// `given` (a --request-id), or a fresh one when it is empty.
std::string RequestIdOr(const std::string& given);

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_FORMAT_H_
