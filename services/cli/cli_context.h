// CliContext: what every command of the jianyan client shares — the global
// options, the gRPC channel to the server (made on first use), the bearer
// token and the output. Commands get it by reference when they are
// registered (AddCaseCommands and the like) and use it in their callbacks,
// which run after the command line is parsed.
//
// Thread-safety: not thread-safe; the client runs one command per process.
#ifndef JIANYAN_SERVICES_CLI_CLI_CONTEXT_H_
#define JIANYAN_SERVICES_CLI_CLI_CONTEXT_H_

#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "services/cli/output.h"

namespace jianyan::cli {

inline constexpr char kDefaultServer[] = "127.0.0.1:7400";
inline constexpr char kTokenEnv[] = "JIANYAN_TOKEN";

// The global options, as parsed from the command line and the config file.
struct GlobalOptions {
  std::string server = kDefaultServer;
  std::string token;
  std::string token_file;
  std::string token_name;  // --as: the entry of a demo-tokens.txt file
  std::string tls_ca;
  std::string tls_cert;
  std::string tls_key;
  std::string output = "table";
  double timeout_seconds = 10;
};

class CliContext {
 public:
  CliContext() = default;
  CliContext(const CliContext&) = delete;
  CliContext& operator=(const CliContext&) = delete;

  GlobalOptions& options() { return options_; }
  bool json() const { return options_.output == "json"; }
  // The output on stdout, in the mode --output chose.
  Output& out();

  // The channel to --server (TLS when --tls-ca or --tls-cert is given).
  // Ends the command with a usage error when a TLS file cannot be read.
  std::shared_ptr<grpc::Channel> Channel();

  template <typename Service>
  std::unique_ptr<typename Service::Stub> Stub() {
    return Service::NewStub(Channel());
  }

  // A context for one unary call: the bearer token (if any) and a deadline
  // of --timeout from now.
  std::unique_ptr<grpc::ClientContext> Call();
  // The same without a deadline, for streams that run until stopped.
  std::unique_ptr<grpc::ClientContext> StreamCall();

  // Returns when `status` is OK; else prints it for `what` with the next
  // step (`precondition_hint` for FAILED_PRECONDITION when not empty, else
  // the generic one of errors.h) and ends the command.
  void Check(const grpc::Status& status, absl::string_view what,
             absl::string_view precondition_hint = "");

  // The bearer token: --token, else --token-file (with --as NAME for a
  // demo-tokens.txt), else $JIANYAN_TOKEN; "" when none. Ends the command
  // with a usage error when the file cannot be read or has no such entry.
  const std::string& Token();

 private:
  GlobalOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Output> out_;
  std::unique_ptr<std::string> token_;
};

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_CLI_CONTEXT_H_
