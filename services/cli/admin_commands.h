// The `jianyan admin ...` commands, in one file per group: the directory
// (org, point, suggester, campaign), the catalogue (category, region),
// tokens, workflow definitions, and the store (calendar, backup, verify).
// AddAdminCommands (app.h) makes the `admin` command and calls each group's
// Add function.
//
// Thread-safety: as the rest of the client, one command per process.
#ifndef JIANYAN_SERVICES_CLI_ADMIN_COMMANDS_H_
#define JIANYAN_SERVICES_CLI_ADMIN_COMMANDS_H_

#include <string>

#include "CLI/CLI.hpp"
#include "google/protobuf/message.h"
#include "services/cli/cli_context.h"
#include "services/cli/message_file.h"

namespace jianyan::cli {

void AddAdminDirectoryCommands(CLI::App& admin, CliContext& ctx);
// category and region (admin_catalogue_commands.cc).
void AddAdminCatalogueCommands(CLI::App& admin, CliContext& ctx);
void AddAdminTokenCommands(CLI::App& admin, CliContext& ctx);
void AddAdminDefinitionCommands(CLI::App& admin, CliContext& ctx);
void AddAdminStoreCommands(CLI::App& admin, CliContext& ctx);

// Options shared by the list commands: --page-size, --page-token, --all.
struct PageFlags {
  int page_size = 0;
  std::string page_token;
  bool all = false;
};
void AddPageFlags(CLI::App* command, PageFlags& flags);

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_ADMIN_COMMANDS_H_
