// Reading textproto files with precise error messages. Shared by the
// definition and calendar loaders and the server configuration.
//
// Thread-safety: free functions without shared state.
#ifndef JIANYAN_WORKFLOW_TEXTPROTO_H_
#define JIANYAN_WORKFLOW_TEXTPROTO_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"

namespace jianyan {

// Reads a whole file. Returns NOT_FOUND when it cannot be opened.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

// The *.textproto files directly in `dir`, sorted. NOT_FOUND when `dir`
// cannot be listed.
absl::StatusOr<std::vector<std::string>> ListTextprotoFiles(
    const std::string& dir);

// Parses `text` into `message`, recording field locations in `tree` (may be
// null). On failure returns INVALID_ARGUMENT "<file>:<line>:<column>: <parser
// message>" (lines and columns 1-based), or "<file>: <field path>: is not
// valid UTF-8" when an escape put bytes into a string field that protobuf
// could not serialize and read back.
absl::Status ParseTextProto(const std::string& text, const std::string& file,
                            google::protobuf::Message* message,
                            google::protobuf::TextFormat::ParseInfoTree* tree);

}  // namespace jianyan

#endif  // JIANYAN_WORKFLOW_TEXTPROTO_H_
