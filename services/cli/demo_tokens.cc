#include "services/cli/demo_tokens.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/cli/admin_commands.h"

namespace jianyan::cli {

DemoTokens DemoTokens::Read(const std::string& path) {
  DemoTokens tokens(path);
  const std::string text = ReadFileOrUsage(path, "--tokens-file");
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripSuffix(line, "\r");
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> parts = absl::StrSplit(line, '\t');
    if (parts.size() != 3) continue;
    tokens.entries_[parts[0]] = {parts[1], parts[2]};
  }
  return tokens;
}

const std::string& DemoTokens::Token(const std::string& name) const {
  static const std::string* const kNone = new std::string;
  auto it = entries_.find(name);
  return it == entries_.end() ? *kNone : it->second.second;
}

const std::string& DemoTokens::Principal(const std::string& name) const {
  static const std::string* const kNone = new std::string;
  auto it = entries_.find(name);
  return it == entries_.end() ? *kNone : it->second.first;
}

void DemoTokens::Append(const std::string& name, const std::string& principal,
                        const std::string& token) {
  entries_[name] = {principal, token};
  // Bearer tokens: readable by this user only, as jianyand writes the file.
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (fd >= 0) ::close(fd);
  std::ofstream out(path_, std::ios::app);
  out << name << "\t" << principal << "\t" << token << "\n";
  out.flush();
  if (!out) {
    std::cerr << "demo load: cannot append to " << path_ << "; the token of "
              << name << " is lost after this run\n";
  }
}

}  // namespace jianyan::cli
