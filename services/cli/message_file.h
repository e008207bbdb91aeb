// Request and record files given to the CLI (--from-file, FILE): protobuf
// JSON or textproto, by their first character.
#ifndef JIANYAN_SERVICES_CLI_MESSAGE_FILE_H_
#define JIANYAN_SERVICES_CLI_MESSAGE_FILE_H_

#include <string>

#include "google/protobuf/message.h"

namespace jianyan::cli {

// The whole content of `path`; a usage error naming `flag` when it cannot
// be read.
std::string ReadFileOrUsage(const std::string& path, const std::string& flag);

// Fills *message from the file at `path`: protobuf JSON when its first
// non-blank character is '{', else textproto. A usage error naming `flag`,
// the message type and (textproto) the line and column of the first error
// when it is neither.
void ReadMessageFile(const std::string& path, const std::string& flag,
                     google::protobuf::Message* message);

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_MESSAGE_FILE_H_
