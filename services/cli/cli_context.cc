#include "services/cli/cli_context.h"

#include <chrono>
#include <cstdlib>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "services/cli/errors.h"
#include "services/cli/message_file.h"

namespace jianyan::cli {
namespace {

// The token in `text`: the whole (trimmed) text, or with `name` the third
// column of the line "name<TAB>principal<TAB>token" (demo-tokens.txt).
std::string TokenFromFile(const std::string& text, const std::string& name,
                          const std::string& path) {
  std::vector<std::string> names;
  std::string only;  // the token of the last entry seen
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripTrailingAsciiWhitespace(line);  // CRLF files too
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> parts = absl::StrSplit(line, '\t');
    if (parts.size() != 3) continue;
    if (parts[0] == name) return parts[2];
    names.push_back(parts[0]);
    only = parts[2];
  }
  if (!name.empty()) {
    FailUsage(absl::StrCat(
        "--as ", name, ": no such entry in ", path,
        names.empty() ? "" : " (it has: ", absl::StrJoin(names, ", "),
        names.empty() ? "" : ")"));
  }
  if (names.size() == 1) return only;
  if (!names.empty()) {
    FailUsage(absl::StrCat(path, " holds several tokens: pick one with --as (",
                           absl::StrJoin(names, ", "), ")"));
  }
  return std::string(absl::StripAsciiWhitespace(text));
}

}  // namespace

Output& CliContext::out() {
  if (out_ == nullptr) out_ = std::make_unique<Output>(json(), std::cout);
  return *out_;
}

std::shared_ptr<grpc::Channel> CliContext::Channel() {
  if (channel_ != nullptr) return channel_;
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options_.tls_ca.empty() && options_.tls_cert.empty()) {
    credentials = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions ssl;
    if (!options_.tls_ca.empty()) {
      ssl.pem_root_certs = ReadFileOrUsage(options_.tls_ca, "--tls-ca");
    }
    if (!options_.tls_cert.empty()) {
      if (options_.tls_key.empty()) FailUsage("--tls-cert needs --tls-key");
      ssl.pem_cert_chain = ReadFileOrUsage(options_.tls_cert, "--tls-cert");
      ssl.pem_private_key = ReadFileOrUsage(options_.tls_key, "--tls-key");
    }
    credentials = grpc::SslCredentials(ssl);
  }
  // Reconnect within seconds of a server coming back (the default backoff
  // grows to two minutes): `supervise watch` outlives restarts.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  channel_ = grpc::CreateCustomChannel(options_.server, credentials, args);
  return channel_;
}

const std::string& CliContext::Token() {
  if (token_ != nullptr) return *token_;
  std::string token = options_.token;
  if (token.empty() && !options_.token_file.empty()) {
    token = TokenFromFile(ReadFileOrUsage(options_.token_file, "--token-file"),
                          options_.token_name, options_.token_file);
  } else if (token.empty()) {
    const char* env = std::getenv(kTokenEnv);
    if (env != nullptr) token = env;
  }
  token_ = std::make_unique<std::string>(token);
  return *token_;
}

std::unique_ptr<grpc::ClientContext> CliContext::StreamCall() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!Token().empty()) ctx->AddMetadata("authorization", "Bearer " + Token());
  return ctx;
}

std::unique_ptr<grpc::ClientContext> CliContext::Call() {
  auto ctx = StreamCall();
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(
                        static_cast<int64_t>(options_.timeout_seconds * 1000)));
  return ctx;
}

void CliContext::Check(const grpc::Status& status, absl::string_view what,
                       absl::string_view precondition_hint) {
  if (status.ok()) return;
  FailCall(status, what, options_.server,
           status.error_code() == grpc::StatusCode::FAILED_PRECONDITION
               ? precondition_hint
               : "");
}

}  // namespace jianyan::cli
