#include "services/cli/app.h"

#include <cstdlib>
#include <exception>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/cli/exit_codes.h"

namespace jianyan::cli {

std::string DefaultConfigPath() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && xdg[0] != '\0') {
    return absl::StrCat(xdg, "/jianyan/config");
  }
  const char* home = std::getenv("HOME");
  return absl::StrCat(home != nullptr ? home : ".", "/.config/jianyan/config");
}

void SetExample(CLI::App* command, const std::string& example) {
  command->footer(absl::StrCat(
      "\nExample:\n  ", absl::StrReplaceAll(example, {{"\n", "\n  "}}), "\n"));
}

std::unique_ptr<CLI::App> MakeApp(CliContext& ctx) {
  auto app = std::make_unique<CLI::App>(
      "jianyan: the command-line client of jianyand (petitions and "
      "suggestions).\nExit codes: 0 ok, 1 the server said no, 2 usage, "
      "3 server unreachable, 4 authentication.",
      "jianyan");
  app->require_subcommand(1);
  app->fallthrough();
  // A key of the config file that names no option is a mistake to report.
  app->allow_config_extras(CLI::config_extras_mode::error);
  GlobalOptions& o = ctx.options();
  app->set_config("--config", DefaultConfigPath(),
                  "defaults for these options, one key=value a line");
  app->add_option("--server", o.server, "jianyand address HOST:PORT")
      ->capture_default_str();
  app->add_option("--token", o.token, "bearer token");
  app->add_option("--token-file", o.token_file,
                  "file holding the bearer token (or a demo-tokens.txt with "
                  "--as)");
  app->add_option("--as", o.token_name,
                  "with --token-file: the named entry of a demo-tokens.txt");
  app->add_option("--tls-ca", o.tls_ca, "PEM root of the server's TLS cert");
  app->add_option("--tls-cert", o.tls_cert, "PEM client cert (mutual TLS)");
  app->add_option("--tls-key", o.tls_key, "PEM client key (mutual TLS)");
  app->add_option("--output,-o", o.output, "table (for people) or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  app->add_option("--timeout", o.timeout_seconds, "seconds per call")
      ->check(CLI::Range(0.001, 86400.0))
      ->capture_default_str();
  SetExample(app.get(),
             "jianyan --token-file data/demo-tokens.txt --as terminal case "
             "submit --title ... \n"
             "Token: --token, else --token-file, else $JIANYAN_TOKEN.\n"
             "Config file: " +
                 DefaultConfigPath() + " (e.g. server=10.0.0.5:7400)");
  AddCaseCommands(*app, ctx);
  AddSuperviseCommands(*app, ctx);
  AddStatsCommand(*app, ctx);
  AddAdminCommands(*app, ctx);
  AddDemoCommands(*app, ctx);
  AddCompletionCommand(*app);
  return app;
}

int RunApp(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help is a ParseError too, whose exit code is 0.
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  } catch (const CliExit& e) {
    return e.code;
  } catch (const std::exception& e) {
    // A bug or an unexpected library failure: say so, never abort silently.
    std::cerr << "jianyan: internal error: " << e.what() << "\n";
    return kExitRefused;
  }
  return kExitOk;
}

}  // namespace jianyan::cli
