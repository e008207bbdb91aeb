// DeterministicBytes: a message serialized with deterministic map order, the
// bytes that digests are taken over (event hash chains, definition
// versions), so that the same content always hashes the same.
//
// Thread-safety: a pure function.
#ifndef JIANYAN_WORKFLOW_DETERMINISTIC_BYTES_H_
#define JIANYAN_WORKFLOW_DETERMINISTIC_BYTES_H_

#include <string>

#include "google/protobuf/message_lite.h"

namespace jianyan {

std::string DeterministicBytes(const google::protobuf::MessageLite& message);

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_DETERMINISTIC_BYTES_H_
