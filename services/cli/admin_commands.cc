// `jianyan admin`: the command group and the helpers its files share.
#include "services/cli/admin_commands.h"

#include "absl/strings/str_cat.h"
#include "services/cli/app.h"
#include "services/cli/errors.h"
#include "services/cli/message_file.h"

namespace jianyan::cli {

void AddPageFlags(CLI::App* command, PageFlags& flags) {
  command->add_option("--page-size", flags.page_size,
                      "records per page (server default when 0)");
  command->add_option("--page-token", flags.page_token,
                      "the page a previous list pointed to");
  command->add_flag("--all", flags.all, "follow the pages to the end");
}

void AddAdminCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* admin = app.add_subcommand(
      "admin",
      "administration: directory, tokens, workflow definitions, calendars, "
      "backup and verification (admin token)");
  admin->require_subcommand(1);
  SetExample(admin,
             "jianyan --token-file data/demo-tokens.txt --as admin admin org "
             "list");
  AddAdminDirectoryCommands(*admin, ctx);
  AddAdminCatalogueCommands(*admin, ctx);
  AddAdminTokenCommands(*admin, ctx);
  AddAdminDefinitionCommands(*admin, ctx);
  AddAdminStoreCommands(*admin, ctx);
}

}  // namespace jianyan::cli
