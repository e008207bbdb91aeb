// The jianyan command tree: the global options, the config file and every
// command group. Each group registers itself with one function taking the
// app (or its parent command) and the shared context; its callbacks run
// after the whole command line is parsed.
#ifndef JIANYAN_SERVICES_CLI_APP_H_
#define JIANYAN_SERVICES_CLI_APP_H_

#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "services/cli/cli_context.h"

namespace jianyan::cli {

// $XDG_CONFIG_HOME/jianyan/config, else ~/.config/jianyan/config.
std::string DefaultConfigPath();

// The whole command tree, with `ctx` receiving the global options.
std::unique_ptr<CLI::App> MakeApp(CliContext& ctx);

// Parses `argv` and runs the chosen command; the process's exit code.
int RunApp(CLI::App& app, int argc, char** argv);

// Sets the footer of --help to "Example:" and the lines of `example`.
void SetExample(CLI::App* command, const std::string& example);

// Command groups (one file each).
void AddCaseCommands(CLI::App& app, CliContext& ctx);
void AddSuperviseCommands(CLI::App& app, CliContext& ctx);
void AddStatsCommand(CLI::App& app, CliContext& ctx);
void AddCompletionCommand(CLI::App& app);
void AddAdminCommands(CLI::App& app, CliContext& ctx);
void AddDemoCommands(CLI::App& app, CliContext& ctx);

// The bash completion script of `app`'s commands and options.
std::string BashCompletion(const CLI::App& app);

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_APP_H_
