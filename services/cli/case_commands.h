// The `jianyan case ...` commands, in two files: the reporting point's and
// the petitioner's (submit, receipt, status, rate) and the handler's (list,
// show, history, actions, act). AddCaseCommands (app.h) makes the `case`
// command and calls both.
#ifndef JIANYAN_SERVICES_CLI_CASE_COMMANDS_H_
#define JIANYAN_SERVICES_CLI_CASE_COMMANDS_H_

#include <string>

#include "CLI/CLI.hpp"
#include "jianyan/v1/workflow_service.pb.h"
#include "services/cli/cli_context.h"

namespace jianyan::cli {

void AddPublicCaseCommands(CLI::App& case_command, CliContext& ctx);
void AddHandlerCaseCommands(CLI::App& case_command, CliContext& ctx);
// `case act` (act_command.cc), registered by AddHandlerCaseCommands.
void AddActCommand(CLI::App& case_command, CliContext& ctx);

// WorkflowService.ListActions for case `number`, into *out.
grpc::Status ListActions(CliContext& ctx, const std::string& number,
                         jianyan::v1::ListActionsResponse* out);

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_CASE_COMMANDS_H_
