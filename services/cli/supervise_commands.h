// The `jianyan supervise ...` commands. AddSuperviseCommands (app.h) makes
// the `supervise` command; `watch` lives in watch_command.cc.
#ifndef JIANYAN_SERVICES_CLI_SUPERVISE_COMMANDS_H_
#define JIANYAN_SERVICES_CLI_SUPERVISE_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "services/cli/cli_context.h"

namespace jianyan::cli {

void AddWatchCommand(CLI::App& supervise, CliContext& ctx);

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_SUPERVISE_COMMANDS_H_
