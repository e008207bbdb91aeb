// Conversions between google.protobuf.Timestamp and absl::Time.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_STORAGE_PROTO_TIME_H_
#define JIANYAN_STORAGE_PROTO_TIME_H_

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace jianyan::storage {

inline absl::Time FromProtoTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

inline google::protobuf::Timestamp ToProtoTime(absl::Time t) {
  google::protobuf::Timestamp out;
  int64_t secs = absl::ToUnixSeconds(t);
  out.set_seconds(secs);
  out.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(secs))));
  return out;
}

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_PROTO_TIME_H_
