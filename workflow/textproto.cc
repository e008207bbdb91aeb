#include "workflow/textproto.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"

namespace jianyan {
namespace {

class FirstErrorCollector final : public google::protobuf::io::ErrorCollector {
 public:
  explicit FirstErrorCollector(const std::string& file) : file_(file) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!error_.empty()) return;
    error_ = absl::StrCat(file_, ":", line + 1, ":", column + 1, ": ", message);
  }
  const std::string& error() const { return error_; }

 private:
  const std::string file_;
  std::string error_;
};

// True when `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), as protobuf requires of strings.
bool IsUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (c < 0x80) {
      len = 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      const unsigned char low = k == 1 ? lo : 0x80, high = k == 1 ? hi : 0xBF;
      if (b(i + k) < low || b(i + k) > high) return false;
    }
    i += len;
  }
  return true;
}

// The path of the first string field of `m` that is not UTF-8 (a textproto
// can spell any byte with an escape), or "" when there is none.
std::string FirstNonUtf8Field(const google::protobuf::Message& m,
                              const std::string& prefix) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string name = absl::StrCat(prefix, f->name());
    const int n = f->is_repeated() ? r->FieldSize(m, f) : 1;
    for (int i = 0; i < n; ++i) {
      const std::string at =
          f->is_repeated() ? absl::StrCat(name, "[", i, "]") : name;
      if (f->type() == FieldDescriptor::TYPE_STRING) {
        const std::string value = f->is_repeated()
                                      ? r->GetRepeatedString(m, f, i)
                                      : r->GetString(m, f);
        if (!IsUtf8(value)) return at;
      } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const google::protobuf::Message& sub =
            f->is_repeated() ? r->GetRepeatedMessage(m, f, i)
                             : r->GetMessage(m, f);
        std::string bad = FirstNonUtf8Field(sub, at + ".");
        if (!bad.empty()) return bad;
      }
    }
  }
  return "";
}

}  // namespace

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

absl::StatusOr<std::vector<std::string>> ListTextprotoFiles(
    const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".textproto") {
      files.push_back(entry.path().string());
    }
  }
  if (ec) return absl::NotFoundError(absl::StrCat("cannot list ", dir));
  std::sort(files.begin(), files.end());
  return files;
}

absl::Status ParseTextProto(const std::string& text, const std::string& file,
                            google::protobuf::Message* message,
                            google::protobuf::TextFormat::ParseInfoTree* tree) {
  FirstErrorCollector errors(file);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (tree != nullptr) parser.WriteLocationsTo(tree);
  if (!parser.ParseFromString(text, message)) {
    return absl::InvalidArgumentError(errors.error().empty()
                                          ? absl::StrCat(file, ": cannot parse")
                                          : errors.error());
  }
  // Stored and sent as protobuf later, where a string must be UTF-8: a
  // record that could not be read back is refused here.
  const std::string bad = FirstNonUtf8Field(*message, "");
  if (!bad.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": ", bad, ": is not valid UTF-8"));
  }
  return absl::OkStatus();
}

}  // namespace jianyan
