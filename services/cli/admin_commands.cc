// `jianyan admin`: the command group and the helpers its files share.
#include "services/cli/admin_commands.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "services/cli/app.h"
#include "services/cli/errors.h"

namespace jianyan::cli {

std::string ReadFileOrUsage(const std::string& path, const std::string& flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) FailUsage(absl::StrCat(flag, ": cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void ReadMessageFile(const std::string& path, const std::string& flag,
                     google::protobuf::Message* message) {
  const std::string text = ReadFileOrUsage(path, flag);
  const std::string type = message->GetDescriptor()->name();
  if (absl::StartsWith(absl::StripLeadingAsciiWhitespace(text), "{")) {
    auto status = google::protobuf::util::JsonStringToMessage(text, message);
    if (!status.ok()) {
      FailUsage(absl::StrCat(flag, " ", path, ": not a ", type,
                             " in JSON: ", status.ToString()));
    }
    return;
  }
  if (!google::protobuf::TextFormat::ParseFromString(text, message)) {
    FailUsage(absl::StrCat(flag, " ", path, ": not a ", type,
                           " in JSON or textproto"));
  }
}

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
