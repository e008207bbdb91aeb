#include "services/cli/message_file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "services/cli/errors.h"

namespace jianyan::cli {
namespace {

// Keeps the first textproto error (instead of protobuf's log line).
struct TextErrors : google::protobuf::io::ErrorCollector {
  void AddError(int line, int column, const std::string& message) override {
    if (first.empty()) {
      first = absl::StrCat("line ", line + 1, ":", column + 1, ": ", message);
    }
  }
  std::string first;
};

}  // namespace

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
  TextErrors errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, message)) {
    FailUsage(absl::StrCat(flag, " ", path, ": not a ", type,
                           " in JSON or textproto: ", errors.first));
  }
}

}  // namespace jianyan::cli
