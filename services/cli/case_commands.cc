#include "services/cli/case_commands.h"

#include "services/cli/app.h"

namespace jianyan::cli {

void AddCaseCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* c = app.add_subcommand(
      "case", "submit, follow, rate and handle cases (petitions, suggestions)");
  c->require_subcommand(1);
  SetExample(c, "jianyan case status P2026-00000001-5 --code 1234-5678");
  AddPublicCaseCommands(*c, ctx);
  AddHandlerCaseCommands(*c, ctx);
}

}  // namespace jianyan::cli
