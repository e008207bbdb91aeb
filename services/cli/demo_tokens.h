// DemoTokens: the bearer tokens of a demo-tokens.txt (jianyand --demo), one
// "name<TAB>principal<TAB>token" line each, '#' lines ignored; new entries
// are appended to the same file.
//
// Thread-safety: not thread-safe.
#ifndef JIANYAN_SERVICES_CLI_DEMO_TOKENS_H_
#define JIANYAN_SERVICES_CLI_DEMO_TOKENS_H_

#include <map>
#include <string>
#include <utility>

namespace jianyan::cli {

class DemoTokens {
 public:
  // Reads `path`; a usage error when it cannot be read.
  static DemoTokens Read(const std::string& path);

  bool Has(const std::string& name) const { return entries_.count(name) > 0; }
  // The token (principal id) of `name`; "" when there is no such entry.
  const std::string& Token(const std::string& name) const;
  const std::string& Principal(const std::string& name) const;

  // Adds an entry and appends its line to the file (mode 0600 kept). When
  // the file cannot be written the entry is kept for this run only, with a
  // warning on stderr.
  void Append(const std::string& name, const std::string& principal,
              const std::string& token);

 private:
  explicit DemoTokens(std::string path) : path_(std::move(path)) {}

  std::string path_;
  // name -> {principal, token}
  std::map<std::string, std::pair<std::string, std::string>> entries_;
};

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_DEMO_TOKENS_H_
