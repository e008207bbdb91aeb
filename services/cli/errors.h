// Errors people can act on: a failed call is printed as the gRPC code in
// words, the server's message, and what to do next; then the command ends
// with the exit code of exit_codes.h.
//
// Thread-safety: call from the command's thread only (writes to stderr).
#ifndef JIANYAN_SERVICES_CLI_ERRORS_H_
#define JIANYAN_SERVICES_CLI_ERRORS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/support/status.h"

namespace jianyan::cli {

// "NOT_FOUND" for grpc::StatusCode::NOT_FOUND (abseil's names).
std::string CodeName(grpc::StatusCode code);

// The generic next step for `code` ("" when there is none), e.g. how to
// pass a token for UNAUTHENTICATED. `server` is the address called.
std::string NextStep(grpc::StatusCode code, absl::string_view server);

// Prints "jianyan: WHAT: CODE: message" and the next step (`hint` when not
// empty, else NextStep), then throws CliExit{ExitCodeFor(code)}.
[[noreturn]] void FailCall(const grpc::Status& status, absl::string_view what,
                           absl::string_view server,
                           absl::string_view hint = "");

// Prints "jianyan: message" and throws CliExit{kExitUsage}.
[[noreturn]] void FailUsage(absl::string_view message);

// The value of enum `type` named `text` (short or full name, format.h);
// else a usage error naming `flag` and listing the names.
int EnumOrUsage(const google::protobuf::EnumDescriptor* type,
                absl::string_view text, absl::string_view flag);

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_ERRORS_H_
