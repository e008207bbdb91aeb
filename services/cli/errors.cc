#include "services/cli/errors.h"

#include <iostream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/cli/exit_codes.h"
#include "services/cli/format.h"

namespace jianyan::cli {

ExitCode ExitCodeFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return kExitOk;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return kExitUnreachable;
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
      return kExitAuth;
    default:
      return kExitRefused;
  }
}

std::string CodeName(grpc::StatusCode code) {
  // The canonical codes line up one to one with abseil's.
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

std::string NextStep(grpc::StatusCode code, absl::string_view server) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
      return absl::StrCat("is jianyand running at ", server,
                          "? Check --server (or server= in the config file) "
                          "and the TLS options.");
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::StrCat("no answer from ", server,
                          " in time: check the server, or raise --timeout.");
    case grpc::StatusCode::UNAUTHENTICATED:
      return "pass a valid bearer token: --token, --token-file (with --as "
             "NAME for a demo-tokens.txt) or JIANYAN_TOKEN.";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "this token's role or organisation may not do this: use a token "
             "of a role that may (docs/security.md).";
    case grpc::StatusCode::NOT_FOUND:
      return "check the case number (and the query code), or that the case "
             "is visible to this token.";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "fix the field named in the message; --help shows the flags.";
    case grpc::StatusCode::ABORTED:
      return "the case changed meanwhile: read it again (jianyan case show) "
             "and retry with its version.";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "this request id was used for a different request: use a new "
             "--request-id.";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "the server is busy or refused too many attempts: wait and "
             "retry.";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "the case's state does not allow this now.";
    default:
      return "";
  }
}

void FailCall(const grpc::Status& status, absl::string_view what,
              absl::string_view server, absl::string_view hint) {
  std::cerr << "jianyan: " << what << ": " << CodeName(status.error_code())
            << ": " << status.error_message() << "\n";
  const std::string next =
      hint.empty() ? NextStep(status.error_code(), server) : std::string(hint);
  if (!next.empty()) std::cerr << "  next: " << next << "\n";
  throw CliExit{ExitCodeFor(status.error_code())};
}

void FailUsage(absl::string_view message) {
  std::cerr << "jianyan: " << message << "\n";
  throw CliExit{kExitUsage};
}

int EnumOrUsage(const google::protobuf::EnumDescriptor* type,
                absl::string_view text, absl::string_view flag) {
  absl::StatusOr<int> value = ParseEnum(type, text);
  if (!value.ok())
    FailUsage(absl::StrCat(flag, ": ", value.status().message()));
  return *value;
}

}  // namespace jianyan::cli
