// Conversions between absl::Time and google.protobuf.Timestamp.
#ifndef JIANYAN_WORKFLOW_TIME_UTIL_H_
#define JIANYAN_WORKFLOW_TIME_UTIL_H_

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace jianyan {

inline google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t ns = absl::ToUnixNanos(t);
  int64_t s = ns / 1000000000;
  int64_t n = ns % 1000000000;
  if (n < 0) n += 1000000000, --s;
  ts.set_seconds(s);
  ts.set_nanos(static_cast<int32_t>(n));
  return ts;
}

inline absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_TIME_UTIL_H_
