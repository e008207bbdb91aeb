// `jianyan completion bash`: a bash completion script generated from the
// command tree itself, so it never lags behind the commands.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/cli/app.h"

namespace jianyan::cli {
namespace {

// "--server --token ..." of `command`'s options (long names first).
std::string OptionWords(const CLI::App& command) {
  std::vector<std::string> words;
  for (const CLI::Option* o : command.get_options()) {
    for (const std::string& name : o->get_lnames())
      words.push_back("--" + name);
    for (const std::string& name : o->get_snames()) words.push_back("-" + name);
  }
  return absl::StrJoin(words, " ");
}

// One entry per command path into the `subs` and `opts` arrays.
void Walk(const CLI::App& command, const std::string& path,
          const std::string& global_options, std::string* script) {
  std::vector<std::string> names;
  for (const CLI::App* sub : command.get_subcommands({})) {
    names.push_back(sub->get_name());
  }
  absl::StrAppend(script, "  _jianyan_subs[\"", path, "\"]=\"",
                  absl::StrJoin(names, " "), "\"\n", "  _jianyan_opts[\"", path,
                  "\"]=\"", OptionWords(command), " ", global_options, "\"\n");
  for (const CLI::App* sub : command.get_subcommands({})) {
    Walk(*sub, path + " " + sub->get_name(),
         global_options.empty() ? OptionWords(command) : global_options,
         script);
  }
}

}  // namespace

std::string BashCompletion(const CLI::App& app) {
  std::string script =
      "# bash completion for jianyan: source <(jianyan completion bash)\n"
      "_jianyan() {\n"
      "  local -A _jianyan_subs _jianyan_opts\n";
  // Global options may also follow a command (CLI11's fallthrough): every
  // command offers them too; the root has them as its own.
  Walk(app, "jianyan", "", &script);
  absl::StrAppend(
      &script,
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" path=jianyan w i\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    w=\"${COMP_WORDS[i]}\"\n"
      "    [[ \"$w\" == -* ]] && continue\n"
      "    if [[ \" ${_jianyan_subs[$path]} \" == *\" $w \"* ]]; then\n"
      "      path=\"$path $w\"\n"
      "    fi\n"
      "  done\n"
      "  if [[ \"$cur\" == -* ]]; then\n"
      "    COMPREPLY=($(compgen -W \"${_jianyan_opts[$path]}\" -- \"$cur\"))\n"
      "  else\n"
      "    COMPREPLY=($(compgen -W \"${_jianyan_subs[$path]}\" -- \"$cur\"))\n"
      "  fi\n"
      "}\n"
      "complete -o default -F _jianyan jianyan\n");
  return script;
}

void AddCompletionCommand(CLI::App& app) {
  CLI::App* c = app.add_subcommand("completion", "print a shell completion");
  c->require_subcommand(1);
  SetExample(c, "source <(jianyan completion bash)");
  CLI::App* bash = c->add_subcommand("bash", "the bash completion script");
  SetExample(bash,
             "source <(jianyan completion bash)\n"
             "jianyan completion bash > /etc/bash_completion.d/jianyan");
  bash->callback([&app] { std::cout << BashCompletion(app); });
}

}  // namespace jianyan::cli
