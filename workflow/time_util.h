// Conversions between absl::Time and google.protobuf.Timestamp, for the
// engine and the store alike.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_WORKFLOW_TIME_UTIL_H_
#define JIANYAN_WORKFLOW_TIME_UTIL_H_

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace jianyan {

inline google::protobuf::Timestamp ToProto(absl::Time t) {
  // Seconds rounded down, so nanos are never negative; no nanosecond
  // overflow for far-away times.
  google::protobuf::Timestamp ts;
  const int64_t secs = absl::ToUnixSeconds(t);
  ts.set_seconds(secs);
  ts.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(secs))));
  return ts;
}

inline absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_TIME_UTIL_H_
