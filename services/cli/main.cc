// jianyan: the command-line client of jianyand. Parses the command line
// (CLI11), runs one command and exits with the code of exit_codes.h.
#include <signal.h>

#include "services/cli/app.h"
#include "services/cli/cli_context.h"

int main(int argc, char** argv) {
  // A closed pipe (jianyan ... | head) ends the output, not the process
  // with a signal.
  signal(SIGPIPE, SIG_IGN);
  jianyan::cli::CliContext ctx;
  std::unique_ptr<CLI::App> app = jianyan::cli::MakeApp(ctx);
  return jianyan::cli::RunApp(*app, argc, argv);
}
