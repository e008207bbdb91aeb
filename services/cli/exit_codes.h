// Exit codes of the jianyan client and the one way a command ends early.
//
// Every command either returns normally (exit 0) or throws CliExit after it
// has printed what went wrong on stderr; main() turns CliExit into the
// process's exit code. The codes are documented in docs/cli.md.
#ifndef JIANYAN_SERVICES_CLI_EXIT_CODES_H_
#define JIANYAN_SERVICES_CLI_EXIT_CODES_H_

#include "grpcpp/support/status.h"

namespace jianyan::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitRefused = 1,      // the server answered with an error
  kExitUsage = 2,        // bad command line, config or input file
  kExitUnreachable = 3,  // UNAVAILABLE, DEADLINE_EXCEEDED: no answer
  kExitAuth = 4,         // UNAUTHENTICATED, PERMISSION_DENIED
};

// Thrown by a command to end the process with `code`; the message is
// already printed.
struct CliExit {
  int code;
};

// The exit code for a failed call with `code` (never kExitOk for an error).
ExitCode ExitCodeFor(grpc::StatusCode code);

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_EXIT_CODES_H_
